"""导出报表's filters: the input each takes, what a list offers, the labels with their Alt
letters, and the counties and towns added once read (ui.export_dialog)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from tiers.model import reference
from tiers.reports import FilterSpec
from ui.mnemonics import with_mnemonics

CHOICE_LABELS = {"county": "按县区", "town": "按镇街", "enterprise": "按企业", "kind": "按类别"}


def offer(combo: QComboBox, values: list[str]) -> None:
    """``values`` after the combo's blank item, the current choice kept, no signal sent."""
    offered = [combo.itemData(number) for number in range(1, combo.count())]
    if offered == values:
        return
    current = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(combo.count() - 1)
    for value in values if current is None or current in values else [*values, current]:
        combo.addItem(value, value)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)


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
