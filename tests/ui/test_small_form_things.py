"""Small things the officer sees: an amount in its form as the list shows it (200.00, not
200.0000; 12.345 kept whole), the 年度数据 form titled with the firm, and a refused file's
message under its path, not at the foot of an empty page."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from ui.import_wizard import FILE, ImportWizard
from ui.import_wizard.steps import MAPPING, SHEET
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import measure_fields

DATA = Path(__file__).parents[1] / "data"


def _amount_shown(qtbot, amount) -> str:
    dialog = RecordFormDialog("扶持措施", measure_fields(),
                              {"kind": "认定奖励", "name": "奖励", "amount": amount, "year": 2024},
                              None)
    qtbot.addWidget(dialog)
    return dialog.widgets["amount"].text()


def test_an_amount_shows_the_lists_decimals_and_every_digit_typed(qtbot):
    assert _amount_shown(qtbot, Decimal("200.0000")) == "200.00"
    assert _amount_shown(qtbot, Decimal("0.5000")) == "0.50"
    assert _amount_shown(qtbot, Decimal("12.3450")) == "12.345"
    assert _amount_shown(qtbot, Decimal("1234567.1234")) == "1234567.1234"
    assert _amount_shown(qtbot, None) == ""


def test_the_figures_form_is_titled_with_the_firm(qtbot, firm_window, database, settings, runner,
                                                  enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州年度标题有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    titles = []
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, _parent, title, *a, **k: titles.append(title)))
    dialog.figures_tab.add_button.click()
    dialog.measure_tab.add_button.click()
    assert titles == ["年度数据 — 常州年度标题有限公司", "扶持措施 — 常州年度标题有限公司"]


def test_a_password_message_sits_under_the_path(qtbot, database, settings, runner, tmp_path):
    path = tmp_path / "有密码.xlsx"
    shutil.copyfile(DATA / "encrypted.xlsx", path)
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.resize(1100, 620)
    wizard.show()
    with qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    assert wizard.current_step() == FILE and "密码" in wizard.error.text()
    assert wizard.error.isVisible()
    field = wizard.path.mapTo(wizard, wizard.path.rect().bottomLeft())
    message = wizard.error.mapTo(wizard, wizard.error.rect().topLeft())
    assert 0 <= message.y() - field.y() < 40, (field, message)  # right under the path
    assert wizard.error.parent() is not wizard  # inside the file page
    wizard.show_step(SHEET)  # a refused sheet's reason: under the sheet list (session 30)
    assert wizard.error.parent() is wizard.sheet_page
    wizard.show_step(MAPPING)  # the other steps' messages: above the buttons again
    assert wizard.error.parent() is wizard
