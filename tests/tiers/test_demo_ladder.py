"""The demo county's ladder as a county's real data would have it on the demo's day: each
rung a later batch than the one below (小巨人 requires holding 专精特新) — 省级专精特新 may be
of the same year as its 创新型, announced before the province's September call — no batch
before it is out, and the provincial 专精特新 batch 公示中 only in its season (review of
lists17); a 省级 batch every year, 2022年度 among them, and its 复核 three years on."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from tiers.model.orm import Recognition
from tiers.progress import drain
from tiers.services import demo
from tiers.services.demo_ladder import INNOVATIVE_FROM

LADDER_CODES = demo.LADDER_CODES

# across a year: the turn of the year, spring, the 小巨人 公示, its final list, the
# provincial 公示 and its final list
DAYS = [dt.date(2027, 1, 2), dt.date(2027, 1, 20), dt.date(2027, 5, 10), dt.date(2027, 7, 20),
        dt.date(2027, 8, 15), dt.date(2027, 12, 1), dt.date(2027, 12, 27),
        dt.date(2027, 12, 28), dt.date(2026, 12, 4)]
IN_PUBLICITY = {dt.date(2027, 12, 1): 2027, dt.date(2027, 12, 27): 2027,
                dt.date(2026, 12, 4): 2026}


def _titles(session, today: dt.date) -> dict[int, dict[str, Recognition]]:
    drain(demo.generate(session, enterprises=1000, seed=7, today=today))
    firms: dict[int, dict[str, Recognition]] = {}
    for title in session.scalars(select(Recognition).where(  # the titles, not their 复核
            Recognition.tier_code.in_(LADDER_CODES), Recognition.is_review.is_(False))):
        assert title.tier_code not in firms.get(title.enterprise_id, {})
        firms.setdefault(title.enterprise_id, {})[title.tier_code] = title
    return firms


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_each_rung_is_a_later_batch_out_by_the_demos_day(session, today):
    firms = _titles(session, today)
    giants = 0
    for titles in firms.values():
        ladder = [titles[code] for code in LADDER_CODES if code in titles]
        codes = [t.tier_code for t in ladder]
        if codes and codes[0] != LADDER_CODES[0]:
            # 省级专精特新 before 创新型 existed (INNOVATIVE_FROM): no 创新型 below it
            assert codes[0] == "zjtx" and titles["zjtx"].batch_year < INNOVATIVE_FROM
            codes = [LADDER_CODES[0], *codes]
        assert codes == LADDER_CODES[:len(codes)]  # no gap
        years = [t.batch_year for t in ladder]
        assert years == sorted(years), [(t.tier_code, t.batch_label) for t in ladder]
        for lower, upper in itertools.pairwise(ladder):
            if upper.batch_year == lower.batch_year:  # 创新型 then 省级, the same year
                assert (lower.tier_code, upper.tier_code) == ("innovative", "zjtx")
                assert lower.recognized_on < dt.date(lower.batch_year, 9, 20)
        for title in ladder:
            if title.batch_label.endswith("年度"):
                assert title.batch_label == f"{title.batch_year}年度"
            if title.is_pending:
                assert title.recognized_on is None and title.document_number == ""
                continue
            assert title.recognized_on <= today
            if title.tier_code == "little_giant":  # 省级初核推荐 to 6.30, 公示 in July
                assert title.recognized_on >= dt.date(title.batch_year, 8, 1)
                giants += 1
            if title.tier_code == "zjtx":  # called in September
                assert title.recognized_on.month == 12
    assert giants > 0


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_provincial_batch_is_on_publicity_only_in_its_season(session, today):
    firms = _titles(session, today)
    pending = [t for titles in firms.values() for t in titles.values() if t.is_pending]
    year = IN_PUBLICITY.get(today)
    if year is None:
        assert pending == []
        return
    assert pending and {(t.tier_code, t.batch_label, t.batch_year) for t in pending} == {
        ("zjtx", f"{year}年度", year)}
    for title in pending:  # 专精特新 公示中 is the firm's top rung: no 小巨人 on it
        assert set(firms[title.enterprise_id]) == {"innovative", "zjtx"}
    held_this_year = [t for titles in firms.values() for t in titles.values()
                      if t.tier_code == "zjtx" and t.batch_year == year and not t.is_pending]
    assert held_this_year == []  # the batch whole, not split


@pytest.mark.parametrize("today", [dt.date(2026, 12, 6), dt.date(2022, 3, 1)], ids=str)
def test_no_innovative_batch_before_the_2022_rules(session, today):
    """创新型中小企业 came with the 2022 暂行办法 (domain.md §1.1, §2.1): the demo has no
    batch of it before 2022年度; a firm whose 省级专精特新 is older holds none below it."""
    drain(demo.generate(session, enterprises=300, seed=20261121, today=today))
    years = session.scalars(select(Recognition.batch_year).where(
        Recognition.tier_code == "innovative")).all()
    assert years and min(years) >= 2022 if today.year > 2022 else years == []
    older = session.scalars(select(Recognition.enterprise_id).where(
        Recognition.tier_code == "zjtx", Recognition.is_review.is_(False),
        Recognition.batch_year < 2022)).all()
    assert older
    innovative = set(session.scalars(select(Recognition.enterprise_id).where(
        Recognition.tier_code == "innovative")).all())
    assert not set(older) & innovative


def test_a_provincial_batch_every_year_and_its_review_three_years_on(session):
    """The province publishes a 省级专精特新 list every year: 2022年度 too (the year 创新型
    began: its applicants were 创新型 announced that summer), and the 2025 复核 renews it
    (domain.md §1.5: 2022 call = 2022 认定 + 2019年度复核)."""
    drain(demo.generate(session, enterprises=1000, seed=7, today=dt.date(2026, 6, 1)))
    new = set(session.scalars(select(Recognition.batch_year).where(
        Recognition.tier_code == "zjtx", Recognition.is_review.is_(False))))
    # (the demo's firms start climbing in 2019: their first 省级 titles are of 2020)
    assert set(range(2020, 2026)) <= new
    reviewed = set(session.execute(select(Recognition.batch_year,
                                          Recognition.review_of_batch).where(
        Recognition.tier_code == "zjtx", Recognition.is_review.is_(True))))
    assert {(2025, "2022年度"), (2024, "2021年度"), (2023, "2020年度")} <= reviewed
