"""One status of a title everywhere: what ``ladder.status_of`` says of a recognition (认定历史,
企业窗口, ``tiers show``) is what ``ladder.status_condition`` finds it by (the 企业库's status
filter, ``tiers enterprises --status``, the reports, the 工作台). A title run out inside its
复核 round is 待复核, and one whose round is over while its list is awaited 复核结果待公布, in
the filter as in the history — the filter called both 已到期 (status23, finding 1)."""

from __future__ import annotations

import datetime as dt

from python_calamine import CalamineWorkbook
from sqlalchemy import select

from tiers import reports
from tiers.model import ladder
from tiers.model.orm import Recognition
from tiers.progress import drain
from tiers.queries.roster import RosterFilter, roster, roster_ids
from tiers.reports import ReportRequest

# (tier, batch year, valid until, recognised on, revoked on, 公示中)
TITLES = [
    ("little_giant", 2023, dt.date(2026, 2, 28), dt.date(2023, 3, 1), None, False),
    ("little_giant", 2022, dt.date(2025, 6, 30), None, None, False),
    ("little_giant", 2020, dt.date(2026, 6, 30), None, None, False),  # 第二批, 复核 2023
    ("single_champion", 2020, dt.date(2023, 11, 30), None, None, False),
    ("single_champion", 2023, dt.date(2026, 12, 31), None, None, False),
    ("single_champion", 2022, dt.date(2025, 12, 31), None, None, False),
    ("single_champion", None, dt.date(2025, 10, 1), None, None, False),
    ("zjtx", 2022, dt.date(2025, 9, 30), None, None, False),
    ("zjtx", 2023, dt.date(2026, 1, 31), None, None, False),
    ("zjtx", 2023, dt.date(2026, 1, 31), None, dt.date(2026, 3, 1), False),
    ("zjtx", 2025, dt.date(2028, 12, 31), None, None, True),
    ("innovative", 2022, dt.date(2025, 12, 31), None, None, False),
    ("innovative", 2023, dt.date(2026, 12, 31), None, None, False),
    ("innovative", None, None, None, None, False),
    ("chain_leader", 2021, dt.date(2024, 5, 1), None, None, False),
    ("city_zjtx", 2023, dt.date(2026, 6, 30), None, None, False),
    # 科技型: no 复核 (its 入库编号 is re-evaluated yearly), run out is 已到期 — never 待复核
    ("tech_sme", 2025, dt.date(2025, 12, 31), None, None, False),
    ("tech_sme", 2026, dt.date(2026, 12, 31), None, None, False),
]
DAYS = [dt.date(2023, 12, 15), dt.date(2024, 3, 1), dt.date(2024, 7, 1), dt.date(2025, 7, 1),
        dt.date(2025, 12, 31), dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 6, 30),
        dt.date(2026, 7, 1), dt.date(2026, 12, 6), dt.date(2027, 1, 2)]
FILTERED = (ladder.EXPIRING, ladder.REVIEW_DUE, ladder.REVIEW_RESULTS_PENDING, ladder.EXPIRED,
            ladder.REVOKED)


def _add_titles(session, enterprise_factory) -> None:
    for number, (tier, year, until, start, revoked, pending) in enumerate(TITLES):
        firm = enterprise_factory(f"常州状态{number}号科技有限公司")
        session.add(Recognition(enterprise_id=firm.id, tier_code=tier, level="省级",
                                batch_year=year, valid_until=until, recognized_on=start,
                                revoked_on=revoked, is_pending=pending))
    # a lapsed 小巨人 renewed by its 复核: neither 待复核 nor 已到期 once the 复核 is in force
    firm = enterprise_factory("常州已复核科技有限公司")
    session.add_all([
        Recognition(enterprise_id=firm.id, tier_code="little_giant", level="国家级",
                    batch_year=2023, valid_until=dt.date(2026, 2, 28)),
        Recognition(enterprise_id=firm.id, tier_code="little_giant", level="国家级",
                    batch_year=2026, is_review=True, recognized_on=dt.date(2026, 3, 1),
                    valid_until=dt.date(2029, 2, 28))])
    session.flush()


def _shown(session, today: dt.date) -> dict[int, str]:
    """Each recognition's status as the 认定历史 words it (profiles.recognition_dict)."""
    renewed = set(session.scalars(select(Recognition.id).where(
        ladder.renewed_condition(today))))
    return {found.id: ladder.status_of(
        valid_until=found.valid_until, revoked_on=found.revoked_on, today=today,
        pending=found.is_pending, renewed=found.id in renewed,
        recognized_on=found.recognized_on, tier_code=found.tier_code,
        batch_year=found.batch_year) for found in session.scalars(select(Recognition))}


def test_the_filter_finds_exactly_the_titles_the_history_words_so(session, enterprise_factory):
    _add_titles(session, enterprise_factory)
    seen = set()
    for today in DAYS:
        shown = _shown(session, today)
        for status in FILTERED:
            found = set(session.scalars(select(Recognition.id).where(
                ladder.status_condition(status, today))))
            assert found == {key for key, said in shown.items() if said == status}, \
                (today, status)
        condition, said = ladder.in_review(today)  # the roster's one query of both
        assert dict(session.execute(select(Recognition.id, said).where(condition)).all()) == {
            key: status for key, status in shown.items()
            if status in (ladder.REVIEW_DUE, ladder.REVIEW_RESULTS_PENDING)}, today
        seen.update(shown.values())
    # the grid reaches every status one filters by, the 复核 ones included
    assert set(FILTERED) <= seen


def test_a_single_champion_reads_the_same_in_the_filter_through_its_round(
        session, enterprise_factory):
    """第五批 (2020) 单项冠军 ending 2023-11-30: 待复核 in December 2023, 复核结果待公布 until
    2024-06-30, 已到期 from 2024-07-01 — in the 企业库's status filter as in its history."""
    firm = enterprise_factory("常州冠军复核科技有限公司")
    session.add(Recognition(enterprise_id=firm.id, tier_code="single_champion",
                            level="国家级", batch_label="第五批", batch_year=2020,
                            valid_until=dt.date(2023, 11, 30)))
    session.flush()
    expected = {dt.date(2023, 12, 15): ladder.REVIEW_DUE,
                dt.date(2024, 6, 30): ladder.REVIEW_RESULTS_PENDING,
                dt.date(2024, 7, 1): ladder.EXPIRED}
    for today, status in expected.items():
        for asked in (ladder.REVIEW_DUE, ladder.REVIEW_RESULTS_PENDING, ladder.EXPIRED):
            ids = roster_ids(session, RosterFilter(status=asked, today=today))
            assert ids == ([firm.id] if asked == status else []), (today, asked)


def test_the_复核_statuses_are_choices_of_the_filter():
    """``tiers enterprises --status`` and the reports' 认定状态 offer them (STATUSES)."""
    assert {ladder.REVIEW_DUE, ladder.REVIEW_RESULTS_PENDING} <= set(ladder.STATUSES)


def test_the_roster_row_names_a_title_in_its_复核_round(session, enterprise_factory):
    """The 企业库's row (and ``tiers enterprises``) of a firm whose 小巨人 ran out in its 复核
    round says 待复核：小巨人 beside what it holds, as the filter that finds it and its
    认定历史 do; once the round is over it says nothing of it (已到期: lost)."""
    firm = enterprise_factory("常州复核轮次科技有限公司")
    session.add_all([
        Recognition(enterprise_id=firm.id, tier_code="little_giant", level="国家级",
                    batch_label="第五批", batch_year=2023, valid_until=dt.date(2026, 2, 28)),
        Recognition(enterprise_id=firm.id, tier_code="innovative", level="省级",
                    batch_year=2025, valid_until=dt.date(2028, 12, 31))])
    alone = enterprise_factory("常州只剩复核科技有限公司")
    session.add(Recognition(enterprise_id=alone.id, tier_code="single_champion",
                            level="国家级", batch_year=2022, valid_until=dt.date(2025, 12, 31)))
    session.flush()
    today = dt.date(2026, 6, 1)
    rows = {row["id"]: row for row in roster(session, RosterFilter(today=today))}
    assert rows[firm.id]["status"] == "有效；待复核：小巨人"
    assert rows[firm.id]["review"] == "待复核：小巨人"
    assert rows[alone.id]["status"] == "复核结果待公布：单项冠军"
    assert rows[alone.id]["tier"] == ""
    found = roster(session, RosterFilter(status=ladder.REVIEW_DUE, today=today))
    assert [row["id"] for row in found] == [firm.id]
    later = {row["id"]: row for row in roster(session, RosterFilter(today=dt.date(2027, 1, 2)))}
    assert later[firm.id]["status"] == ladder.VALID and later[firm.id]["review"] == ""
    assert later[alone.id]["status"] == ""


def test_the_复核_reminder_lists_titles_in_their_round_as_待复核(session, enterprise_factory,
                                                           tmp_path):
    """复核到期提醒表: the titles expiring soon (即将到期, days left) and those run out inside
    their 复核 round (待复核, no days left), each with the core's word in 状态; one whose round
    is over (已到期, lost) or whose list is awaited (复核结果待公布: nothing to do) is not listed."""
    today = dt.date(2026, 6, 1)
    for name, tier, year, until in (
            ("常州轮次内科技有限公司", "little_giant", 2023, dt.date(2026, 2, 28)),
            ("常州即将到期科技有限公司", "zjtx", 2023, dt.date(2026, 7, 31)),
            ("常州已错过科技有限公司", "zjtx", 2021, dt.date(2024, 12, 31)),
            ("常州等名单科技有限公司", "single_champion", 2022, dt.date(2025, 12, 31))):
        firm = enterprise_factory(name)
        session.add(Recognition(enterprise_id=firm.id, tier_code=tier, level="省级",
                                batch_year=year, valid_until=until))
    session.flush()
    target = tmp_path / "expiring.xlsx"
    drain(reports.export_steps(session, "expiring", target, ReportRequest(today=today)))
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    header = next(row for row in rows if row[0] == "序号")
    body = [dict(zip(header, row, strict=True)) for row in rows if isinstance(row[0], float)]
    assert [(row["企业名称"], row["状态"], row["剩余天数"]) for row in body] == [
        ("常州轮次内科技有限公司", "待复核", ""),
        ("常州即将到期科技有限公司", "即将到期", 60.0)]
    assert any("已到期待复核" in str(row[0]) for row in rows)  # the subtitle says so


def test_a_lapsed_科技型_title_is_已到期_everywhere(session, enterprise_factory):
    """科技型中小企业 has no 复核 (tiers.toml ``review = false``: re-evaluated every year): its
    2025 入库编号 run out reads 已到期 on 2026-01-02 — in its history, in the status filter,
    with no 复核 year (the prerequisite wording's review_year) (status23 follow-up, item 1)."""
    from tiers.model import reference

    firm = enterprise_factory("常州科技型到期科技有限公司")
    session.add(Recognition(enterprise_id=firm.id, tier_code="tech_sme", level="省级",
                            batch_year=2025, valid_until=dt.date(2025, 12, 31)))
    session.flush()
    today = dt.date(2026, 1, 2)
    assert _shown(session, today) == {session.scalars(select(Recognition.id)).one(): ladder.EXPIRED}
    assert ladder.review_year("tech_sme", batch_year=2025,
                              valid_until=dt.date(2025, 12, 31)) is None
    assert not ladder.renewable_by_review("tech_sme", batch_year=2025,
                                          valid_until=dt.date(2025, 12, 31), today=today)
    for asked in (ladder.REVIEW_DUE, ladder.EXPIRED):
        ids = roster_ids(session, RosterFilter(status=asked, today=today))
        assert ids == ([firm.id] if asked == ladder.EXPIRED else []), asked
    assert session.scalar(select(ladder.review_year_expression())) is None
    assert reference.tier("tech_sme").review is False
    assert reference.tier("innovative").review is True
