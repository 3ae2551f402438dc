"""工作台's expiring list in a window 900 px wide: with more than about eight entries its
vertical scroll bar took the room the columns had been fitted to, and the list scrolled
sideways (the name, the only column that gave way, was already at its narrowest)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tiers.services import recognitions
from ui.main_window import MainWindow

LONG_NAME = "常州市武进区高新技术产业开发区精密传动科技股份有限公司"


@pytest.fixture
def many_expiring(demo_database, enterprise_factory, session):
    """The demo county and 20 more firms whose 专精特新 title ends within 180 days, some
    with a long name."""
    today = dt.date.today()
    for number in range(20):
        firm = enterprise_factory(LONG_NAME.replace("精密", f"精密{number}") if number % 2
                                  else None)
        recognitions.add(session, firm.id, {
            "tier_code": "zjtx", "batch_year": today.year - 3,
            "recognized_on": today - dt.timedelta(days=3 * 365 - 10 - number),
            "valid_until": today + dt.timedelta(days=10 + number)})
    session.commit()
    return demo_database


# (1220: the widest window whose list is still beside a chart, 510 px: the names give way)
@pytest.mark.parametrize("size", [(900, 700), (1220, 700), (1366, 768), (1920, 1080)])
def test_the_expiring_list_never_scrolls_sideways(qtbot, many_expiring, settings, runner,
                                                 size):
    window = MainWindow(many_expiring, settings, runner)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.show_page(0)
    view = window.dashboard
    table = view.expiring
    assert view.expiring_model.rowCount() >= 20
    qtbot.waitUntil(lambda: table.verticalScrollBar().isVisible())  # more than it shows
    shown = [c for c in range(view.expiring_model.columnCount()) if not table.isColumnHidden(c)]
    assert not table.isColumnHidden(5)  # the county, for a database of three counties

    def fits() -> bool:
        return (table.horizontalHeader().length() == table.viewport().width()
                and table.horizontalScrollBar().maximum() == 0
                and not table.horizontalScrollBar().isVisible())

    qtbot.waitUntil(fits)
    assert all(table.columnWidth(c) > 0 for c in shown)
    # readable: the name at least three characters (it was two at 900: 常州…), the tier
    # whole (it was 省…); at 900 the list has the page's full width, not 355 px beside a chart
    name, tier = 2, 3
    metrics = table.fontMetrics()
    assert table.columnWidth(name) >= metrics.horizontalAdvance("常州市…")
    assert table.columnWidth(tier) >= table.sizeHintForColumn(tier)
    if size[0] < 1000:  # a row of its own
        assert table.width() > view.width() * 0.8
    elif size[0] < 1300:  # beside a chart: the long names give way, the first thing to
        assert table.width() < view.width() * 0.6
        assert table.columnWidth(name) < table.sizeHintForColumn(name)
    # nor does any step of giving way, the last included, take the name below that
    # (the last took it to "…" where the columns could find no other room)
    for step in view.expiring_fill.steps:
        assert step.get(name, 10_000) >= metrics.horizontalAdvance("常州市…"), step
    # what is cut short is whole in its tooltip
    long_row = next(row for row in range(view.expiring_model.rowCount())
                    if view.expiring_model.record(row)["name"].startswith("常州市武进区高新"))
    index = view.expiring_model.index(long_row, name)
    assert index.data(Qt.ToolTipRole) == index.data(Qt.DisplayRole)
    assert index.data(Qt.ToolTipRole).startswith("常州市武进区高新技术产业开发区精密")
    # the dates and days left are never cut short
    for column in (0, 1):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column)
    window.close()
