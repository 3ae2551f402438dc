"""The firm's 对标预审 tab decides the figures year once per refresh, on the dialog's runner:
picking a rule set or 并列对比 reuses it rather than counting every firm's figures again on
the GUI thread (the count takes 150–220 ms on a city of 100,000 firms)."""

from __future__ import annotations

import threading

from sqlalchemy import event

from tests.ui.test_assess_tab_2026 import issue_firm
from ui.assessment_view import COMPARE


def test_the_year_is_counted_once_per_refresh(
        qtbot, firm_window, database, settings, runner, session, enterprise_factory):
    enterprise_id = issue_firm(session, enterprise_factory)
    counts: list[str] = []
    threads: set[bool] = set()

    def seen(_conn, _cursor, statement, *_args):
        if "GROUP BY" in statement and "annual_figures" in statement:
            counts.append(statement)
            threads.add(threading.current_thread() is threading.main_thread())

    event.listen(database.engine, "before_cursor_execute", seen)
    try:
        dialog = firm_window(enterprise_id)
        tab = dialog.assessment_tab
        dialog.tabs.setCurrentWidget(tab)
        qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
        assert tab.tier.currentData() == "little_giant"
        assert len(counts) == 1, counts  # the refresh
        assert threads == {False}  # read on the dialog's runner, not the GUI thread
        for name in ("2022暂行办法", COMPARE, ""):
            tab.select_rules(name)
            qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # (read on the runner)
        assert len(counts) == 1, counts  # the picks: the year decided at the refresh
        assert "（上年度）" in tab.rule_label.text()
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
