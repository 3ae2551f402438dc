"""2026办法 (domain.md §2.5): a title revoked for 数据造假 bars the firm from applying for
three years. Inside the bar the assessment is 不符合 and says why and until when, on the
detailed path and the county's columns alike; after the bar, or for a revocation for
another reason, nothing changes."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_county import TODAY, Y
from tests.tiers.test_assess_prerequisite_lost import add_title, giant_in_db
from tiers import assess
from tiers.assess.bar import bar_of, last_day
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import load_county
from tiers.assess.results import NOT_READY
from tiers.progress import drain
from tiers.services import recognitions

RULES_2022 = "2022暂行办法"
# a day the 2026办法 is in force (2026-04-01): its bar applies to an assessment dated so;
# TODAY (2026-03-20) comes before it (test_assess_false_data_bar_in_force)
IN_FORCE = dt.date(2026, 4, 20)


def revoked(session, enterprise_factory, name, *, on, reason):
    """A firm meeting the 小巨人 conditions, 省级专精特新 in force, whose 小巨人 (第五批)
    was revoked on ``on`` for ``reason``."""
    found = giant_in_db(session, enterprise_factory, name, ("innovative", "zjtx"))
    title = add_title(session, found.id, "little_giant", year=2023, on=dt.date(2023, 8, 1),
                      batch_label="第五批")
    session.flush()
    recognitions.revoke(session, title.id, reason=reason, on=on)
    return found


HELD = {"is_pending": False, "recognized_on": dt.date(2024, 8, 1)}  # a title in force


def test_the_bar_lasts_three_years_from_the_revocation():
    assert last_day(dt.date(2025, 11, 3)) == dt.date(2028, 11, 2)
    assert last_day(dt.date(2024, 2, 29)) == dt.date(2027, 2, 27)
    assert bar_of("zjtx", dt.date(2025, 11, 3), "数据造假", dt.date(2028, 11, 2),
                  **HELD) is not None
    assert bar_of("zjtx", dt.date(2025, 11, 3), "数据造假", dt.date(2028, 11, 3), **HELD) is None
    assert bar_of("zjtx", dt.date(2025, 11, 3), "企业注销", TODAY, **HELD) is None
    assert bar_of("zjtx", dt.date(2026, 11, 3), "数据造假", TODAY, **HELD) is None  # not yet


def test_a_firm_revoked_for_false_data_is_not_ready_until_the_bar_ends(session,
                                                                       enterprise_factory):
    barred = revoked(session, enterprise_factory, "常州造假科技有限公司",
                     on=dt.date(2025, 11, 3), reason="申报材料弄虚作假（数据造假）")
    over = revoked(session, enterprise_factory, "常州早年造假科技有限公司",
                   on=dt.date(2022, 11, 3), reason="数据造假")
    other = revoked(session, enterprise_factory, "常州注销科技有限公司",
                    on=dt.date(2025, 11, 3), reason="企业自愿放弃")
    session.flush()
    item = assess.assess_enterprise(session, barred.id, "little_giant", rule_set=RULES_2022,
                                    today=IN_FORCE)
    assert item.readiness == NOT_READY
    assert item.verdict.startswith(
        "不符合：专精特新“小巨人”企业认定于 2025-11-03 因“申报材料弄虚作假（数据造假）”撤销，"
        "2028-11-02 前不得申报（依2026办法，2026-04-01起施行）")
    [leaf] = [c for c in item.conditions if c.kind == "bar"]
    assert leaf.title == "因数据造假被撤销认定，3年内不得申报"
    assert item.conditions[0] is leaf  # first in the condition tree, as in the verdict
    # the bar holds for every tier of the ladder, not only the one revoked
    lower = assess.assess_enterprise(session, barred.id, "single_champion", today=IN_FORCE)
    assert lower.readiness == NOT_READY and "2028-11-02 前不得申报" in lower.verdict
    for firm_id in (over.id, other.id):
        free = assess.assess_enterprise(session, firm_id, "little_giant", rule_set=RULES_2022,
                                        today=IN_FORCE)
        assert free.readiness != NOT_READY and "不得申报" not in free.verdict
        assert not any(c.kind == "bar" for c in free.conditions)
    # the county's columns agree, firm for firm
    county = load_county(session, years=range(Y - 3, Y + 1), today=IN_FORCE)
    firms = assess.load_firms(session, years=range(Y - 3, Y + 1), today=IN_FORCE)
    rules = assess.rules_for("little_giant", RULES_2022)
    found = verdicts(county, rules, Y)
    for position, firm in enumerate(firms.values()):
        detailed = assess.assess(firm, rules, Y)
        assert found.readiness[position] == detailed.readiness
        assert found.shortfalls[position] == detailed.shortfalls
    assert found.readiness[county.ids.index(barred.id)] == NOT_READY
    # not a candidate: counted among 不符合, listed only with them
    ranked = drain(assess.ranked_steps(session, "little_giant", rule_set=RULES_2022,
                                       today=IN_FORCE))
    assert barred.id not in {row.enterprise_id for row in ranked.ranked}
    assert {over.id, other.id} <= {row.enterprise_id for row in ranked.ranked}


def test_a_reason_that_denies_false_data_bars_nothing():
    """The bar follows what the reason says, not the word: "经核查不存在数据造假" is a
    revocation for another reason (review of the twenty-first session)."""
    from tiers.assess.bar import false_data

    for barred in ("数据造假", "提供虚假材料", "弄虚作假骗取认定", "经核查，数据造假属实",
                   "非法数据造假", "经核查无造假；另查实提供虚假材料"):
        assert false_data(barred), barred
    for free in ("企业迁出本省（经核查不存在数据造假）", "企业注销，非虚假申报",
                 "未发现虚假材料", "无数据造假问题，企业注销", "企业迁出本省", "", None):
        assert not false_data(free), free
    assert bar_of("zjtx", dt.date(2025, 11, 3), "企业迁出本省（经核查不存在数据造假）",
                  TODAY, **HELD) is None


def test_the_loaders_bar_what_the_revocation_said_and_nothing_else(session,
                                                                    enterprise_factory):
    """Both loaders read a bar only where revocation_bar (the revoke dialog's rule) says the
    revocation starts one: a 公示中 title revoked for 造假, or one revoked before its 认定日期,
    bars nothing, on the day revoked or after the title would have started; a title in
    force does. (The loaders barred one revoked before its start from that start on, while
    the dialog, asked on the day, had said nothing: review of the twenty-second session.)"""
    on = dt.date(2025, 11, 3)
    cases = {}  # firm id: (is_pending, recognized_on)
    for name, pending, since in (("常州公示撤销有限公司", True, dt.date(2025, 12, 1)),
                                 ("常州未始撤销有限公司", False, dt.date(2025, 12, 1)),
                                 ("常州在册撤销有限公司", False, dt.date(2023, 8, 1))):
        firm = giant_in_db(session, enterprise_factory, name, ("innovative", "zjtx"))
        title = add_title(session, firm.id, "little_giant", year=2025, on=since,
                          batch_label="第七批", is_pending=pending)
        session.flush()
        recognitions.revoke(session, title.id, reason="提供虚假材料，数据造假", on=on)
        cases[firm.id] = (pending, since)
    session.flush()
    expected = {firm_id: bar_of("little_giant", on, "提供虚假材料，数据造假", TODAY,
                                is_pending=pending, recognized_on=since) is not None
                for firm_id, (pending, since) in cases.items()}
    assert list(expected.values()) == [False, False, True]
    for day in (on, TODAY):  # TODAY (2026-03-20): after the 认定日期 of the ones not begun
        firms = assess.load_firms(session, years=range(Y - 3, Y + 1), today=day,
                                  ids=list(cases))
        county = load_county(session, years=range(Y - 3, Y + 1), today=day)
        for firm_id, barred in expected.items():
            assert (firms[firm_id].bar is not None) == barred, (day, firm_id)
            assert (county.bar_at(county.ids.index(firm_id)) is not None) == barred, (day, firm_id)
        item = assess.assess_enterprise(session, list(cases)[1], "little_giant",
                                        rule_set=RULES_2022, today=day)
        assert "不得申报" not in item.verdict
