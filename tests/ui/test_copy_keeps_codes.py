"""Ctrl+C puts an HTML table beside the tab-separated text, with an all-digit credit code
marked as text, so that pasting into WPS, Excel or LibreOffice keeps the code as written
(the tab-separated text alone became 9.12201011239989E+17); the amounts stay numbers."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication

from tiers.model import credit_code
from tiers.services import enterprises, measures
from ui.roster_view import RosterView
from ui.table_comforts import TableComforts


def _all_digit_code() -> str:
    for serial in range(10_000):
        code = credit_code.make(f"91320412{serial:08d}")
        if code.isdigit():
            return code
    raise AssertionError("no all-digit code")


@pytest.fixture
def digit_firm(database):
    code = _all_digit_code()
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code, "name": "常州老代码机械有限公司",
                                            "county": "武进区"})
        measures.add(session, firm.id, {"kind": "资金奖励", "name": "首台套", "amount": "12.5",
                                        "year": 2024, "paid_on": "2024-06-01"})  # paid: counted
        session.commit()
    return code


def _marked_cells(html: str) -> list[str]:
    return [cell.split(">", 1)[1].split("<", 1)[0] for cell in html.split("<td")[1:]
            if "mso-number-format" in cell.split(">", 1)[0]]


def test_copy_and_copy_codes_mark_the_code_as_text(qtbot, database, settings, digit_firm):
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    comforts: TableComforts = view.comforts
    text = comforts.copy()
    assert digit_firm in text
    data = QGuiApplication.clipboard().mimeData()
    assert data.hasHtml() and data.text() == text
    assert _marked_cells(data.html()) == [digit_firm]  # the amount 12.50 is not marked
    assert "12.50" in data.html()
    assert comforts.copy_credit_codes() == digit_firm
    data = QGuiApplication.clipboard().mimeData()
    assert _marked_cells(data.html()) == [digit_firm]
