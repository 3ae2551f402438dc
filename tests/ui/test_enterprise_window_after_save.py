"""The enterprise window after a save: every button as it should be (导出档案… too), and the
record tables keeping the row the officer was on, so that 修改/删除 act on it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ui.enterprise_dialog import EnterpriseDialog
from ui.record_form_dialog import RecordFormDialog


def test_export_button_enabled_again_after_a_save(qtbot, firm_window, database, settings, runner,
                                                   save_and_wait, enterprise_factory, session):
    firm = enterprise_factory("常州导出按钮有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    dialog.show()
    assert dialog.export_button.isEnabled()
    dialog.set_field("address", "常州市武进区湖塘镇")
    assert save_and_wait(dialog)
    assert dialog.export_button.isEnabled()
    assert dialog.buttons.button(QDialogButtonBox.Cancel).isEnabled()
    assert dialog.buttons.button(QDialogButtonBox.Save).isEnabled()
    assert not dialog.buttons.button(QDialogButtonBox.Apply).isEnabled()  # nothing to save


def test_a_new_firm_saved_can_export_its_archive(qtbot, database, settings, runner,
                                                 save_and_wait, code):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.export_button is None
    dialog.set_field("credit_code", code(7001))
    dialog.set_field("name", "常州新建导出有限公司")
    assert save_and_wait(dialog)
    assert dialog.export_button is not None and dialog.export_button.isEnabled()


def test_the_selected_record_stays_selected_after_a_save(
        qtbot, firm_window, database, settings, runner, save_and_wait, enterprise_factory, session,
        monkeypatch):
    firm = enterprise_factory("常州选中保留有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    dialog.show()
    tab = dialog.measure_tab
    forms = iter([{"kind": "认定奖励", "amount": "50", "year": "2024", "name": "甲奖励"},
                  {"kind": "认定奖励", "amount": "80", "year": "2025", "name": "乙奖励"}])
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: next(forms)))
    tab.add_button.click()
    tab.add_button.click()
    tab.select_row(1)  # 乙奖励, new until the save
    assert save_and_wait(dialog)
    chosen = tab.selected()
    assert chosen is not None and chosen["name"] == "乙奖励" and chosen["id"] is not None
    assert tab.edit_button.isEnabled() and tab.delete_button.isEnabled()
    # a saved row edited and saved again: still the same record
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, *a, **k: {"kind": "认定奖励", "amount": "90", "year": "2025",
                              "name": "乙奖励"}))
    tab.edit_button.click()
    assert tab.selected()["id"] == chosen["id"]
    assert save_and_wait(dialog)
    assert tab.selected()["id"] == chosen["id"] and tab.selected()["amount"] == 90


def test_row_buttons_greyed_without_a_selected_row(qtbot, firm_window, database, settings, runner,
                                                   enterprise_factory, session):
    firm = enterprise_factory("常州未选中有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    for tab in dialog.record_tabs():
        assert not tab.edit_button.isEnabled() and not tab.delete_button.isEnabled()
        assert tab.edit_button.toolTip() == "请先选中一条"
        assert tab.add_button.isEnabled()
    assert not dialog.recognition_tab.revoke_button.isEnabled()
    assert not dialog.recognition_tab.confirm_button.isEnabled()
