"""ui.operations: a job in its own session off the GUI thread; a refusal shown as the
service's message, a bug logged with its traceback, what changed announced on success."""

from __future__ import annotations

import logging

from tiers.errors import Refused
from tiers.services import enterprises
from ui.operations import Changes, in_session, run_operation


def test_a_write_announces_what_it_changed(qtbot, database, runner, code):
    announced = []
    runner.changed.connect(announced.append)
    results = []
    task = run_operation(None, runner, "新建", in_session(database, lambda s: enterprises.create(
        s, {"credit_code": code(1), "name": "常州甲有限公司"}).id),
        on_success=results.append, changes=Changes(enterprises=True))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert results and announced == [Changes(enterprises=True)]
    assert announced[0].touched() == {"enterprises"}


def test_a_refusal_is_shown_and_changes_nothing(qtbot, database, runner, messages, caplog):
    announced = []
    runner.changed.connect(announced.append)

    def refuse(_session):
        raise Refused("这个文件不是名单")

    with caplog.at_level(logging.INFO):
        task = run_operation(None, runner, "导入", in_session(database, refuse),
                             changes=Changes.everything())
        with qtbot.waitSignal(task.finished, timeout=10_000):
            pass
    assert messages == [("error", "这个文件不是名单")] and announced == []
    assert "Traceback" not in caplog.text


def test_a_bug_is_logged_and_called_unexpected(qtbot, database, runner, caplog):
    failures = []

    def broken(_session):
        raise RuntimeError("坏了")

    with caplog.at_level(logging.INFO):
        task = run_operation(None, runner, "统计", in_session(database, broken),
                             on_failure=failures.append)
        with qtbot.waitSignal(task.finished, timeout=10_000):
            pass
    assert failures and "意外错误" in failures[0] and "坏了" in failures[0]
    assert "Traceback" in caplog.text
