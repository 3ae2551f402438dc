"""数据核查 finds firms whose stored credit code the code check now refuses (a 9x code
other than 91–93, stored before credit29): each named with why and the fix, in the one list
of findings beside the misdated 复核 records; a package export refuses before writing
anything when a firm it would send holds one (the city refuses such a package whole)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from tests.conftest import make_code
from tiers.errors import InvalidInput
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import enterprises, recognitions

BAD = "95320412000000019H"  # valid check characters, 2nd character refused under 9
FIX = "在企业档案中改正信用代码"


def stored_under(database, firm_id: int, code: str) -> None:
    """The code written as a database of before the stricter check holds it."""
    with database.session() as session:
        session.execute(update(Enterprise).where(Enterprise.id == firm_id)
                        .values(credit_code=code))


def firms_with_a_bad_code(database) -> tuple[int, int]:
    with database.session() as session:
        bad = enterprises.create(session, {"credit_code": make_code(1), "name": "坏码有限公司",
                                           "county": "武进区"}).id
        good = enterprises.create(session, {"credit_code": make_code(2), "name": "好码有限公司",
                                            "county": "武进区"}).id
        recognitions.add(session, good, {"tier_code": "little_giant", "batch_label": "第二批",
                                         "batch_year": 2020, "is_review": True,
                                         "review_of_batch": "第二批"})
    stored_under(database, bad, BAD)
    return bad, good


def test_a_stored_code_now_refused_is_found_with_why_and_the_fix(database):
    from tiers.queries.data_check import INVALID_CREDIT_CODE, MISDATED_REVIEW, findings
    from tiers.queries.invalid_codes import invalid_credit_codes

    bad, good = firms_with_a_bad_code(database)
    with database.session() as session:
        [found] = invalid_credit_codes(session)
        listed = findings(session)
    assert (found.enterprise_id, found.name, found.credit_code, found.county_name) == (
        bad, "坏码有限公司", BAD, "武进区")
    assert "第2位" in found.reason and "应为1、2或3" in found.reason
    assert [(f.kind, f.enterprise_id, f.fixable) for f in listed] == [
        (MISDATED_REVIEW, good, True), (INVALID_CREDIT_CODE, bad, False)]
    code_finding = listed[1]
    assert code_finding.fix == FIX and "第2位" in code_finding.description
    assert code_finding.credit_code == BAD and code_finding.title
    review = listed[0]
    assert review.description and review.fix and review.record.enterprise_id == good


def test_a_firm_in_the_recycle_bin_or_with_a_good_code_is_not_found(database):
    from tiers.queries.invalid_codes import invalid_credit_codes

    bad, _ = firms_with_a_bad_code(database)
    with database.session() as session:
        session.execute(update(Enterprise).where(Enterprise.id == bad)
                        .values(deleted_at=Enterprise.created_at))
    with database.session() as session:
        assert invalid_credit_codes(session) == []


def test_the_package_export_refuses_before_writing_naming_the_firm_and_the_fix(
        database, tmp_path):
    from tiers.exchange import export_package

    firms_with_a_bad_code(database)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "武进区.zip"
    with database.session() as session, pytest.raises(InvalidInput) as caught:
        drain(export_package(session, target, counties=["320412"]))
    message = str(caught.value)
    assert "无法导出数据包" in message and "坏码有限公司" in message and BAD in message
    assert FIX in message and "好码有限公司" not in message
    assert not list((tmp_path / "out").iterdir())  # not even a hidden copy


def test_a_bad_code_out_of_the_packages_scope_does_not_stop_it(database, tmp_path):
    """Another county's firm is not sent: its code stops nothing (tiers check lists it)."""
    from tiers.exchange import export_package, read_package

    bad, _ = firms_with_a_bad_code(database)
    with database.session() as session:
        session.execute(update(Enterprise).where(Enterprise.id == bad)
                        .values(county_code="320481", county_name="溧阳市"))
    target = tmp_path / "武进区.zip"
    with database.session() as session:
        drain(export_package(session, target, counties=["320412"]))
    assert read_package(target)  # the city reads it whole
