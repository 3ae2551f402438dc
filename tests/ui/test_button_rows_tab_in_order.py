"""Tab goes through a row of buttons as the row reads, left to right (a county officer,
#23): the firm window's buttons read 保存并关闭, 导出档案…, 取消, 保存, and Tab went 取消 →
保存 → 保存并关闭 → 导出档案… (Qt's button box left them in the order they were made).
Each dialog with a row of buttons is opened and its rows checked against where the buttons
stand on screen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QPushButton

from tiers.services.bulk import BulkPreview
from ui.ask import ConfirmDialog
from ui.bulk_dialogs import BulkPreviewDialog
from ui.collection_dialog import CollectionDialog
from ui.connect_dialog import ConnectDialog, ConnectFailedDialog
from ui.enterprise_dialog import EnterpriseDialog
from ui.enterprise_dialog.revoke_dialog import RevokeDialog
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.export_dialog import ExportDialog
from ui.import_wizard.wizard import ImportWizard
from ui.link_dialog import LinkDialog
from ui.package_export_dialog import PackageExportDialog
from ui.package_import_dialog import PackageImportDialog
from ui.package_status_dialog import PackageStatusDialog
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import measure_fields
from ui.settings_dialog import SettingsDialog
from ui.template_dialog import TemplateDialog


def button_rows(window) -> list[list[QAbstractButton]]:
    """The window's rows of two or more push buttons shown side by side (the same middle
    line on screen), each left to right."""
    rows: dict[int, list[QAbstractButton]] = {}
    for button in window.findChildren(QPushButton):
        if button.isVisible() and button.focusPolicy() & Qt.TabFocus:
            middle = button.mapTo(window, button.rect().center()).y()
            rows.setdefault(middle, []).append(button)
    return [sorted(row, key=lambda b: b.mapTo(window, b.rect().topLeft()).x())
            for row in rows.values() if len(row) > 1]


def focus_chain(window) -> list:
    """The window's focus chain, from the window round to it again."""
    chain, widget = [], window.nextInFocusChain()
    while widget is not window and len(chain) < 5000:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def _spot(window, widget):
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def as_tabbed(window, row: list[QAbstractButton]) -> list[QAbstractButton]:
    """``row``'s buttons in the order Tab reaches them coming from the rest of the window;
    [] when Tab leaves the row half way: to a field that does not stand between the two
    buttons on the row (a drop-down list between 另有…公示中 and 刷新 does)."""
    reached = [widget for widget in focus_chain(window) if widget in row or (
        widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.TabFocus)]
    outside = next((i for i, widget in enumerate(reached) if widget not in row), 0)
    reached = reached[outside:] + reached[:outside]  # from a widget outside the row
    places = [i for i, widget in enumerate(reached) if widget in row]
    for before, after in zip(places, places[1:], strict=False):
        left, right = _spot(window, reached[before]), _spot(window, reached[after])
        for between in reached[before + 1:after]:
            spot = _spot(window, between)
            if not (left.right() <= spot.center().x() <= right.left()
                    and spot.top() <= left.center().y() <= spot.bottom()):
                return []
    return [reached[i] for i in places]


def out_of_order(window) -> list[tuple[list[str], list[str]]]:
    """The rows whose Tab order is not their order on screen: (as they read, as Tab goes)."""
    found = []
    for row in button_rows(window):
        tabbed = as_tabbed(window, row)
        if tabbed != row:
            found.append(([b.text() for b in row], [b.text() for b in tabbed]))
    return found


@pytest.fixture
def shown(qtbot):
    """Show a window; delete it on this thread after the test (a dialog left to the
    garbage collector was destroyed in a later test, its footer half torn down)."""
    windows = []

    def show(window):
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield show
    for window in windows:
        window.hide()
        with qtbot.waitSignal(window.destroyed):
            window.deleteLater()


class Row:  # an import's plan row, as 指定关联 reads it
    row, name = 7, "常州某某有限公司"


WINDOWS = {
    "企业档案（新建）": lambda db, s, r, firm: EnterpriseDialog(db, s, runner=r),
    "企业档案": lambda db, s, r, firm: EnterpriseDialog(db, s, firm, runner=r),
    "导入名单": lambda db, s, r, firm: ImportWizard(db, s, r),
    "导出报表": lambda db, s, r, firm: ExportDialog(db, s, r, report="roster"),
    "批量操作预览": lambda db, s, r, firm: BulkPreviewDialog(
        BulkPreview(action="cultivate", label="加入培育库", description="2027年"), None),
    "撤销认定": lambda db, s, r, firm: RevokeDialog(
        None, "撤销认定", "撤销这条认定？", tier_code="innovative",
        revoked_on=dt.date(2026, 12, 6), is_pending=False, recognized_on=dt.date(2024, 6, 1)),
    "设置": lambda db, s, r, firm: SettingsDialog(db, s, r),
    "选择企业": lambda db, s, r, firm: EnterprisePickerDialog(db, runner=r),
    "指定关联": lambda db, s, r, firm: LinkDialog(db, Row(), []),
    "导入数据包": lambda db, s, r, firm: PackageImportDialog(db, s, r),
    "连接服务器": lambda db, s, r, firm: ConnectDialog(s, r),
    "扶持措施表单": lambda db, s, r, firm: RecordFormDialog("扶持措施", measure_fields(),
                                                       {"year": 2024}),
    "导出数据包": lambda db, s, r, firm: PackageExportDialog(db, s, r),
    "报送情况": lambda db, s, r, firm: PackageStatusDialog(db, r),
    "按模板导出": lambda db, s, r, firm: TemplateDialog(db, s, r),
    "导出采集表": lambda db, s, r, firm: CollectionDialog(db, s, r, listed=[firm]),
    "未保存的修改": lambda db, s, r, firm: ConfirmDialog.unsaved_box(None, "有未保存的修改。"),
    "无法连接": lambda db, s, r, firm: ConnectFailedDialog.build(None, "连接被拒绝")[0],
}


@pytest.mark.parametrize("name", WINDOWS)
def test_tab_goes_along_each_row_of_buttons_as_it_reads(qtbot, shown, demo_database, settings,
                                                        runner, name):
    with demo_database.session() as session:
        from tiers.queries import roster
        firm = roster.roster_ids(session, roster.RosterFilter())[0]
    window = shown(WINDOWS[name](demo_database, settings, runner, firm))
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)  # (rows read: buttons final)
    assert button_rows(window), "no row of buttons found"  # (the check saw something)
    assert out_of_order(window) == []


def test_the_firm_window_tabs_along_its_buttons(qtbot, shown, demo_database, settings, runner):
    """By the keyboard: from 保存并关闭, Tab reaches 导出档案… and then 取消 (保存 is greyed
    until something is changed)."""
    with demo_database.session() as session:
        from tiers.queries import roster
        firm = roster.roster_ids(session, roster.RosterFilter())[0]
    dialog = shown(EnterpriseDialog(demo_database, settings, firm, runner=runner))
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    save_and_close = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    save_and_close.setFocus()
    visited = [save_and_close]
    for _ in range(2):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert [getattr(w, "text", type(w).__name__) if not callable(getattr(w, "text", None))
            else w.text() for w in visited] == ["保存并关闭", "导出档案…", "取消"]


def test_every_page_of_the_firm_window_and_the_main_window(qtbot, shown, demo_database,
                                                          settings, runner):
    """The record pages' 添加/修改/删除 and the main window's pages, each as it shows."""
    from ui.main_window import MainWindow

    with demo_database.session() as session:
        from tiers.queries import roster
        firm = roster.roster_ids(session, roster.RosterFilter())[0]
    dialog = shown(EnterpriseDialog(demo_database, settings, firm, runner=runner))
    for page in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(page)
        qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
        assert out_of_order(dialog) == [], dialog.tabs.tabText(page)
    window = shown(MainWindow(demo_database, settings, runner))
    for page in range(window.stack.count()):
        window.show_page(page)
        qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
        assert out_of_order(window) == [], page
