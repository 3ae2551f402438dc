"""The wizard takes several filled 采集表 at once (#17): no mapping step, each file
previewed and imported in turn, each its own batch."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
from sqlalchemy import select

from tests.ui.wizard_helpers import wait_idle
from tiers.model.orm import AnnualFigures
from tiers.progress import drain
from tiers.reports import collection
from tiers.reports.collection_book import Letter
from tiers.services import enterprises
from ui.ask import FileDialog
from ui.import_wizard import ImportWizard
from ui.import_wizard.wizard import FILE, PREVIEW, RESULT


def sent_and_filled(database, code, folder):
    with database.session() as session:
        for serial in (1, 2):
            enterprises.create(session, {"credit_code": code(900 + serial), "county": "武进区",
                                         "name": f"常州采集{serial}号科技有限公司"})
    with database.session() as session:
        request = collection.CollectionRequest(letter=Letter(year=2025), split=collection.PER_FIRM)
        paths = drain(collection.export_steps(session, request, folder,
                                                     replace_foreign=False))
    for number, path in enumerate(paths, start=1):
        book = openpyxl.load_workbook(path)
        book["采集表"]["F5"] = 100 * number
        book.save(path)
    return paths


def test_several_collection_files_without_a_mapping_step(qtbot, database, settings, runner,
                                                         code, tmp_path, monkeypatch):
    paths = sent_and_filled(database, code, tmp_path / "收回")
    monkeypatch.setattr(FileDialog, "open_files", classmethod(
        lambda cls, *args: [str(p) for p in paths]))
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.browse_button.click()
    assert wizard.file_page.chosen_all() == [str(p) for p in paths]
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)  # straight from the file to the preview
    assert "第 1/2 个文件" in wizard.step_label.text()
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert wizard.next_button.isVisible() and wizard.next_button.text() == "下一个文件(&N) >"
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert "第 2/2 个文件" in wizard.step_label.text()
    wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert not wizard.next_button.isVisible()
    with database.session() as session:
        revenues = sorted(session.scalars(select(AnnualFigures.revenue)))
    assert revenues == [Decimal(100), Decimal(200)]


def test_one_file_typed_still_reads_as_before(qtbot, database, settings, runner):
    wizard = ImportWizard(database, settings, runner, path="/tmp/名单 (1).xlsx")
    qtbot.addWidget(wizard)
    assert wizard.file_page.chosen_all() == ["/tmp/名单 (1).xlsx"]
    assert wizard.current_step() == FILE
