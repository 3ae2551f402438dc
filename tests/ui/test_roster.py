from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tiers.model import ladder
from tiers.model.pinyin import sort_key
from tiers.queries import roster
from tiers.services import enterprises
from ui.enterprise_table_model import COLUMNS, EnterpriseTableModel
from ui.roster_view import RosterView


def test_model_passes_modeltester(qtmodeltester, demo_database):
    model = EnterpriseTableModel(demo_database)
    assert model.rowCount() == 120
    qtmodeltester.check(model)
    model.sort(4, Qt.DescendingOrder)
    qtmodeltester.check(model)


def test_model_sorts_in_sql(demo_database):
    model = EnterpriseTableModel(demo_database)
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == sorted(names, key=sort_key)  # by pinyin, as Chinese users sort
    model.sort(8, Qt.DescendingOrder)  # 扶持金额合计
    with demo_database.session() as session:
        expected = roster.roster_ids(session, roster.RosterFilter(), sort="support_total",
                                      descending=True)
    assert model.ids == expected
    first, last = model.row(0)["support_total"], model.row(len(model.ids) - 1)["support_total"]
    assert first >= last and first > 0


def test_rows_are_built_per_block(demo_database, monkeypatch):
    calls = []
    real = roster.roster_rows
    monkeypatch.setattr(roster, "roster_rows", lambda s, ids, **k: calls.append(len(ids))
                        or real(s, ids, **k))
    model = EnterpriseTableModel(demo_database)
    for column in range(len(COLUMNS)):
        model.data(model.index(3, column))
    assert calls == [64]  # one block of rows for all those cells
    model.invalidate()
    model.data(model.index(3, 0))
    assert len(calls) == 2


def test_search_by_pinyin_initials_filters_as_you_type(qtbot, database, enterprise_factory,
                                                       settings, session):
    enterprise_factory("常州恒立液压股份有限公司")
    enterprise_factory("江苏天合光能有限公司")
    session.commit()
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 2
    with qtbot.waitSignal(view.model.counts_changed, timeout=2000):
        qtbot.keyClicks(view.search, "hlyy")
    assert view.model.rowCount() == 1
    assert view.model.data(view.model.index(0, 0)) == "常州恒立液压股份有限公司"
    assert "1" in view.count_label.text()
    view.search.setText("天合")
    view.apply_filters()
    assert [view.model.data(view.model.index(0, 0))] == ["江苏天合光能有限公司"]


def test_former_name_and_code_search(qtbot, database, enterprise_factory, settings, session,
                                     code):
    firm = enterprise_factory("常州新名称科技有限公司", credit_code=code(77))
    enterprises.update(session, firm.id, {"name": "常州更新后科技有限公司"})
    session.commit()
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.search.setText("新名称")
    view.apply_filters()
    assert view.model.ids == [firm.id]
    view.search.setText(code(77)[-8:].lower())
    view.apply_filters()
    assert view.model.ids == [firm.id]


def test_filter_panel(qtbot, demo_database, settings):
    view = RosterView(demo_database, settings)
    qtbot.addWidget(view)
    total = view.model.rowCount()
    view.filters.select(tier="little_giant")
    with demo_database.session() as session:
        expected = roster.count(session, roster.RosterFilter(tier="little_giant"))
    assert 0 < view.model.rowCount() == expected < total
    tiers_shown = {view.model.row(r)["tier_code"] for r in range(view.model.rowCount())}
    assert tiers_shown <= {"little_giant", "single_champion"}
    view.filters.select(status=ladder.EXPIRED)
    with demo_database.session() as session:
        expected = roster.count(session, roster.RosterFilter(tier="little_giant",
                                                               status=ladder.EXPIRED))
    assert view.model.rowCount() == expected
    view.filters.clear()
    view.filters.select(town="湖塘镇")
    assert 0 < view.model.rowCount() < total
    assert {view.model.row(r)["town"] for r in range(view.model.rowCount())} == {"湖塘镇"}
    view.filters.clear()
    assert view.model.rowCount() == total


def _listed(qtbot, view) -> None:
    """After a delete or restore: the list read again on the runner is shown."""
    qtbot.waitUntil(lambda: not view.model.listing_pending, timeout=10_000)


def test_delete_moves_to_trash_and_restores(qtbot, database, enterprise_factory, settings,
                                            session, runner):
    firm = enterprise_factory("常州回收站测试有限公司")
    enterprise_factory("常州留下的有限公司")
    session.commit()
    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.show()
    view.table.setFocus()
    view.table.selectRow(view.model.row_of(firm.id))
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        qtbot.keyClick(view.table, Qt.Key_Delete)
        assert not view.isEnabled() and view.count_label.text() == "正在保存…"
    assert finished.args == [True] and view.isEnabled()
    _listed(qtbot, view)  # the list is read again on the runner
    assert firm.id not in view.model.ids and view.model.rowCount() == 1
    view.trash.setChecked(True)
    _listed(qtbot, view)  # (the 回收站 read on the runner too)
    assert view.model.ids == [firm.id]
    view.table.selectRow(0)
    with qtbot.waitSignal(view.save_finished, timeout=10_000):
        view.restore_button.click()
    _listed(qtbot, view)
    assert view.model.ids == []
    view.trash.setChecked(False)
    _listed(qtbot, view)
    assert firm.id in view.model.ids


def test_enter_and_double_click_open(qtbot, database, enterprise_factory, settings, session):
    firm = enterprise_factory("常州打开测试有限公司")
    session.commit()
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.show()
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(view.table, Qt.Key_Return)
    assert opened.args == [firm.id]


def test_hidden_columns_are_remembered(qtbot, database, settings):
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.set_column_visible(7, False)
    again = RosterView(database, settings)
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(7)


@pytest.mark.parametrize("bad", ["tier", "level"])
def test_bad_filter_message_not_crash(database, bad):
    model = EnterpriseTableModel(database, filters=roster.RosterFilter(**{bad: "不存在"}))
    assert model.rowCount() == 0 and model.error


def test_search_index_agrees_with_sql(database, enterprise_factory, session, code):
    """The in-memory search gives exactly what search.search_condition gives."""
    from tiers.queries import search
    from tiers.services import demo

    for _ in demo.generate(session, enterprises=300):
        pass
    firm = enterprise_factory("常州（旧名）机械有限公司", credit_code=code(555))
    enterprises.update(session, firm.id, {"name": "江苏新名字智能装备有限公司"})
    session.commit()
    with database.session() as s:
        index = search.SearchIndex.load(s)
        for text in ["机械", "液压", "hl", "CZ", "jx", "旧名", "(旧名)", "9132", code(555)[-6:],
                     "常州 液压", "czhl", "xyz", "恒立 yy", "有限公司", "（", "ma0"]:
            expected = set(roster.roster_ids(s, roster.RosterFilter(search=text)))
            assert index.matching(text) & set(roster.roster_ids(s, roster.RosterFilter())) \
                == expected, text


def test_typing_narrows_and_backspace_widens(qtbot, demo_database, settings):
    view = RosterView(demo_database, settings)
    qtbot.addWidget(view)
    counts = []
    for text in ["c", "cz", "czh", "cz", "c", ""]:
        view.search.setText(text)
        view.apply_filters()
        with demo_database.session() as s:
            assert view.model.ids == roster.roster_ids(s, roster.RosterFilter(search=text)), \
                text
        counts.append(view.model.rowCount())
    assert counts[0] >= counts[1] >= counts[2] and counts[2] <= counts[3] <= counts[4]
    assert counts[-1] == 120


def test_search_index_warms_in_background(qtbot, demo_database, settings, runner):
    view = RosterView(demo_database, settings, runner=runner)
    qtbot.addWidget(view)
    view.search.setText("c")
    view.apply_filters()  # before the index arrives: answered by SQL
    with demo_database.session() as s:
        expected = roster.roster_ids(s, roster.RosterFilter(search="c"))
    assert view.model.ids == expected
    qtbot.waitUntil(lambda: view.model._search_index is not None, timeout=10_000)
    view.search.setText("cz")
    view.apply_filters()
    with demo_database.session() as s:
        assert view.model.ids == roster.roster_ids(s, roster.RosterFilter(search="cz"))


def test_the_placeholder_example_finds_firms(qtbot, demo_database, settings):
    import re

    view = RosterView(demo_database, settings)
    qtbot.addWidget(view)
    example = re.search(r"如 ([a-z]+)", view.search.placeholderText()).group(1)
    assert example == "jss"
    with qtbot.waitSignal(view.model.counts_changed, timeout=2000):
        qtbot.keyClicks(view.search, example)
    found = [view.model.data(view.model.index(row, 0)) for row in range(view.model.rowCount())]
    assert found and any(name.startswith("江苏省") for name in found)


def test_delete_selects_the_next_row_and_trash_cannot_open(qtbot, database, enterprise_factory,
                                                           settings, session, runner):
    names = ["常州甲一有限公司", "常州甲二有限公司", "常州甲三有限公司"]
    firms = [enterprise_factory(name) for name in names]
    session.commit()
    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.show()
    view.table.setFocus()
    assert len(firms) == view.model.rowCount() == 3
    middle = 1
    view.table.selectRow(middle)
    next_id = view.model.ids[middle + 1]
    with qtbot.waitSignal(view.save_finished, timeout=10_000):
        qtbot.keyClick(view.table, Qt.Key_Delete)
    _listed(qtbot, view)
    assert view.selected_ids() == [next_id]
    assert view.table.currentIndex().row() == view.model.row_of(next_id)
    view.table.selectRow(view.model.rowCount() - 1)  # the last row: its neighbour above
    with qtbot.waitSignal(view.save_finished, timeout=10_000):
        qtbot.keyClick(view.table, Qt.Key_Delete)
    _listed(qtbot, view)
    assert len(view.selected_ids()) == 1 and view.model.rowCount() == 1
    assert view.open_button.isEnabled()
    view.trash.setChecked(True)
    _listed(qtbot, view)
    assert not view.open_button.isEnabled()
    opened = []
    view.open_requested.connect(opened.append)
    view.table.selectRow(0)
    view.open_current()
    assert opened == []
    view.trash.setChecked(False)
    _listed(qtbot, view)
    assert view.open_button.isEnabled()


def test_down_arrow_from_search_moves_into_the_table(qtbot, database, enterprise_factory,
                                                     settings, session):
    enterprise_factory("常州方向键一有限公司")
    enterprise_factory("常州方向键二有限公司")
    session.commit()
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitActive(view)
    view.search.setFocus()
    view.search.setText("方向键")  # (QTest cannot type Chinese characters)
    qtbot.keyClick(view.search, Qt.Key_Down)
    assert view.focusWidget() is view.table
    assert view.table.currentIndex().row() == 0 and len(view.selected_ids()) == 1


def test_the_roster_is_queried_once_while_the_view_is_built(qtbot, demo_database, settings,
                                                            monkeypatch):
    """Enabling sorting sorted by Qt's default indicator (descending), then the view sorted
    ascending: three queries of the whole roster before the first paint (0.6 s each on
    100,000 firms)."""
    queries = []
    original = roster.roster_ids

    def counted(*args, **kwargs):
        queries.append(kwargs.get("sort"))
        return original(*args, **kwargs)

    monkeypatch.setattr(roster, "roster_ids", counted)
    view = RosterView(demo_database, settings)
    qtbot.addWidget(view)
    assert len(queries) == 1
    header = view.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, Qt.AscendingOrder)
    view.table.sortByColumn(0, Qt.DescendingOrder)  # a click on the header still sorts
    assert len(queries) == 2


def test_tab_from_the_search_goes_to_the_results(qtbot, database, enterprise_factory, settings,
                                                 session):
    """Tab from the search goes to what it found (it went to 回收站), the words just typed
    searched first; Down still goes there too; Tab from the list goes on to 回收站."""
    enterprise_factory("常州恒立液压股份有限公司")
    enterprise_factory("江苏天合光能有限公司")
    session.commit()
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=5_000)
    view.search.setFocus()
    qtbot.keyClicks(view.search, "thgn")  # 天合光能
    qtbot.keyClick(view.search, Qt.Key_Tab)
    assert view.table.hasFocus()
    assert view.model.rowCount() == 1
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key_Down)
    assert view.table.hasFocus() and view.table.currentIndex().row() == 0
    qtbot.keyClick(view.table, Qt.Key_Tab)
    assert view.trash.hasFocus()
