"""``tiers enterprises``' 扶持金额 counts money paid only (support29): a 专精特新贷 or a
研发费用加计扣除 of the firm is not money the bureau paid it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from tiers.services import enterprises, measures
from tiers.storage.database import open_database


def test_support_total_is_money_only(cli, db_target, code):
    database = open_database(db_target)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "常州恒立液压科技有限公司"})
        for kind, amount in (("认定奖励", "50"), ("贷款贴息", "3.77"), ("专精特新贷", "3000"),
                             ("研发费用加计扣除", "120")):
            measures.add(session, firm.id, {"kind": kind, "name": kind, "amount": Decimal(amount),
                                            "paid_on": dt.date(2025, 6, 1)})
    database.dispose()
    status, out, _err = cli("enterprises", "--format", "json")
    assert status == 0
    (row,) = json.loads(out)
    assert Decimal(str(row["support_total"])) == Decimal("53.77")
    status, out, _err = cli("enterprises")
    assert status == 0 and "53.77" in out and "3,173.77" not in out
