"""删除 and 回收站's 恢复 in 企业库 re-read the whole roster on the GUI thread once written
(0.25 s frozen at 100,000 firms; in the main window on top of the refresh it had already
begun on the runner, which the GUI thread's read then made void). Now the list is read on
the runner as after any write: the old rows stay meanwhile, the place is kept (the firm at
the top of the table), and the firm that took the deleted ones' place is selected."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractItemView

from ui.main_window import MainWindow
from ui.roster_view import RosterView

FIRMS = 60


@pytest.fixture
def firms(session, enterprise_factory) -> None:
    for n in range(FIRMS):
        enterprise_factory(f"常州删除{n:03d}科技有限公司")
    session.commit()



def _delete_and_restore(qtbot, view: RosterView, runner, gui_statements) -> None:
    counted, counting = gui_statements
    table, model = view.table, view.model
    table.scrollTo(model.index(30, 0), QAbstractItemView.PositionAtTop)
    top_firm = model.ids[table.rowAt(0)]
    table.selectRow(33)
    table.selectRow(33)
    chosen, after = model.ids[33], model.ids[34]
    counting[0] = True
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        view.delete_selected()
    assert finished.args == [True]
    qtbot.waitUntil(lambda: runner.settled and not model.listing_pending, timeout=10_000)
    table.viewport().repaint()  # (the rows on screen: built on the runner already)
    counting[0] = False
    assert chosen not in model.ids and model.rowCount() == FIRMS - 1
    assert counted == [], counted  # nothing read on the GUI thread
    assert view.selected_ids() == [after]  # the firm that took its place
    assert model.ids[table.rowAt(0)] == top_firm  # the officer's place kept
    view.trash.setChecked(True)
    qtbot.waitUntil(lambda: runner.settled and not model.listing_pending, timeout=10_000)
    assert model.ids == [chosen]
    table.selectRow(0)
    counted.clear()
    counting[0] = True
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        view.restore_selected()
    assert finished.args == [True]
    qtbot.waitUntil(lambda: runner.settled and not model.listing_pending, timeout=10_000)
    counting[0] = False
    assert model.ids == [] and counted == [], counted


def test_delete_and_restore_read_off_the_gui_thread(qtbot, database, settings, runner, firms,
                                                    gui_statements):
    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.resize(1100, 420)
    view.show()
    qtbot.waitUntil(lambda: runner.settled and view.model.rowCount() == FIRMS, timeout=10_000)
    _delete_and_restore(qtbot, view, runner, gui_statements)


def test_in_the_main_window_too(qtbot, database, settings, runner, firms, gui_statements):
    """(There the write's announcement begins the refresh: it is not read twice.)"""
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page(1)
    view = window.roster
    qtbot.waitUntil(lambda: runner.settled and view.model.rowCount() == FIRMS, timeout=10_000)
    listings = []
    view.model.listed.connect(listings.append)
    _delete_and_restore(qtbot, view, runner, gui_statements)
    # one after the delete, the 回收站's (read on the runner too, from its top), one after
    # the restore: none twice
    assert [listing.keep_place for listing in listings] == [True, False, True]
