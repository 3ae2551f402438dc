"""The same title added twice to a firm (fixt29b #1): the firm window saved 链主 of 起重机 of
2026-03-01 twice with no word, and revoking one copy left the firm 链主 of 起重机. The core
refuses a second recognition of the same identity as imports match one
(recognitions.recognition_key: firm, tier, batch, year, and the chain of a 链主 title), with
a Chinese message; another chain, batch or year is another title."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tiers.model.orm import Recognition
from tiers.services import recognitions
from tiers.services.errors import ValidationError
from tiers.services.profile import NEW, RecordEdit, save_profile

LEADER = {"tier_code": "链主企业", "chain_code": "起重机", "recognized_on": "2026-03-01"}


def _count(session, firm_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Recognition)
                          .where(Recognition.enterprise_id == firm_id))


def test_the_same_leader_title_twice_is_refused_with_what_it_is(session, enterprise_factory):
    firm = enterprise_factory("常州重复链主有限公司")
    recognitions.add(session, firm.id, dict(LEADER))
    with pytest.raises(ValidationError) as refused:
        recognitions.add(session, firm.id, dict(LEADER))
    message = str(refused.value)
    assert "已有" in message and "链主" in message and "起重机" in message, message
    assert "2026" in message
    assert _count(session, firm.id) == 1
    # another chain, another year, another tier: other titles
    recognitions.add(session, firm.id, {**LEADER, "chain_code": "C01"})
    recognitions.add(session, firm.id, {**LEADER, "recognized_on": "2027-03-01"})
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2026})
    assert _count(session, firm.id) == 4


def test_a_batch_title_twice_is_refused_and_its_review_is_not_a_copy(session,
                                                                     enterprise_factory):
    firm = enterprise_factory("常州重复小巨人有限公司")
    title = {"tier_code": "little_giant", "batch_label": "第五批", "batch_year": 2023}
    recognitions.add(session, firm.id, dict(title))
    with pytest.raises(ValidationError):
        recognitions.add(session, firm.id, {**title, "recognized_on": dt.date(2023, 8, 1)})
    # a firm's other firm has it too: not this firm's copy
    other = enterprise_factory("常州另一小巨人有限公司")
    recognitions.add(session, other.id, dict(title))


def test_an_edit_that_makes_a_copy_of_another_title_is_refused(session, enterprise_factory):
    firm = enterprise_factory("常州改成重复有限公司")
    recognitions.add(session, firm.id, dict(LEADER))
    other = recognitions.add(session, firm.id, {**LEADER, "chain_code": "C01"})
    recognitions.edit(session, other.id, {"note": "改备注"})  # itself: no copy
    with pytest.raises(ValidationError):
        recognitions.edit(session, other.id, {"chain_code": "起重机"})


def test_the_window_save_with_the_title_twice_writes_nothing(database):
    from tiers.services import enterprises

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(91),
                                            "name": "常州窗口重复有限公司"}).id
    edits = [RecordEdit(NEW, values=dict(LEADER)), RecordEdit(NEW, values=dict(LEADER))]
    with pytest.raises(ValidationError) as refused, database.session() as session:
        save_profile(session, firm, {}, recognition_edits=edits)
    assert "起重机" in str(refused.value)
    with database.session() as session:
        assert _count(session, firm) == 0


def test_duplicate_among_rows_tells_the_window_before_saving():
    """The window's form asks the same question of its rows (no database)."""
    rows = [{**recognitions.clean(dict(LEADER)), "_state": "saved"}]
    cleaned = recognitions.clean(dict(LEADER))
    assert "起重机" in recognitions.duplicate_among(cleaned, rows)
    assert recognitions.duplicate_among({**cleaned, "chain_code": "C01"}, rows) == ""
    assert recognitions.duplicate_among(cleaned, []) == ""
    # a row of old holding no label as NULL is the same title as one cleaned to ""
    assert cleaned["batch_label"] == ""
    assert recognitions.duplicate_among(cleaned, [{**rows[0], "batch_label": None}])
