"""恢复 on a server waits while a colleague writes in one of the firms' counties (an import,
a bulk action: the county's lock, tiers.storage.import_locks). It waited with nothing
shown but 正在保存… (review26); now the wait says whose write it waits for, in which
county, with 取消, as an import's does. Cancelled, nothing is restored; once the colleague's
write ends, the firms come back."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QProgressDialog
from sqlalchemy import func, select

from tiers.model.orm import Enterprise
from tiers.services import enterprises
from ui.main_window import MainWindow

pytestmark = pytest.mark.server_only


def _binned(database, code) -> list[int]:
    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": code(i), "name": f"溧阳市等候{i}有限公司",
                                            "county": "溧阳市"}).id for i in (1, 2)]
        for firm in ids:
            enterprises.soft_delete(session, firm, user="liyang02")
    return ids


def _in_bin(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(Enterprise.id)).where(
            Enterprise.deleted_at.is_not(None)))


def _wait_window() -> QProgressDialog | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QProgressDialog) and w.isVisible()), None)


@pytest.fixture
def bin_shown(qtbot, database, settings, runner, code, monkeypatch):
    from tiers.storage import import_locks

    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.02)
    ids = _binned(database, code)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    view = window.roster
    view.trash.setChecked(True)
    qtbot.waitUntil(lambda: runner.settled and not view.model.listing_pending
                    and view.model.rowCount() == 2, timeout=10_000)
    view.table.selectAll()
    with database.session() as session:
        county = session.scalar(select(Enterprise.county_code).where(Enterprise.id == ids[0]))
    return window, view, county


def _colleague_holds(db_target, county):
    """A colleague's write into the county: its lock held until the session ends."""
    from tiers.storage import import_locks
    from tiers.storage.database import open_database

    colleague = open_database(db_target)
    session = colleague.engine.connect()
    transaction = session.begin()
    session.scalar(select(func.pg_advisory_xact_lock(import_locks.NAMESPACE,
                                                     import_locks._key(county))))
    session.ended = transaction
    return colleague, session


def test_restore_says_it_waits_and_can_be_cancelled(qtbot, database, db_target, runner,
                                                    bin_shown):
    window, view, county = bin_shown
    colleague, session = _colleague_holds(db_target, county)
    try:
        view.restore_button.click()
        qtbot.waitUntil(lambda: _wait_window() is not None, timeout=15_000)
        wait = _wait_window()
        assert wait.labelText().startswith("另一位同事正在") and "溧阳市" in wait.labelText()
        assert wait.labelText().endswith("请稍候")
        assert view.count_label.text() == wait.labelText()
        cancel = wait.findChild(type(view.restore_button))
        assert cancel.text() == "取消" and cancel.isVisible()
        with qtbot.waitSignal(view.save_finished, timeout=15_000) as finished:
            cancel.click()
        assert finished.args == [False]
        qtbot.waitUntil(lambda: _wait_window() is None)
        assert "已取消恢复" in window.statusBar().currentMessage()
        assert "请稍候" not in view.count_label.text()
        assert _in_bin(database) == 2
    finally:
        session.ended.rollback()
        session.close()
        colleague.dispose()


def test_restore_waits_then_restores(qtbot, database, db_target, runner, bin_shown):
    window, view, county = bin_shown
    colleague, session = _colleague_holds(db_target, county)
    try:
        view.restore_button.click()
        qtbot.waitUntil(lambda: _wait_window() is not None, timeout=15_000)
        assert _in_bin(database) == 2
    finally:
        session.ended.rollback()  # the colleague's write ends
        session.close()
        colleague.dispose()
    qtbot.waitUntil(lambda: _in_bin(database) == 0, timeout=15_000)
    qtbot.waitUntil(lambda: _wait_window() is None and runner.settled, timeout=15_000)
    assert window.statusBar().currentMessage().startswith("已从回收站恢复 2 家企业：")
