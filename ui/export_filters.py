"""导出报表's filters: the input each takes, what a list offers, the labels with their Alt
letters, and the counties and towns added once read (ui.export_dialog)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from tiers.model import reference
from tiers.queries.unit_scope import ReportAreas
from tiers.reports import FilterSpec
from ui.mnemonics import with_mnemonics

CHOICE_LABELS = {"county": "按县区", "town": "按镇街", "enterprise": "按企业", "kind": "按类别"}


def offer(combo: QComboBox, values: list[str], *, keep_gone: bool = True) -> None:
    """``values`` after the combo's blank item, the current choice kept, no signal sent;
    a current choice no longer among them stays offered after them, unless not
    ``keep_gone`` (the 工作台: the blank item is chosen instead)."""
    offered = [combo.itemData(number) for number in range(1, combo.count())]
    if offered == values:
        return
    current = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(combo.count() - 1)
    kept = current is None or current in values or not keep_gone
    for value in values if kept else [*values, current]:
        combo.addItem(value, value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


def offer_areas(combo: QComboBox, counties: list[str], areas: ReportAreas, blank: str, *,
                keep_gone: bool = True) -> None:
    """A county choice as the export dialog's (one rule: tiers.queries.unit_scope), the
    候选名单's and the 工作台's: the blank item the unit's when 本单位负责的区县 is recorded
    (本单位（新北区）), else ``blank``; the counties, then （未填区县） and （全部区县，含本单位
    以外）; ``keep_gone`` as ``offer``'s."""
    offer(combo, [*counties, *areas.extra], keep_gone=keep_gone)
    if combo.count():
        combo.setItemText(0, areas.default_label or blank)


def left_out_note(tr, areas: ReportAreas, label: str) -> str:
    """注意：本单位负责的区县为新北区：…，未含溧阳市 1 家；要包含它们，请在“label”中选…: what
    the unit's default leaves out (unit_scope.left_out) and how to take it in here; "" when
    nothing (no unit recorded, or nothing left out)."""
    if areas.left_out is None:
        return ""
    return tr("注意：") + areas.left_out.text + tr(
        "；要包含它们，请在“%1”中选“%2”或该县（市、区）。").replace(
        "%1", label).replace("%2", areas.extra[-1])


def filter_labels(definition, taken: set[str]) -> list[str]:
    """A report's filter labels as the form shows them: ＊ when required, an Alt letter each
    (none of ``taken``, the dialog's own)."""
    return with_mnemonics([spec.label + ("＊" if spec.required else "")
                           for spec in definition.filters], taken)


def filter_widget(spec: FilterSpec, counties: list[str], towns: list[str], *,
                  on_screen: Any, every: str, code_hint: str) -> QWidget:
    """The input for one filter (``every``: the blank choice's text); the county or town
    on screen is offered before the others are read (``offer`` adds them)."""
    if spec.kind in {"int", "year"}:
        spin = QSpinBox()
        if spec.kind == "year":
            spin.setRange(0, 2100)
            spin.setSpecialValueText(spec.blank or every)
        else:
            spin.setRange(0, 100_000)
        spin.setValue(int(spec.default or 0))
        return spin
    if spec.kind == "text":
        edit = QLineEdit("" if spec.default is None else str(spec.default))
        if spec.name == "code":
            edit.setPlaceholderText(code_hint)
        return edit
    combo = QComboBox()
    if spec.default is None and not spec.required:
        combo.addItem(spec.blank or every, None)
    for text, value in choices(spec, counties, towns):
        combo.addItem(text, value)
    if spec.kind in {"county", "town"} and on_screen and combo.findData(on_screen) < 0:
        combo.addItem(str(on_screen), on_screen)  # the rest once read (_choices_read)
    if spec.default is not None:
        combo.setCurrentIndex(max(combo.findData(spec.default), 0))
    return combo


def choices(spec: FilterSpec, counties: list[str], towns: list[str]) -> list[tuple[str, Any]]:
    """What a list filter offers: (text shown, value)."""
    if spec.kind == "tier":  # a report may take only some tiers (对标预审: the ladder)
        return [(t.name, t.code) for t in reference.tiers()
                if not spec.choices or t.code in spec.choices]
    if spec.kind == "chain":
        return [(f"{c.number}. {c.name}", c.code) for c in reference.chains()]
    if spec.kind == "county":
        return [(c, c) for c in counties]
    if spec.kind == "town":
        return [(t, t) for t in towns]
    return [(CHOICE_LABELS.get(c, c), c) for c in spec.choices]  # level / choice


def changed_signal(widget: QWidget):
    """The signal a filter's input sends when the officer changes it."""
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    return widget.textChanged
