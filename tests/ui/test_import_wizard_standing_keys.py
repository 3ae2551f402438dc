"""At the 核对列 step a keyboard user reaches 名单性质 (公示名单 / 认定名单) and the other
list fields with Alt+letter, as in every form: without letters the officer who wanted a
list taken as the other kind tabbed through six fields (found by the new-officer pass)."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from tests.conftest import make_code
from ui.import_wizard import MAPPING, ImportWizard


def _publicity(tmp_path):
    path = tmp_path / "公示.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年度江苏省专精特新中小企业拟认定名单公示"])
    sheet.append(["序号", "企业名称", "统一社会信用代码"])
    for number in range(1, 4):
        sheet.append([number, f"常州公示{number}号有限公司", make_code(number)])
    book.save(path)
    return path


def test_the_list_fields_have_alt_letters(qtbot, database, settings, runner, tmp_path):
    wizard = ImportWizard(database, settings, runner, path=str(_publicity(tmp_path)))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    if wizard.current_step() != MAPPING:
        wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == MAPPING and wizard.runner.settled,
                    timeout=15_000)
    page = wizard.mapping_page
    assert page.standing.currentData() is True  # taken as a 公示 list
    labels = {label.buddy(): label.text() for label in page.findChildren(QLabel)
              if label.buddy() is not None}
    fields = [page.kind, page.tier, page.level, page.batch_label, page.batch_year,
              page.standing]
    letters = []
    for field in fields:
        text = labels[field].replace("&&", "")
        assert text.count("&") == 1, text
        letters.append(text[text.index("&") + 1])
    assert len(set(letters)) == len(letters) and labels[page.standing] == "名单性质(&M)"
    for field, key in zip(fields, letters, strict=True):
        qtbot.keyClick(QApplication.focusWidget() or wizard, key, Qt.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is field or focused.parent() is field, labels[field]
    qtbot.keyClick(page.standing, Qt.Key_Up)  # and the officer takes it as the final list
    assert page.standing.currentData() is False
    wizard.close()
