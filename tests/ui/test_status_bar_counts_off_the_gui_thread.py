"""The status bar's totals (企业、有效认定、180天内到期、回收站) are counted on the runner: on
the GUI thread they took 110–155 ms at 100k firms, at start and after every write. Only the
latest recount is shown; the old text stays until the new one arrives."""

from __future__ import annotations

import threading

from tests.conftest import make_code
from tiers.queries import dashboard
from tiers.services import enterprises
from ui.main_window import MainWindow
from ui.operations import Changes


def test_start_and_writes_count_on_the_runner(qtbot, demo_database, settings, runner,
                                              monkeypatch, gui_statements):
    seen, counting = gui_statements
    counting[0] = True
    try:
        window = MainWindow(demo_database, settings, runner, roster_later=True)
        qtbot.addWidget(window)
        assert window.count_label.text() == ""  # nothing yet, nothing waited for
        qtbot.waitUntil(lambda: "企业 120 家" in window.count_label.text(), timeout=10_000)
        qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
        assert seen == [], seen
    finally:
        counting[0] = False
    with demo_database.session() as session:  # a write elsewhere (another window's)
        enterprises.create(session, {"credit_code": make_code(9001), "name": "常州新增有限公司",
                                     "county": "武进区"})
        session.commit()
    threads = []
    overview = dashboard.overview

    def watched(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return overview(*args, **kwargs)

    monkeypatch.setattr(dashboard, "overview", watched)
    # (the page in view re-reads its list: the roster's own reload, not counted here)
    window.data_changed(Changes(enterprises=True))
    assert "企业 120 家" in window.count_label.text()  # the old counts until the new arrive
    qtbot.waitUntil(lambda: "企业 121 家" in window.count_label.text(), timeout=10_000)
    assert threads == [False]
    window.close()


def test_only_the_latest_recount_is_shown(qtbot, demo_database, settings, runner,
                                          monkeypatch):
    """Two writes in a row: the first recount, still queued behind a busy runner, is not
    run; a recount's result that arrives after a later one began is dropped."""
    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.counting is None and window.overview is not None,
                    timeout=10_000)
    release = threading.Event()
    runner.submit("held", lambda _task: release.wait(10))  # the runner busy elsewhere
    counted = []
    overview = dashboard.overview

    def watched(session, *args, **kwargs):
        counted.append(True)
        return {**overview(session, *args, **kwargs), "enterprises": 7 * len(counted)}

    monkeypatch.setattr(dashboard, "overview", watched)
    first = window.recount()
    second = window.recount()
    release.set()
    qtbot.waitUntil(lambda: first.done.is_set() and second.done.is_set(), timeout=10_000)
    qtbot.waitUntil(lambda: window.counting is None, timeout=10_000)
    assert counted == [True] and first.was_cancelled
    assert "企业 7 家" in window.count_label.text()
    # one running when another begins: its result is not shown, the later one's is
    started, go = threading.Event(), threading.Event()

    def slow(session, *args, **kwargs):
        started.set()
        go.wait(10)
        return {**overview(session, *args, **kwargs), "enterprises": 1}

    monkeypatch.setattr(dashboard, "overview", slow)
    window.recount()
    qtbot.waitUntil(started.is_set, timeout=10_000)
    monkeypatch.setattr(dashboard, "overview", watched)
    window.recount()
    go.set()
    qtbot.waitUntil(lambda: window.counting is None, timeout=10_000)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert "企业 14 家" in window.count_label.text(), window.count_label.text()
    window.close()


def test_another_database_shows_none_of_the_old_counts(qtbot, database, settings, runner,
                                                       new_target):
    """From an empty database (its first steps shown) to one of 120 firms while the runner
    is busy: the old database's 企业 0 家 and its first steps stayed until the recount came."""
    from tiers.services import demo
    from tiers.storage.database import open_database

    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.counting is None and window.overview is not None,
                    timeout=10_000)
    assert window.content.currentWidget() is window.first_steps
    assert "企业 0 家" in window.count_label.text()
    other = open_database(new_target("other.sqlite3"))
    with other.session() as session:
        for _ in demo.generate(session, enterprises=120):
            pass
    release = threading.Event()
    runner.submit("held", lambda _task: release.wait(10))  # the runner busy elsewhere
    window.switch_database(other)
    assert window.content.currentWidget() is window.stack  # not the old one's first steps
    assert window.count_label.text() == "正在统计……"
    release.set()
    qtbot.waitUntil(lambda: "企业 120 家" in window.count_label.text(), timeout=10_000)
    assert window.content.currentWidget() is window.stack
    window.close()
