"""A list chosen in 导入数据包 and a package chosen in the import wizard: each window says
what the file is and where it is imported, and writes nothing (the core names no window:
the hint is the client's); a file refused after a package was previewed shows none of it."""

from __future__ import annotations

import xlsxwriter
from sqlalchemy import func, select

from tests.tiers.exchange_helpers import county_package
from tiers.model.orm import Change, Enterprise
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
    package = county_package(tmp_path)
    wizard = ImportWizard(database, settings, runner, path=str(package))
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    said = wizard.error.text()
    assert "是 Tiers 数据包" in said and "“文件 → 导入数据包…”" in said, said
    assert "解压" not in said  # its CSV tables, each imported as a list, would lose data
    assert wizard.current_step() == FILE
    assert _written(database) == [0, 0]


def test_a_file_refused_after_a_package_was_previewed_shows_none_of_it(
        qtbot, database, settings, runner, tmp_path):
    """The officer previews one county's package, then picks a broken file: the refusal
    stands alone, not beside the first package's sender, counts and lines."""
    package = county_package(tmp_path, source_unit="武进区工信局")
    dialog = PackageImportDialog(database, settings, runner, path=str(package))
    qtbot.addWidget(dialog)
    dialog.make_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    assert "武进区工信局" in dialog.heading.text() and dialog.table.item(0, 0).text()
    broken = tmp_path / "新北区数据包.zip"
    broken.write_bytes(package.read_bytes()[:2000])  # a copy cut short
    dialog.path.setText(str(broken))
    dialog.make_preview()
    qtbot.waitUntil(lambda: "已损坏或不完整" in dialog.status.text(), timeout=10_000)
    assert dialog.heading.text() == ""
    assert all(dialog.table.item(row, column) is None or not dialog.table.item(row, column).text()
               for row in range(dialog.table.rowCount())
               for column in range(dialog.table.columnCount()))
    assert dialog.notes.toPlainText() == "" and not dialog.import_button.isEnabled()

