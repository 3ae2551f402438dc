"""企业库's refresh after a write (another program's: the command line's import while the
window is open) read the listing and built the rows on the GUI thread: over a second frozen
at 100,000 firms, every time the window followed another program. It now reads them on the
runner (the old rows stay meanwhile), keeps the officer's selection, current firm and the
firm at the top of the table, and never lets an older read overwrite a newer query."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView

from tests.conftest import make_code
from tests.ui.roster_helpers import hold, shown_roster
from tiers.services import enterprises
from tiers.storage.database import open_database

FIRMS = 80


@pytest.fixture
def view(qtbot, database, settings, runner, session, enterprise_factory):
    for n in range(FIRMS):
        enterprise_factory(f"常州刷新{n:03d}科技有限公司")
    session.commit()
    view = shown_roster(qtbot, database, settings, runner, FIRMS)
    return view


def _other_program(db_target, names: list[str], start: int) -> None:
    other = open_database(db_target)  # another program on the same database
    try:
        with other.session() as session:
            for n, name in enumerate(names):
                enterprises.create(session, {"credit_code": make_code(start + n),
                                             "county": "武进区", "name": name})
    finally:
        other.dispose()


def test_a_refresh_reads_off_the_gui_thread_and_keeps_the_officers_place(
        qtbot, view, db_target, runner, gui_statements):
    table, model = view.table, view.model
    # the officer scrolled down, selected three firms (two apart) and stands on one
    table.scrollTo(model.index(40, 0), QAbstractItemView.PositionAtTop)
    top = table.rowAt(0)
    assert top == 40
    for row in (44, 45, 47):
        table.selectionModel().select(model.index(row, 0),
                                      QItemSelectionModel.Select | QItemSelectionModel.Rows)
    table.selectionModel().setCurrentIndex(model.index(45, 0),
                                           QItemSelectionModel.NoUpdate)
    anchor, selected = model.ids[top], view.selected_ids()
    current = model.ids[45]
    # another program adds firms that sort before them (and one after)
    _other_program(db_target, ["常州刷新000A科技有限公司", "常州刷新001A科技有限公司",
                               "常州刷新002A科技有限公司", "常州刷新999科技有限公司"], 500)
    counted, counting = gui_statements
    counting[0] = True
    view.refresh()
    assert model.rowCount() == FIRMS  # the old rows meanwhile, the window live
    qtbot.waitUntil(lambda: runner.settled and model.rowCount() == FIRMS + 4, timeout=10_000)
    table.viewport().repaint()  # the rows on screen were built on the runner too
    counting[0] = False
    assert counted == []
    assert model.rowCount() == FIRMS + 4
    assert model.row_of(anchor) == top + 3  # moved down by the three new firms...
    assert table.rowAt(0) == top + 3  # ...and still at the top of the table
    assert view.selected_ids() == selected
    assert model.enterprise_id(table.currentIndex().row()) == current


def test_an_older_read_never_overwrites_a_newer_one(qtbot, view, db_target, runner):
    model = view.model
    listed: list[int] = []  # the listings shown (their rows)
    model.modelReset.connect(lambda: listed.append(model.rowCount()))
    # two refreshes queued behind a long job, another program's firm between them
    release = hold(runner)
    view.refresh()
    _other_program(db_target, ["常州刷新后来科技有限公司"], 600)
    view.refresh()
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert listed == [FIRMS + 1]  # the newer one only
    assert model.rowCount() == FIRMS + 1
    # a search typed while a refresh is read: the search is newer and read on the runner
    # too (not the whole base query here); the old rows stay meanwhile
    release = hold(runner)
    view.refresh()
    view.search.setText("后来")
    view.apply_filters()
    assert model.rowCount() == FIRMS + 1
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert model.rowCount() == 1 and listed == [FIRMS + 1, 1]
    assert "共 1 家" in view.count_label.text()


def test_a_firm_revealed_during_a_refresh_is_selected_once_it_is_listed(
        qtbot, view, db_target, runner):
    """A new firm saved (the window refreshes, then reveals it): it is not in the old
    listing, yet the search that shows it is kept, not cleared as if it hid the firm."""
    view.search.setText("常州刷新")
    view.apply_filters()
    release = hold(runner)
    _other_program(db_target, ["常州刷新新建科技有限公司"], 700)
    view.refresh()
    firm = None
    other = open_database(db_target)
    try:
        with other.session() as session:
            firm = enterprises.by_code(session, make_code(700)).id
    finally:
        other.dispose()
    assert view.reveal(firm)
    release.set()
    qtbot.waitUntil(lambda: view.selected_ids() == [firm], timeout=10_000)
    assert view.search.text() == "常州刷新"  # the search was not cleared
    assert view.model.rowCount() == FIRMS + 1


# --- review findings ------------------------------------------------------------------
def test_the_officers_click_and_scroll_during_the_read_are_kept(qtbot, view, db_target, runner):
    """The officer scrolls and clicks another firm while the listing is read: the place the
    refresh started from was put back over it (a context menu's 批量操作 or 删除 would have
    applied to the old selection). Now the newer place is taken just before the reset."""
    table, model = view.table, view.model
    table.selectRow(5)
    _other_program(db_target, ["常州刷新ZZZ科技有限公司"], 900)
    release = hold(runner)
    view.refresh()
    table.scrollTo(model.index(60, 0), QAbstractItemView.PositionAtTop)
    table.selectRow(62)
    clicked, top = model.ids[62], model.ids[table.rowAt(0)]
    release.set()
    qtbot.waitUntil(lambda: runner.settled and model.rowCount() == FIRMS + 1, timeout=10_000)
    assert view.selected_ids() == [clicked]
    assert model.enterprise_id(table.currentIndex().row()) == clicked
    assert model.ids[table.rowAt(0)] == top


def test_the_top_firm_is_kept_when_the_list_grows_a_lot(qtbot, view, db_target, runner):
    """The scroll bar's range was the old list's until the delayed layout: restoring the
    top firm of a short list scrolled to its end clamped when 400 firms came before it."""
    table, model = view.table, view.model
    table.scrollToBottom()
    qtbot.wait(50)
    anchor = model.ids[table.rowAt(0)]
    _other_program(db_target, [f"常州刷新00{n:04d}科技有限公司" for n in range(400)], 2000)
    view.refresh()
    qtbot.waitUntil(lambda: runner.settled and model.rowCount() == FIRMS + 400, timeout=20_000)
    qtbot.wait(50)
    assert table.rowAt(0) == model.row_of(anchor)


def test_a_search_typed_during_a_refresh_is_read_on_the_runner(
        qtbot, view, db_target, runner, gui_statements):
    """A search typed while the listing was read dropped it and ran the whole base query
    and the search on the GUI thread (1.1 s at 100k). It supersedes the read on the runner
    now; nothing is read here."""
    counted, counting = gui_statements
    model = view.model
    _other_program(db_target, ["常州刷新搜索中科技有限公司"], 950)
    release = hold(runner)
    view.refresh()
    counting[0] = True
    view.search.setText("搜索中")
    view.apply_filters()
    counting[0] = False
    assert counted == []
    assert model.rowCount() == FIRMS  # the old rows meanwhile
    release.set()
    qtbot.waitUntil(lambda: runner.settled and model.rowCount() == 1, timeout=10_000)
    assert model.row(0)["name"] == "常州刷新搜索中科技有限公司"
    assert "共 1 家" in view.count_label.text()


def test_a_firm_to_reveal_never_clears_a_search_typed_after_it(qtbot, view, db_target, runner):
    """A new firm to be revealed once the refresh's listing is in: a header sort meanwhile
    dropped that listing and left the reveal pending, and the officer's next search was
    cleared by it. The search typed after the save is kept."""
    release = hold(runner)
    _other_program(db_target, ["常州刷新新建科技有限公司"], 700)
    view.refresh()
    other = open_database(db_target)
    try:
        with other.session() as session:
            firm = enterprises.by_code(session, make_code(700)).id
    finally:
        other.dispose()
    view.reveal(firm)
    view.model.sort(0, Qt.DescendingOrder)
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.selected_ids() == [firm]  # revealed once the sorted listing was in
    assert view._reveal_after is None
    view.search.setText("刷新005")
    view.apply_filters()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.search.text() == "刷新005"
    assert view.model.rowCount() == 1
    # a search typed while the reveal waits: kept, the firm selected only if listed
    release = hold(runner)
    view.refresh()
    view.reveal(firm)
    view.search.setText("刷新新建")
    view.apply_filters()
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.search.text() == "刷新新建"
    assert view.selected_ids() == [firm]


def test_a_failed_refresh_leaves_no_reveal_behind(qtbot, view, db_target, runner, monkeypatch):
    from tiers.queries import roster
    from tiers.storage.faults import DatabaseError

    def gone(*_args, **_kwargs):
        raise DatabaseError("无法连接数据库服务器")

    release = hold(runner)
    monkeypatch.setattr(roster, "roster_ids", gone)
    view.refresh()
    view.reveal(view.model.ids[3])
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view._reveal_after is None
    assert "无法连接数据库服务器" in view.count_label.text()
    assert view.model.rowCount() == FIRMS  # the old rows stay
    monkeypatch.undo()
    view.search.setText("刷新001")
    view.apply_filters()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.search.text() == "刷新001"


def test_a_sort_during_a_refresh_resets_the_changed_set(qtbot, view, db_target, runner):
    """A header click while the listing was read queried the new set of firms and told Qt
    it was the same set in another order (a row count changed inside layoutChanged). The
    sort is read on the runner in place of the listing and shown by a reset."""
    model = view.model
    release = hold(runner)
    _other_program(db_target, [f"常州刷新后加{n}科技有限公司" for n in range(5)], 800)
    view.refresh()
    layouts, resets = [], []
    model.layoutChanged.connect(lambda *_a: layouts.append(model.rowCount()))
    model.modelReset.connect(lambda: resets.append(model.rowCount()))
    model.sort(0, Qt.DescendingOrder)
    assert model.rowCount() == FIRMS and layouts == []
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert resets == [FIRMS + 5] and layouts == []
    names = [model.row(n)["name"] for n in range(model.rowCount())]
    assert names == sorted(names, reverse=True)
    # no refresh under way, yet the set changed (a write not yet refreshed): a reset too
    _other_program(db_target, ["常州刷新未刷新科技有限公司"], 890)
    model._base_key = None  # (the cached listing forgotten, as after a write)
    model.sort(0, Qt.AscendingOrder)
    assert resets[-1] == FIRMS + 6 and layouts == []
