"""Every question the client asks the user, as patchable classmethods so that tests never
hang on a modal window: ``monkeypatch.setattr(ConfirmDialog, "ask", lambda *a, **k: True)``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileInfo, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFileIconProvider,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from shiboken6 import isValid


class ConfirmDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str, *,
            default_yes: bool = False) -> bool:
        """是 / 否; Enter answers 否 unless ``default_yes`` (a harmless offer)."""
        answer = QMessageBox.question(parent, title, text, QMessageBox.Yes | QMessageBox.No,
                                      QMessageBox.Yes if default_yes else QMessageBox.No)
        return answer == QMessageBox.Yes

    @classmethod
    def unsaved(cls, parent: QWidget | None, text: str, *, can_save: bool = True) -> str:
        """"save", "discard" or "cancel": 保存, 放弃修改 or 返回修改 (Esc too), which gives
        the focus back to the field it was in. Without ``can_save`` (the form has errors)
        there is no 保存 and Enter means 返回修改, never losing the edits."""
        had_focus = QApplication.focusWidget()
        answer = {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(
            QMessageBox.StandardButton(cls.unsaved_box(parent, text, can_save=can_save).exec()),
            "cancel")
        if answer == "cancel" and had_focus is not None and isValid(had_focus):
            # back to editing where the officer was: without a window manager's help the
            # window got no focus back (Ctrl+Tab and typing did nothing until a click)
            had_focus.window().activateWindow()
            had_focus.setFocus(Qt.OtherFocusReason)
        return answer

    @classmethod
    def unsaved_box(cls, parent: QWidget | None, text: str, *,
                    can_save: bool = True) -> QMessageBox:
        """The question unsaved() asks, not yet shown."""
        buttons = QMessageBox.Discard | QMessageBox.Cancel
        box = QMessageBox(QMessageBox.Warning, "未保存的修改", text,
                          buttons | QMessageBox.Save if can_save else buttons, parent)
        box.setDefaultButton(QMessageBox.Save if can_save else QMessageBox.Cancel)
        if can_save:
            box.button(QMessageBox.Save).setText("保存")
        box.button(QMessageBox.Discard).setText("放弃修改")
        # (取消 read as “cancel my edits”, while it goes back to them)
        box.button(QMessageBox.Cancel).setText("返回修改")
        return box

    @classmethod
    def unsaved_edits(cls, parent: QWidget, what: str, errors: dict[str, str]) -> str:
        """unsaved() for a form with edits (``what``: 这家企业, 这条记录): with the reasons
        it cannot be saved, and no 保存, while ``errors`` holds any."""
        if errors:
            return cls.unsaved(parent, parent.tr(
                "%1有未保存的修改，但现在无法保存：%2。\n放弃这些修改，还是返回修改？")
                .replace("%1", what).replace("%2", "；".join(errors.values())), can_save=False)
        return cls.unsaved(parent, parent.tr("%1有未保存的修改。是否保存？").replace("%1", what))


class MessageDialog:
    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.critical(parent, title, text)


class RetryDialog:
    """A write that could not land because another program held the database: 重试 or 取消
    (nothing was written either way)."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Cancel, parent)
        retry = box.addButton("重试", QMessageBox.AcceptRole)
        box.setDefaultButton(retry)
        box.exec()
        return box.clickedButton() is retry


class UnexpectedErrorDialog:
    """An error nobody foresaw (a bug): said in Chinese, with where the log is and a button
    that copies the details for whoever looks after the program."""

    COPY = "复制错误信息"

    @classmethod
    def build(cls, parent: QWidget | None, summary: str, details: str,
              log_path: Path | str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Critical, "意外错误",
                          "程序遇到了一个意外错误，已记入日志；您可以继续工作，"
                          "但建议保存后重新启动程序。\n\n"
                          f"错误：{summary}\n日志文件：{log_path}", QMessageBox.Close, parent)
        copy = box.addButton(cls.COPY, QMessageBox.ActionRole)
        copy.clicked.disconnect()  # an action button would close the box: copy and stay
        copy.clicked.connect(lambda: QApplication.clipboard().setText(
            f"{summary}\n日志文件：{log_path}\n\n{details}"))
        box.setDetailedText(details)
        return box

    @classmethod
    def show(cls, parent: QWidget | None, summary: str, details: str,
             log_path: Path | str) -> None:
        cls.build(parent, summary, details, log_path).exec()


class BackupChoiceDialog:
    OTHER = "其他备份文件…"

    @classmethod
    def ask(cls, parent: QWidget | None, labels: list[str]) -> int | None:
        """Which of the backups (their labels: date, kind, firms) to restore: its index,
        -1 for a file elsewhere, None when cancelled."""
        items = [*labels, cls.OTHER]
        value, ok = QInputDialog.getItem(parent, "从备份恢复",
                                         "选择要恢复的备份（日期、类型、企业数）：",
                                         items, 0, False)
        if not ok:
            return None
        index = items.index(value)
        return -1 if index == len(labels) else index


# Labels of Qt's own file dialog that qtbase_zh_CN does not translate (Qt 6 renamed them
# to "&Look in:" / "Files of &type:"): set them ourselves.
FILE_DIALOG_LABELS = {QFileDialog.LookIn: "查找范围：", QFileDialog.FileName: "文件名：",
                      QFileDialog.FileType: "文件类型：", QFileDialog.Reject: "取消"}


class IconsByName(QFileIconProvider):
    """Icons and the 类型 column decided by the file's name alone, never by its contents.

    Qt's own provider asks QMimeDatabase, which opens a file whose name it does not know
    (the database's -wal and -shm) to sniff its first bytes, and closes it again. On Linux
    closing *any* descriptor of a file drops *all* of the process's POSIX locks on it, the
    locks SQLite uses to know that the client is still there: the next ``tiers`` command
    then thinks it is alone, checkpoints and deletes the -wal and -shm under the running
    client, whose later writes go to a deleted file (issue #14 item 4;
    tests/ui/test_file_dialog_keeps_locks.py)."""

    def icon(self, what) -> QIcon:
        if isinstance(what, QFileInfo):
            what = QFileIconProvider.Folder if what.isDir() else QFileIconProvider.File
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "文件夹"
        suffix = info.suffix()
        return f"{suffix.upper()} 文件" if suffix else "文件"


class HideDatabaseSidecars(QSortFilterProxyModel):
    """Hides what SQLite and Tiers keep beside a database (-wal, -shm, -journal, .lock):
    nobody should pick them, and what is not listed is not looked at."""

    SIDECARS = ("-wal", "-shm", "-journal", ".lock")

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        index = self.sourceModel().index(row, 0, parent)
        name = index.data()
        return not (isinstance(name, str) and name.endswith(self.SIDECARS)
                    and not self.sourceModel().isDir(index))


_icons_by_name: list[IconsByName] = []  # one for all dialogs (a dialog does not own it)


def icons_by_name() -> IconsByName:
    if not _icons_by_name:
        _icons_by_name.append(IconsByName())
    return _icons_by_name[0]


def file_dialog(parent: QWidget | None, title: str, folder: str, filters: str = "", *,
                mode: str = "open") -> QFileDialog:
    """Qt's (non-native) file dialog, everywhere the same and all in Chinese, that never
    opens a file it lists (see IconsByName): a native dialog would, beyond our reach."""
    dialog = QFileDialog(parent, title, folder, filters)
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setIconProvider(icons_by_name())
    dialog.setProxyModel(HideDatabaseSidecars(dialog))
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
        dialog.setLabelText(QFileDialog.Accept, "保存")
    elif mode == "folder":
        dialog.setFileMode(QFileDialog.Directory)
        dialog.setOption(QFileDialog.ShowDirsOnly, True)
        dialog.setLabelText(QFileDialog.Accept, "选择")
    else:
        dialog.setFileMode(QFileDialog.ExistingFile)
        dialog.setLabelText(QFileDialog.Accept, "打开")
    for label, text in FILE_DIALOG_LABELS.items():
        dialog.setLabelText(label, text)
    if mode == "save" and filters:
        # like the native dialog: add the filter's extension when the user typed none
        suffix = filters.split("*.", 1)[1].split(")", 1)[0].split()[0] if "*." in filters else ""
        if suffix and suffix != "*":
            dialog.setDefaultSuffix(suffix)
    return dialog


def _chosen(dialog: QFileDialog) -> str:
    if dialog.exec() != QFileDialog.Accepted:
        return ""
    files = dialog.selectedFiles()
    return files[0] if files else ""


class FileDialog:
    @classmethod
    def open_file(cls, parent: QWidget | None, title: str, folder: str, filters: str) -> str:
        return _chosen(file_dialog(parent, title, folder, filters, mode="open"))

    @classmethod
    def open_files(cls, parent: QWidget | None, title: str, folder: str,
                   filters: str) -> list[str]:
        """One file or several (the filled 采集表 that came back)."""
        dialog = file_dialog(parent, title, folder, filters, mode="open")
        dialog.setFileMode(QFileDialog.ExistingFiles)
        return dialog.selectedFiles() if dialog.exec() == QFileDialog.Accepted else []

    @classmethod
    def save_file(cls, parent: QWidget | None, title: str, path: str, filters: str) -> str:
        return _chosen(file_dialog(parent, title, path, filters, mode="save"))

    @classmethod
    def folder(cls, parent: QWidget | None, title: str, folder: str) -> str:
        return _chosen(file_dialog(parent, title, folder, mode="folder"))


class OperatorDialog:
    @classmethod
    def ask(cls, parent: QWidget | None) -> str | None:
        """The officer's own name, asked once on first start: it is recorded as 操作人 on
        every change and as 填报人 on reports. None when cancelled."""
        value, ok = QInputDialog.getText(
            parent, "欢迎使用梯度培育企业库",
            "请输入您的姓名。\n它会记录在每一条修改的“操作人”中，并作为报表的“填报人”；"
            "以后可在“设置”中修改。\n\n姓名：")
        return value.strip() if ok else None


class OfficerDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, enterprise_name: str, tier_name: str, year: int,
            officer: str = "") -> str | None:
        """The responsible officer (责任人) for a new 培育库 entry; None when cancelled."""
        text = (f"把“{enterprise_name}”加入培育库\n目标：{year}年 {tier_name}\n\n责任人：")
        value, ok = QInputDialog.getText(parent, "加入培育库", text, text=officer)
        return value.strip() if ok else None
