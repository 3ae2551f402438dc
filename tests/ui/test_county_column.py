"""A city database combines several counties' packages: 培育库, 扶持措施 and 产业链 say which
county each row's firm is in (县区), sort by it, and copy and export it; on a county's own
database, where every row would say the same county, the column is hidden (培育名单 at
1366 wide has no room to spare for it)."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt

from tests.conftest import make_code
from tiers.services import chains, cultivation, enterprises, measures
from ui.chains_view import ChainsView
from ui.county_column import firms_changed
from ui.cultivation_view import CultivationView
from ui.measures_view import MeasuresView
from ui.table_reading import visible_columns


def two_counties(session, enterprise_factory) -> None:
    for name, county, town in (("常州新北甲科技有限公司", "新北区", "春江街道"),
                               ("常州武进乙科技有限公司", "武进区", "湖塘镇")):
        firm = enterprise_factory(name, county=county, town=town)
        chains.set_role(session, firm.id, "C32", "配套企业")
        cultivation.add(session, firm.id, {"target_tier": "zjtx",
                                           "target_year": 2027})
        measures.add(session, firm.id, {"kind": "认定奖励", "amount": "10", "year": 2026})
    session.commit()


def views(qtbot, database, settings):
    made = [CultivationView(database, settings), MeasuresView(database, settings=settings),
            ChainsView(database, settings)]
    for view in made:
        qtbot.addWidget(view)
    made[2].select_chain("C32")
    return made


def county_column(view) -> int:
    model = view.model
    titles = [model.headerData(c, Qt.Horizontal, Qt.DisplayRole)
              for c in range(model.columnCount())]
    assert "县区" in titles, type(view).__name__
    column = titles.index("县区")
    assert column in visible_columns(view.table), type(view).__name__
    return column


def column_texts(view, column: int) -> list[str]:
    model = view.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_each_row_says_its_county_and_sorts_by_it(qtbot, database, settings, session,
                                                 enterprise_factory):
    two_counties(session, enterprise_factory)
    for view in views(qtbot, database, settings):
        column, model = county_column(view), view.model
        by_firm = {model.record(row)["name"]: model.data(model.index(row, column))
                   for row in range(model.rowCount())}
        assert by_firm == {"常州新北甲科技有限公司": "新北区",
                           "常州武进乙科技有限公司": "武进区"}, type(view).__name__
        view.table.sortByColumn(column, Qt.AscendingOrder)
        assert column_texts(view, column) == ["武进区", "新北区"]  # by pinyin: wu, xin
        view.table.sortByColumn(column, Qt.DescendingOrder)
        assert column_texts(view, column) == ["新北区", "武进区"]


def test_copy_and_the_exported_list_carry_the_county(qtbot, database, settings, session,
                                                      enterprise_factory, monkeypatch):
    two_counties(session, enterprise_factory)
    monkeypatch.setattr("ui.table_comforts.put_on_clipboard", lambda clip: None)
    for view in views(qtbot, database, settings):
        view.table.selectAll()
        lines = view.comforts.copy().splitlines()
        head = lines[0].split("\t")
        assert "县区" in head, type(view).__name__
        where = head.index("县区")
        assert sorted(line.split("\t")[where] for line in lines[1:]) == ["新北区", "武进区"]
        heads, rows = view.comforts.current_list()
        titles = [column.title for column in heads]
        assert "县区" in titles
        assert sorted(row[titles.index("县区")] for row in rows()) == ["新北区", "武进区"]


def county_title(view) -> int:
    return [column.key for column in view.model.columns].index("county")


def test_on_a_county_database_the_column_is_hidden_until_a_second_county_comes(
        qtbot, database, settings, session, enterprise_factory):
    firm = enterprise_factory("常州武进丙科技有限公司", county="武进区")
    chains.set_role(session, firm.id, "C32", "配套企业")
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2027})
    measures.add(session, firm.id, {"kind": "认定奖励", "amount": "10", "year": 2026})
    session.commit()
    made = views(qtbot, database, settings)
    for view in made:
        assert view.model.rowCount() == 1
        assert view.table.isColumnHidden(county_title(view)), type(view).__name__
    with database.session() as other:  # a second county's package arrives
        enterprises.create(other, {"credit_code": make_code(99), "name": "常州新北丁科技有限公司",
                                   "county": "新北区"})
    firms_changed(database)  # as the window does after the import (it touched firms)
    for view in made:
        view.refresh()
        if isinstance(view, ChainsView):
            view.select_chain("C32")
        assert not view.table.isColumnHidden(county_title(view)), type(view).__name__


def test_the_officers_own_choice_survives_a_refresh(qtbot, database, settings, session,
                                                    enterprise_factory):
    two_counties(session, enterprise_factory)
    for view in views(qtbot, database, settings):
        view.comforts.set_column_visible(county_title(view), False)  # the header's menu
        view.refresh()
        assert view.table.isColumnHidden(county_title(view)), type(view).__name__


def test_a_state_saved_before_the_column_came_is_not_applied_to_the_wrong_columns(
        qtbot, database, settings, session, enterprise_factory):
    """Qt restores a header state saved for 10 columns onto 11 by column number: the
    政策依据 an officer hid (the 10th column then) would hide 状态 now."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from ui.header_state import saved_column_count

    two_counties(session, enterprise_factory)
    before = QTableView()
    qtbot.addWidget(before)
    before.setModel(QStandardItemModel(0, 10, before))  # 扶持措施 as it was
    before.setColumnHidden(9, True)  # 政策依据
    before.horizontalHeader().moveSection(5, 1)
    old = before.horizontalHeader().saveState()
    assert saved_column_count(old) == 10
    settings.set_table_state("measures", old, widths_chosen=True)
    view = MeasuresView(database, settings=settings)
    qtbot.addWidget(view)
    titles = [column.title for column in view.model.columns]
    assert visible_columns(view.table) == list(range(len(titles)))  # all, in their order
    assert saved_column_count(view.table.horizontalHeader().saveState()) == len(titles)


def one_county(session, enterprise_factory) -> None:
    firm = enterprise_factory("常州武进丙科技有限公司", county="武进区")
    chains.set_role(session, firm.id, "C32", "配套企业")
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2027})
    measures.add(session, firm.id, {"kind": "认定奖励", "amount": "10", "year": 2026})
    session.commit()


def test_restoring_the_default_columns_keeps_the_rule(qtbot, database, settings, session,
                                                      enterprise_factory):
    """恢复默认列 on a county's own database: the defaults were taken before the first load
    hid 县区, and brought it back for good."""
    one_county(session, enterprise_factory)
    for view in views(qtbot, database, settings):
        view.comforts.restore_default_columns()
        assert view.table.isColumnHidden(county_title(view)), type(view).__name__
        view.refresh()
        assert view.table.isColumnHidden(county_title(view)), type(view).__name__


def test_the_officers_own_choice_survives_a_restart(qtbot, database, settings, session,
                                                    enterprise_factory):
    two_counties(session, enterprise_factory)
    for view in views(qtbot, database, settings):
        view.comforts.set_column_visible(county_title(view), False)  # the header's menu
    for view in views(qtbot, database, settings):  # the next start
        assert view.table.isColumnHidden(county_title(view)), type(view).__name__
        view.comforts.set_column_visible(county_title(view), True)
    for view in views(qtbot, database, settings):
        assert not view.table.isColumnHidden(county_title(view)), type(view).__name__


def test_on_a_county_database_the_officer_may_show_it_for_good(qtbot, database, settings,
                                                              session, enterprise_factory):
    one_county(session, enterprise_factory)
    for view in views(qtbot, database, settings):
        view.comforts.set_column_visible(county_title(view), True)
    for view in views(qtbot, database, settings):
        assert not view.table.isColumnHidden(county_title(view)), type(view).__name__


def test_a_state_saved_with_one_county_meets_a_second(qtbot, database, settings, session,
                                                      enterprise_factory):
    """The rule again when the counties crossed one since the state was saved."""
    one_county(session, enterprise_factory)
    for view in views(qtbot, database, settings):
        view.comforts.save_state()  # 县区 hidden by the rule, saved with the other columns
    with database.session() as other:  # a second county's package, before the next start
        enterprises.create(other, {"credit_code": make_code(99), "name": "常州新北丁科技有限公司",
                                   "county": "新北区"})
    firms_changed(database)
    for view in views(qtbot, database, settings):
        assert not view.table.isColumnHidden(county_title(view)), type(view).__name__


def test_the_counties_are_counted_once_until_firms_change(qtbot, database, settings, session,
                                                         enterprise_factory, monkeypatch):
    """A DISTINCT scan of every firm on the GUI thread at each refresh of three pages:
    counted once, and again only after a write that touched firms."""
    from tiers.queries import roster
    from ui.main_window import MainWindow
    from ui.operations import Changes

    two_counties(session, enterprise_factory)
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    pages = (window.cultivation, window.measures, window.chains)
    for page in pages:
        page.refresh()
    qtbot.waitUntil(lambda: window.runner.settled, timeout=10_000)  # read there
    scans = []
    counties = roster.counties
    # the 县区 columns' count, and the 县区 choices of 扶持措施, 候选企业 and the roster's filters
    monkeypatch.setattr("ui.county_column.roster",
                        SimpleNamespace(counties=lambda s: scans.append(1) or counties(s)))
    for page in pages:
        page.refresh()
    window.data_changed(Changes(measures=True))
    for page in pages:
        page.refresh()
    qtbot.waitUntil(lambda: window.runner.settled, timeout=10_000)  # read there
    assert scans == []
    with database.session() as other:  # a third county's firm, saved in its window
        enterprises.create(other, {"credit_code": make_code(98), "name": "常州金坛戊科技有限公司",
                                   "county": "金坛区"})
    window.data_changed(Changes(enterprises=True))
    for page in pages:
        page.refresh()
    qtbot.waitUntil(lambda: window.runner.settled, timeout=10_000)  # read there
    assert len(scans) == 1
