"""Every window that gives itself a first size keeps within the screen it opens on (a
county officer, #23): the import wizard's fixed 1100 × 700 and 打印预览's 1000 × 720 were
made for a 1366 × 768 laptop; at 1920 × 1080 with 150 % scaling (1280 × 720 logical, less
the task bar) the wizard's 上一步/下一步/导入/关闭 and the preview's lower part went under the
task bar. Each takes the size it was made for where the screen has room, less where not
(never below what its layout needs); the firm window, the main window and 导入数据包 have
their own tests (a share of the screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QWidget

from tiers.services.bulk import BulkPreview
from ui.batch_firms_dialog import BatchFirmsDialog
from ui.bulk_dialogs import BulkPreviewDialog
from ui.conflict_dialog import ConflictDialog
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.help_dialog import HelpDialog
from ui.import_wizard.wizard import ImportWizard
from ui.link_dialog import LinkDialog
from ui.package_export_dialog import PackageExportDialog
from ui.print_preview import PdfPrintPreview
from ui.screen_fit import FRAME
from ui.template_dialog import TemplateDialog


class Screen:
    def __init__(self, width: int, height: int) -> None:
        self.room = QRect(0, 0, width, height)

    def availableGeometry(self):  # noqa: N802 - Qt's name
        return self.room


def a_pdf(path) -> str:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    painter.drawText(200, 200, "第 1 页")
    painter.end()
    return str(path)


KEPT: list = []  # what must outlive a window's factory (no cycle through a Qt object: a
# cycle collected on the runner's thread would destroy its widgets there)


@pytest.fixture(autouse=True)
def _kept():
    yield
    KEPT.clear()


def a_preview(tmp_path) -> QWidget:
    """打印预览 over a one-page PDF, opened from a window as 导出报表 opens it."""
    host = QWidget()
    preview = PdfPrintPreview(a_pdf(tmp_path / "报表.pdf"), host)
    KEPT.append((host, preview))
    return preview.dialog


class Row:  # an import's plan row, as 指定关联 reads it
    row, name = 7, "常州某某有限公司"


# each window as it is opened, and the size it was made for (kept where there is room)
WINDOWS = {
    "导入名单": (lambda db, s, r, tmp: ImportWizard(db, s, r), QSize(1100, 700)),
    "打印预览": (lambda db, s, r, tmp: a_preview(tmp), QSize(1000, 720)),
    "使用说明": (lambda db, s, r, tmp: HelpDialog(), QSize(860, 680)),
    "批量操作预览": (lambda db, s, r, tmp: BulkPreviewDialog(
        BulkPreview(action="cultivate", label="加入培育库", description="2027年"), None),
        QSize(900, 520)),
    # (its crash here was the picker left to the cycle collector: test_picker_is_freed_when_let_go)
    "选择企业": (lambda db, s, r, tmp: EnterprisePickerDialog(db, runner=r), QSize(860, 480)),
    "指定关联": (lambda db, s, r, tmp: LinkDialog(db, Row(), []), QSize(640, 400)),
    "导出数据包": (lambda db, s, r, tmp: PackageExportDialog(db, s, r), QSize(560, 420)),
    # (报送情况 takes a share of the screen: test_package_status_uses_the_screen)
    "按模板导出": (lambda db, s, r, tmp: TemplateDialog(db, s, r), QSize(720, 560)),
    "导入批次的企业": (lambda db, s, r, tmp: BatchFirmsDialog(
        db, s, r, {"id": 1, "file_name": "名单.xlsx"}), QSize(860, 520)),
    "保存冲突": (lambda db, s, r, tmp: ConflictDialog([], firm="常州甲有限公司"), QSize(1000, 320)),
}


def _opened(qtbot, monkeypatch, name, screen, database, settings, runner, tmp_path):
    monkeypatch.setattr(QWidget, "screen", lambda self: Screen(*screen))
    make, wanted = WINDOWS[name]
    window = make(database, settings, runner, tmp_path)
    qtbot.addWidget(window)
    return window, wanted


@pytest.mark.parametrize("screen", [(1280, 680), (1024, 560)])
@pytest.mark.parametrize("name", WINDOWS)
def test_a_small_screen_has_each_window_within_it(qtbot, monkeypatch, demo_database,
                                                  settings, runner, tmp_path, name, screen):
    """1920 × 1080 at 150 % with a 40 px task bar (1280 × 680 available), and a 1024 × 600
    netbook with its task bar."""
    window, wanted = _opened(qtbot, monkeypatch, name, screen, demo_database, settings,
                             runner, tmp_path)
    room = QSize(*screen) - FRAME
    assert window.width() <= room.width() and window.height() <= room.height(), \
        (name, window.size())
    assert window.size() == wanted.boundedTo(room)  # as large as fits: no smaller
    window.show()
    qtbot.waitExposed(window)
    assert window.width() <= room.width() and window.height() <= room.height(), \
        (name, window.size())  # the size given is the size taken
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)  # (its reads done)


@pytest.mark.parametrize("name", WINDOWS)
def test_a_large_screen_keeps_the_size_each_was_made_for(qtbot, monkeypatch, demo_database,
                                                         settings, runner, tmp_path, name):
    window, wanted = _opened(qtbot, monkeypatch, name, (1920, 1040), demo_database, settings,
                             runner, tmp_path)
    assert window.size() == wanted
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)


def test_a_tiny_screen_still_gets_the_layout_it_needs(qtbot, monkeypatch, demo_database,
                                                      settings, runner, tmp_path):
    """Below the layout's minimum a window would be cut: it keeps its minimum instead."""
    window, _wanted = _opened(qtbot, monkeypatch, "导入名单", (300, 200), demo_database,
                              settings, runner, tmp_path)
    least = window.minimumSizeHint()
    assert window.width() >= least.width() and window.height() >= least.height()
    window.show()
    qtbot.waitExposed(window)
    assert window.size() == window.minimumSizeHint()


@pytest.mark.parametrize("name", ["导入名单", "打印预览"])
def test_on_the_real_screen_the_wizard_and_the_preview_are_within_it(
        qtbot, demo_database, settings, runner, tmp_path, name):
    """No fake: the test screen (800 × 800) is smaller than either's fixed size was."""
    make, _wanted = WINDOWS[name]
    window = make(demo_database, settings, runner, tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    available = window.screen().availableGeometry()
    assert available.contains(window.frameGeometry()), (window.frameGeometry(), available)
    if name == "导入名单":  # its bottom row in sight
        for button in (window.back_button, window.next_button, window.replan_button,
                       window.close_button):  # (下一步 reads 导入 on step 4)
            corner = button.mapToGlobal(button.rect().bottomRight())
            assert available.contains(corner), (button.text(), corner)
