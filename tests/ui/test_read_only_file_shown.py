"""A database file opened read-only (marked read-only, or in a read-only folder, share or
disc; tiers.storage.database.open_database): the client says so in its title and status
bar, greys out every write with the reason (the file is read-only, and how to get a
writable copy), keeps what only reads (exports, the backup), and makes no automatic backup
beside it. Opened with ``read_only=True`` here: root, who runs the tests, is not stopped
by a file's mode."""

from __future__ import annotations

import pytest

from tiers.services import demo
from tiers.storage.database import open_database
from ui import app
from ui.main_window import MainWindow

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def read_only_database(tmp_path):
    path = tmp_path / "db" / "只读.sqlite3"
    path.parent.mkdir()
    database = open_database(path)
    with database.session() as session:
        list(demo.generate(session, enterprises=3))
    database.dispose()
    path.chmod(0o444)  # nobody writes it (neither it nor its folder has a write bit): root,
    path.parent.chmod(0o555)  # whom modes do not stop, asks for read_only
    database = open_database(path, read_only=True)
    yield database
    database.dispose()
    path.parent.chmod(0o755)


def test_a_read_only_file_is_said_and_its_writes_greyed(qtbot, read_only_database, settings,
                                                         runner, monkeypatch):
    started = []
    monkeypatch.setattr(app, "run_operation", lambda *args, **kwargs: started.append(args))
    window = MainWindow(read_only_database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    assert "（只读）" in window.windowTitle()
    assert window.read_only_label.isVisible()
    told = window.read_only_label.toolTip()
    assert "只读" in told and str(read_only_database.path) in told and "复制" in told
    for action in (window.new_action, window.import_action, window.package_import_action,
                   window.bulk_undo_action, *window.bulk_actions.values()):
        assert not action.isEnabled() and action.toolTip() == told, action.text()
    assert not window.roster.new_button.isEnabled()
    for action in (window.export_action, window.backup_action, window.refresh_action):
        assert action.isEnabled(), action.text()
    assert app.start_automatic_backup(window) is None and not started


def test_a_writable_file_says_nothing_of_it(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    assert "只读" not in window.windowTitle()
    assert not window.read_only_label.isVisible()


def test_a_package_is_exported_from_a_read_only_file(qtbot, read_only_database, settings,
                                                     runner, tmp_path):
    """文件 → 导出数据包 reads, and writes nothing to the database: it works as before."""
    import hashlib

    from PySide6.QtCore import Qt

    from ui.package_export_dialog import PackageExportDialog

    path = read_only_database.path
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in path.parent.iterdir()}
    dialog = PackageExportDialog(read_only_database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.counties.count() > 0, timeout=10_000)
    dialog.counties.item(0).setCheckState(Qt.Checked)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled(), timeout=10_000)
    target = tmp_path / "out" / "数据包.zip"
    target.parent.mkdir()
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    assert dialog.status.text().startswith(f"已导出：{target}"), dialog.status.text()
    assert target.is_file()
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in path.parent.iterdir()} == before


def test_a_report_is_exported_from_a_read_only_file(qtbot, read_only_database, settings,
                                                    runner, tmp_path, monkeypatch):
    """文件 → 导出报表 likewise (its 填报人 and 报送单位 are kept in the settings, not the
    database)."""
    import hashlib

    from ui.export_dialog import ExportDialog

    monkeypatch.setattr(ExportDialog, "open_folder", classmethod(lambda cls, p: None))
    path = read_only_database.path
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in path.parent.iterdir()}
    dialog = ExportDialog(read_only_database, settings, runner, report="summary")
    qtbot.addWidget(dialog)
    dialog.unit.setText("常州市武进区工业和信息化局")
    target = tmp_path / "汇总表.xlsx"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        dialog.export_button.click()
    assert done.args == [str(target)] and target.is_file()
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in path.parent.iterdir()} == before


def test_a_change_by_another_program_is_shown_as_a_storage_error(qtbot, read_only_database,
                                                                 settings, runner):
    """The file read as unchanging, then written by another program (its rights given back
    first): the client says so where it says the database's other troubles (the roster's
    count), not stale rows nor "损坏"."""
    import subprocess
    import sys

    path = read_only_database.path
    window = MainWindow(read_only_database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: "3" in window.roster.count_label.text(), timeout=10_000)
    subprocess.run([sys.executable, "-c", (
        "import os, sqlite3, sys; p = sys.argv[1]; os.chmod(os.path.dirname(p), 0o755);"
        "os.chmod(p, 0o644); c = sqlite3.connect(p); c.execute('PRAGMA foreign_keys = OFF');"
        "c.execute('DELETE FROM enterprise WHERE id = 1'); c.commit(); c.close()"),
        str(path)], check=True)
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: "已被其他程序修改" in window.roster.count_label.text(),
                    timeout=10_000)
    assert "损坏" not in window.roster.count_label.text()
