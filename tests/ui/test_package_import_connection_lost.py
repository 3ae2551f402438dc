"""导入数据包 when the server's connection breaks during the import: the officer is told that
nothing was written (the server dropped the unfinished import) and what to do, and 导入
may simply be pressed again once the server is back: the preview is kept (the import makes
its plan anew and writes only if it is the one previewed). The tester saw only "与数据库
服务器的连接中断了…请稍后重试" beside a greyed 导入."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.server_helpers import admin
from tests.tiers.exchange_helpers import county_package
from tiers.exchange import import_package as real_import
from tiers.progress import Progress
from tiers.storage.connection_faults import CONNECTION_LOST
from tiers.storage.faults import ConnectionLost
from ui import package_import_dialog
from ui.package_import_dialog import PackageImportDialog


def _firms(database) -> int:
    with database.session() as session:
        return session.execute(text("SELECT count(*) FROM enterprise")).scalar()


def _previewed(qtbot, database, settings, runner, tmp_path) -> PackageImportDialog:
    package = county_package(tmp_path)
    dialog = PackageImportDialog(database, settings, runner, path=str(package))
    qtbot.addWidget(dialog)
    # the preview's own finished signal first: waited for only through 导入 enabled (by its
    # result), it could still be queued and be taken for the import's (the suite once read
    # 正在导入…… as the import's outcome)
    with qtbot.waitSignal(dialog.footer.finished, timeout=10_000):
        dialog.make_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    return dialog


def _import_fails(qtbot, dialog) -> str:
    # the footer's finished signal, not its task's done flag: the flag is set on the worker
    # before the refusal reaches the GUI thread (CI once read the progress text in between)
    with qtbot.waitSignal(dialog.footer.finished, timeout=20_000):
        dialog.import_button.click()
    return dialog.status.text()


def _import_again(qtbot, dialog, database) -> None:
    assert dialog.import_button.isEnabled()  # the preview is kept: 导入 again
    firms = dialog.preview.created["enterprises"]
    assert firms > 0
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    assert "已导入" in dialog.status.text()
    assert _firms(database) == firms


@pytest.mark.parametrize("at_commit", [False, True])
def test_a_lost_connection_says_what_was_written_and_import_may_be_pressed_again(
        qtbot, database, settings, runner, tmp_path, monkeypatch, at_commit):
    dialog = _previewed(qtbot, database, settings, runner, tmp_path)

    def breaking(session, package, **kwargs):
        yield Progress("写入数据包", 0, 4)
        raise ConnectionLost(CONNECTION_LOST, at_commit=at_commit)

    monkeypatch.setattr(package_import_dialog, "import_package", breaking)
    said = _import_fails(qtbot, dialog)
    assert said.startswith(CONNECTION_LOST)
    if at_commit:
        assert "无法确定这次导入是否已写入" in said and "不会重复写入" in said, said
    else:
        assert "没有写入任何数据" in said and "服务器已撤回" in said, said
    assert "再按“导入”" in said, said
    assert _firms(database) == 0
    monkeypatch.setattr(package_import_dialog, "import_package", real_import)
    _import_again(qtbot, dialog, database)


def test_after_the_database_changed_only_a_new_preview_imports(
        qtbot, database, settings, runner, tmp_path, monkeypatch):
    from tiers.exchange.apply import PackagePreviewOutdated

    dialog = _previewed(qtbot, database, settings, runner, tmp_path)

    def outdated(session, package, **kwargs):
        yield Progress("比对数据包", 0, 1)
        raise PackagePreviewOutdated("生成预览之后数据库已有变化（可能有人刚修改或导入了数据），"
                                     "请重新预览后再导入。")

    monkeypatch.setattr(package_import_dialog, "import_package", outdated)
    assert "请重新预览" in _import_fails(qtbot, dialog)
    assert not dialog.import_button.isEnabled() and dialog.preview_button.isEnabled()


@pytest.mark.server_only
def test_the_server_dropping_the_import_on_the_way(qtbot, database, db_target, settings,
                                                   runner, tmp_path, monkeypatch):
    """The real thing: the import's own connection is ended by the server while it writes
    (as when PostgreSQL restarts); nothing is in the database, and 导入 again writes all."""
    dialog = _previewed(qtbot, database, settings, runner, tmp_path)

    def breaking(session, package, **kwargs):
        steps = real_import(session, package, **kwargs)
        yield next(steps)
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        with admin(db_target) as connection:
            connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return (yield from steps)

    monkeypatch.setattr(package_import_dialog, "import_package", breaking)
    said = _import_fails(qtbot, dialog)
    assert said.startswith(CONNECTION_LOST) and "没有写入任何数据" in said, said
    assert _firms(database) == 0
    monkeypatch.setattr(package_import_dialog, "import_package", real_import)
    _import_again(qtbot, dialog, database)
