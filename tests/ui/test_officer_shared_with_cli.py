"""Imports done with the CLI recorded the system account (root) as 操作人, not the officer
the client was told at first start, and a report exported with the CLI had 填报人 and 联系电话
empty while the client filled them (tester28a #2, shots/31_imports.png, out/png/hi_xjr-1.png).
The officer's name and phone now live in a small file of the user's app-data folder that the
core reads (tiers.storage.officer), the client's 设置 writes, and the CLI uses; a client that
kept them in its own settings (earlier releases) moves them there at its first start."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from tests.importers.helpers import write_xlsx
from tiers.model.orm import Change, ImportBatch
from tiers.services import audit, enterprises
from tiers.storage import officer
from ui.app_settings import AppSettings
from ui.cli.main import main


def test_the_client_s_officer_is_the_core_s(settings):
    settings.officer, settings.phone = "王科员", "0519-8512 3456"
    assert officer.read() == officer.Officer("王科员", "0519-8512 3456")
    assert audit.current_user() == "王科员"  # who writes, wherever no user is given
    assert (settings.officer, settings.phone) == ("王科员", "0519-8512 3456")


def test_an_earlier_release_s_settings_are_moved_at_first_start(tmp_path):
    old = QSettings(str(tmp_path / "old.ini"), QSettings.IniFormat)
    old.setValue("report/officer", "李科长")
    old.setValue("report/phone", "0519-1111")
    old.sync()
    assert officer.read() == officer.Officer("", "")
    settings = AppSettings(old)
    assert settings.officer == "李科长" and settings.phone == "0519-1111"
    assert officer.read() == officer.Officer("李科长", "0519-1111")
    assert not old.contains("report/officer") and not old.contains("report/phone")
    settings.officer = "王科员"  # set since: the old value is not brought back
    assert AppSettings(QSettings(str(tmp_path / "old.ini"), QSettings.IniFormat)).officer == "王科员"


def test_the_cli_imports_as_the_officer(settings, db_target, tmp_path, code):
    settings.officer = "王科员"
    path = write_xlsx(tmp_path / "名录.xlsx", {"武进区": [
        ["名录"], ["序号", "企业名称", "统一社会信用代码", "县区"],
        [1, "常州操作1号科技有限公司", code(781), "武进区"]]})
    assert main(["--db", str(db_target), "import", str(path)]) == 0
    from tiers.storage.database import open_database
    database = open_database(db_target)
    try:
        with database.session() as session:
            assert session.scalars(select(ImportBatch.user)).all() == ["王科员"]
            assert set(session.scalars(select(Change.user))) == {"王科员"}
    finally:
        database.dispose()


def test_the_cli_report_is_signed_by_the_officer(settings, database, db_target, tmp_path, code):
    with database.session() as session:
        enterprises.create(session, {"credit_code": code(782), "name": "常州签名科技有限公司",
                                     "county": "武进区"})
    settings.officer, settings.phone = "王科员", "0519-8512 3456"
    target = tmp_path / "名单.xlsx"
    assert main(["--db", str(db_target), "export", "roster", str(target), "--quiet"]) == 0
    flat = [v for row in CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
            for v in row]
    assert "填报人：王科员" in flat and "联系电话：0519-8512 3456" in flat, flat


def test_an_unreadable_officer_file_is_kept_and_said(settings, tmp_path, monkeypatch, qtbot):
    """(review of session 28, #1) A broken officer file was written over by the next 设置 save,
    and nothing said it was not read: it is kept, the client remembers the name itself
    meanwhile, and the status bar says what is wrong with the file, with its path."""
    from PySide6.QtWidgets import QMainWindow

    from ui.app import say_officer_problem

    broken = tmp_path / "other.json"
    broken.write_text("[1, 2]", encoding="utf-8")
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(broken))
    settings.officer, settings.phone = "王科员", "0519-8512 3456"
    assert broken.read_text(encoding="utf-8") == "[1, 2]"
    assert (settings.officer, settings.phone) == ("王科员", "0519-8512 3456")
    window = QMainWindow()
    qtbot.addWidget(window)
    say_officer_problem(window)
    shown = window.officer_problem_label.toolTip()  # a permanent item (fixd28 #2)
    assert str(broken) in shown and "不是有效的设置文件" in shown, shown
    broken.unlink()  # put right: the name goes to the file at the next start
    assert AppSettings(settings.settings).officer == "王科员"
    assert officer.read() == officer.Officer("王科员", "0519-8512 3456")
