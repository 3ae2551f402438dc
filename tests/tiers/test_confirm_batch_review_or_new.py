"""A confirmation takes one list: a 复核 list and a new one of the same tier, label and year
are two 公示 (confirm29). Confirming by tier, label and year took both together; when both
are 公示中 it is refused, naming both, and the caller says which (``is_review``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_code
from tiers.errors import InvalidInput, NotFound
from tiers.model.orm import Recognition
from tiers.services import enterprises, recognitions


def _publicised(database, reviews=(False, True, True)) -> None:
    """One firm a new 2026年度 省级专精特新 公示中, two more on its 复核 list."""
    with database.session() as session:
        for serial, review in enumerate(reviews, start=1):
            firm = enterprises.create(session, {"credit_code": make_code(serial),
                                                "name": f"常州公示{serial}科技有限公司"})
            recognitions.add(session, firm.id, {
                "tier_code": "zjtx", "batch_label": "2026年度", "batch_year": 2026,
                "is_review": review, "is_pending": True,
                "valid_until": dt.date(2029, 12, 31)})


def _pending(database) -> dict[bool, int]:
    """How many are still 公示中, by is_review."""
    with database.session() as session:
        rows = session.query(Recognition.is_review).filter(Recognition.is_pending.is_(True))
        found: dict[bool, int] = {}
        for (review,) in rows:
            found[bool(review)] = found.get(bool(review), 0) + 1
        return found


def test_both_lists_publicised_are_not_confirmed_together(database):
    _publicised(database)
    with database.session() as session, pytest.raises(InvalidInput) as refused:
        recognitions.confirm_batch(session, tier="省级专精特新", batch_label="2026年度",
                                   batch_year=2026)
    message = str(refused.value)
    assert "2026年度 1 家" in message and "2026年度（复核） 2 家" in message, message
    assert refused.value.hint_field == "review"
    assert "--" not in message  # the core names no option: each face says how to choose
    assert _pending(database) == {False: 1, True: 2}  # nothing confirmed


def test_the_list_chosen_is_confirmed_and_the_other_stays(database):
    _publicised(database)
    with database.session() as session:
        assert len(recognitions.confirm_batch(session, tier="省级专精特新", batch_label="2026年度",
                                              batch_year=2026, is_review=True)) == 2
    assert _pending(database) == {False: 1}
    with database.session() as session:
        assert len(recognitions.confirm_batch(session, tier="省级专精特新",
                                              batch_year=2026, is_review=False)) == 1
    assert _pending(database) == {}


def test_a_lone_list_needs_no_choice_and_a_missing_one_is_named(database):
    _publicised(database, reviews=(False, False))
    with database.session() as session, pytest.raises(NotFound, match="没有公示中的.*复核"):
        recognitions.confirm_batch(session, tier="省级专精特新", batch_label="2026年度",
                                   is_review=True)
    with database.session() as session:
        assert len(recognitions.confirm_batch(session, tier="省级专精特新",
                                              batch_label="2026年度")) == 2
    assert _pending(database) == {}


def test_pending_batches_mark_a_batch_publicised_as_both_lists(database):
    """The listing marks (``both_kinds``) a batch whose new list and 复核 list are both
    公示中 (confirm_batch would refuse it without a choice): each face says how to choose
    from this mark, none works it out again; one list left, the mark goes."""
    _publicised(database)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(9), "name": "常州另批科技有限公司"})
        recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_label": "2025年度",
                                            "batch_year": 2025, "is_pending": True})
        listed = recognitions.pending_batches(session)
    assert [(b["batch_label"], b["is_review"], b["count"], b["both_kinds"]) for b in listed] == [
        ("2025年度", False, 1, False), ("2026年度", False, 1, True), ("2026年度", True, 2, True)]
    with database.session() as session:
        recognitions.confirm_batch(session, tier="省级专精特新", batch_year=2026, is_review=True)
        listed = recognitions.pending_batches(session)
    assert [(b["batch_label"], b["both_kinds"]) for b in listed] == [
        ("2025年度", False), ("2026年度", False)]
