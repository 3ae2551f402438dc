"""工作台 with one county chosen: the area chart shows that county's towns, not one bar
titled with the county (按县区 of one county); back at 全部区县 it counts by county again.
An officer's own 按镇街 for the whole city is left as it was; a year without support is
a bar of 0."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.dashboard_view import DashboardView


def _choose(qtbot, view, county):
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.county.setCurrentIndex(view.county.findData(county))


def test_one_county_is_shown_by_its_towns(qtbot, demo_database, runner):
    view = DashboardView(demo_database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    assert len(view.data["areas"]) == 3  # 天宁区, 新北区, 武进区
    _choose(qtbot, view, "新北区")
    assert view.by.currentData() == "town"
    areas = [row["area"] for row in view.data["areas"]]
    assert len(areas) > 1 and "新北区" not in areas, areas
    _choose(qtbot, view, None)
    assert view.by.currentData() == "county"
    assert len(view.data["areas"]) == 3


def test_the_officers_own_choice_of_towns_is_kept(qtbot, demo_database, runner):
    view = DashboardView(demo_database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.by.setCurrentIndex(view.by.findData("town"))
    _choose(qtbot, view, "新北区")
    _choose(qtbot, view, None)
    assert view.by.currentData() == "town"


def test_a_year_without_support_is_a_bar_of_nothing(qtbot):
    """A county's years without paid support (新北区 had none in 2020 and 2021) are shown as
    0, not left out: 2019 beside 2022 hid the gap."""
    from decimal import Decimal

    view = DashboardView(None, None)
    qtbot.addWidget(view)
    view._support_chart([{"year": year, "total": Decimal(total)}
                         for year, total in ((2019, "120"), (2022, "147"), (2023, "15"))])
    [series] = view.support_chart.chart().series()
    [bars] = series.barSets()
    [axis] = view.support_chart.chart().axes(Qt.Horizontal)
    assert axis.categories() == ["2019", "2020", "2021", "2022", "2023"]
    assert [bars.at(i) for i in range(bars.count())] == [120, 0, 0, 147, 15]


def test_a_chosen_county_that_is_gone_goes_back_to_counties(qtbot, demo_database, runner):
    """The county chosen disappears from the list (an undo took its last firm): the choice
    falls back to 全部区县, and the towns chosen for it go back to counties (review)."""
    view = DashboardView(demo_database, runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    _choose(qtbot, view, "新北区")
    assert view.by.currentData() == "town"
    view._fill_counties(["天宁区", "武进区"])
    assert view.county.currentData() is None
    assert view.by.currentData() == "county" and not view.towns_for_county
