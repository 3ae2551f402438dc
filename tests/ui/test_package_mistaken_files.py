"""A list chosen in 导入数据包 and a package chosen in the import wizard: each window says
what the file is and where it is imported, and writes nothing (the core names no window:
the hint is the client's)."""

from __future__ import annotations

import datetime as dt

import xlsxwriter
from sqlalchemy import func, select

from tests.tiers.exchange_helpers import WUJIN, county_database
from tiers.exchange import export_package
from tiers.model.orm import Change, Enterprise
from tiers.progress import drain
from ui.import_wizard import FILE, ImportWizard
from ui.package_import_dialog import PackageImportDialog


def _written(database):
    with database.session() as session:
        return [session.scalar(select(func.count(model.id))) for model in (Enterprise, Change)]


def test_a_list_chosen_as_a_package_is_sent_to_the_import_wizard(qtbot, database, settings,
                                                                 runner, tmp_path):
    path = tmp_path / "常州市梯度培育企业名单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("名单").write_row(0, 0, ["企业名称", "统一社会信用代码"])
    book.close()
    dialog = PackageImportDialog(database, settings, runner, path=str(path))
    qtbot.addWidget(dialog)
    dialog.make_preview()
    qtbot.waitUntil(lambda: "不是数据包" in dialog.status.text(), timeout=10_000)
    said = dialog.status.text()
    assert "Excel 工作簿" in said and "“文件 → 导入…”" in said, said
    assert "manifest" not in said
    assert not dialog.import_button.isEnabled()
    assert _written(database) == [0, 0]


def test_a_package_chosen_as_a_list_is_sent_to_import_package(qtbot, database, settings,
                                                              runner, tmp_path):
    county = county_database(tmp_path / "county.sqlite3", enterprises=8)
    package = tmp_path / "武进区数据包.zip"
    with county.session() as session:
        drain(export_package(session, package, counties=[WUJIN],
                             now=dt.datetime(2026, 12, 1, 9, 0)))
    county.dispose()
    wizard = ImportWizard(database, settings, runner, path=str(package))
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    said = wizard.error.text()
    assert "是 Tiers 数据包" in said and "“文件 → 导入数据包…”" in said, said
    assert "解压" not in said  # its CSV tables, each imported as a list, would lose data
    assert wizard.current_step() == FILE
    assert _written(database) == [0, 0]
