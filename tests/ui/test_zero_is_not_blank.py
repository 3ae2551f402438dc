"""A figure entered as 0 is shown as 0 (0.00 of an amount), not as the “—” the roster gives
a sum of nothing, nor as the blank of a figure not filled (tester26b: 新增股权融资 0 looked
unfilled; for 2026办法 0 and no data mean 不满足 and 缺数据)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ui.enterprise_dialog.record_tabs import figures_tab, measure_tab
from ui.enterprise_table_model import EnterpriseTableModel
from ui.roster_cells import COLUMNS


def _cells(tab, row=0):
    model = tab.model
    headers = [model.headerData(c, Qt.Horizontal, Qt.DisplayRole) for c in range(model.columnCount())]
    return {str(h): model.data(model.index(row, c), Qt.DisplayRole)
            for c, h in enumerate(headers)}


def test_a_zero_figure_shows_as_zero_and_a_blank_one_as_blank(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    tab = figures_tab(owner, [{"id": 1, "year": 2025, "revenue": Decimal("1200.0000"),
                               "equity_financing": Decimal("0.0000"), "main_revenue": None,
                               "employees": 0, "rd_staff": None}], lambda t: t)
    cells = _cells(tab)
    revenue = next(v for h, v in cells.items() if h.startswith("营业收入"))
    equity = next(v for h, v in cells.items() if "股权融资" in h)
    main = next(v for h, v in cells.items() if h.startswith("主营业务收入"))
    staff = next(v for h, v in cells.items() if h.startswith("从业人员"))
    assert (revenue, equity, main, staff) == ("1,200.00", "0.00", "", "0")


def test_a_measure_of_zero_shows_zero(qtbot):
    owner = QWidget()
    qtbot.addWidget(owner)
    tab = measure_tab(owner, [{"id": 1, "kind": "认定奖励", "name": "奖励",
                               "amount": Decimal("0"), "year": 2025}], lambda t: t)
    assert _cells(tab)["金额（万元）"] == "0.00"


def test_the_roster_s_sum_of_nothing_paid_stays_a_dash(qtbot, database):
    column = next(i for i, c in enumerate(COLUMNS) if c.key == "support_total")
    assert EnterpriseTableModel._cell({"support_total": Decimal(0)}, "support_total") == "—"
    assert EnterpriseTableModel._cell({"support_total": Decimal("20.5")},
                                      "support_total") == "20.50"
    assert column >= 0
