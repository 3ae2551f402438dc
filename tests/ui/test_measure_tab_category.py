"""The firm window's 扶持措施 tab says what each 金额 is (fixs30a: a county officer re-testing
read a 3,000万 专精特新贷 and a 研发费用加计扣除 as money paid): a 归类 column beside 金额, the
core's category (资金奖补 / 融资 / 税收 / 服务) — for the saved measures, and for one added
or changed in the window before it is saved — and the sum of selected rows counts only
资金奖补 as money, the other amounts said apart (as the 扶持措施 page since session 29)."""

from __future__ import annotations

import datetime as dt

from tests.ui.firm_window_helpers import cell, column_of, rows_by_id
from tiers.services import measures
from ui.record_form_dialog import RecordFormDialog
from ui.table_reading import selection_summary

MEASURES = [("认定奖励", "省专精特新奖励", "50"), ("专精特新贷", "专精特新贷（工行）", "3000"),
            ("研发费用加计扣除", "2025年度加计扣除", "120"), ("政府采购", "首购产品采购", "8")]


def _window(firm_window, enterprise_factory, session):
    firm = enterprise_factory("常州归类窗口有限公司")
    ids = {}
    for kind, name, amount in MEASURES:
        ids[name] = measures.add(session, firm.id, {
            "kind": kind, "name": name, "amount": amount, "year": 2025,
            "paid_on": dt.date(2025, 6, 1)}).id
    session.commit()
    return firm_window(firm.id), ids


def test_each_amount_has_its_category_beside_it(qtbot, firm_window, enterprise_factory,
                                                session):
    dialog, ids = _window(firm_window, enterprise_factory, session)
    tab = dialog.measure_tab
    assert abs(column_of(tab, "归类") - column_of(tab, "金额（万元）")) == 1
    at = rows_by_id(tab)
    assert {name: cell(tab, at[ids[name]], "归类") for name in ids} == {
        "省专精特新奖励": "资金奖补", "专精特新贷（工行）": "融资",
        "2025年度加计扣除": "税收", "首购产品采购": "服务"}


def test_a_measure_added_or_changed_shows_its_category_before_the_save(
        qtbot, firm_window, enterprise_factory, session, monkeypatch):
    dialog, ids = _window(firm_window, enterprise_factory, session)
    tab = dialog.measure_tab
    forms = iter([{"kind": "融资担保", "name": "省信保担保", "amount": "500", "year": "2026"},
                  {"kind": "数字化转型诊断", "name": "省专精特新奖励", "amount": "50",
                   "year": "2025"}])
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: next(forms)))
    tab.add_button.click()
    assert cell(tab, rows_by_id(tab)[None], "归类") == "融资"
    tab.select_row(rows_by_id(tab)[ids["省专精特新奖励"]])
    tab.edit_button.click()  # 认定奖励 → 数字化转型诊断: no longer money
    assert cell(tab, rows_by_id(tab)[ids["省专精特新奖励"]], "归类") == "服务"


def test_the_sum_of_selected_rows_counts_only_money(qtbot, firm_window, enterprise_factory,
                                                    session):
    dialog, _ids = _window(firm_window, enterprise_factory, session)
    tab = dialog.measure_tab
    tab.table.selectAll()
    said = selection_summary(tab.table)
    assert "资金奖补合计 50.00 万元" in said, said
    assert "融资额 3,000.00" in said and "税收优惠额 120.00" in said and "服务等金额 8.00" in said
    assert "3,178" not in said  # nothing added across categories
