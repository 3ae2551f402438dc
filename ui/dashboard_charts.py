"""工作台's bar charts: stacked by tier, value axes in 1-2-5 steps, amounts labelled."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor

from tiers.model import reference

TIER_COLOURS = {"tech_sme": "#9cc7f0", "innovative": "#6aa5e6", "zjtx": "#3a7bd5", "little_giant": "#e59a3b",
                "single_champion": "#c0392b", "city_zjtx": "#7fb77e", "county_zjtx": "#a8d5a2",
                "hidden_champion": "#9b59b6", "chain_leader": "#34495e"}


def nice_axis(maximum: float, *, max_intervals: int = 6, headroom: float = 0.0
              ) -> tuple[float, int]:
    """A value axis from 0 that people can read: the top of the axis and the number of
    ticks, in whole steps of 1, 2 or 5 × 10ⁿ and at most ``max_intervals`` of them
    (14,298.8 gets 0—15,000 in steps of 5,000, not steps of 3,932). ``headroom`` (a
    fraction of ``maximum``) keeps room above the tallest bar for its value label."""
    wanted = max(float(maximum) * (1 + headroom), 0.0)
    if wanted <= 0:
        return 1.0, 2
    raw_step = max(wanted / max_intervals, 1.0)  # counts and 万元: whole steps
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step - 1e-9)
    intervals = max(1, math.ceil(wanted / step - 1e-9))
    return float(step * intervals), intervals + 1


# the room above the tallest bar for its value label, a fraction of the bar: a fifth of the
# axis at least. With 0.12 a county's one year of 355 got an axis to 400, and the label,
# left no room in the short plot at 1366×768, was drawn inside the bar, dark on green, while
# the city's 735 (to 1000) had it above (tester26)
LABEL_ROOM = 0.25


def value_label_precision(maximum: float) -> int:
    """Significant digits for bar labels (Qt formats @value with %g): enough for the
    tallest bar's whole number, so 14,298.8 shows as 14299, not 1.43e+04 or a clipped
    14298.8."""
    return max(2, len(str(int(abs(maximum)))))


def new_chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.NoAnimation)
    chart.legend().setAlignment(Qt.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def add_bars(chart: QChart, series, categories: list[str], maximum: float, *,
             headroom: float = 0.0) -> None:
    chart.addSeries(series)
    axis_x = QBarCategoryAxis()
    axis_x.append(categories)
    axis_y = QValueAxis()
    top, ticks = nice_axis(maximum, headroom=headroom)
    axis_y.setRange(0, top)
    axis_y.setTickCount(ticks)
    axis_y.setLabelFormat("%d")
    chart.addAxis(axis_x, Qt.AlignBottom)
    chart.addAxis(axis_y, Qt.AlignLeft)
    series.attachAxis(axis_x)
    series.attachAxis(axis_y)


def tier_stack(rows: list[dict[str, Any]]) -> tuple[QStackedBarSeries, list[int]]:
    """One stacked bar per row, one colour per ladder tier; and each bar's total."""
    series = QStackedBarSeries()
    totals = [0] * len(rows)
    for tier in sorted((t for t in reference.tiers() if t.ladder), key=lambda t: t.rank):
        bar = QBarSet(tier.short)
        bar.setColor(QColor(TIER_COLOURS[tier.code]))
        for number, row in enumerate(rows):
            bar.append(row.get(tier.code, 0))
            totals[number] += row.get(tier.code, 0)
        series.append(bar)
    return series, totals


def area_chart(title: str, rows: list[dict[str, Any]]) -> QChart:
    """The twelve areas with most firms on the ladder, a stacked bar each."""
    chart = new_chart(title)
    rows = sorted(rows, key=lambda r: -sum(r.get(t.code, 0) for t in reference.tiers()
                                           if t.ladder))[:12]
    series, totals = tier_stack(rows)
    add_bars(chart, series, [r["area"] for r in rows], max(totals, default=0))
    return chart


def year_chart(title: str, rows: list[dict[str, Any]]) -> QChart:
    """The last eight years' new recognitions, stacked by tier."""
    chart = new_chart(title)
    rows = rows[-8:]
    series, totals = tier_stack(rows)
    add_bars(chart, series, [str(r["year"]) for r in rows], max(totals, default=0))
    return chart


def support_chart(title: str, bar_title: str, rows: list[dict[str, Any]]) -> QChart:
    """The last eight years' support paid, each bar labelled with its amount; a year
    without any is a bar of 0 (left out, 2019 stood beside 2022, and a county's two years
    without support could not be seen)."""
    chart = new_chart(title)
    paid = {row["year"]: row["total"] for row in rows}
    if paid:
        last = max(paid)
        rows = [{"year": year, "total": paid.get(year, 0)}
                for year in range(max(min(paid), last - 7), last + 1)]
    bar = QBarSet(bar_title)
    bar.setColor(QColor("#2e8b57"))
    bar.setLabelColor(QColor("#1f2d24"))
    for row in rows:
        bar.append(float(row["total"]))
    maximum = max((float(r["total"]) for r in rows), default=0)
    series = QBarSeries()
    series.append(bar)
    series.setBarWidth(0.7)
    # above the bar, where a short bar or a wide number is never cut off
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    series.setLabelsPrecision(value_label_precision(maximum))
    add_bars(chart, series, [str(r["year"]) for r in rows], maximum, headroom=LABEL_ROOM)
    return chart
