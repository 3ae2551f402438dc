"""A support measure's 状态 when nobody says it: 已兑现 with a 兑现日期, else 审核 — one core
rule (tiers.services.measures.status_by_date) for the services, the importer, the hand-entry
form and ``tiers bulk measure``; a status given always wins."""

from __future__ import annotations

import datetime as dt

from tiers.services import measures


def test_clean_goes_by_the_date_when_no_status_is_given():
    assert measures.clean({"kind": "资金奖励", "year": 2026})["status"] == "审核"
    paid = measures.clean({"kind": "资金奖励", "paid_on": "2026-05-01"})
    assert (paid["status"], paid["year"]) == ("已兑现", 2026)
    assert measures.clean({"kind": "资金奖励", "year": 2026, "status": ""})["status"] == "审核"


def test_a_status_given_wins_over_the_date():
    assert measures.clean({"kind": "资金奖励", "paid_on": dt.date(2026, 5, 1),
                           "status": "申报"})["status"] == "申报"
    assert measures.clean({"kind": "资金奖励", "year": 2026,
                           "status": "已兑现"})["status"] == "已兑现"


def test_an_edit_keeps_the_recorded_status(session, enterprise_factory):
    firm = enterprise_factory()
    measure = measures.add(session, firm.id, {"kind": "资金奖励", "year": 2026, "status": "已兑现"})
    measures.edit(session, measure.id, {"amount": "20"})
    assert measure.status == "已兑现"
    added = measures.add(session, firm.id, {"kind": "资金奖励", "year": 2025})
    assert added.status == "审核"


def test_only_a_date_is_a_date():
    assert measures.status_by_date(dt.date(2026, 5, 1)) == "已兑现"
    for not_a_date in (None, "", "2026-0"):  # (a form's half-typed date is not one)
        assert measures.status_by_date(not_a_date) == "审核"


def test_no_default_says_paid(session, enterprise_factory):
    """No path inserts a measure without its status (the services, the importer and the
    demo give one; a package must carry the column), so no default may assume 已兑现: the
    model's and the importer's defaults said it, disagreeing with the rule. A row written
    without a status now fails instead of counting as paid. (The database's own column
    never had a server default: no migration.)"""
    import pytest
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from importers.apply_rows import RECORD_DEFAULTS
    from tiers.model.orm import SupportMeasure

    assert "status" not in RECORD_DEFAULTS["support_measure"]
    assert SupportMeasure.__table__.c.status.server_default is None
    firm = enterprise_factory()
    session.flush()
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(insert(SupportMeasure).values(enterprise_id=firm.id, kind="资金奖励",
                                                      year=2026))
