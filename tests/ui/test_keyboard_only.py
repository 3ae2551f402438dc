"""An officer who works with the keyboard only (Tab, Enter, Esc, Ctrl+Tab): every field and
button of the enterprise window and its record forms is reachable, typing starts in the
first field, and Esc after edits asks before anything is lost (found walking the real
client: the form opened on its scroll area, 备注 swallowed Tab, a record table kept Tab
and Ctrl+Tab for itself, and Esc dropped a half-typed support measure without a word)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialogButtonBox

from tiers.services import measures
from ui.ask import ConfirmDialog
from ui.enterprise_dialog import EnterpriseDialog
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import measure_fields


def _measure_form(qtbot, values=None) -> RecordFormDialog:
    form = RecordFormDialog("扶持措施", measure_fields(), values or {"year": 2024},
                            measures.clean)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    return form


def test_typing_starts_in_the_first_field(qtbot):
    form = _measure_form(qtbot)
    kind = form.widgets["kind"]
    assert isinstance(kind, QComboBox) and kind.isEditable()
    assert form.focusWidget() in (kind, kind.lineEdit())
    cancel = form.buttons.button(QDialogButtonBox.Cancel)
    cancel.setFocus()
    qtbot.keyClick(cancel, Qt.Key_Tab)  # round again: no stop on the scroll area
    assert form.focusWidget() in (kind, kind.lineEdit())


def test_tab_leaves_the_note_field_instead_of_typing_a_tab(qtbot):
    form = _measure_form(qtbot)
    note = form.widgets["note"]
    note.setFocus()
    qtbot.keyClick(note, Qt.Key_Tab)
    assert note.toPlainText() == ""
    assert form.focusWidget() is not note


def test_esc_after_edits_asks_and_keeps_them(qtbot, monkeypatch):
    form = _measure_form(qtbot)
    form.set_value("name", "省级专精特新认定奖励")
    form.set_value("amount", "20")
    asked = []
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(
        lambda cls, parent, text, **k: asked.append((text, k)) or "cancel"))
    qtbot.keyClick(form, Qt.Key_Escape)
    assert asked and "是否保存" in asked[0][0] and asked[0][1] == {}
    assert form.isVisible() and form.widgets["amount"].text() == "20"
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(lambda cls, *a, **k: "save"))
    form.set_value("kind", "认定奖励")
    qtbot.keyClick(form, Qt.Key_Escape)  # 保存: the record is kept, as with 确定
    assert form.result_values is not None and form.result_values["amount"] == "20"


def test_esc_asks_to_discard_only_when_something_changed(qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(
        lambda cls, *a, **k: asked.append(1) or "discard"))
    untouched = _measure_form(qtbot)
    qtbot.keyClick(untouched, Qt.Key_Escape)
    assert not asked and not untouched.isVisible() and untouched.result_values is None
    edited = _measure_form(qtbot)
    edited.set_value("amount", "5")
    qtbot.keyClick(edited, Qt.Key_Escape)
    assert asked and not edited.isVisible() and edited.result_values is None


def test_record_table_lets_tab_and_ctrl_tab_go_and_enter_opens_the_row(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session, monkeypatch):
    from tiers.services import measures as measure_service

    firm = enterprise_factory("常州键盘测试有限公司")
    measure_service.add(session, firm.id, {"kind": "认定奖励", "name": "奖励",
                                                   "amount": "5", "year": 2024})
    session.commit()
    dialog = firm_window(firm.id)
    dialog.show()
    qtbot.waitExposed(dialog)
    tab = dialog.measure_tab
    dialog.tabs.setCurrentWidget(tab)
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    opened = []
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, *a: opened.append(values) or None))
    qtbot.keyClick(tab.table, Qt.Key_Return)
    assert len(opened) == 1 and opened[0]["name"] == "奖励"
    qtbot.keyClick(tab.table, Qt.Key_Tab)
    assert dialog.focusWidget() is not tab.table  # on to 添加, 修改, 删除
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key_Tab, Qt.ControlModifier)
    assert dialog.tabs.currentWidget() is dialog.chain_tab


def test_tab_leaves_the_note_of_the_basic_form(qtbot, database, settings, runner):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    notes = [widget for widget in dialog.inputs.values() if hasattr(widget, "toPlainText")]
    assert notes
    for note in notes:
        assert note.tabChangesFocus()


def test_esc_on_a_form_that_cannot_be_saved_offers_no_save(qtbot, monkeypatch):
    form = _measure_form(qtbot)
    form.set_value("amount", "2O.5")  # a letter O among the digits
    assert "数字" in form.errors["amount"].text() and not form.errors["amount"].isHidden()
    asked = []
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(
        lambda cls, parent, text, **k: asked.append((text, k)) or "cancel"))
    qtbot.keyClick(form, Qt.Key_Escape)
    assert asked[0][1] == {"can_save": False} and form.isVisible()
    assert "无法保存" in asked[0][0] and "2O.5" in asked[0][0]


def test_ctrl_tab_turns_the_page_from_the_buttons_too(qtbot, database, settings, runner):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitActive(dialog)
    cancel = dialog.buttons.button(QDialogButtonBox.Cancel)
    cancel.setFocus()
    qtbot.keyClick(cancel, Qt.Key_Tab, Qt.ControlModifier)
    assert dialog.tabs.currentWidget() is dialog.recognition_tab
    qtbot.keyClick(dialog.focusWidget(), Qt.Key_Backtab, Qt.ControlModifier | Qt.ShiftModifier)
    assert dialog.tabs.currentWidget() is dialog.basic_form
    qtbot.keyClick(dialog.focusWidget(), Qt.Key_Backtab, Qt.ControlModifier | Qt.ShiftModifier)
    assert dialog.tabs.currentWidget() is dialog.history_view  # round the end


def test_the_enterprise_window_opens_as_large_as_it_was_left(qtbot, database, settings,
                                                             runner):
    first = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(first)
    first.show()
    default = first.size()
    first.resize(default.width() - 200, default.height() + 40)
    left = first.size()
    assert left != default
    first.reject()  # nothing typed: closes without asking
    assert not first.isVisible()
    again = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(again)
    assert again.size() == left


def test_the_enterprise_window_first_fits_the_screen(qtbot, database, settings, runner):
    """A small screen (here the test screen) gets a window that fits it, not 900 × 640."""
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    room = dialog.screen().availableGeometry()
    assert dialog.width() <= room.width() and dialog.height() <= room.height()


def test_alt_letters_add_change_and_delete_a_record(qtbot, firm_window, database, settings, runner,
                                                    enterprise_factory, session, monkeypatch):
    """添加(A)、修改(E)、删除(D) under each record page: an officer who types a support measure
    in reaches them with Alt and a letter, as in WPS, not only by tabbing through the table
    (the officer's walk: no key of the enterprise window but Ctrl+S and Ctrl+Tab had one)."""
    from PySide6.QtWidgets import QApplication

    from tiers.services import measures as measure_service

    firm = enterprise_factory("常州快捷键测试有限公司")
    measure_service.add(session, firm.id, {"kind": "认定奖励", "name": "奖励",
                                           "amount": "5", "year": 2024})
    session.commit()
    dialog = firm_window(firm.id)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    tab = dialog.measure_tab
    dialog.tabs.setCurrentWidget(tab)
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    opened = []
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, parent, title, fields, values, *a: opened.append(dict(values)) or None))

    def alt(letter):  # a button's mnemonic clicks it after its 100 ms press animation
        qtbot.keyClick(QApplication.focusWidget() or dialog, letter, Qt.AltModifier)
        qtbot.wait(250)

    alt(Qt.Key_A)
    assert len(opened) == 1 and not opened[0].get("name")  # a new, empty record
    tab.table.setFocus()
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    alt(Qt.Key_E)
    assert len(opened) == 2 and opened[1]["name"] == "奖励"
    tab.table.setFocus()
    alt(Qt.Key_D)
    assert tab.dirty() and tab.edits()[0].state != "saved"
    # another page's buttons answer there: Alt+A adds a yearly figure, not a measure
    dialog.tabs.setCurrentWidget(dialog.figures_tab)
    dialog.figures_tab.table.setFocus()
    alt(Qt.Key_A)
    assert len(opened) == 3 and "year" in opened[2] and "kind" not in opened[2]


def test_a_warning_under_a_field_does_not_make_the_form_scroll(qtbot):
    """扶持措施 with 已兑现 and no 兑现日期 says so under the field; the form grew a scroll bar
    for it at 1366×768 (the desk testers), with room to spare on the screen."""
    from PySide6.QtWidgets import QScrollArea

    form = _measure_form(qtbot)
    scroll = form.findChild(QScrollArea).verticalScrollBar()
    assert scroll.maximum() == 0
    form.set_value("status", "已兑现")
    warning = form.errors["paid_on"]
    assert warning.isVisible() and "兑现日期" in warning.text()
    qtbot.wait(50)
    assert scroll.maximum() == 0
    form.set_value("amount", "二十")  # an error too: still no scroll bar
    qtbot.waitUntil(lambda: form.errors["amount"].isVisible())
    qtbot.wait(50)
    assert scroll.maximum() == 0
