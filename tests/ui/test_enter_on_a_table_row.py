"""Enter on a table's row does what a double-click does, and nothing more: it never reaches
the window's default button as well. In 企业档案, Enter on a 梯度认定 row opened the record
form and, once the form was closed (Esc or 确定), the key went on to 保存并关闭: the
unsaved 基本信息 edits were saved unasked and the window closed (a new-user tester)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from tiers.model import reference
from tiers.queries import profiles
from tiers.services import chains, figures, measures, recognitions
from ui.enterprise_dialog import EnterpriseDialog
from ui.record_form_dialog import RecordFormDialog

PHONE = "0519-70707070"


def _firm_with_records(enterprise_factory, session) -> int:
    firm = enterprise_factory("常州回车测试有限公司", contact_phone="0519-11111111")
    recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2024,
                                        "recognized_on": dt.date(2024, 10, 1)})
    figures.set_year(session, firm.id, 2024, {"revenue": 1900, "main_revenue": 1700})
    measures.add(session, firm.id, {"kind": "认定奖励", "name": "奖励", "amount": "5",
                                    "year": 2024})
    chains.set_role(session, firm.id, reference.chains()[0].code,
                    reference.pick_lists()["chain_roles"][0])
    session.commit()
    return firm.id


def _open(qtbot, database, settings, runner, firm_id) -> EnterpriseDialog:
    dialog = EnterpriseDialog(database, settings, firm_id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_field("contact_phone", PHONE)  # typed on 基本信息, not saved
    assert dialog.has_unsaved_changes()
    return dialog


def _stored_phone(database, firm_id) -> str:
    with database.session() as check:
        return profiles.profile(check, firm_id)["contact_phone"]


def _enter_on_first_row(qtbot, dialog, tab) -> None:
    dialog.tabs.setCurrentWidget(tab)
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    qtbot.keyClick(tab.table, Qt.Key_Return)


def _still_open_with_the_edit_pending(qtbot, dialog, database, firm_id) -> None:
    qtbot.wait(50)  # a save would have started by now (it runs on the runner)
    assert dialog.isVisible() and dialog.saving is None
    assert dialog.basic_values()["contact_phone"] == PHONE and dialog.has_unsaved_changes()
    assert _stored_phone(database, firm_id) == "0519-11111111"


def test_enter_on_every_record_page_opens_the_row_only(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    firm_id = _firm_with_records(enterprise_factory, session)
    dialog = _open(qtbot, database, settings, runner, firm_id)
    opened: list[str] = []
    for answer in (None, "same"):  # Esc / 取消, then 确定 with the values as they were
        monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
            lambda cls, parent, title, fields, values, *a, answer=answer: (
                opened.append(title), None if answer is None else {
                    field.key: values.get(field.key) for field in fields})[1]))
        for tab in dialog.record_tabs():
            if tab.model.rowCount() == 0:
                continue
            before = len(opened)
            _enter_on_first_row(qtbot, dialog, tab)
            assert len(opened) == before + 1  # Enter opened the row's form, once
            _still_open_with_the_edit_pending(qtbot, dialog, database, firm_id)
    assert len(opened) == 8  # four pages, twice


def test_enter_then_esc_in_the_real_record_form(qtbot, database, settings, runner,
                                                 enterprise_factory, session):
    firm_id = _firm_with_records(enterprise_factory, session)
    dialog = _open(qtbot, database, settings, runner, firm_id)
    seen: list[str] = []

    def close_the_form(key) -> None:
        form = QApplication.activeModalWidget()
        if isinstance(form, RecordFormDialog):
            seen.append(form.windowTitle())
            if key == Qt.Key_Escape:
                qtbot.keyClick(form, Qt.Key_Escape)
            else:
                form.accept()  # 确定
        else:  # not opened: let nothing hang
            seen.append("")

    for key in (Qt.Key_Escape, Qt.Key_Return):
        QTimer.singleShot(100, lambda key=key: close_the_form(key))
        _enter_on_first_row(qtbot, dialog, dialog.recognition_tab)
        _still_open_with_the_edit_pending(qtbot, dialog, database, firm_id)
    assert len(seen) == 2 and all(title.startswith("梯度认定") for title in seen), seen


def test_enter_on_the_other_pages_of_the_firm_window_does_not_save(
        qtbot, database, settings, runner, enterprise_factory, session):
    """变更记录 and 对标预审 open nothing on Enter: the key stays there too."""
    firm_id = _firm_with_records(enterprise_factory, session)
    dialog = _open(qtbot, database, settings, runner, firm_id)
    dialog.tabs.setCurrentWidget(dialog.history_view)
    dialog.history_view.setFocus()
    if dialog.history_model.rowCount():
        dialog.history_view.setCurrentIndex(dialog.history_model.index(0, 0))
    qtbot.keyClick(dialog.history_view, Qt.Key_Return)
    _still_open_with_the_edit_pending(qtbot, dialog, database, firm_id)
    dialog.tabs.setCurrentWidget(dialog.assessment_tab)
    tree = dialog.assessment_tab.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key_Return)
    _still_open_with_the_edit_pending(qtbot, dialog, database, firm_id)
    # Enter in a 基本信息 field is still the window's default: 保存并关闭
    assert dialog.buttons.button(QDialogButtonBox.Save).isEnabled()


def _dialog_with_a_table(qtbot, settings, *, opens: bool):
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QDialog, QTableView, QVBoxLayout

    from ui.table_comforts import TableComforts

    dialog = QDialog()
    qtbot.addWidget(dialog)
    model = QStandardItemModel(3, 2, dialog)
    for row in range(3):
        model.setItem(row, 0, QStandardItem(f"第 {row + 1} 行"))
    table = QTableView()
    table.setModel(model)
    opened: list[int] = []
    if opens:
        table.activated.connect(lambda index: opened.append(index.row()))
    TableComforts(table, "enter_test", settings)
    buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    layout.addWidget(buttons)
    dialog.show()
    qtbot.waitExposed(dialog)
    table.setFocus()
    table.setCurrentIndex(model.index(1, 0))
    return dialog, table, opened


def test_a_table_that_opens_rows_keeps_its_enter(qtbot, settings):
    """Any dialog: a table (with its comforts) that opens rows on Enter opens the current
    one, once, and the dialog's default button (确定 here) is not pressed too."""
    dialog, table, opened = _dialog_with_a_table(qtbot, settings, opens=True)
    qtbot.keyClick(table, Qt.Key_Return)
    qtbot.keyClick(table, Qt.Key_Enter, Qt.KeypadModifier)
    assert opened == [1, 1]
    assert dialog.isVisible() and dialog.result() == 0


def test_a_table_that_opens_nothing_leaves_enter_to_its_dialog(qtbot, settings):
    """(A list in a confirming dialog: Enter is still the dialog's 确定.)"""
    dialog, table, opened = _dialog_with_a_table(qtbot, settings, opens=False)
    qtbot.keyClick(table, Qt.Key_Return)
    assert opened == [] and not dialog.isVisible() and dialog.result() == 1
