"""The 年度数据 form offers the 2022 score's levels and classes by name, and its thirty
fields scroll inside a window that fits the screen (issue #17)."""

from __future__ import annotations

from tiers.services import figures
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import figures_fields


def test_levels_and_classes_are_chosen_by_name(qtbot):
    dialog = RecordFormDialog("年度数据", figures_fields(), {"year": 2025, "digital_level": 2},
                              figures.clean)
    qtbot.addWidget(dialog)
    digital = dialog.widgets["digital_level"]
    assert digital.currentText() == "二级"
    digital.setCurrentIndex(digital.findData(3))
    field = dialog.widgets["lead_field_class"]
    field.setCurrentIndex(field.findData(1))
    values, errors = dialog.values()
    assert not errors
    assert values["digital_level"] == 3 and values["lead_field_class"] == 1
    assert "补短板" in field.currentText()
    assert figures.clean({"digital_level": values["digital_level"]}) == {"digital_level": 3}


def test_the_long_form_fits_the_screen(qtbot):
    dialog = RecordFormDialog("年度数据", figures_fields(), {"year": 2025}, figures.clean)
    qtbot.addWidget(dialog)
    dialog.show()
    screen = dialog.screen().availableGeometry().height()
    assert dialog.height() <= screen - 80
    assert len(figures_fields()) >= 30


def test_the_year_is_checked_in_the_form_and_read_as_typed(qtbot, monkeypatch):
    """The 年度数据 form let any 年度 through (its check left the year out): 去年 or 2024年
    reached int() when the row was added — an unexpected-error box with Python's English —
    and 1899 was refused only when the whole window was saved (the officer's walk)."""
    from PySide6.QtWidgets import QWidget

    from ui.enterprise_dialog.record_tabs import figures_tab

    checks = []
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, check: checks.append(check) or None))
    owner = QWidget()
    qtbot.addWidget(owner)
    tab = figures_tab(owner, [], lambda title: title)
    tab.add()
    (check,) = checks
    dialog = RecordFormDialog("年度数据", figures_fields(), {"year": 2025}, check)
    qtbot.addWidget(dialog)
    for typed, message in (("去年", "年度应为"), ("1899", "不能小于 1949")):
        dialog.set_value("year", typed)
        assert message in dialog.errors["year"].text(), typed
        assert not dialog.errors["year"].isHidden()
    for typed in ("2024年", "２０２４", "2024年度"):
        dialog.set_value("year", typed)
        assert dialog.errors["year"].isHidden(), typed
        assert tab.describe({"year": typed, "revenue": "100"})["year"] == 2024
