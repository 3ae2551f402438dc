"""导出报表 starts from the county the officer is looking at: the 工作台's county (the
dashboard of 武进区 exports 武进区, not the whole city), the roster's county filter (as before)."""

from __future__ import annotations

from ui.main_window import MainWindow


def _window(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    return window


def test_export_from_the_dashboard_takes_its_county(qtbot, demo_database, settings, runner):
    window = _window(qtbot, demo_database, settings, runner)
    window.show_page(window.pages.index(window.dashboard))
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: dashboard.county.findData("武进区") >= 0, timeout=20_000)
    with qtbot.waitSignal(dashboard.loaded, timeout=20_000):
        dashboard.county.setCurrentIndex(dashboard.county.findData("武进区"))
    dialog = window.open_export_dialog()
    dialog.report.setCurrentIndex(dialog.report.findData("roster"))
    county = dialog.filter_widgets["county"]
    assert county.currentData() == "武进区" and county.currentText() == "武进区"
    assert "武进区" in dialog.status.text()  # said, not only set
    assert dialog.request().county == "武进区"
    dialog.close()


def test_export_from_the_whole_city_dashboard_takes_every_county(qtbot, demo_database,
                                                                  settings, runner):
    window = _window(qtbot, demo_database, settings, runner)
    window.show_page(window.pages.index(window.dashboard))
    dialog = window.open_export_dialog()
    dialog.report.setCurrentIndex(dialog.report.findData("roster"))
    assert dialog.filter_widgets["county"].currentData() is None
    dialog.close()

