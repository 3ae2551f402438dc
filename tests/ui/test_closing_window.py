"""Closing the window while a write's result is still on its way: the refresh that result
asks for must not start new background work on the stopped runner (it raised
"后台任务已停止" into the event loop, a traceback on the officer's console)."""

from __future__ import annotations

from ui.main_window import MainWindow
from ui.operations import Changes


def test_a_write_reported_after_the_window_closed_starts_nothing(qtbot, database, settings,
                                                                runner, enterprise_factory,
                                                                session):
    enterprise_factory("常州关窗测试有限公司")
    session.commit()
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    window.roster.refresh()
    window.close()
    assert runner.closed
    # a write's "changed", queued before the close and delivered after it
    runner.changed.emit(Changes())
    window.data_changed(None)
    window.roster.refresh()
