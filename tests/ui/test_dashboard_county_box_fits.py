"""工作台's county choice at 1366×768 with the unit recorded (tester28b): sized to 全部区县
when first shown, it read “本单位（新” once its first item became 本单位（新北区）. It is as
wide as its longest item now, up to a limit; a longer one (a unit of many counties) is
elided in the middle and whole in the tooltip."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from tiers.services import unit as unit_service
from ui.main_window import MainWindow


def _text_room(combo) -> int:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    return combo.style().subControlRect(QStyle.CC_ComboBox, option,
                                        QStyle.SC_ComboBoxEditField, combo).width()


def _fits(combo, text: str) -> bool:
    return combo.fontMetrics().horizontalAdvance(text) <= _text_room(combo)


def _dashboard(qtbot, database, settings, runner, counties):
    with database.session() as session:
        unit_service.set_unit_counties(session, counties)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.show_page(0)
    return window.dashboard


def test_the_units_choice_is_shown_whole_at_1366(qtbot, demo_database, settings, runner):
    view = _dashboard(qtbot, demo_database, settings, runner, ["新北区"])
    combo = view.county
    assert combo.currentText() == "本单位（新北区）"
    qtbot.waitUntil(lambda: _fits(combo, "本单位（新北区）"))
    # every item whole when chosen (（全部区县，含本单位以外） the longest)
    for index in range(combo.count()):
        assert _fits(combo, combo.itemText(index)), combo.itemText(index)


def test_a_unit_of_many_counties_is_elided_in_the_middle(qtbot, demo_database, settings,
                                                        runner):
    counties = ["新北区", "武进区", "天宁区", "钟楼区", "金坛区", "溧阳市"]
    view = _dashboard(qtbot, demo_database, settings, runner, counties)
    combo = view.county
    whole = combo.currentText()
    assert whole.startswith("本单位（天宁区") and whole.endswith("溧阳市）")
    qtbot.waitUntil(lambda: not _fits(combo, whole))  # a sane width, not the whole label
    assert combo.width() < 400
    shown = combo.shown_text()
    assert shown.startswith("本单位") and shown.endswith("）") and "…" in shown
    assert whole in combo.toolTip()
    # a county chosen: the tooltip says what the choice is for, no more
    combo.setCurrentIndex(combo.findData("武进区"))
    assert combo.toolTip() == "统计全部区县，或只统计一个区县"
