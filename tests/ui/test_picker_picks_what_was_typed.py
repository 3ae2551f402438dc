"""The 加入企业 / 加入培育库 picker's Enter and double-click while a search is read on the
runner: Enter picks the first match of the text typed when it was pressed, never a row of
another text's list (typed on after Enter, a search that failed, the whole list); a row
double-clicked is the firm picked; the dialog says 正在查找…… while the runner is busy and
why a search failed."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QDialog

from tiers.errors import TiersError
from tiers.queries import roster, search
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.enterprise_table_model import EnterpriseTableModel


def two_firms(enterprise_factory, session) -> None:
    enterprise_factory("常州安达有限公司")  # first in the whole list (by pinyin)
    enterprise_factory("常州加入链有限公司")
    session.commit()


# (runner.settled: every slot of each task's result and end has run, the picker's too;
# searching.pending turning False is the search's end reaching the picker, said as well)


def held(runner) -> threading.Event:
    """The runner busy with another's work until the event is set."""
    release = threading.Event()
    runner.submit("held", lambda _task: release.wait(10))
    return release


def no_search_index(monkeypatch) -> None:
    """The search index is never in (its build failed: only logged), so every typed search
    is read on the runner."""
    def refused(_session):
        raise TiersError("数据库正忙")

    monkeypatch.setattr(search.SearchIndex, "load", staticmethod(refused))


def searches_refused(monkeypatch) -> None:
    listing = roster.roster_ids

    def refusing(session, filters, **kwargs):
        if filters.search:
            raise TiersError("数据库正忙，请稍后再试")
        return listing(session, filters, **kwargs)

    monkeypatch.setattr(roster, "roster_ids", refusing)


def test_typed_on_after_enter_does_not_pick(qtbot, database, runner, enterprise_factory,
                                            session):
    """Enter with 常州 typed while the runner is busy, then typed on to 常州加入: the
    dialog closed on the first match of the half-typed text once the runner was free."""
    two_firms(enterprise_factory, session)
    release = held(runner)
    dialog = EnterprisePickerDialog(database, runner=runner)
    qtbot.addWidget(dialog)
    dialog.search.setText("常州")
    dialog._search()
    dialog.accept()  # Enter
    dialog.search.setText("常州加入")  # typed on
    dialog._search()
    release.set()
    qtbot.waitUntil(lambda: runner.settled and not dialog.searching.pending, timeout=10_000)
    assert dialog.result() != QDialog.Accepted
    assert dialog.model.rowCount() == 1 and dialog.accept_for is None
    dialog.accept()  # Enter now: the match of what is typed
    assert dialog.result() == QDialog.Accepted
    assert dialog.chosen_name() == "常州加入链有限公司"


def test_the_picker_says_it_is_searching(qtbot, database, runner, enterprise_factory,
                                         session):
    """The runner busy with another's work: the picker showed nothing at all meanwhile."""
    two_firms(enterprise_factory, session)
    release = held(runner)
    dialog = EnterprisePickerDialog(database, runner=runner)
    qtbot.addWidget(dialog)
    dialog.search.setText("常州")
    dialog._search()
    assert dialog.notice.text() == "正在查找……"
    release.set()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=10_000)
    assert dialog.notice.text() == ""


def test_enter_waits_for_the_text_typed_when_pressed(qtbot, database, runner,
                                                     enterprise_factory, session):
    two_firms(enterprise_factory, session)
    release = held(runner)
    dialog = EnterprisePickerDialog(database, runner=runner)
    qtbot.addWidget(dialog)
    dialog.search.setText("加入链")
    dialog.accept()  # typed, then Enter before the search ran
    assert dialog.result() != QDialog.Accepted  # waiting for the matches
    release.set()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.Accepted, timeout=10_000)
    assert dialog.chosen_name() == "常州加入链有限公司"


def test_a_failed_search_is_said_and_enter_picks_nothing_of_another_list(
        qtbot, database, runner, enterprise_factory, session, monkeypatch):
    """The whole list is shown, the search for 加入链 fails on the runner: Enter picked the
    first row of the whole list (常州安达). It says why, and Enter tries the search again."""
    two_firms(enterprise_factory, session)
    no_search_index(monkeypatch)
    dialog = EnterprisePickerDialog(database, runner=runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.model.rowCount() == 2  # the whole list
    listing = roster.roster_ids
    searches_refused(monkeypatch)
    dialog.search.setText("加入链")
    dialog._search()
    qtbot.waitUntil(lambda: runner.settled and not dialog.searching.pending, timeout=10_000)
    dialog.accept()  # Enter: the search again (refused again), no row of the whole list
    qtbot.waitUntil(lambda: runner.settled and not dialog.searching.pending, timeout=10_000)
    assert dialog.result() != QDialog.Accepted
    # the rows shown are still the whole list's, and say so
    assert dialog.model.rowCount() == 2 and dialog.model.filters.search == ""
    assert dialog.accept_for is None
    assert dialog.notice.text() == "未能查找“加入链”：数据库正忙，请稍后再试（按回车重试）"
    monkeypatch.setattr(roster, "roster_ids", listing)
    dialog.accept()  # the database free again: Enter finds and picks the match
    qtbot.waitUntil(lambda: dialog.result() == QDialog.Accepted, timeout=10_000)
    assert dialog.chosen_name() == "常州加入链有限公司"


def test_a_failed_search_before_the_list_leaves_it_listed(qtbot, database, runner,
                                                          enterprise_factory, session,
                                                          monkeypatch):
    """Typed before the list came, the search failed: the list that arrived meanwhile (held
    back so as not to show over the search) was never shown."""
    two_firms(enterprise_factory, session)
    no_search_index(monkeypatch)
    searches_refused(monkeypatch)
    release = held(runner)
    dialog = EnterprisePickerDialog(database, runner=runner)
    qtbot.addWidget(dialog)
    dialog.search.setText("加入链")
    dialog._search()
    release.set()
    qtbot.waitUntil(lambda: runner.settled and not dialog.searching.pending, timeout=10_000)
    assert dialog.model.rowCount() == 2  # the whole list, for the blank text it belongs to
    assert dialog.searching.shown_for == ""
    assert "未能查找" in dialog.notice.text()


def test_double_click_while_searching_picks_the_row_clicked(qtbot, database, runner,
                                                            enterprise_factory, session,
                                                            monkeypatch):
    """A row double-clicked while a search was read: the dialog waited, then picked the first
    match of the search (another firm)."""
    two_firms(enterprise_factory, session)
    no_search_index(monkeypatch)
    dialog = EnterprisePickerDialog(database, runner=runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.settled and dialog.model.rowCount() == 2, timeout=10_000)
    release = held(runner)
    dialog.search.setText("加入链")
    dialog._search()
    assert dialog.searching.pending
    index = dialog.model.index(0, 0)
    assert index.data() == "常州安达有限公司"  # (not the search's match)
    dialog.table.activated.emit(index)  # double-clicked (as the other views' tests do)
    assert dialog.result() == QDialog.Accepted
    assert dialog.chosen_name() == "常州安达有限公司"
    release.set()
    qtbot.waitUntil(lambda: runner.settled and not dialog.searching.pending, timeout=10_000)
    assert dialog.chosen_name() == "常州安达有限公司"
    assert dialog.model.rowCount() == 2  # the search dropped, not shown over the pick


def test_the_roster_lists_after_a_search_refused_before_its_listing(
        qtbot, database, runner, enterprise_factory, session, monkeypatch):
    """企业库 shares the model: a search refused (the database busy) before the first listing
    arrived left the roster empty, the listing held back as if for the picker."""
    two_firms(enterprise_factory, session)
    release = held(runner)
    model = EnterpriseTableModel(database, runner=runner, load=False)
    model.load_in_background(runner)
    listing = roster.roster_ids

    def refused_here(session, filters, **kwargs):
        if filters.search and threading.current_thread() is threading.main_thread():
            raise TiersError("数据库正忙")
        return listing(session, filters, **kwargs)

    monkeypatch.setattr(roster, "roster_ids", refused_here)
    model.set_search("加入链")
    assert model.ids == [] and model.error
    monkeypatch.setattr(roster, "roster_ids", listing)  # the database free again
    release.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == "常州加入链有限公司"
