"""Start the desktop client: ``tiers`` with no command calls ``run(db_path=args.db)``.

On a file: take it (the lock file), open it, offer the demo when empty, back it up daily.
On the bureau's server (``--db URL``, ``TIERS_DB``, or 设置 → 连接服务器 last time):
ui.server_start connects, with 重试 / 修改连接 / 改用本机数据库 when it cannot; then the
window listens for the other clients' changes (ui.server_changes)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog

from tiers.queries import roster
from tiers.storage import autobackup, instance
from tiers.storage import officer as officer_file
from tiers.storage.database import Database, DatabaseError, open_database
from tiers.storage.location import default_path
from ui import error_log, gc_guard, startup_trace
from ui.about import application_icon
from ui.app_settings import APPLICATION, ORGANISATION, AppSettings
from ui.ask import ConfirmDialog, MessageDialog, OperatorDialog
from ui.background_runner import Task
from ui.operations import run_operation
from ui.server_changes import ServerChanges
from ui.server_start import GoLocal, open_server, server_target
from ui.settings_dialog import told_in_chinese

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)

DEMO_ENTERPRISES = 300


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Chinese Qt translations and a CJK-friendly font."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("梯度培育企业库")
    app.setWindowIcon(application_icon())
    install_translations(app)
    font = app.font()
    font.setFamilies([font.family(), "Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC",
                      "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei"])
    font.setStyleStrategy(QFont.PreferAntialias)
    app.setFont(font)
    return app


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own qtbase_zh_CN, so standard buttons and dialogs speak Chinese."""
    translators = getattr(app, "_tiers_translators", None)
    if translators is not None:
        return translators
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    translators = []
    for name in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Chinese, QLocale.China), name, "_", folder):
            app.installTranslator(translator)
            translators.append(translator)
    app._tiers_translators = translators
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    return translators


def open_or_report(path: str | Path) -> Database | None:
    try:
        return open_database(path)
    except DatabaseError as exc:
        MessageDialog.error(None, "无法打开数据库", str(exc))
        return None


def claim_or_report(path: Path) -> bool:
    """Take the database for this client; when another client has it open, say who and
    quit (two clients on one file would each show data the other changes underneath)."""
    try:
        instance.claim(path)
    except instance.DatabaseInUse as exc:
        MessageDialog.error(None, "数据库已在使用中", f"{exc}\n\n本程序将退出。")
        return False
    return True


def is_empty(database: Database) -> bool:
    with database.session() as session:
        return roster.count(session, roster.RosterFilter()) == 0 and roster.count(
            session, roster.RosterFilter(deleted=True)) == 0


def fill_demo(database: Database, enterprises: int = DEMO_ENTERPRISES, parent=None) -> None:
    """Write the demo county (a few hundred firms: a second or two), showing progress."""
    from tiers.services import demo  # (only here: the window opens without it)

    progress = QProgressDialog("正在生成演示数据……", "", 0, enterprises, parent)
    progress.setCancelButton(None)
    progress.setMinimumDuration(300)
    with database.session() as session:
        for step in demo.generate(session, enterprises=enterprises, progress_every=50):
            progress.setValue(step.done)
    progress.close()


def ensure_officer(settings: AppSettings, parent=None) -> str:
    """Ask for the officer's name once (first start): writes record it as 操作人, reports as
    填报人. Without it the audit would show the Windows login instead."""
    if not settings.officer:
        name = OperatorDialog.ask(parent)
        if name:
            settings.officer = name
    return settings.officer


def say_officer_problem(window: MainWindow) -> None:
    """At start: an officer file that cannot be read (设置's 填报人 and 联系电话, shared with
    the command line) is neither used nor written over; this client keeps them in its own
    settings meanwhile (review of session 28, #1). Said by a permanent status-bar item, the
    reason and the way out in its tooltip, until the file is put right: a status message
    was replaced by the automatic backup's seconds later (fixd28 #2)."""
    problem = officer_file.problem()
    if problem:
        log.warning("填报人设置文件无法读取：%s", problem)
    label = getattr(window, "officer_problem_label", None)
    if label is None:
        if not problem:
            return
        label = QLabel()
        label.setStyleSheet("color: #C00000;")  # as the server's lost connection
        window.statusBar().addPermanentWidget(label)
        window.officer_problem_label = label
        # Looked at again when the file or its folder changes, not every few seconds on
        # the GUI thread (tidy29): the folder's watch sees the file deleted, created or
        # replaced (设置 and editors move a new file over it, which ends the file's own
        # watch); the file's sees it rewritten in place.
        # The folder may hold the SQLite database, whose journal comes and goes on every
        # write: a folder change that leaves the file's stat as it was is another file's,
        # and is let go without reading it again (fixr29b #5).
        label.watch = QFileSystemWatcher(label)
        label.watch.fileChanged.connect(lambda _path: _show_officer_problem(window, label))
        label.watch.directoryChanged.connect(
            lambda _path: _stamp() != label.stamp and _show_officer_problem(window, label))
    _show_officer_problem(window, label)


def _stamp() -> tuple[int, ...] | None:
    """The officer file's stat as far as a change shows in it (None: no file, or none
    that can be looked at): a file replaced is another inode, one rewritten another time
    or size."""
    try:
        found = os.stat(officer_file.path())
    except OSError:
        return None
    return found.st_ino, found.st_dev, found.st_size, found.st_mtime_ns, found.st_ctime_ns


def _show_officer_problem(window: MainWindow, label: QLabel) -> None:
    label.stamp = _stamp()  # (before reading it: a change meanwhile is seen again)
    problem = officer_file.problem()
    label.setVisible(bool(problem))
    watched = label.watch.files() + label.watch.directories()
    if watched:
        label.watch.removePaths(watched)
    if not problem:
        return  # (as before: once put right, no longer looked at)
    label.setText(window.tr("填报人设置文件无法读取"))
    label.setToolTip(problem + window.tr(
        "：填报人和联系电话暂记在本机的客户端设置中，命令行的操作人按系统用户记；"
        "修正或删除该文件后重新启动即可"))
    where = officer_file.path()
    # (each time anew: a replaced file is a new one to watch; a path that cannot be
    # watched, e.g. a folder without the right to list it, is left out)
    label.watch.addPaths([str(path) for path in (where, where.parent) if os.path.exists(path)])


def start_automatic_backup(window: MainWindow) -> Task | None:
    """Today's automatic backup, on the runner (a copy of a large file takes seconds), told
    in the status bar; a failure stays there and goes to the log, without a dialog in the
    way of the morning's work."""
    path = window.database.path
    # a file opened read-only: this client changes nothing in it, and its folder (where the
    # backups go) may be as read-only as the file
    if path is None or getattr(window.database, "read_only", False):
        return None

    def done(made: Path | None) -> None:
        if made is not None:
            window.statusBar().showMessage(f"已自动备份到：{made}", 15_000)

    def failed(message: str) -> None:
        log.warning("自动备份未完成：%s", message)
        window.statusBar().showMessage(f"今天的自动备份未完成：{message}")

    return run_operation(window, window.runner, "自动备份",
                         told_in_chinese("自动备份失败",
                                         lambda _task: autobackup.back_up_daily(path)),
                         on_success=done, on_failure=failed)


def database_location(db_path: str | None, settings: AppSettings) -> Path:
    """--db, then TIERS_DB, then the file chosen in 设置 last time, then the app-data default."""
    if db_path:
        return Path(db_path).expanduser()
    if os.environ.get("TIERS_DB") or not settings.database_path:
        return default_path()
    return Path(settings.database_path)


def run(db_path: str | None) -> int:
    errors = error_log.install()
    try:
        return _run(db_path)
    finally:
        errors.uninstall()


def open_local(db_path: str | None, settings: AppSettings) -> Database | None:
    """The file: taken for this client (or refused, naming who has it), opened, and
    remembered for the next start."""
    path = database_location(db_path, settings)
    if not claim_or_report(path):
        return None
    database = open_or_report(path)
    if database is None:
        instance.release(path)
        return None
    settings.database_path = str(database.path or path)
    return database


def open_at_start(db_path: str | None, settings: AppSettings) -> Database | None:
    """The database this start works on: the server's or the file; None to quit."""
    target = server_target(db_path, settings, os.environ.get("TIERS_DB"))
    if target is None:
        return open_local(db_path, settings)
    try:
        return open_server(target, settings)
    except GoLocal:
        # 改用本机数据库: the file chosen in 设置 last time, else the app-data default (not
        # default_path(): TIERS_DB may be the very server that failed)
        return open_local(str(settings.local_database), settings)


def offer_demo(database: Database) -> bool:
    """On first start (an empty file): offer the demo county, 是 by default — a new user
    learns the program on it, and it is undone in one click. A shared server is never
    offered it (it would land in every officer's roster)."""
    if database.path is None or not is_empty(database) or not ConfirmDialog.ask(
            None, "欢迎使用梯度培育企业库",
            "数据库还是空的。要先载入一个虚构县的演示数据（300 家企业，标记为“演示数据”，"
            "可在“导入记录”中一键撤销）来熟悉软件吗？", default_yes=True):
        return False
    fill_demo(database)
    return True


def _run(db_path: str | None) -> int:
    app = make_application()
    guard = gc_guard.start(app)  # cyclic collection on the GUI thread only (ui.gc_guard)
    try:
        return _run_client(app, db_path)
    finally:
        guard.stop()


def _run_client(app: QApplication, db_path: str | None) -> int:
    settings = AppSettings()
    database = open_at_start(db_path, settings)
    if database is None:
        return 1
    ensure_officer(settings)
    offer_demo(database)
    from ui.main_window import MainWindow

    window = MainWindow(database, settings, roster_later=True)
    trace = startup_trace.install(window)  # (benchmarks/run_all.py: TIERS_STARTUP_TRACE)
    changes = ServerChanges.attach(window)  # on a server: the others' commits refresh it
    window.show()
    say_officer_problem(window)
    start_automatic_backup(window)  # a file's only: a server's backups are its own
    code = app.exec()
    del trace
    changes.stop()
    window.runner.shutdown()  # (done already by closing the window) the backup may be running
    window.database.dispose()
    if window.database.path is not None:
        instance.release(window.database.path)
    return code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else None))
