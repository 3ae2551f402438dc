"""导入数据包's preview of a package that only adds (a county's first): said in words below
the counts, rather than blank lines that left the officer to wonder what else it touches."""

from __future__ import annotations

import datetime as dt

from tests.tiers.exchange_helpers import WUJIN, county_database
from tiers.exchange import export_package
from tiers.progress import drain
from ui.package_import_dialog import PackageImportDialog


def test_a_countys_first_package_says_it_only_adds(qtbot, database, settings, runner, tmp_path):
    county = county_database(tmp_path / "county.sqlite3", enterprises=8)
    package = tmp_path / "武进区数据包.zip"
    with county.session() as session:
        drain(export_package(session, package, counties=[WUJIN],
                             now=dt.datetime(2026, 12, 1, 9, 0)))
    county.dispose()
    dialog = PackageImportDialog(database, settings, runner, path=str(package))
    qtbot.addWidget(dialog)
    dialog.make_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    said = dialog.notes.toPlainText()
    assert "将只新增上表所列的企业与记录" in said and "不更改、不删除" in said, said
    assert "撤销" in said
