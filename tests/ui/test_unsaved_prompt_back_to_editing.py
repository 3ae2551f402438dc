"""Esc with unsaved edits asks 保存 / 放弃修改 / 返回修改 (a county officer, #23): its third
button read 取消, which could be read as “cancel my edits” while it meant going back to
them; and after it, nothing in the firm window had the focus (Ctrl+Tab and typing did
nothing until a field was clicked). Going back returns the focus to the field it was in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from ui.ask import ConfirmDialog
from ui.enterprise_dialog import EnterpriseDialog
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import measure_fields

REAL_UNSAVED = ConfirmDialog.__dict__["unsaved"]  # (tests answer it; these ask for real)


@pytest.fixture
def asked(monkeypatch):
    """The real question while the test runs; answered again once it ends (the windows
    closed after the test must not ask with nobody to answer)."""
    windows: list = []
    with monkeypatch.context() as patch:
        patch.setattr(ConfirmDialog, "unsaved", REAL_UNSAVED)
        yield windows
    for window in windows:  # (qtbot would close them while the real question is asked)
        window.close()


def answered(qtbot, button_text: str, seen: list) -> QTimer:
    """Click ``button_text`` on the question once it shows; its buttons noted in ``seen``."""
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        box = next((w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is not None:
            timer.stop()
            shown = [b for b in box.findChildren(QPushButton) if b.isVisible()]
            seen.extend(b.text() for b in sorted(  # as they read, left to right
                shown, key=lambda b: b.mapTo(box, b.rect().topLeft()).x()))
            # (its 取消 when there is none such: the test fails, never hangs)
            next((b for b in box.buttons() if b.text() == button_text),
                 box.button(QMessageBox.Cancel)).click()

    timer.timeout.connect(look)
    timer.start()
    return timer


def _firm_window(qtbot, asked, database, settings, runner, enterprise_factory, session):
    firm = enterprise_factory("常州返回科技有限公司")
    session.commit()
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    asked.append(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def test_the_question_says_back_to_editing(qtbot, asked, database, settings, runner,
                                           enterprise_factory, session):
    dialog = _firm_window(qtbot, asked, database, settings, runner, enterprise_factory, session)
    field = dialog.inputs["contact_phone"]
    field.setFocus()
    QTest.keyClicks(field, "0519-8888")
    seen: list[str] = []
    timer = answered(qtbot, "返回修改", seen)
    QTest.keyClick(field, Qt.Key_Escape)
    timer.stop()
    assert seen == ["保存", "放弃修改", "返回修改"]
    assert "取消" not in seen
    assert dialog.isVisible() and field.text() == "0519-8888"  # the edits kept


def test_going_back_returns_the_focus_to_the_field(qtbot, asked, database, settings,
                                                   runner, enterprise_factory, session):
    dialog = _firm_window(qtbot, asked, database, settings, runner, enterprise_factory, session)
    field = dialog.inputs["contact_phone"]
    field.setFocus()
    QTest.keyClicks(field, "0519")
    timer = answered(qtbot, "返回修改", [])
    QTest.keyClick(field, Qt.Key_Escape)
    timer.stop()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    assert QApplication.activeWindow() is dialog
    QTest.keyClicks(QApplication.focusWidget(), "-66")  # typing goes on where it was
    assert field.text() == "0519-66"
    QTest.keyClick(QApplication.focusWidget(), Qt.Key_Tab, Qt.ControlModifier)
    assert dialog.tabs.currentIndex() == 1  # Ctrl+Tab works at once


def test_a_record_form_asks_the_same(qtbot, asked):
    """The record form (添加/修改 a record) asks the same question, and going back returns
    to the field too."""
    form = RecordFormDialog("扶持措施", measure_fields(), {"year": 2024})
    asked.append(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    name = form.widgets["name"]
    name.setFocus()
    QTest.keyClicks(name, "2026 award")
    seen: list[str] = []
    timer = answered(qtbot, "返回修改", seen)
    QTest.keyClick(name, Qt.Key_Escape)
    timer.stop()
    assert seen == ["保存", "放弃修改", "返回修改"]
    assert form.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is name)
    assert name.text() == "2026 award"
