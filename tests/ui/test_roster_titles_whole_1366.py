"""tester28a #3 at 1366×768: the roster's last title read 已兑现扶持（… (shots/16_collection_dialog.png)
beside firms 公示中 for a higher tier (当前梯度 at its widest); at 1920 the county of a 开发区
firm read 常州滨江… (shots/41_reopen_1920.png). Every title shows whole (the long ones wrap
onto a second line rather than end in …), and 县区 is as wide as the counties on screen up
to a sane most."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.conftest import make_code
from tests.ui.roster_helpers import roster_at
from tiers.services import enterprises, recognitions
from ui.roster_cells import COLUMNS

PAGE_AT_1920 = (1790, 940)
PAGE_AT_1366 = (1230, 620)  # the page in the main window at 1366×768
ZONE = "常州滨江经济开发区"


def _firms(database) -> None:
    with database.session() as session:
        for serial in range(1, 6):
            firm = enterprises.create(session, {
                "credit_code": make_code(serial), "name": f"常州海纳{serial}智能装备有限公司",
                "county": ZONE if serial == 1 else "新北区", "town": ""})
            recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": 2025,
                                                "recognized_on": dt.date(2025, 6, 1)})
            recognitions.add(session, firm.id, {"tier_code": "省级专精特新", "batch_year": 2026,
                                                "is_pending": True})


def _title_whole(view, column: int) -> bool:
    """The title, on as many lines as the header shows, each within its column."""
    header, metrics = view.table.horizontalHeader(), view.table.fontMetrics()
    title = view.model.headerData(column, Qt.Horizontal, Qt.DisplayRole)
    lines = max(1, (header.height() - 6) // metrics.height())
    room = header.sectionSize(column) - 8
    text_width = metrics.horizontalAdvance(title)
    return text_width <= room * lines and (lines > 1 or text_width <= room)


def test_at_1366_every_title_is_whole(qtbot, database, settings):
    _firms(database)
    view = roster_at(qtbot, database, settings, PAGE_AT_1366)
    table = view.table
    qtbot.wait(200)
    assert table.horizontalScrollBar().maximum() == 0
    cut = [COLUMNS[c].title for c in range(len(COLUMNS))
           if not table.isColumnHidden(c) and not _title_whole(view, c)]
    assert cut == [], [(c, table.columnWidth(c)) for c in range(len(COLUMNS))]


def test_at_1920_a_zone_s_county_is_whole(qtbot, database, settings):
    _firms(database)
    view = roster_at(qtbot, database, settings, PAGE_AT_1920)
    county = 2
    metrics = view.table.fontMetrics()
    qtbot.waitUntil(lambda: view.table.columnWidth(county)
                    >= metrics.horizontalAdvance(ZONE) + 8, timeout=3000)
