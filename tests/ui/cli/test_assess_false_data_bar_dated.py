"""``tiers assess CODE``: the 数据造假 bar says which 办法 and since when; on a day before the
2026办法 took effect (2026-04-01) the assessment by the 2022暂行办法 says why it does not bar
the firm and asks for a check by hand (tests/tiers/test_assess_false_data_bar_in_force.py)."""

from __future__ import annotations

import datetime as dt

import time_machine

from tests.tiers.test_assess_county import TODAY, Y
from tests.tiers.test_assess_false_data_bar import revoked
from ui.cli.main import main


def _assessed(capsys, db_target, code: str, day: dt.date) -> str:
    with time_machine.travel(dt.datetime.combine(day, dt.time(10)), tick=False):
        status = main(["--db", str(db_target), "assess", code, "--tier", "小巨人",
                       "--year", str(Y)])
    assert status == 0
    return capsys.readouterr().out


def test_the_command_says_which_rules_bar_and_why(capsys, db_target, session,
                                                  enterprise_factory):
    firm = revoked(session, enterprise_factory, "常州造假科技有限公司",
                   on=dt.date(2025, 11, 3), reason="数据造假")
    session.commit()
    before = _assessed(capsys, db_target, firm.credit_code, TODAY)  # 2026-03-20
    assert "依据：2022暂行办法" in before
    assert "[待核实] 曾因数据造假被撤销认定：能否申报需人工核实 —— 专精特新“小巨人”企业认定于 " \
        "2025-11-03 因“数据造假”撤销；“3年内不得申报”出自2026办法，2026-04-01起施行，本次预审日期 " \
        "2026-03-20 在此之前，按2022暂行办法测算，不据此判定" in before
    assert "结论：不符合" not in before
    after = _assessed(capsys, db_target, firm.credit_code, dt.date(2026, 4, 20))
    assert ("结论：不符合：专精特新“小巨人”企业认定于 2025-11-03 因“数据造假”撤销，"
            "2028-11-02 前不得申报（依2026办法，2026-04-01起施行）") in after
