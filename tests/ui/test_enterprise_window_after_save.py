"""The enterprise window after a save: every button as it should be (导出档案… too), and the
record tables keeping the row the officer was on, so that 修改/删除 act on it."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from ui.enterprise_dialog import EnterpriseDialog
from ui.record_form_dialog import RecordFormDialog


def test_export_button_enabled_again_after_a_save(qtbot, database, settings, runner,
                                                   save_and_wait, enterprise_factory, session):
    firm = enterprise_factory("常州导出按钮有限公司")
    session.commit()
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
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
