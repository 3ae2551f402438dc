"""The 数据造假 bar names, for the tier applied for, the document that states it: the 2026办法
for 专精特新 and 小巨人 (domain.md §2.5); for 单项冠军 the 2023办法's 近3年无数据造假 (§2.4),
the bar inferred from it; for 创新型 and 科技型 the 2026办法, inferred — the source read
"2026办法" for every tier, 单项冠军 included, which that 办法 does not govern (status23,
finding 3)."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_false_data_bar import IN_FORCE, revoked
from tiers import assess
from tiers.assess.bar import BAR_ID, BAR_SOURCES, INFERRED, bar_source
from tiers.model import reference


def test_every_tier_of_the_ladder_has_its_source():
    assert {t.code for t in reference.tiers() if t.ladder} == set(BAR_SOURCES)


def test_each_tier_names_its_own_document_and_says_what_is_inferred():
    for code in ("zjtx", "little_giant"):
        assert bar_source(code).startswith("2026办法（工信部企业〔2026〕2号）"), code
    champion = bar_source("single_champion")
    assert champion.startswith(INFERRED + "2023办法") and "工信部政法〔2023〕138号" in champion
    assert "§2.4" in champion and "2026办法" not in champion.split("；")[0]
    for code in ("innovative", "tech_sme"):
        assert bar_source(code).startswith(INFERRED), code
    assert bar_source("no_such_tier").startswith(INFERRED)


def test_the_assessment_cites_the_document_of_the_tier_applied_for(session,
                                                                   enterprise_factory):
    barred = revoked(session, enterprise_factory, "常州造假冠军科技有限公司",
                     on=dt.date(2025, 11, 3), reason="数据造假")
    session.flush()
    for tier in ("single_champion", "zjtx"):
        item = assess.assess_enterprise(session, barred.id, tier, today=IN_FORCE)
        [bar] = [c for c in item.conditions if c.id == BAR_ID]
        assert bar.source == bar_source(tier), tier
