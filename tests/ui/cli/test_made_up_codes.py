"""The command line and a code the GB 32100 2nd-character rule refuses (9 with another
category than 1–3): a firm kept under one before the rule is still found by it; one not
kept is said to be no valid code, with why."""

from __future__ import annotations

from sqlalchemy import update

from tests.conftest import make_code
from tiers.model import credit_code
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from ui.cli.main import main

KEPT = "95320412000000019H"  # both check characters valid


def _keep_under(database, code: str) -> None:
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "常州甲有限公司",
                                            "county": "武进区"})
        session.execute(update(Enterprise).where(Enterprise.id == firm.id)
                        .values(credit_code=code))


def test_a_firm_kept_under_such_a_code_is_still_found(database, capsys, db_target):
    _keep_under(database, KEPT)
    assert main(["--db", str(db_target), "show", KEPT.lower()]) == 0
    assert "常州甲有限公司" in capsys.readouterr().out
    assert main(["--db", str(db_target), "bulk", "trash", "--codes", KEPT]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_target), "show", KEPT]) == 0  # in the recycle bin too
    assert "回收站" in capsys.readouterr().out


def test_such_a_code_of_no_firm_is_said_to_be_wrong(database, capsys, db_target):
    other = credit_code.make("9532041200000002")
    assert main(["--db", str(db_target), "show", other]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"错误：找不到信用代码或名称为“{other}”的企业") and "第2位应为1、2或3" in err
