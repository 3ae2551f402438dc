"""批量操作 in the client: select firms in 企业库, pick the action (menu or right-click), fill
its form, see the preview, confirm; the write runs off the GUI thread, the status bar says
what changed, and 撤销上次批量操作 takes the whole group back."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tiers.model.orm import CultivationEntry, Enterprise
from ui.bulk_dialogs import BulkPreviewDialog
from ui.main_window import MainWindow
from ui.record_form_dialog import RecordFormDialog


def _entries(database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(CultivationEntry))


def _window(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    return window


def test_bulk_cultivate_with_preview_then_undo(qtbot, database, settings, runner,
                                               enterprise_factory, session, monkeypatch):
    for i in range(3):
        enterprise_factory(f"常州批量界面{i}有限公司")
    session.commit()
    window = _window(qtbot, database, settings, runner)
    window.roster.refresh()
    window.roster.table.selectAll()
    forms, previews = [], []

    def fill(cls, parent, title, fields, values, validate=None):
        forms.append((title, [f.key for f in fields], values))
        return {**values, "target_tier": "zjtx", "target_year": "2027", "officer": "王明"}

    def confirm(cls, parent, draft):
        dialog = BulkPreviewDialog(draft, parent)  # built as the officer would see it
        previews.append((draft.summary(), dialog.table.rowCount(),
                         dialog.table.item(0, 2).text()))
        dialog.deleteLater()
        return True

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(fill))
    monkeypatch.setattr(BulkPreviewDialog, "ask", classmethod(confirm))
    window.bulk_actions["cultivate"].trigger()
    qtbot.waitUntil(lambda: _entries(database) == 3, timeout=10_000)
    assert forms[0][0] == "加入培育库（已选 3 家企业）"
    assert forms[0][1] == ["target_tier", "target_year", "officer"]
    assert previews == [("将为 3 家企业加入培育库。", 3,
                         "加入培育库：省级专精特新中小企业 2027年，包挂责任人 王明")]
    qtbot.waitUntil(lambda: "已修改 3 家企业" in window.statusBar().currentMessage())
    task = window.bulk.undo_last()
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: _entries(database) == 0, timeout=10_000)
    qtbot.waitUntil(lambda: "已撤销批量操作" in window.statusBar().currentMessage())


def test_the_roster_right_click_offers_the_bulk_actions_and_trash_is_undone(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    firms = [enterprise_factory(f"常州右键{i}有限公司").id for i in range(2)]
    session.commit()
    window = _window(qtbot, database, settings, runner)
    window.roster.refresh()
    window.roster.table.selectAll()
    menu = window.roster.row_menu()
    titles = [a.text() for a in menu.actions()]
    assert "批量操作（已选 2 家）" in titles
    submenu = next(a.menu() for a in menu.actions() if a.menu() is not None)
    trash = next(a for a in submenu.actions() if a.text() == "移入回收站(&Y)…")
    monkeypatch.setattr(BulkPreviewDialog, "ask", classmethod(lambda cls, parent, draft: True))
    trash.trigger()  # no form: straight to the preview

    def deleted() -> int:
        with database.session() as s:
            return s.scalar(select(func.count()).select_from(Enterprise)
                            .where(Enterprise.deleted_at.is_not(None), Enterprise.id.in_(firms)))

    qtbot.waitUntil(lambda: deleted() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == 0, timeout=10_000)
    task = window.bulk.undo_last()
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: deleted() == 0, timeout=10_000)


def test_a_bulk_action_without_a_selection_says_what_to_do(qtbot, database, settings, runner,
                                                           messages):
    window = _window(qtbot, database, settings, runner)
    assert window.start_bulk("officer") is None
    assert messages and "请先在企业库中选择企业" in messages[-1][1]


@pytest.mark.server_only
def test_a_bulk_action_says_it_waits_for_a_colleagues_import_then_applies(
        qtbot, database, db_target, settings, runner, enterprise_factory, session,
        monkeypatch):
    """On a server, while a colleague's import into the firms' county is being written,
    the bulk action waits, and the status bar says for whom, then it applies."""
    from tiers.storage import import_locks
    from tiers.storage.database import open_database

    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.02)
    firms = [enterprise_factory(f"常州等候{i}有限公司") for i in range(2)]
    session.commit()
    county = firms[0].county_code
    window = _window(qtbot, database, settings, runner)
    window.roster.refresh()
    window.roster.table.selectAll()
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, validate=None:
        {**values, "target_tier": "zjtx", "target_year": "2027", "officer": "王明"}))
    monkeypatch.setattr(BulkPreviewDialog, "ask", classmethod(lambda cls, parent, draft: True))
    colleague = open_database(db_target)
    try:
        with colleague.session() as other:  # a colleague's import into the county is running
            other.scalar(select(func.pg_advisory_xact_lock(
                import_locks.NAMESPACE, import_locks._key(county))))
            window.bulk_actions["cultivate"].trigger()
            qtbot.waitUntil(lambda: "另一位同事正在" in window.statusBar().currentMessage()
                            and "请稍候" in window.statusBar().currentMessage(),
                            timeout=15_000)
            assert _entries(database) == 0
        # the colleague's transaction has ended: the action goes on
        qtbot.waitUntil(lambda: _entries(database) == 2, timeout=15_000)
        qtbot.waitUntil(lambda: "已修改 2 家企业" in window.statusBar().currentMessage())
    finally:
        colleague.dispose()
