"""Picking a rule set (2022 or 2026) or 并列对比 in the firm's 对标预审 tab assesses on the
dialog's runner, as the refresh does, never on the GUI thread; only the latest pick is
shown, and a window closed while a pick is reading drops it."""

from __future__ import annotations

import threading

import pytest

import ui.assessment_view as assessment_view
from tests.ui.test_assess_tab_2026 import issue_firm
from ui.assessment_view import COMPARE
from ui.enterprise_dialog import EnterpriseDialog


@pytest.fixture
def watched(monkeypatch):
    """Where the tab's assessments under a picked rule set run: True on the GUI thread."""
    seen: list[tuple[str, bool]] = []
    gate = threading.Event()
    gate.set()
    for name in ("assess_enterprise", "compare_rule_sets"):
        real = getattr(assessment_view, name)

        def wrapped(*args, _real=real, _name=name, **kwargs):
            seen.append((_name, threading.current_thread() is threading.main_thread()))
            assert gate.wait(10)
            return _real(*args, **kwargs)

        monkeypatch.setattr(assessment_view, name, wrapped)
    return seen, gate


def open_tab(qtbot, database, settings, runner, enterprise_id):
    dialog = EnterpriseDialog(database, settings, enterprise_id, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # the refresh, on the runner
    return dialog, tab


def test_a_rule_set_pick_assesses_off_the_gui_thread(qtbot, database, settings, runner,
                                                      session, enterprise_factory, watched):
    seen, _gate = watched
    _dialog, tab = open_tab(qtbot, database, settings, runner,
                            issue_firm(session, enterprise_factory))
    tab.select_rules("2022暂行办法")
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    assert tab.readiness.text().startswith("待人工核实") and "2022暂行办法" in tab.rule_label.text()
    tab.select_rules(COMPARE)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    assert [item.rule_set for item in tab.shown] == ["2022暂行办法", "2026办法"]
    assert seen == [("assess_enterprise", False), ("compare_rule_sets", False)]


def test_only_the_latest_pick_is_shown(qtbot, database, settings, runner, session,
                                       enterprise_factory, watched):
    seen, gate = watched
    _dialog, tab = open_tab(qtbot, database, settings, runner,
                            issue_firm(session, enterprise_factory))
    gate.clear()  # the first pick waits on the runner while the officer picks again
    tab.select_rules("2022暂行办法")
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10_000)
    tab.select_rules(COMPARE)
    assert tab.verdict.text() == "正在预审……"
    gate.set()
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    assert [item.rule_set for item in tab.shown] == ["2022暂行办法", "2026办法"]
    assert not tab.other_side.isHidden()
    # back to the data's choice: shown at once (read at the refresh), nothing assessed
    tab.select_rules("")
    assert tab.ready and tab.other_side.isHidden() and "新申报" in tab.rule_label.text()
    assert all(not on_gui for _name, on_gui in seen)


def test_a_closed_window_drops_its_pick(qtbot, database, settings, runner, session,
                                        enterprise_factory, watched):
    seen, gate = watched
    dialog, tab = open_tab(qtbot, database, settings, runner,
                           issue_firm(session, enterprise_factory))
    shown = list(tab.shown)
    gate.clear()
    tab.select_rules("2022暂行办法")
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=10_000)
    dialog.reject()  # (Esc) the window closes: the pick's result is not delivered
    assert tab.reading is None
    gate.set()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    qtbot.wait(50)  # (a result would arrive as a queued signal)
    assert tab.verdict.text() == "正在预审……" and tab.shown == [] and shown
