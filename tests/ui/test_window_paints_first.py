"""The client's start: the window paints before the roster's query, which runs on the
background runner; a filter typed before it arrives gets its own answer, not the stale
first listing. With TIERS_STARTUP_TRACE the client reports its first paint and when the
roster is usable (benchmarks/run_all.py), then quits."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QApplication

from tiers.queries import roster
from ui import startup_trace
from ui.main_window import MainWindow


def test_the_roster_is_listed_on_the_runner(qtbot, demo_database, settings, runner,
                                           monkeypatch):
    threads = []
    listing = roster.roster_ids

    def watched(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return listing(*args, **kwargs)

    monkeypatch.setattr(roster, "roster_ids", watched)
    window = MainWindow(demo_database, settings, runner, roster_later=True)
    qtbot.addWidget(window)
    window.show()
    model = window.roster.model
    assert model.rowCount() == 0 and threads == []
    assert window.roster.count_label.text() == "正在载入……"
    qtbot.waitUntil(lambda: model.rowCount() == 120, timeout=10_000)
    assert threads == [False]  # the query ran once, off the GUI thread
    assert "共 120 家" in window.roster.count_label.text()
    window.close()


def test_a_search_before_the_listing_is_not_overwritten(qtbot, demo_database, settings,
                                                        runner):
    release = threading.Event()
    runner.submit("held", lambda _task: release.wait(10))  # the runner busy elsewhere
    window = MainWindow(demo_database, settings, runner, roster_later=True)
    qtbot.addWidget(window)
    window.show()
    window.roster.search.setText("液压")
    window.roster.apply_filters()  # answered by its own query at once
    found = list(window.roster.model.ids)
    assert 0 < len(found) < 120
    release.set()
    qtbot.waitUntil(lambda: window.roster.model._warming is None, timeout=10_000)
    assert window.roster.model.ids == found
    window.close()


def test_the_start_is_traced_when_asked(qtbot, demo_database, settings, runner, monkeypatch,
                                        capfd):
    monkeypatch.setenv(startup_trace.ENVIRONMENT, "1")
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda *_args: quits.append(True))
    window = MainWindow(demo_database, settings, runner, roster_later=True)
    qtbot.addWidget(window)
    trace = startup_trace.install(window)
    window.show()
    qtbot.waitUntil(lambda: quits == [True], timeout=10_000)
    lines = capfd.readouterr().err.split("\n")
    painted = [float(line.split()[1]) for line in lines if line.startswith("first_paint ")]
    usable = [float(line.split()[1]) for line in lines if line.startswith("usable ")]
    assert len(painted) == len(usable) == 1 and painted[0] <= usable[0]
    assert window.roster.model.rowCount() == 120
    assert trace is not None
    window.close()


def test_no_trace_without_the_variable(qtbot, demo_database, settings, runner, monkeypatch):
    monkeypatch.delenv(startup_trace.ENVIRONMENT, raising=False)
    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    assert startup_trace.install(window) is None
    assert window.roster.model.rowCount() == 120  # listed at once without roster_later
