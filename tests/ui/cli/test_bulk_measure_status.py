"""``tiers bulk measure`` records 扶持措施 by the same rule as an import and the hand-entry
form: 已兑现 with --paid-on, else 审核 (it recorded 已兑现 without a date, counted as paid);
--status says it outright."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import SupportMeasure
from tiers.services import enterprises
from ui.cli.main import main


def _statuses(database) -> dict[str, str]:
    with database.session() as session:
        return dict(session.execute(select(SupportMeasure.name, SupportMeasure.status)).all())


def test_bulk_measure_status_by_the_date_or_as_given(database, db_target, capsys):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州措施命令有限公司"})
    base = ["--db", str(db_target), "bulk", "measure", "--codes", make_code(1),
            "--kind", "资金奖励", "--year", "2026"]
    assert main([*base, "--name", "拟拨"]) == 0
    assert main([*base, "--name", "已拨", "--paid-on", "2026-05-01"]) == 0
    assert main([*base, "--name", "申报中", "--paid-on", "2026-05-01", "--status", "申报"]) == 0
    capsys.readouterr()
    assert _statuses(database) == {"拟拨": "审核", "已拨": "已兑现", "申报中": "申报"}
    assert main([*base, "--name", "错", "--status", "已付"]) != 0
    assert "状态应为申报、审核、已兑现之一：已付" in capsys.readouterr().err
    assert main(["--db", str(db_target), "bulk", "trash", "--codes", make_code(1),
                 "--status", "审核"]) != 0
    assert "--status 只用于 measure" in capsys.readouterr().err
    assert "错" not in _statuses(database)


def test_the_preview_and_its_json_say_the_status_recorded(database, db_target, capsys):
    """The preview said nothing of the status a measure gets: one without --paid-on is
    recorded 审核, not counted in the paid totals, and the officer only found out after
    (review of the twenty-second session). The line and --json say it now."""
    import json

    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州预览有限公司"})
    base = ["--db", str(db_target), "bulk", "measure", "--codes", make_code(1),
            "--kind", "资金奖励", "--year", "2026", "--amount", "30", "--dry-run"]
    assert main([*base, "--name", "拟拨"]) == 0
    assert ("记录扶持措施：2026年 资金奖励“拟拨” 30万元（状态：审核，未填兑现日期，不计入兑现金额）"
            in capsys.readouterr().out)
    assert main([*base, "--name", "已拨", "--paid-on", "2026-05-01"]) == 0
    assert "“已拨” 30万元（状态：已兑现，计入兑现金额）" in capsys.readouterr().out
    assert main([*base, "--name", "拟拨", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["paid_on"], data["counted_as_paid"]) == ("审核", None, False)
    assert "不计入兑现金额" in data["description"]
    assert main([*base, "--name", "已拨", "--paid-on", "2026-05-01", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["paid_on"], data["counted_as_paid"]) == (
        "已兑现", "2026-05-01", True)
    assert _statuses(database) == {}  # a preview writes nothing


def test_the_preview_says_a_loan_is_not_counted_as_money_paid(database, db_target, capsys):
    """support29: a 专精特新贷 已兑现 is a loan granted, not money paid; the preview said
    计入兑现金额 of it (and --json counted_as_paid: true)."""
    import json

    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                     "name": "常州预览贷款有限公司"})
    base = ["--db", str(db_target), "bulk", "measure", "--codes", make_code(1),
            "--kind", "专精特新贷", "--year", "2026", "--amount", "3000", "--name", "贷款",
            "--paid-on", "2026-05-01", "--dry-run"]
    assert main(base) == 0
    assert "（状态：已兑现，金额为融资额，不计入兑现金额）" in capsys.readouterr().out
    assert main([*base, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counted_as_paid"] is False
