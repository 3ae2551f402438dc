"""企业库's refresh after a write (another program's: the command line's import while the
window is open) read the listing and built the rows on the GUI thread: over a second frozen
at 100,000 firms, every time the window followed another program. It now reads them on the
runner (the old rows stay meanwhile), keeps the officer's selection, current firm and the
firm at the top of the table, and never lets an older read overwrite a newer query."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView
from sqlalchemy import event

from tests.conftest import make_code
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.roster_view import RosterView

FIRMS = 80


@pytest.fixture
def view(qtbot, database, settings, runner, session, enterprise_factory):
    for n in range(FIRMS):
        enterprise_factory(f"常州刷新{n:03d}科技有限公司")
    session.commit()
    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.resize(1100, 420)  # a dozen rows on screen: the table scrolls
    view.show()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.model.rowCount() == FIRMS
    return view


@pytest.fixture
def gui_statements(database):
    """The SQL statements run on the GUI thread while counting is on."""
    counted: list[str] = []
    counting = [False]

    def count(_connection, _cursor, statement, *_rest) -> None:
        if counting[0] and threading.current_thread() is threading.main_thread():
            counted.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    yield counted, counting
    event.remove(database.engine, "before_cursor_execute", count)


def _other_program(db_target, names: list[str], start: int) -> None:
    other = open_database(db_target)  # another program on the same database
    try:
        with other.session() as session:
            for n, name in enumerate(names):
                enterprises.create(session, {"credit_code": make_code(start + n),
                                             "county": "武进区", "name": name})
    finally:
        other.dispose()


def _hold(runner):
    """A job that keeps the runner busy until the event returned is set."""
    release = threading.Event()
    runner.submit("占用", lambda _task: release.wait(10))
    return release


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
    release = _hold(runner)
    view.refresh()
    _other_program(db_target, ["常州刷新后来科技有限公司"], 600)
    view.refresh()
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert listed == [FIRMS + 1]  # the newer one only
    assert model.rowCount() == FIRMS + 1
    # a search typed while a refresh is read: the search is newer, the listing is dropped
    release = _hold(runner)
    view.refresh()
    view.search.setText("后来")
    view.apply_filters()
    assert model.rowCount() == 1
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
    release = _hold(runner)
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
