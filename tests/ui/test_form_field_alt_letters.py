"""A keyboard user jumps to a field with Alt+letter: every label of the enterprise form and of
each record form (认定, 年度数据, 扶持措施, 产业链, 培育库) has its own letter, shown as
Chinese programs write it (营业收入（万元）(&Y)), and the letter puts the focus in that field
(the desk testers found no label with one; QFormLayout.addRow gives no buddy to a field
with its message below it)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel

from tiers.services import figures, measures, recognitions
from ui.enterprise_dialog import EnterpriseDialog
from ui.mnemonics import with_mnemonics
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import (
    chain_role_fields,
    cultivation_fields,
    figures_fields,
    measure_fields,
    recognition_fields,
)


def labelled_fields(form: QFormLayout) -> list[tuple[QLabel, object]]:
    """(label, the field's input) of each row whose label names an input."""
    rows = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.LabelRole)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel) and label.buddy() is not None \
                and not isinstance(label.buddy(), QLabel):  # (曾用名: shown, not typed)
            rows.append((label, label.buddy()))
    return rows


def letter(label: QLabel) -> str:
    text = label.text().replace("&&", "")
    assert text.count("&") == 1, text
    return text[text.index("&") + 1].upper()


def check_letters(form: QFormLayout, inputs: dict[str, object]) -> list[tuple[QLabel, object]]:
    rows = labelled_fields(form)
    assert {id(field) for _label, field in rows} == {id(w) for w in inputs.values()}
    letters = [letter(label) for label, _field in rows]
    assert len(set(letters)) == len(letters), letters
    return rows


def press_each(qtbot, window, rows) -> None:
    """Alt+letter from the window puts the focus in the labelled field."""
    for label, field in rows:
        key = letter(label)
        qtbot.keyClick(QApplication.focusWidget() or window, key, Qt.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is field or focused.parent() is field, label.text()


@pytest.mark.parametrize(("title", "make", "clean"), [
    ("梯度认定", recognition_fields, recognitions.clean),
    ("年度数据", figures_fields, figures.clean),
    ("扶持措施", measure_fields, measures.clean),
    ("产业链", chain_role_fields, None),
    ("培育库", cultivation_fields, None),
])
def test_each_record_form_label_has_its_own_alt_letter(qtbot, title, make, clean):
    dialog = RecordFormDialog(title, make(), {"year": 2025}, clean)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    rows = check_letters(dialog.findChild(QFormLayout), dialog.widgets)
    press_each(qtbot, dialog, rows)


def test_the_enterprise_form_labels_have_alt_letters(qtbot, database, settings, runner):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    rows = check_letters(dialog.basic_form.findChild(QFormLayout), dialog.inputs)  # (scrolled)
    assert rows[0][0].text() == "统一社会信用代码＊(&T)"
    press_each(qtbot, dialog, rows)
    dialog.set_field("credit_code", "")  # nothing typed: leaving asks nothing


def test_letters_come_from_the_label_and_an_ampersand_stays_text():
    assert with_mnemonics(["营业收入", "研发费用", "R&D 投入"]) == [
        "营业收入(&Y)", "研发费用(&F)", "R&&D 投入(&R)"]
    assert with_mnemonics(["年度"], taken={"n"}) == ["年度(&D)"]
    many = with_mnemonics([f"字段{n}" for n in range(40)])
    assert len({text[-2] for text in many[:35]}) == 35
    assert many[-1] == "字段39"  # no letter left: none rather than a repeat


def test_a_field_below_the_edge_is_scrolled_into_view(qtbot):
    """年度数据's thirty fields scroll: Alt+4 (备注) put the focus in a field out of sight."""
    from PySide6.QtWidgets import QScrollArea

    dialog = RecordFormDialog("年度数据", figures_fields(), {"year": 2025}, figures.clean)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.resize(dialog.width(), 400)
    scroll = dialog.findChild(QScrollArea)
    note = dialog.widgets["note"]
    label = next(label for label, field in labelled_fields(dialog.findChild(QFormLayout))
                 if field is note)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
    qtbot.keyClick(QApplication.focusWidget(), letter(label), Qt.AltModifier)
    assert QApplication.focusWidget() is note
    top = note.mapTo(scroll.viewport(), note.rect().topLeft()).y()
    assert top >= 0 and top + note.height() <= scroll.viewport().height()
