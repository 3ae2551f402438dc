"""What the tests of 企业库 share: the page shown over the firms made (on the runner, or on
its own at a screen's size), the runner held so that a read waits, the list read and shown,
and a read of the listing that fails on the runner (the GUI thread's reads go on)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from tiers.errors import StorageError
from tiers.queries import roster
from ui.roster_view import RosterView


def shown_roster(qtbot, database, settings, runner, listed: int) -> RosterView:
    """The 企业库 page at a dozen rows' height (the table scrolls), its first listing read:
    ``listed`` firms."""
    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.resize(1100, 420)
    view.show()
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.model.rowCount() == listed
    return view


def roster_at(qtbot, database, settings, size: tuple[int, int]) -> RosterView:
    """The 企业库 page on its own at ``size`` (as the main window gives it at a screen's
    size), shown and exposed; it reads in the GUI thread (no runner)."""
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


def hold(runner) -> threading.Event:
    """A job that keeps the runner busy until the event returned is set."""
    release = threading.Event()
    runner.submit("占用", lambda _task: release.wait(10))
    return release


def wait_listed(qtbot, view, runner) -> None:
    """Until the listing read on the runner is shown (or dropped) and every end is in."""
    qtbot.waitUntil(lambda: runner.settled and not view.model.listing_pending,
                    timeout=10_000)


def fail_listing_reads(monkeypatch, when: Callable[[roster.RosterFilter], bool]) -> None:
    """``roster_ids`` on the runner raises a StorageError (数据库暂时无法读取) for the
    filters ``when`` picks; undone with monkeypatch.undo or by setting it back."""
    original = roster.roster_ids

    def failing(session, filters, **kwargs):
        if threading.current_thread() is not threading.main_thread() and when(filters):
            raise StorageError("数据库暂时无法读取")
        return original(session, filters, **kwargs)

    monkeypatch.setattr(roster, "roster_ids", failing)
