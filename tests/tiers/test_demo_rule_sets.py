"""The demo's titles name the rule set they were recognised under, the one in force on their
day (domain.md: the 2022暂行办法 from 2022-06-01, the 2026办法 for 专精特新 and 小巨人 from
2026-04-01; 单项冠军 under its own 2016方案 and 2023办法). Up to tiers.toml's horizon the demo
stamped 2022暂行办法 on every first title: a 2019 创新型 or 专精特新 carried a rule set that did
not exist yet (what applied then, the provincial rules and the ministry's 2018 notice, is not
stored: none is named), a 单项冠军 one that has no 单项冠军, a 2026 第八批 小巨人 the 2022 one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tiers.model.orm import Recognition
from tiers.progress import drain
from tiers.services import demo, demo_ladder

INTERIM, MEASURES = "2022暂行办法", "2026办法"
INTERIM_FROM, MEASURES_FROM = dt.date(2022, 6, 1), dt.date(2026, 4, 1)


def _day(title: Recognition) -> dt.date:
    """Its final list's day, or for one 公示中 the day its 公示 began (as the demo takes it)."""
    return title.recognized_on or dt.date(title.batch_year, *demo_ladder.PUBLICITY_STARTS)


def test_each_first_title_names_the_rule_set_in_force_on_its_day(session):
    drain(demo.generate(session, enterprises=300, seed=7, today=dt.date(2026, 12, 4)))
    titles = session.scalars(select(Recognition).where(
        Recognition.tier_code.in_(demo_ladder.LADDER_CODES),
        Recognition.is_review.is_(False))).all()
    seen = {(t.tier_code, t.rule_set) for t in titles}
    early = [t for t in titles
             if _day(t) < INTERIM_FROM and t.tier_code != "single_champion"]
    assert early and {t.rule_set for t in early} == {""}
    assert {rule for code, rule in seen if code == "single_champion"} <= {
        "单项冠军2016方案", "单项冠军2023办法"}
    for title in titles:
        if title.tier_code in {"zjtx", "little_giant"} and _day(title) >= MEASURES_FROM:
            assert title.rule_set == MEASURES, (title.tier_code, title.batch_label)
        elif _day(title) >= INTERIM_FROM and title.tier_code != "single_champion":
            assert title.rule_set == INTERIM, (title.tier_code, title.batch_label)
    assert {("zjtx", MEASURES), ("little_giant", MEASURES), ("innovative", INTERIM)} <= seen
