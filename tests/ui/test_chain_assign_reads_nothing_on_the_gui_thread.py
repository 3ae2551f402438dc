"""产业链 → 加入企业 asks the database nothing on the GUI thread: the form's title named the
firm by reading it again (roster_rows in a session on the GUI thread, a stall on a busy or
distant database); the picker knows the firm it picked and gives its name with its id."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QDialog
from sqlalchemy import event

from tiers.queries.chains import chain_members
from ui.chains_view import ChainsView
from ui.enterprise_picker_dialog import EnterprisePickerDialog, PickedFirm
from ui.record_form_dialog import RecordFormDialog


def _assign_counting_gui_reads(qtbot, database, settings, runner, monkeypatch, pick, *,
                               wait_for_list: bool = True):
    """产业链 → 加入企业 through the REAL picker (its exec answered by ``pick`` once the
    list and the search index have loaded on the runner, or at once): the statements the GUI
    thread ran over the whole call, the form titles asked, and whether the write succeeded."""
    view = ChainsView(database, settings, runner=runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.select_chain("C14")
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)

    def exec_(dialog):  # the officer waits for the list, then picks
        if wait_for_list:
            qtbot.waitUntil(lambda: bool(dialog.model.ids)
                            and dialog.model._search_index is not None, timeout=10_000)
        pick(dialog, painting)
        return dialog.result()

    monkeypatch.setattr(EnterprisePickerDialog, "exec", exec_)
    # the rows a list paints are built as they are painted, on the GUI thread, a block of 64
    # at a time (the roster's design, not this action's): not counted while ``pick`` paints
    painting: list[bool] = []
    titles = []

    def answer(cls, parent, title, fields, values, *args):
        titles.append(title)
        return {**values, "role": "配套企业", "note": ""}

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(answer))
    seen: list[str] = []

    def note(_connection, _cursor, statement, *_args) -> None:
        if threading.current_thread() is threading.main_thread() and not painting:
            seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
            view.assign()
        # the listing, the search index, the pick, the name, the form and the write: none
        # of them read on the GUI thread (the page's own re-reading after it is on the runner)
        assert seen == [], seen
    finally:
        event.remove(database.engine, "before_cursor_execute", note)
    return titles, finished.args


def _joined(database, titles, args) -> None:
    """The form was titled with the firm picked, the write succeeded, and only that firm is
    on the chain."""
    assert titles == ["产业链角色 — 常州加入链有限公司"]
    assert args == [True]
    with database.session() as check:
        assert [m["name"] for m in chain_members(check, "C14")] == ["常州加入链有限公司"]


def test_assign_reads_nothing_on_the_gui_thread(qtbot, database, settings, runner,
                                                enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州加入链有限公司")
    enterprise_factory("常州另一家有限公司")
    session.commit()

    def pick(dialog, painting):  # the row painted and clicked in the list, then 确定
        row = dialog.model.row_of(firm.id)
        painting.append(True)
        dialog.model.prefetch([row])  # (as painting the list builds it)
        painting.clear()
        dialog.table.selectRow(row)
        dialog.accept()

    titles, args = _assign_counting_gui_reads(qtbot, database, settings, runner,
                                              monkeypatch, pick)
    _joined(database, titles, args)


def test_typed_then_enter_reads_the_name_on_the_runner(qtbot, database, settings, runner,
                                                       enterprise_factory, session,
                                                       monkeypatch):
    """Typed, then Enter before the search ran: the row was never painted, so the picker
    does not know the name it would show; it is read on the runner, not the GUI thread."""
    enterprise_factory("常州加入链有限公司")
    enterprise_factory("常州另一家有限公司")
    session.commit()

    def pick(dialog, _painting):
        dialog.search.setText("加入链")
        dialog.accept()  # Enter in the search box

    titles, args = _assign_counting_gui_reads(qtbot, database, settings, runner,
                                              monkeypatch, pick)
    _joined(database, titles, args)


def test_typed_before_the_list_is_in_searches_on_the_runner(qtbot, database, settings, runner,
                                                             enterprise_factory, session,
                                                             monkeypatch):
    """The officer types and presses Enter in the first half-second, before the picker's
    list (all firms, sorted) and its search index have arrived: the search went to SQL on
    the GUI thread. It is read on the runner, behind the list, and Enter waits for it: the
    firm picked is the match, not the first row of the whole list arriving meanwhile."""
    enterprise_factory("常州安达有限公司")  # first in the whole list (by pinyin)
    enterprise_factory("常州加入链有限公司")
    session.commit()

    def pick(dialog, _painting):
        assert not dialog.model.ids  # nothing listed yet
        dialog.search.setText("加入链")
        dialog.accept()  # Enter in the search box
        assert dialog.result() != QDialog.Accepted  # waiting for the matches
        qtbot.waitUntil(lambda: dialog.result() == QDialog.Accepted, timeout=10_000)

    titles, args = _assign_counting_gui_reads(qtbot, database, settings, runner,
                                              monkeypatch, pick, wait_for_list=False)
    _joined(database, titles, args)


def test_only_the_latest_search_is_shown(qtbot, database, runner, enterprise_factory,
                                         session, monkeypatch):
    """Typed on while the first searches wait behind the list: each later one supersedes
    the earlier (not run), and once the list and the index are in, searches are answered
    in memory."""
    from tiers.queries import roster

    enterprise_factory("常州加入链有限公司")
    enterprise_factory("常州另一家有限公司")
    session.commit()
    searched = []
    listing = roster.roster_ids

    def watched(session, filters, **kwargs):
        if filters.search:
            searched.append(filters.search)
        return listing(session, filters, **kwargs)

    monkeypatch.setattr(roster, "roster_ids", watched)
    dialog = EnterprisePickerDialog(database, runner=runner)
    qtbot.addWidget(dialog)
    for text in ("常州", "常州另", "常州加入"):
        dialog.search.setText(text)
        dialog._search()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.model.rowCount() == 1 and dialog.chosen_name() == "常州加入链有限公司"
    assert searched == ["常州加入"]
    dialog.search.setText("另一家")
    dialog._search()  # in memory now: at once
    assert not dialog.searching.pending and dialog.model.rowCount() == 1
    assert searched == ["常州加入"]
    dialog.search.setText("")
    dialog._search()
    assert dialog.model.rowCount() == 2


def test_the_picker_gives_the_name_it_showed(qtbot, database, enterprise_factory, session):
    firm = enterprise_factory("常州选中企业有限公司")
    enterprise_factory("常州另一家有限公司")
    session.commit()
    dialog = EnterprisePickerDialog(database)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(dialog.model.row_of(firm.id))
    assert dialog.picked() == PickedFirm(firm.id, "常州选中企业有限公司")
