"""工作台 charts: axes in round steps, value labels that are never cut off, paid support."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCharts import QAbstractBarSeries, QValueAxis
from PySide6.QtCore import Qt

from tiers.queries import dashboard as dashboard_queries
from ui.dashboard_charts import nice_axis, value_label_precision
from ui.dashboard_view import DashboardView, load_dashboard


@pytest.mark.parametrize(("maximum", "headroom", "expected"), [
    (0, 0.0, (1.0, 2)),
    (0.4, 0.0, (1.0, 2)),  # whole steps only: never 0, 0, 0, 1 on a %d axis
    (7, 0.0, (8.0, 5)),
    (84, 0.0, (100.0, 6)),
    (138, 0.0, (150.0, 4)),
    (1051, 0.0, (1200.0, 7)),
    (14298.8, 0.0, (15000.0, 4)),  # not 0—15,728.68 in steps of 3,932
    (14298.8, 0.12, (20000.0, 5)),  # room above the bar for its label
    (15000, 0.0, (15000.0, 4)),
])
def test_nice_axis_rounds_up_to_1_2_5_steps(maximum, headroom, expected):
    top, ticks = nice_axis(maximum, headroom=headroom)
    assert (top, ticks) == expected
    step = top / (ticks - 1)
    assert step == int(step)
    mantissa = step / 10 ** (len(str(int(step))) - 1)
    assert mantissa in (1, 2, 5)
    assert top >= maximum * (1 + headroom) and ticks - 1 <= 6


def test_value_labels_show_the_whole_number():
    assert value_label_precision(14298.8) == 5  # %g with 5 digits: 14299
    assert value_label_precision(95) == 2
    assert value_label_precision(0) == 2


def test_support_chart_axis_and_labels(qtbot):
    view = DashboardView(None, None)
    qtbot.addWidget(view)
    years = range(2019, 2027)
    amounts = ["95", "55.2", "149", "529", "532", "696", "14298.8", "1032"]
    view._support_chart([{"year": y, "total": Decimal(a)} for y, a in zip(years, amounts, strict=True)])
    chart = view.support_chart.chart()
    assert chart.title() == "每年扶持资金（已兑现，万元）"
    [series] = chart.series()
    assert series.labelsPosition() == QAbstractBarSeries.LabelsOutsideEnd
    assert series.labelsPrecision() == 5
    [axis] = [a for a in chart.axes(Qt.Vertical) if isinstance(a, QValueAxis)]
    assert (axis.min(), axis.max(), axis.tickCount()) == (0, 20000, 5)
    # the tallest bar leaves room for its label above it, inside the plot area
    assert axis.max() >= 14298.8 * 1.12


@pytest.mark.parametrize("maximum", [355, 735, 95, 39, 1, 14298.8, 4001, 99.5])
def test_the_tallest_support_bar_leaves_a_fifth_of_the_axis_for_its_label(qtbot, maximum):
    """溧阳市 alone (one year, 355 万元) had an axis to 400: no room above the bar at
    1366×768, and Qt drew the label inside it, dark on green; 全部区县's 735 (to 1000) had
    it above (tester26). Whatever the amount, a fifth of the axis stays above the bar."""
    view = DashboardView(None, None)
    qtbot.addWidget(view)
    view._support_chart([{"year": 2026, "total": Decimal(str(maximum))}])
    [axis] = [a for a in view.support_chart.chart().axes(Qt.Vertical)
              if isinstance(a, QValueAxis)]
    assert axis.max() * 0.8 >= maximum, axis.max()


def test_dashboard_support_is_paid_only(database, session, enterprise_factory):
    from tiers.services import measures

    firm = enterprise_factory("常州丙科技有限公司")
    for amount, status in (("80", "已兑现"), ("40", "申报"), ("25", "审核")):
        measures.add(session, firm.id, {"kind": "资金奖励", "name": status, "amount": amount,
                                        "year": 2025, "status": status})
    session.commit()
    data = load_dashboard(database, "county")
    assert [(row["year"], row["total"]) for row in data["support"]] == [(2025, Decimal("80"))]


def test_tier_cards_use_short_names_with_the_full_name_in_the_tooltip(qtbot):
    from tiers.model import reference

    view = DashboardView(None, None)
    qtbot.addWidget(view)
    zjtx = reference.tier("zjtx")
    card = view.steps["zjtx"]
    assert card.label.text() == zjtx.short == "省专精特新"
    assert not card.label.wordWrap()
    assert zjtx.name in card.toolTip()


def test_the_dashboard_counts_the_whole_city_or_one_county(qtbot, demo_database, runner):
    whole = load_dashboard(demo_database, "county")
    one = load_dashboard(demo_database, "county", "新北区")
    assert whole["counties"] == ["天宁区", "新北区", "武进区"]
    assert [row["area"] for row in one["areas"]] == ["新北区"]
    assert sum(one["tiers"].values()) < sum(whole["tiers"].values())
    assert {row["county"] for row in one["expiring"]} <= {"新北区"}
    assert sum(r["measures"] for r in one["support"]) < sum(r["measures"] for r in whole["support"])

    view = DashboardView(demo_database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    assert [view.county.itemText(i) for i in range(view.county.count())] == [
        "全部区县", "天宁区", "新北区", "武进区"]
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.county.setCurrentIndex(view.county.findData("新北区"))
    assert view.data["tiers"] == one["tiers"] and view.county.currentData() == "新北区"
    with qtbot.waitSignal(view.filter_requested) as asked:
        view._tier_clicked("innovative_sme")
    assert asked.args[0]["county"] == "新北区"


def test_the_expiring_list_of_the_whole_city_says_each_firms_county(qtbot, demo_database,
                                                                    runner):
    """A city officer looking at every county's expiring recognitions saw the 镇街 but not
    the 县区; with one county chosen (or only one in the database) the column is hidden."""
    view = DashboardView(demo_database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    labels = [view.expiring_model.headerData(c, Qt.Horizontal)
              for c in range(view.expiring_model.columnCount())]
    county = labels.index("县区")
    assert not view.expiring.isColumnHidden(county)
    assert view.expiring_model.index(0, county).data() in {"天宁区", "新北区", "武进区"}
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.county.setCurrentIndex(view.county.findData("新北区"))
    assert view.expiring.isColumnHidden(county)
    assert view.title.text() == "梯度培育概况（新北区，有效认定）"


# maximised at 1920; a page of 900 (the list a row of its own)
@pytest.mark.parametrize("page", [(1790, 940), (900, 660)])
def test_the_expiring_list_spreads_the_room_and_fits(qtbot, demo_database, runner, page):
    """At 1920 the firm's name took all the room to spare: a blank band in the middle of
    the list, the short columns bunched at the right (the desk testers). Every column now
    gets a share. In a page of 900 the list had 355 px beside a chart, the name cut to
    two characters; it now has the page's width, every column whole, nothing scrolling
    sideways. (Where it is narrow beside a chart, the name giving way first:
    test_dashboard_expiring_narrow.)"""
    view = DashboardView(demo_database, runner)
    qtbot.addWidget(view)
    view.resize(*page)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    table = view.expiring
    header = table.horizontalHeader()
    shown = [c for c in range(view.expiring_model.columnCount()) if not table.isColumnHidden(c)]
    qtbot.waitUntil(lambda: header.length() == table.viewport().width()
                    and table.horizontalScrollBar().maximum() == 0)
    name = 2
    natural = {c: max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in shown}
    if page[0] > 1500:
        extra = {c: table.columnWidth(c) - natural[c] for c in shown}
        assert all(extra[c] > 0 for c in shown), extra
        assert extra[name] <= min(extra.values()) + len(shown)  # a share, not all of it
    else:
        assert all(table.columnWidth(c) >= natural[c] for c in shown)


def test_the_dashboard_reads_its_scope_once_per_load(demo_database, monkeypatch):
    """Each card and chart asked unit_scope.condition again (the unit's counties and three
    DISTINCT queries each: 1.06 s at 100,000 firms on every refresh, reviewer of land28):
    one load reads the scope once and gives it to every query, the same figures."""
    from tiers.queries import unit_scope
    from tiers.services.unit import set_unit_counties

    with demo_database.session() as session:
        set_unit_counties(session, ["新北区"])
    asked = []
    condition = unit_scope.condition

    def counted(session, county):
        asked.append(county)
        return condition(session, county)

    monkeypatch.setattr(unit_scope, "condition", counted)
    for county in (None, "新北区", "（全部区县，含本单位以外）"):
        asked.clear()
        data = load_dashboard(demo_database, "county", county)
        assert asked == [county]
        with demo_database.session() as session:
            assert data["tiers"] == dashboard_queries.tier_totals(session, county=county)
            assert data["expiring_titles"] == dashboard_queries.expiring_titles(
                session, county=county)


def test_the_dashboard_of_the_unit_says_so_with_the_export_dialogs_choices(
        qtbot, demo_database, runner):
    """With the unit recorded the 工作台 counts the unit's firms by default, and its title
    said only “梯度培育概况（有效认定）”: it says 本单位（新北区） as the report dialog does,
    and offers the export dialog's choices, （未填区县） too."""
    from tiers.services.unit import set_unit_counties

    with demo_database.session() as session:
        set_unit_counties(session, ["新北区"])
    view = DashboardView(demo_database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    assert view.title.text() == "梯度培育概况（本单位（新北区），有效认定）"
    assert [view.county.itemText(i) for i in range(view.county.count())] == [
        "本单位（新北区）", "天宁区", "新北区", "武进区", "（未填区县）",
        "（全部区县，含本单位以外）"]
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.county.setCurrentIndex(view.county.findText("（未填区县）"))
    assert view.county.currentText() == "（未填区县）"
    assert view.title.text() == "梯度培育概况（未填区县的企业，有效认定）"
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.county.setCurrentIndex(view.county.findText("（全部区县，含本单位以外）"))
    assert view.title.text() == "梯度培育概况（全部区县，有效认定）"
