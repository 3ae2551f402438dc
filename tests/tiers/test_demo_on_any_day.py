"""The demo county looks like a county's data on whatever day it is made: the figures reach
the year the assessment takes by default (上年度) and the year before it, a few firms (not
almost every one) are candidates for 专精特新 and 小巨人, and every rung of the national
ladder has holders in force, also on a day past the newest batch tiers.toml knows (review
of the demo, session 18: by December 2027 every 单项冠军 of the demo had lapsed)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tiers import assess
from tiers.assess import rules
from tiers.model import ladder, reference
from tiers.model.orm import AnnualFigures, Recognition, SupportMeasure
from tiers.progress import drain
from tiers.queries import dashboard
from tiers.reports.base import ReportRequest
from tiers.reports.data import roster_rows
from tiers.reports.list_cells import batch_from_text
from tiers.services import demo, demo_ladder

FIRMS = 300
# the turn of the year, early January, mid-February, spring, the 小巨人 公示, the eve and the
# day of the first invented national batches (published from August), the provincial 公示 in
# December, and a year and two later
DAYS = [dt.date(2026, 12, 6), dt.date(2027, 1, 2), dt.date(2027, 1, 10),
        dt.date(2027, 2, 15), dt.date(2027, 4, 10), dt.date(2027, 7, 1),
        dt.date(2027, 7, 31), dt.date(2027, 8, 1),
        dt.date(2027, 12, 20), dt.date(2028, 2, 15), dt.date(2029, 9, 1),
        dt.date(2031, 3, 1), dt.date(2033, 9, 1)]
# the README's "300 家中约 45–66 家、3–11 家", with a little room: measured on these days
# 专精特新 45–66, 小巨人 3–11 (after the demo's 复核 were dated the day after the titles ran
# out and its figures skewed as a county's: demo_figures; they were 48–74 and 5–9 with
# revenue drawn evenly). The 专精特新 bound was 85, twenty past what the README said; before
# that 10–60 and 1–30, far from "a few"
CANDIDATES = {"zjtx": (42, 70), "little_giant": (3, 11)}


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_demo_looks_like_a_county_on_its_day(session, today):
    drain(demo.generate(session, enterprises=FIRMS, seed=20261121, today=today))
    year = assess.default_year(today)
    per_year = dict(session.execute(select(AnnualFigures.year, func.count())
                                    .group_by(AnnualFigures.year)).all())
    assert per_year.get(year) == FIRMS and per_year.get(year - 1) == FIRMS, per_year
    assert max(per_year) == year  # no figures of the year not yet over

    # a handful of firms, not the county: 49 and 7 of 300 on 2026-12-06
    for code, (least, most) in CANDIDATES.items():
        listed = assess.candidates(session, code, today=today)
        counts = listed.counts()
        assert counts["缺数据"] == 0, (code, counts)
        # (firms due for 复核 that year are listed too, judged as 复核: not candidates anew)
        anew = [item for item in listed.ranked if not item.review]
        assert least <= len(anew) <= most, (code, counts)

    held = dashboard.tier_totals(session, today=today)
    # every rung has holders in force (44 专精特新, 21 小巨人, 5 单项冠军 on 2026-12-06)
    assert held["innovative"] >= 40 and held["zjtx"] >= 25, held
    assert held["little_giant"] >= 10 and held["single_champion"] >= 2, held


@pytest.mark.parametrize("today", [dt.date(2027, 1, 2), dt.date(2027, 1, 15),
                                   dt.date(2027, 2, 15), dt.date(2026, 12, 6)], ids=str)
def test_support_paid_this_year_is_what_the_year_so_far_holds(session, today):
    """Payments drawn after the demo's day were all put on that day: on 2027-01-15 the
    扶持资金 chart's 2027 bar (1460 万元) was twice 2026's (693)."""
    drain(demo.generate(session, enterprises=FIRMS, seed=20261121, today=today))
    per_year = {year: float(total) for year, total in session.execute(
        select(SupportMeasure.year, func.sum(SupportMeasure.amount))
        .group_by(SupportMeasure.year))}
    assert max(per_year) <= today.year and min(per_year) >= 2019  # none paid on Jan 1–2 is fine
    elapsed = (today - dt.date(today.year, 1, 1)).days / 365
    # this year's part about what the days gone allow, with room for chance: on 2026-12-06
    # (0.93 of the year gone) 1.30 times 2025's, allowed up to 1.41 (the bound was 1.86,
    # which nothing could reach) and down to 0.56 (a year whose payments stop early)
    this_year, last_year = per_year.get(today.year, 0.0), per_year[today.year - 1]
    assert this_year <= last_year * (0.25 + 1.25 * elapsed), per_year
    assert this_year >= last_year * 0.6 * elapsed, per_year
    on_the_day = session.scalar(select(func.count()).where(SupportMeasure.paid_on == today))
    assert on_the_day <= 3
    assert session.scalar(select(func.count()).where(SupportMeasure.paid_on > today)) == 0


def _recorded(title, on):
    """The rule set a title records: the one in force on its day; for a 复核 pass renewing
    a title begun under another, with no transition rule naming its rules, marked presumed
    (2027 小巨人复核 of 第六批: 2026办法（推定）, review29)."""
    name = rules.rule_set_name_for(title.tier_code, on=on)
    if title.is_review and rules.presumed_over(title.tier_code, name,
                                               rules.term_start(title.tier_code, on)):
        return name + rules.PRESUMED_MARK
    return name


@pytest.mark.parametrize("today", [dt.date(2027, 8, 1), dt.date(2029, 9, 1)], ids=str)
def test_invented_batches_are_numbered_from_the_tiers_own_last_and_say_so(session, today):
    """Batches past tiers.toml's horizon (2026) are invented: numbered by the years since the
    tier's own newest known batch (单项冠军 第八批 is of 2024, so 2027's is 第十一批 — it was
    第九批, the real 第九批 likely 2025's), marked in the label the 名单 shows and in the note,
    and recognised under the rule set in force then (not 2022暂行办法 for every one)."""
    drain(demo.generate(session, enterprises=FIRMS, seed=20261121, today=today))
    horizon = demo_ladder.horizon()
    invented = session.scalars(select(Recognition).where(
        Recognition.batch_year > horizon,
        Recognition.tier_code.in_(["little_giant", "single_champion"]))).all()
    assert {r.tier_code for r in invented} == {"little_giant", "single_champion"}
    for title in invented:
        last_label, last_year = reference.tier(title.tier_code).batches[-1]
        number = reference.batch_number(last_label) + title.batch_year - last_year
        assert reference.batch_number(title.batch_label) == number, title.batch_label
        assert title.batch_label.endswith("（演示虚构）") and title.note == "演示：虚构批次"
        assert title.rule_set == _recorded(title, title.recognized_on)
    assert {r.batch_label for r in invented if r.tier_code == "single_champion"
            and r.batch_year == 2027} == {"第十一批（演示虚构）"}
    assert {r.rule_set.removesuffix(rules.PRESUMED_MARK) for r in invented} == {
        "2026办法", "单项冠军2023办法"}
    # the titles of known batches are not marked invented, and were recognised under the
    # rule set in force on their day, as the invented ones (they all read 2022暂行办法, a
    # 2019 创新型 and a 2016 单项冠军 too: test_demo_rule_sets; a 复核 is judged by its own
    # rule set: test_titles_past_their_three_years_were_mostly_renewed_by_a_review)
    known = session.scalars(select(Recognition).where(
        Recognition.batch_year <= horizon, Recognition.tier_code.in_(demo_ladder.LADDER_CODES),
        Recognition.is_review.is_(False)))
    for title in known:
        on = title.recognized_on or dt.date(title.batch_year, *demo_ladder.PUBLICITY_STARTS)
        assert (title.rule_set, title.note) == (
            rules.rule_set_name_for(title.tier_code, on=on), ""), title.batch_label
    # the 名单 (roster) says so in its 认定批次 column
    shown = {row["batch"] for row in roster_rows(session, ReportRequest(
        tier="single_champion", today=today))}
    assert "第十一批（演示虚构）（2027年）" in shown
    assert all("演示虚构" in text for text in shown
               if batch_from_text(text)[1] > horizon), shown


@pytest.mark.parametrize("today", [dt.date(2026, 12, 6), dt.date(2031, 3, 1),
                                   dt.date(2033, 9, 1)], ids=str)
def test_titles_past_their_three_years_were_mostly_renewed_by_a_review(session, today):
    """Each batch comes with a 复核 of the batch three years earlier (domain.md §1.5); the
    demo wrote none, so on 2026-12-06 about half its 小巨人 and 专精特新 titles were 已到期
    with nothing after them, and from 2031 few titles were in force (24 专精特新 of 300)."""
    drain(demo.generate(session, enterprises=FIRMS, seed=20261121, today=today))
    titles = session.scalars(select(Recognition).where(
        Recognition.tier_code.in_(demo_ladder.LADDER_CODES),
        Recognition.is_pending.is_(False))).all()
    renewed = {(t.enterprise_id, t.tier_code, t.review_of_batch): t
               for t in titles if t.is_review}
    for (firm, code, label), review in renewed.items():
        reviewed = next(t for t in titles if (t.enterprise_id, t.tier_code, t.batch_label)
                        == (firm, code, label))
        assert review.batch_year >= reviewed.batch_year + 3
        assert reviewed.valid_until < today and review.recognized_on <= today
        # dated on the day after the title it renews ran out (they were up to seven months
        # after, or before it), unless no batch came out that year (单项冠军 has none known
        # of 2025 and 2026: its 复核 is the invented 2027 batch's, dated as that batch)
        after = reviewed.valid_until + dt.timedelta(days=1)
        if after.year >= review.batch_year:
            assert review.recognized_on == after, (code, after, review.recognized_on)
        else:
            assert review.recognized_on.year == review.batch_year and code == "single_champion"
        assert review.valid_until == ladder.default_valid_until(
            code, recognized_on=review.recognized_on, batch_year=review.batch_year)
        # judged by the rule set a transition rule names for the 复核 (工信厅企业函〔2026〕
        # 117号: 2026's 小巨人复核 under the 2022 rules), else the one in force on the day;
        # every 复核 up to 2026 was given 2022暂行办法 (单项冠军's, a 2021 创新型's too)
        if code == "little_giant" and review.batch_year == 2026:
            assert review.rule_set == "2022暂行办法"
        else:
            assert review.rule_set == _recorded(review, review.recognized_on), (
                code, review.batch_label, review.recognized_on, review.rule_set)
    # most titles whose 复核 batch is long out were renewed, not all
    due = [t for t in titles if t.valid_until < today - dt.timedelta(days=365)]
    share = sum((t.enterprise_id, t.tier_code, t.batch_label) in renewed for t in due) / len(due)
    assert len(due) > 20 and 0.7 <= share <= 0.95, (len(due), share)
    held = dashboard.tier_totals(session, today=today)
    assert held["zjtx"] >= 60 and held["little_giant"] >= 20, held


@pytest.mark.parametrize("today", [dt.date(2026, 12, 6), dt.date(2031, 3, 1)], ids=str)
def test_a_rung_is_given_while_the_rung_below_is_in_force(session, today):
    """专精特新 requires holding 创新型, 小巨人 专精特新, a 单项冠军 below 4 亿元 小巨人: the
    rung below (or its 复核) was in force on each day the rung above was given or renewed.
    The rung below lapsed first (no 复核 drawn, or one dated months after it ran out) for 7
    of 183 such days on 2026-12-06, 31 of 242 on 2031-03-01."""
    drain(demo.generate(session, enterprises=FIRMS, seed=20261121, today=today))
    titles = session.scalars(select(Recognition).where(
        Recognition.tier_code.in_(demo_ladder.LADDER_CODES),
        Recognition.is_pending.is_(False))).all()
    held: dict[tuple[int, str], list[Recognition]] = {}
    for title in titles:
        held.setdefault((title.enterprise_id, title.tier_code), []).append(title)
    codes = demo_ladder.LADDER_CODES
    checked, lapsed = 0, []
    for title in titles:
        if title.tier_code == codes[0]:
            continue
        below = held.get((title.enterprise_id, codes[codes.index(title.tier_code) - 1]), [])
        first = min(t.batch_year for t in held.get((title.enterprise_id, "zjtx"), [title]))
        if title.tier_code == "zjtx" and not below and first < demo_ladder.INNOVATIVE_FROM:
            continue  # 省级专精特新 before 创新型 existed, and its 复核: none needed below
        checked += 1
        if not any(t.recognized_on <= title.recognized_on <= t.valid_until for t in below):
            lapsed.append((title.enterprise_id, title.tier_code, title.recognized_on))
    assert checked > 100 and lapsed == [], (checked, len(lapsed), lapsed[:5])
