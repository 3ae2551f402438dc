"""报送情况 opens on a share of the screen, as the firm window does: the fixed 760 × 380 showed
six of a city's eight lines at 1366 × 768 and at 1920 × 1080 alike, the two（未填区县，…）
lines under the scroll bar and 报送单位 cut to “常州市金坛区工业和信息…” (tester27b). Every
line is in sight now, 报送单位 whole where there is room, and where there is not its cell
says the whole name on its tooltip."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QRect, QSize

from tests.ui.test_assess_compare_side_by_side import app_font  # noqa: F401 - a fixture
from tiers.exchange import CountyStatus
from ui.package_status_dialog import UNIT_COLUMN, PackageStatusDialog

JINTAN, LIYANG = "常州市金坛区工业和信息化局", "溧阳市工业和信息化局"


class Screen:
    def __init__(self, width: int, height: int) -> None:
        self.room = QRect(0, 0, width, height)

    def availableGeometry(self):  # noqa: N802 - Qt's name
        return self.room


def _lines() -> list[CountyStatus]:
    """常州市 as the tester saw it: four counties not sent, two sent, and two lines of
    未填区县 firms by their units."""
    when = dt.datetime(2026, 12, 7, 9, 35)
    unsent = [CountyStatus(code=code, name=name, sent=False, package_date=None,
                           applied_at=None, firms=None, counts=None, source_unit="",
                           batch_id=None, packages=0)
              for code, name in (("320402", "天宁区"), ("320404", "钟楼区"),
                                 ("320411", "新北区"), ("320412", "武进区"))]
    sent = [CountyStatus(code=code, name=name, sent=True, package_date=when, applied_at=when,
                         firms=firms, counts=None, source_unit=unit, batch_id=batch, packages=1)
            for code, name, firms, unit, batch in (
                ("320413", "金坛区", 120, JINTAN, 2), ("320481", "溧阳市", 120, LIYANG, 5),
                ("", f"（未填区县，{JINTAN}）", 8, JINTAN, 2),
                ("", f"（未填区县，{LIYANG}）", 7, LIYANG, 5))]
    return unsent + sent


def _opened(qtbot, monkeypatch, database, runner, screen) -> PackageStatusDialog:
    monkeypatch.setattr(PackageStatusDialog, "screen", lambda self: Screen(*screen))
    dialog = PackageStatusDialog(database, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "正在读取" not in dialog.heading.text(), timeout=10_000)
    dialog.show_status(("320400", _lines()), 2026)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("screen, wanted", [
    ((1366, 768), QSize(1065, 599)), ((1366, 728), QSize(1065, 568)),
    ((1920, 1080), QSize(1280, 800)),  # capped: no wall of a window
    ((1024, 600), QSize(900, 540))])  # within a small screen's room
def test_the_first_size_is_a_share_of_the_screen_and_every_line_is_in_sight(
        qtbot, monkeypatch, database, runner, screen, wanted, app_font):  # noqa: F811
    dialog = _opened(qtbot, monkeypatch, database, runner, screen)
    assert dialog.size() == wanted
    assert dialog.width() <= screen[0] - 40 and dialog.height() <= screen[1] - 60
    table = dialog.table
    assert table.rowCount() == 8
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() == 0)  # no line hidden
    last = table.visualItemRect(table.item(7, 1))
    assert table.viewport().rect().contains(last), (last, table.viewport().rect())
    if screen[0] >= 1366:  # 报送单位 whole
        unit = table.fontMetrics().horizontalAdvance(JINTAN)
        assert table.columnWidth(UNIT_COLUMN) > unit, (table.columnWidth(UNIT_COLUMN), unit)
        assert table.horizontalScrollBar().maximum() == 0


def test_a_cut_unit_is_whole_on_its_tooltip(qtbot, monkeypatch, database, runner):
    dialog = _opened(qtbot, monkeypatch, database, runner, (1366, 768))
    dialog.resize(dialog.minimumSizeHint())
    for row, unit in ((4, JINTAN), (6, JINTAN), (7, LIYANG)):
        assert dialog.table.item(row, UNIT_COLUMN).toolTip() == unit
    assert dialog.table.item(6, 1).toolTip() == f"（未填区县，{JINTAN}）"
    assert dialog.table.item(0, UNIT_COLUMN).toolTip() == ""  # nothing to say
