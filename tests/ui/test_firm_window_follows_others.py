"""An open 企业档案 follows what others save to its firm (tester27's finding 4): officer A's
window kept showing 0519-88880001 after B saved 0519-77770002, 保存 greyed, for as long as it
stayed open. When the main window refreshes for another's commit, an open firm window
without edits shows what is stored and says who changed it; one with edits keeps them,
says the firm was changed meanwhile, and its save merges. The reads run on the runner."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication

from tiers.queries import history
from tiers.services import enterprises
from ui import server_changes
from ui.main_window import MainWindow
from ui.server_changes import ServerChanges

ANOTHER_OFFICER = "0123456789abcdef"  # a sender the listener would report


@pytest.fixture
def window(qtbot, database, settings, runner, monkeypatch):
    monkeypatch.setattr(server_changes, "QUIET_MS", 50)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    watcher = ServerChanges.attach(window)
    yield window
    watcher.stop()


@pytest.fixture
def firm(database, code) -> int:
    with database.session() as session:
        return enterprises.create(session, {
            "credit_code": code(1), "name": "常州邦凯纺织集团有限公司", "county": "武进区",
            "contact_phone": "0519-88880001"}).id


def _colleague_saves(database, firm: int, values: dict) -> None:
    with database.session() as session:
        enterprises.update(session, firm, values, user="wujin02")


def _heard(qtbot, window, runner) -> None:
    with qtbot.waitSignal(window.server_changes.refreshed, timeout=5_000):
        window.server_changes.heard.emit(ANOTHER_OFFICER)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    qtbot.wait(20)


def test_a_window_without_edits_shows_the_colleagues_save(qtbot, window, runner, database, firm,
                                                           monkeypatch):
    dialog = window.open_enterprise(firm)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.basic_values()["contact_phone"] == "0519-88880001"
    _colleague_saves(database, firm, {"contact_phone": "0519-77770002"})
    read_on = []
    original = history.changed_by_since
    monkeypatch.setattr(history, "changed_by_since", lambda *a, **k: read_on.append(
        threading.current_thread() is threading.main_thread()) or original(*a, **k))
    _heard(qtbot, window, runner)
    assert dialog.basic_values()["contact_phone"] == "0519-77770002"
    assert read_on == [False]  # read on the runner, not the GUI thread
    assert dialog.others_note.isVisible()
    assert dialog.others_note.text() == "wujin02 刚修改了这家企业，窗口已显示最新内容。"
    assert not dialog.has_unsaved_changes()
    # nothing new: the next refresh reads the version only, and changes nothing
    _heard(qtbot, window, runner)
    assert read_on == [False]


def test_a_window_with_edits_keeps_them_says_so_and_merges(qtbot, window, runner, database,
                                                           firm, save_and_wait):
    dialog = window.open_enterprise(firm)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    dialog.set_field("notes", "A 的备注")
    _colleague_saves(database, firm, {"contact_phone": "0519-77770002"})
    _heard(qtbot, window, runner)
    assert dialog.basic_values()["notes"] == "A 的备注"  # the officer's edit stays
    assert dialog.basic_values()["contact_phone"] == "0519-88880001"
    assert dialog.others_note.isVisible()
    assert dialog.others_note.text().startswith("wujin02 刚修改了这家企业；窗口中仍是您打开时读到的内容和您的修改")
    assert save_and_wait(dialog) is True
    assert not dialog.others_note.isVisible()
    assert dialog.basic_values()["contact_phone"] == "0519-77770002"  # merged
    with database.session() as session:
        stored = enterprises.get(session, firm)
        assert (stored.contact_phone, stored.notes) == ("0519-77770002", "A 的备注")


def test_who_is_named_for_a_firm_with_no_change_log_before(qtbot, window, runner, database,
                                                           firm):
    """A firm with no 变更记录 when the window read it (the demo's, an old import's): the
    colleague is still named, not 另一位用户."""
    from sqlalchemy import delete

    from tiers.model.orm import Change

    with database.session() as session:
        session.execute(delete(Change).where(Change.enterprise_id == firm))
    dialog = window.open_enterprise(firm)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert dialog.base.last_change is None
    _colleague_saves(database, firm, {"contact_phone": "0519-77770002"})
    _heard(qtbot, window, runner)
    assert dialog.others_note.text() == "wujin02 刚修改了这家企业，窗口已显示最新内容。"


def _modal_meanwhile(qtbot, parent, during) -> None:
    """A real modal dialog over ``parent`` (as the form's exec() is), with ``during`` run
    while it is open; closed (accepted) after it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog

    dialog = QDialog(parent)
    dialog.setModal(True)

    def meanwhile():
        assert QApplication.activeModalWidget() is dialog
        during()
        dialog.accept()

    QTimer.singleShot(0, meanwhile)
    dialog.exec()
    dialog.deleteLater()


def test_an_edit_typed_while_a_colleague_saves_is_kept(qtbot, window, runner, database, firm,
                                                        save_and_wait, monkeypatch):
    """review27b #3: the officer edits a 扶持措施 in its form; a colleague's save is heard
    while the form is open. The window reloaded its tabs then, and the form's answer went
    into a row no longer shown: the edit was gone, 保存 grey. Now the follow waits until
    the form is closed, the edit is kept and the save merges both."""
    from tiers.queries import profiles
    from tiers.services import measures
    from ui.record_form_dialog import RecordFormDialog

    with database.session() as session:
        measures.add(session, firm, {"kind": "资金奖励", "name": "首台套", "amount": "10",
                                     "year": 2024})
    dialog = window.open_enterprise(firm)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)

    def colleague_saves_meanwhile():
        _colleague_saves(database, firm, {"contact_phone": "0519-77770002"})
        _heard(qtbot, window, runner)
        qtbot.wait(50)

    def form(cls, parent, *args, **kwargs):
        _modal_meanwhile(qtbot, parent, colleague_saves_meanwhile)
        return {"kind": "资金奖励", "name": "首台套", "amount": "12", "year": "2024"}

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(form))
    dialog.measure_tab.select_row(0)
    dialog.measure_tab.edit_selected()
    assert dialog.has_unsaved_changes()
    qtbot.waitUntil(lambda: dialog.others_note.isVisible(), timeout=10_000)
    assert dialog.others_note.text().startswith("wujin02 刚修改了这家企业；窗口中仍是")
    assert save_and_wait(dialog) is True
    with database.session() as session:
        stored = profiles.profile(session, firm)
    assert [float(m["amount"]) for m in stored["support_measures"]] == [12.0]
    assert stored["contact_phone"] == "0519-77770002"


def test_a_revoke_reason_typed_while_a_colleague_saves_is_kept(
        qtbot, window, runner, database, firm, save_and_wait, monkeypatch):
    """The same for 撤销认定: the reason typed while a colleague's save is heard is not
    written into a row the window no longer shows."""
    from tiers.model.orm import Recognition
    from tiers.services import recognitions
    from ui.enterprise_dialog.revoke_dialog import RevokeDialog

    with database.session() as session:
        title = recognitions.add(session, firm, {"tier_code": "little_giant",
                                                 "batch_label": "第五批",
                                                 "batch_year": 2023}).id
    dialog = window.open_enterprise(firm)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)

    def colleague_saves_meanwhile():
        _colleague_saves(database, firm, {"contact_phone": "0519-77770002"})
        _heard(qtbot, window, runner)
        qtbot.wait(50)

    def ask(cls, parent, *args, **kwargs):
        _modal_meanwhile(qtbot, parent, colleague_saves_meanwhile)
        return "企业迁出本市"

    monkeypatch.setattr(RevokeDialog, "ask", classmethod(ask))
    dialog.recognition_tab.select_row(0)
    dialog.revoke_selected()
    assert dialog.has_unsaved_changes()
    qtbot.waitUntil(lambda: dialog.others_note.isVisible(), timeout=10_000)
    assert save_and_wait(dialog) is True
    with database.session() as session:
        stored = session.get(Recognition, title)
        assert stored.revoked_on is not None and stored.revoke_reason == "企业迁出本市"
