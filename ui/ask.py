"""Every question the client asks the user, as patchable classmethods so that tests never
hang on a modal window: ``monkeypatch.setattr(ConfirmDialog, "ask", lambda *a, **k: True)``."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget


class ConfirmDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        answer = QMessageBox.question(parent, title, text,
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        return answer == QMessageBox.Yes

    @classmethod
    def unsaved(cls, parent: QWidget | None, text: str) -> str:
        """"save", "discard" or "cancel"."""
        box = QMessageBox(QMessageBox.Warning, "未保存的修改", text,
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, parent)
        box.setDefaultButton(QMessageBox.Save)
        answer = box.exec()
        return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(
            QMessageBox.StandardButton(answer), "cancel")


class MessageDialog:
    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)


class TextDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, text=text)
        return value.strip() if ok else None


class FileDialog:
    @classmethod
    def open_file(cls, parent: QWidget | None, title: str, folder: str, filters: str) -> str:
        return QFileDialog.getOpenFileName(parent, title, folder, filters)[0]

    @classmethod
    def save_file(cls, parent: QWidget | None, title: str, path: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(parent, title, path, filters)[0]

    @classmethod
    def folder(cls, parent: QWidget | None, title: str, folder: str) -> str:
        return QFileDialog.getExistingDirectory(parent, title, folder)


class OfficerDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, enterprise_name: str, tier_name: str, year: int,
            officer: str = "") -> str | None:
        """The responsible officer (责任人) for a new 培育库 entry; None when cancelled."""
        text = (f"把“{enterprise_name}”加入培育库\n目标：{year}年 {tier_name}\n\n责任人：")
        value, ok = QInputDialog.getText(parent, "加入培育库", text, text=officer)
        return value.strip() if ok else None
