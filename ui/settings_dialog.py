"""设置: database location (open, new, move; 连接服务器 and back to 本机数据库), backup now /
restore, 本单位负责的区县 (kept in the database: imports leave other counties' firms out),
填报单位, officer."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiers.errors import TiersError
from tiers.services import unit as unit_service
from tiers.storage import autobackup, instance
from tiers.storage.backups import backup_file, check_backup, restore_file
from tiers.storage.database import (
    Database,
    DatabaseError,
    open_database,
)
from tiers.storage.faults import explain, storage_error
from tiers.storage.server_schema import where
from ui.app_settings import AppSettings
from ui.ask import BackupChoiceDialog, ConfirmDialog, FileDialog, MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.operations import run_operation

DB_FILTER = "Tiers 数据库 (*.sqlite3 *.db);;所有文件 (*)"
SERVER_BACKUP_FILTER = "服务器数据库备份 (*.dump);;所有文件 (*)"

Result = TypeVar("Result")


def told_in_chinese(context: str, job: Callable[[Task], Result]) -> Callable[[Task], Result]:
    """The job, with a storage failure the storage layer did not word itself (a raw
    "disk I/O error" from SQLite, an OSError of a backup file) turned into its one Chinese
    line: "备份失败：读写数据库时磁盘出错…". A bug keeps its traceback for the log."""

    def guarded(task: Task) -> Result:
        try:
            return job(task)
        except Exception as exc:
            if isinstance(exc, TiersError) or explain(exc) is None:
                raise
            raise storage_error(exc, context) from exc

    return guarded



def backup_folder(database: Database, settings: AppSettings) -> Path:
    """Where the backup and restore dialogs open: the folder chosen last time, else the
    backups folder beside the database (made if need be). Never the database's own folder:
    a dialog there lists the database's files, and one that read them would drop the
    client's SQLite locks (see ui.ask.IconsByName); nor should the officer pick them."""
    remembered = settings._text("folders/backup")
    database_folder = Path(database.path).parent if database.path else None
    if remembered and Path(remembered).is_dir() and Path(remembered) != database_folder:
        return Path(remembered)
    if database_folder is not None:
        folder = database_folder / "backups"
        try:
            folder.mkdir(exist_ok=True)
            return folder
        except OSError:
            pass  # a read-only folder: the officer picks another place
    return Path(settings.last_folder("backup"))


def location(database: Database) -> str:
    """Where the database is, for the officer: its file, or the server and login."""
    return str(database.path) if database.path is not None else where(database.engine)


class SettingsDialog(QDialog):
    database_chosen = Signal(object)  # a Database, opened and migrated
    restored = Signal()

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置"))
        self.database = database
        self.settings = settings
        self.runner = runner
        self.path_label = QLabel(location(database))
        self.path_label.setWordWrap(True)
        db_box = QGroupBox(self.tr("数据库"))
        db_layout = QVBoxLayout(db_box)
        db_layout.addWidget(self.path_label)
        row = QHBoxLayout()
        for text, slot in ((self.tr("打开…"), self.open_other), (self.tr("新建…"), self.new_database),
                           (self.tr("移动到…"), self.move_database)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        self.move_button = button
        db_layout.addLayout(row)
        server_row = QHBoxLayout()
        self.server_button = QPushButton(self.tr("连接服务器…"))
        self.server_button.setToolTip(self.tr("改用本单位共用的数据库服务器（PostgreSQL）"))
        self.server_button.clicked.connect(self.connect_server)
        self.local_button = QPushButton(self.tr("改用本机数据库"))
        self.local_button.setToolTip(self.tr("回到这台电脑上的数据库文件"))
        self.local_button.clicked.connect(self.use_local)
        server_row.addWidget(self.server_button)
        server_row.addWidget(self.local_button)
        server_row.addStretch(1)
        db_layout.addLayout(server_row)
        backup_box = QGroupBox(self.tr("备份"))
        backup_row = QHBoxLayout(backup_box)
        self.backup_button = QPushButton(self.tr("立即备份…"))
        self.backup_button.clicked.connect(lambda: self.backup(self, self.database, self.settings,
                                                               self.runner))
        self.restore_button = QPushButton(self.tr("从备份恢复…"))
        self.restore_button.clicked.connect(self.restore)
        backup_row.addWidget(self.backup_button)
        backup_row.addWidget(self.restore_button)
        identity = QGroupBox(self.tr("填报信息（导出报表时使用）"))
        form = QFormLayout(identity)
        self.organisation = QLineEdit(settings.organisation_of(database))  # this database's
        self.officer = QLineEdit(settings.officer)
        self.phone = QLineEdit(settings.phone)
        form.addRow(self.tr("填报单位"), self.organisation)
        form.addRow(self.tr("填报人"), self.officer)
        form.addRow(self.tr("联系电话"), self.phone)
        unit_box = self._build_unit_box()
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.Save)
        layout = QVBoxLayout(self)
        for widget in (db_box, backup_box, unit_box, identity):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self._show_kind()
        self.load_unit()

    # --- 本单位负责的区县 (in the database, read and written on the runner) ------------------
    def _build_unit_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("本单位（导入名单、导出数据包、推定报送单位时使用）"))
        form = QFormLayout(box)
        self.unit_counties = QLineEdit()
        self.unit_counties.setPlaceholderText(self.tr("如 溧阳市；市里的库写设区市，如 常州市"))
        self.unit_counties.setEnabled(False)  # until read from the database
        note = QLabel(self.tr(
            "导入全省、全市的名单时，不属这些区县的企业“不导入（不属本单位区县）”（预览中可一并导入）；"
            "导出数据包默认勾选这些区县及未填区县的企业；报送单位、填报单位按它推定。"
            "不填则按库中企业。记在数据库中（tiers unit 同样可改）。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        form.addRow(self.tr("本单位负责的区县"), self.unit_counties)
        form.addRow(note)
        self._unit_loaded: str | None = None  # the text as read (None: not read yet)
        return box

    def load_unit(self) -> Task:
        """Read the database's 本单位负责的区县 (on the runner) into the field; a login that
        may not change them (an editor, a viewer on a server) sees them read-only."""
        database = self.database
        self._unit_loaded = None
        self.unit_counties.setEnabled(False)

        def job(_task: Task) -> unit_service.UnitCounties:
            with database.session() as session:
                return unit_service.unit_counties(session)

        def read(unit: unit_service.UnitCounties) -> None:
            if database is not self.database:  # switched meanwhile: the other one reads
                return
            self._unit_loaded = unit.names
            self.unit_counties.setText(self._unit_loaded)
            refusal = database.rights.admin_refusal(unit_service.WHAT)
            self.unit_counties.setEnabled(True)
            self.unit_counties.setReadOnly(bool(refusal))
            self.unit_counties.setToolTip(refusal)

        return run_operation(self, self.runner, self.tr("读取本单位负责的区县"),
                             told_in_chinese("无法读取本单位负责的区县", job), on_success=read)

    def _unit_changed(self) -> list[str] | None:
        """The divisions typed, when they differ from those read; None when unchanged."""
        if self._unit_loaded is None or self.unit_counties.isReadOnly():
            return None
        typed = unit_service.divisions_written(self.unit_counties.text())
        if "、".join(typed) == self._unit_loaded:
            return None
        return typed

    def _save_unit(self, typed: list[str]) -> Task:
        """Write the 本单位负责的区县 (one transaction, on the runner); closes the dialog when
        written, keeps it open with the reason when refused (a name not known: nothing
        changed)."""
        database = self.database
        self.save_button.setEnabled(False)

        def job(_task: Task) -> unit_service.UnitCounties:
            with database.session() as session:
                return unit_service.set_unit_counties(session, typed)

        def written(unit: unit_service.UnitCounties) -> None:
            self._unit_loaded = unit.names
            self.unit_counties.setText(self._unit_loaded)
            self.accept()

        return run_operation(
            self, self.runner, self.tr("保存本单位负责的区县"),
            told_in_chinese("无法保存本单位负责的区县", job), on_success=written,
            on_finished=lambda: self.save_button.setEnabled(True),
            on_failure=lambda message: MessageDialog.error(
                self, self.tr("本单位负责的区县"), message))

    def _show_kind(self) -> None:
        """What applies only to a file (moving it, restoring a file backup) is off on a
        server, whose backups are its administrator's (tiers backup / tiers restore)."""
        on_server = self.database.path is None
        self.move_button.setEnabled(not on_server)
        self.restore_button.setEnabled(not on_server)
        self.restore_button.setToolTip(self.tr("服务器上的数据库由管理员恢复") if on_server else "")
        self.local_button.setEnabled(on_server)
    def save(self) -> Task | None:
        self.settings.set_organisation_of(self.database, self.organisation.text())
        not_written = self.settings.store_officer(self.officer.text(), self.phone.text())
        if not_written:  # kept in the client's settings: said, with what and where
            MessageDialog.info(self, self.tr("填报人和联系电话"), self.tr(
                "填报人和联系电话未能写入填报人设置文件：%1。\n\n它们已暂记在本机的客户端设置中，"
                "本客户端照常使用；命令行（tiers）读不到它们，操作人按系统用户记。"
                "修正或删除该文件后重新启动客户端，即写入该文件。").replace("%1", not_written))
        typed = self._unit_changed()
        if typed is not None:  # the database's: written on the runner, then closed
            return self._save_unit(typed)
        self.accept()
        return None

    # --- database location -------------------------------------------------------------
    # Opening a file migrates it (after a backup) and moving one copies it: seconds for a
    # large database, so both run on the background runner behind a busy dialog.
    def _busy(self, title: str, text: str) -> QProgressDialog:
        busy = QProgressDialog(text, None, 0, 0, self)
        busy.setWindowTitle(title)
        busy.setWindowModality(Qt.WindowModality.WindowModal)
        busy.setMinimumDuration(0)
        busy.setCancelButton(None)  # one step: there is no half-way to stop at
        busy.show()
        return busy

    def _is_current(self, path: str) -> bool:
        current = self.database.path
        if current is None or not Path(path).exists() or not Path(current).exists():
            return False
        return os.path.samefile(path, current)

    def _pause_listening(self) -> None:
        """The window's listener (ui.server_changes) stopped, in the GUI thread, before a
        job opens or replaces a database file: its connection is closed before the file is
        touched. Started again by the window's switch, or by _resume_listening on failure."""
        watcher = getattr(self.parent(), "server_changes", None)
        if watcher is not None:
            watcher.stop()

    def _resume_listening(self) -> None:
        watcher = getattr(self.parent(), "server_changes", None)
        if watcher is not None:
            watcher.follow()  # the window's database, still the one it had

    def _open(self, path: str) -> Task | None:
        """Open (and migrate) the database at ``path`` on the runner; use it when ready.
        The database already open is not opened a second time: nothing to switch to."""
        if self._is_current(path):
            MessageDialog.info(self, self.tr("打开数据库"), self.tr("已是当前打开的数据库。"))
            return None
        self._pause_listening()
        busy = self._busy(self.tr("打开数据库"), self.tr("正在打开数据库，请稍候……"))

        def job(_task: Task) -> Database:
            taken = instance.claim(path)  # another client's database is not even opened
            try:
                return open_database(path)
            except BaseException:
                if taken:
                    instance.release(path)
                raise

        def opened(database: Database) -> None:
            self.settings.uses_server = False  # the next start opens this file too
            self._use(database)

        return run_operation(
            self, self.runner, self.tr("打开数据库"), told_in_chinese("无法打开数据库", job),
            on_success=opened, on_finished=busy.close,
            on_failure=lambda message: (self._resume_listening(),
                                        MessageDialog.error(self, self.tr("无法打开数据库"), message)))

    def _use(self, database: Database) -> None:
        self.database = database
        # 填报单位 is this database's: the one switched to shows (and 保存 stores) its own
        self.organisation.setText(self.settings.organisation_of(database))
        self.path_label.setText(location(database))
        self._show_kind()
        self.load_unit()  # the 本单位负责的区县 of the database switched to
        self.database_chosen.emit(database)

    # --- the bureau's server ------------------------------------------------------------
    def connect_server(self):
        """设置 → 连接服务器: the connect dialog; once connected the window switches to the
        server's database."""
        from ui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.settings, self.runner, self)
        dialog.connected.connect(lambda database: self._connected(dialog, database))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()
        return dialog

    def _connected(self, dialog, database: Database) -> None:
        self._use(database)
        if dialog.password_note:
            MessageDialog.info(self, self.tr("连接服务器"), dialog.password_note)

    def use_local(self) -> Task | None:
        """Back to the file on this computer: the one used last, else the default."""
        return self._open(str(self.settings.local_database))

    def open_other(self) -> Task | None:
        path = FileDialog.open_file(self, self.tr("打开数据库"),
                                    self.settings.last_folder("database"), DB_FILTER)
        return self._switch(path)

    def new_database(self) -> Task | None:
        path = FileDialog.save_file(self, self.tr("新建数据库"),
                                    str(Path(self.settings.last_folder("database"))
                                        / "tiers.sqlite3"), DB_FILTER)
        if path and Path(path).exists():
            MessageDialog.error(self, self.tr("新建数据库"), self.tr("该文件已存在，请换一个名字。"))
            return None
        return self._switch(path)

    def _switch(self, path: str) -> Task | None:
        if not path:
            return None
        self.settings.remember_folder("database", path)
        return self._open(path)

    def move_database(self) -> Task | None:
        """A consistent copy at the new place (the old file stays as it was), then use it."""
        path = FileDialog.save_file(self, self.tr("把数据库移动到"),
                                    str(Path(self.settings.last_folder("database"))
                                        / Path(str(self.database.path)).name), DB_FILTER)
        if not path:
            return None
        if Path(path).exists():
            MessageDialog.error(self, self.tr("移动数据库"), self.tr("目标文件已存在。"))
            return None
        source = Path(self.database.path)
        busy = self._busy(self.tr("移动数据库"), self.tr("正在复制数据库，请稍候……"))

        def copied(_target: Path) -> None:
            MessageDialog.info(self, self.tr("移动数据库"), self.tr(
                "数据库已复制到新位置并改用新文件。原文件仍保留在：%1").replace("%1", str(source)))
            self.settings.remember_folder("database", path)
            self._open(path)

        return run_operation(
            self, self.runner, self.tr("移动数据库"),
            told_in_chinese("移动失败", lambda _t: backup_file(source, Path(path))),
            on_success=copied, on_finished=busy.close)

    # --- backup / restore ---------------------------------------------------------------
    @classmethod
    def backup(cls, parent: QWidget | None, database: Database, settings: AppSettings,
               runner: BackgroundRunner, target: str | None = None) -> Task | None:
        if target is None:
            # a server's backup is pg_dump's custom format, a file's a copy of the file
            suffix, filters = (".sqlite3", DB_FILTER) if database.path is not None \
                else (".dump", SERVER_BACKUP_FILTER)
            suggested = backup_folder(database, settings) / autobackup.client_backup_name(
                dt.datetime.now(), suffix)
            target = FileDialog.save_file(parent, "备份数据库", str(suggested), filters)
        if not target:
            return None
        settings.remember_folder("backup", target)
        return run_operation(
            parent, runner, "备份", told_in_chinese("备份失败", lambda _t: database.backup(target)),
            on_success=lambda path: MessageDialog.info(parent, "备份完成", f"已备份到：{path}"),
            on_failure=lambda message: MessageDialog.error(parent, "备份失败", message))

    def restore(self) -> Task | None:
        """Replace the current data with a backup; the current file is backed up first.
        The backups beside the database are listed (date, kind, firm count: each file is
        read, so on the runner) to choose from, or a file elsewhere."""
        if self.database.path is None:
            return self._restore_from(self._ask_backup_file())
        current = Path(self.database.path)
        return run_operation(self, self.runner, self.tr("读取备份"),
                             told_in_chinese("无法读取备份",
                                             lambda _task: autobackup.list_backups(current)),
                             on_success=self._choose_backup)

    def _choose_backup(self, backups: list[autobackup.BackupInfo]) -> Task | None:
        choice = BackupChoiceDialog.ask(self, [info.label() for info in backups]) \
            if backups else -1
        if choice is None:
            return None
        if choice >= 0:  # its date and firm count are known already
            return self._confirm_restore(backups[choice])
        return self._restore_from(self._ask_backup_file())

    def _ask_backup_file(self) -> str:
        return FileDialog.open_file(self, self.tr("选择备份文件"),
                                    str(backup_folder(self.database, self.settings)),
                                    DB_FILTER)

    def _restore_from(self, path: str) -> Task | None:
        """A file chosen elsewhere: its date and firm count are read on the runner first."""
        if not path:
            return None
        return run_operation(self, self.runner, self.tr("读取备份"),
                             told_in_chinese("无法读取备份",
                                             lambda _task: autobackup.describe(Path(path))),
                             on_success=self._confirm_restore)

    @staticmethod
    def backup_summary(info: autobackup.BackupInfo) -> str:
        """2026-03-02 08:00 的自动备份，其中 120 家企业 — what the officer gets back."""
        made = info.made
        if made is None:  # a file named otherwise: when it was last written
            try:
                made = dt.datetime.fromtimestamp(info.path.stat().st_mtime)
            except OSError:
                made = None
        when = made.strftime("%Y-%m-%d %H:%M") if made else "日期未知"
        firms = f"{info.firms:,} 家企业" if info.firms is not None else "企业数无法读取"
        return f"{when} 的{info.reason}（{info.path.name}），其中 {firms}"

    def _confirm_restore(self, info: autobackup.BackupInfo) -> Task | None:
        """The copy (seconds for a large file) runs on the background thread behind a busy
        dialog; the database is opened again here when it is done."""
        path = str(info.path)
        summary = self.backup_summary(info)
        if not ConfirmDialog.ask(self, self.tr("从备份恢复"), self.tr(
                "用这份备份替换当前数据库？\n%1\n当前数据会先自动备份到数据库旁的 backups 文件夹。")
                .replace("%1", summary)):
            return None
        current = Path(self.database.path)
        try:
            check_backup(path)  # a read-only look: refuses files that are not Tiers backups
        except DatabaseError as exc:
            MessageDialog.error(self, self.tr("恢复失败"), str(exc) + self.tr("（当前数据未改变）"))
            return None
        database = self.database

        def job(_task: Task) -> tuple[Database, Path]:
            database.dispose()  # here: after any job queued before this one has finished
            before = restore_file(path, current)  # backs up the current data first
            return open_database(current), before

        self._pause_listening()  # its connection closed before the file is replaced
        busy = self._busy(self.tr("从备份恢复"), self.tr("正在从备份恢复，请稍候……"))
        return run_operation(
            self, self.runner, self.tr("恢复"), told_in_chinese("恢复失败", job),
            on_success=lambda outcome: self._restored(*outcome, summary=summary),
            on_finished=busy.close,
            on_failure=lambda message: (self._resume_listening(),
                                        MessageDialog.error(self, self.tr("恢复失败"), message)))

    def _restored(self, database: Database, before: Path, *, summary: str = "") -> None:
        self._use(database)
        self.restored.emit()
        MessageDialog.info(self, self.tr("从备份恢复"), self.tr(
            "已恢复：%1。\n恢复前的数据已备份为 %2。").replace("%1", summary)
            .replace("%2", str(before)))
