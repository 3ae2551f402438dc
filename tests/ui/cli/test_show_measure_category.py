"""``tiers show`` says what each measure's 金额 is (fixs30a: a county officer re-testing read
a 3,000万 专精特新贷 and a 研发费用加计扣除 as money paid): the text labels the amount by the
measure's 归类 (融资额 3,000.00 万元, 资金奖补 50.00 万元), ``--json`` gives each measure a
``category`` (the core's, tiers.model.support_categories), its other fields unchanged."""

import datetime as dt
import json
from decimal import Decimal

from tiers.services import measures

MEASURES = [  # kind, name, amount: one of each 归类
    ("认定奖励", "省专精特新奖励", "50"),
    ("专精特新贷", "专精特新贷（工行）", "3000"),
    ("研发费用加计扣除", "2025年度加计扣除", "120"),
    ("政府采购", "首购产品采购", "8"),
]


def _firm(enterprise_factory, session) -> str:
    firm = enterprise_factory("常州归类测试有限公司")
    for kind, name, amount in MEASURES:
        measures.add(session, firm.id, {"kind": kind, "name": name, "amount": amount,
                                        "year": 2025, "paid_on": dt.date(2025, 6, 1)})
    session.commit()
    return firm.credit_code


def _lines(out: str) -> dict[str, str]:
    listed = out.split("扶持措施：\n")[1].split("产业链：")[0]
    return {name: line for line in listed.splitlines()
            for _kind, name, _amount in MEASURES if name in line}


def test_show_labels_each_amount_by_its_category(cli, enterprise_factory, session):
    code = _firm(enterprise_factory, session)
    status, out, err = cli("show", code)
    assert status == 0, err
    lines = _lines(out)
    assert "资金奖补 50.00 万元" in lines["省专精特新奖励"]
    assert "融资额 3,000.00 万元" in lines["专精特新贷（工行）"]
    assert "税收优惠额 120.00 万元" in lines["2025年度加计扣除"]
    assert "服务等金额 8.00 万元" in lines["首购产品采购"]


def test_show_json_gives_each_measure_its_category(cli, enterprise_factory, session):
    code = _firm(enterprise_factory, session)
    status, out, err = cli("show", code, "--json")
    assert status == 0, err
    shown = {m["name"]: m for m in json.loads(out)["support_measures"]}
    assert {name: m["category"] for name, m in shown.items()} == {
        "省专精特新奖励": "资金奖补", "专精特新贷（工行）": "融资",
        "2025年度加计扣除": "税收", "首购产品采购": "服务"}
    loan = shown["专精特新贷（工行）"]  # the fields it had, as they were
    assert {"id", "kind", "name", "amount", "paid_on", "year", "implementer",
            "implementer_level", "policy_basis", "status", "note"} <= set(loan)
    assert (loan["kind"], Decimal(str(loan["amount"])), loan["status"]) == (
        "专精特新贷", Decimal("3000"), "已兑现")
