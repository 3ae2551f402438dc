"""A firm window closed while its 对标预审 page is being read: the read still queued is not
run, and one already running is not delivered to the closed window (as the picker's
done() drops its search)."""

from __future__ import annotations

import threading

import ui.assessment_view as assessment_view
from tests.ui.test_assess_tab_2026 import issue_firm
from ui.enterprise_dialog import EnterpriseDialog


def _open(qtbot, database, settings, runner, enterprise_id):
    dialog = EnterpriseDialog(database, settings, enterprise_id, runner=runner)
    qtbot.addWidget(dialog)
    shown: list[object] = []
    dialog.assessment_tab.assessed.connect(lambda: shown.append(True))
    dialog.tabs.setCurrentWidget(dialog.assessment_tab)  # the read starts
    return dialog, shown


def test_a_read_running_when_the_window_closes_is_not_delivered(
        qtbot, database, settings, runner, session, enterprise_factory, monkeypatch):
    enterprise_id = issue_firm(session, enterprise_factory)
    started, release = threading.Event(), threading.Event()
    real = assessment_view.assess_enterprise_all

    def held(*args, **kwargs):
        started.set()
        assert release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(assessment_view, "assess_enterprise_all", held)
    dialog, shown = _open(qtbot, database, settings, runner, enterprise_id)
    task = dialog.assessment_tab.reading
    assert task is not None
    qtbot.waitUntil(started.is_set, timeout=10_000)
    dialog.done(0)
    release.set()
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    qtbot.wait(50)
    assert shown == [], "the closed window's 对标预审 was filled in"


def test_a_read_queued_when_the_window_closes_is_not_run(
        qtbot, database, settings, runner, session, enterprise_factory, monkeypatch):
    enterprise_id = issue_firm(session, enterprise_factory)
    ran: list[int] = []
    monkeypatch.setattr(assessment_view, "assess_enterprise_all",
                        lambda *a, **k: ran.append(1) or [])
    dialog, shown = _open(qtbot, database, settings, runner, enterprise_id)
    task = dialog.assessment_tab.reading
    dialog.done(0)  # before the runner's next turn starts it
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert task.was_cancelled and ran == [] and shown == []
