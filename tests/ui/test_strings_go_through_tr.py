"""Strings the officer reads go through Qt's translation, in the form translators get
(review27 #15): the 企业库's 已兑现扶持 header tip was built at import time without tr, and
the wizard's 采用简称匹配 count was a str.format field ({count}) instead of %1."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator

from ui.enterprise_table_model import EnterpriseTableModel
from ui.import_wizard import ImportWizard
from ui.roster_cells import COLUMNS


class Marking(QTranslator):
    """Translates every text asked of it to 〔text〕, and notes what was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, str]] = []

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002
        self.asked.append((context, source))
        return f"〔{source}〕"

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


@pytest.fixture
def marking(qapp):
    translator = Marking()
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_the_support_headers_tip_is_translated_when_shown(marking, database):
    model = EnterpriseTableModel(database)
    section = next(n for n, column in enumerate(COLUMNS) if column.key == "support_total")
    tip = model.headerData(section, Qt.Horizontal, Qt.ToolTipRole)
    assert tip == "扶持金额合计（已兑现，万元）：〔只计状态为“已兑现”的资金奖补（奖励、补助、贴息等），申报、审核中的不计；融资、税收优惠、服务等不是兑现的资金，不计〕"
    assert ("RosterCells", "只计状态为“已兑现”的资金奖补（奖励、补助、贴息等），申报、审核中的不计；融资、税收优惠、服务等不是兑现的资金，不计") in marking.asked


def test_the_short_name_count_is_given_to_translators_as_percent_one(
        qtbot, marking, database, settings, runner, monkeypatch):
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    monkeypatch.setattr(wizard, "_short_names", lambda: [3, 4])
    wizard._update_link_buttons()
    assert wizard.short_button.text() == "〔采用简称匹配(&J)（2 行）〕"
    assert any(source == "采用简称匹配(&J)（%1 行）" for _context, source in marking.asked)


def _rows():
    from importers import PlanRow
    from importers.errors import Problem

    return [PlanRow(row=3, action="update", name="常州甲科技有限公司"),
            PlanRow(row=4, action="unmatched", name="常州乙科技",
                    suggestions=[{"name": "常州乙科技有限公司", "credit_code": "91320412X"}]),
            PlanRow(row=5, action="error", name="常州丙科技有限公司", problems=[
                Problem("S", 5, "B", "9132", "统一社会信用代码校验位不对")])]


def test_the_selected_rows_details_are_translated(marking):
    """The pane under the preview (session 30) built 第 … 行, 没有问题 and 可能是 in Python."""
    from ui.plan_table_model import row_details

    fine, suggested, wrong = _rows()
    assert row_details(fine).startswith("〔第 3 行") and "没有问题〕" in row_details(fine)
    for row in (suggested, wrong):
        assert all(line.startswith(("〔", "　· ")) for line in row_details(row).splitlines())
    assert "　· 〔可能是：常州乙科技有限公司（91320412X）〕" in row_details(suggested)
    assert {"第 %1 行　%2　%3：没有问题", "可能是：%1"} <= {s for _c, s in marking.asked}


def test_the_finished_pages_notes_are_translated(marking):
    """The 完成 page's list of the preview's warnings (session 30) built 第 … 行 and 未导入
    in Python."""
    from types import SimpleNamespace

    from ui.import_wizard.summary import preview_notes

    count, lines = preview_notes(SimpleNamespace(problems=[], rows=_rows()))
    assert count == 2 and all(line.startswith("〔第 ") for line in lines), lines
    assert "〔未导入〕" in lines[0] and "统一社会信用代码校验位不对" in lines[1]
