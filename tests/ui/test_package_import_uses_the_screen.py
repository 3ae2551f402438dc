"""导入数据包 opens on most of the screen, and the lines below the counts (the values a
package changes, the firms it bins, conflicts) take what the window gains: at 1366 × 768
the fixed 720 × 560 showed about six of them (a tester). It can be made larger still
(a size grip, where no window manager gives a frame) and opens as the officer left it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize

from tests.ui.test_assess_compare_side_by_side import app_font  # noqa: F401 - a fixture
from ui.package_import_dialog import PackageImportDialog


class Screen:
    def __init__(self, width: int, height: int) -> None:
        self.room = QRect(0, 0, width, height)

    def availableGeometry(self):  # noqa: N802 - Qt's name
        return self.room


def _opened(qtbot, monkeypatch, database, settings, runner, screen) -> PackageImportDialog:
    monkeypatch.setattr(PackageImportDialog, "screen", lambda self: Screen(*screen))
    dialog = PackageImportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _lines_shown(dialog) -> int:
    notes = dialog.notes
    return notes.viewport().height() // notes.fontMetrics().lineSpacing()


@pytest.mark.parametrize("screen, wanted, lines", [
    ((1366, 768), QSize(1093, 691), 13), ((1366, 728), QSize(1093, 655), 11),
    ((1920, 1080), QSize(1400, 972), 25),  # capped: no wall of a window
    ((1024, 600), QSize(819, 540), 5)])  # within a small screen's room
def test_the_first_size_is_most_of_the_screen_and_the_lines_take_it(
        qtbot, monkeypatch, database, settings, runner, screen, wanted, lines,
        app_font):  # noqa: F811
    dialog = _opened(qtbot, monkeypatch, database, settings, runner, screen)
    assert dialog.size() == wanted
    assert dialog.width() <= screen[0] - 40 and dialog.height() <= screen[1] - 60
    assert _lines_shown(dialog) >= lines, _lines_shown(dialog)
    assert dialog.isSizeGripEnabled()
    taller = _lines_shown(dialog)
    dialog.resize(dialog.width(), dialog.height() + 120)  # dragged larger: the lines grow
    qtbot.waitUntil(lambda: _lines_shown(dialog) >= taller + 5)


def test_it_opens_as_the_officer_left_it(qtbot, monkeypatch, database, settings, runner):
    dialog = _opened(qtbot, monkeypatch, database, settings, runner, (1366, 768))
    dialog.resize(760, 570)  # (within the offscreen screen: restoreGeometry keeps to it)
    qtbot.waitUntil(lambda: dialog.size() == QSize(760, 570))
    dialog.close()
    again = _opened(qtbot, monkeypatch, database, settings, runner, (1366, 768))
    assert again.size() == QSize(760, 570)
