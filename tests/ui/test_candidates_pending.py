"""A firm 公示中 for the tier is not listed in 培育库 → 候选企业: the summary counts it apart
(另有 N 家已在公示中), and the firm's own 对标预审 tab says it is 公示中 for the tier."""

from __future__ import annotations

import pytest

from tests.conftest import good_zjtx
from tests.ui.candidates_helpers import candidates_page, list_candidates
from tiers.services import figures, recognitions
from ui.cultivation_view import CultivationView

pytestmark = pytest.mark.usefixtures("rules_before_2026")


@pytest.fixture
def publicised(database, assess_county):
    """A firm as ready as 甲, holding 创新型, on this year's 专精特新 公示 list."""
    with database.session() as session:
        firm_id = _publicised(session, assess_county["year"])
        session.commit()
    return firm_id


def _publicised(session, year: int) -> int:
    import datetime as dt

    from tests.conftest import make_code
    from tiers.services import enterprises

    firm = enterprises.create(session, {"credit_code": make_code(900),
                                        "name": "常州公示科技有限公司", "county": "武进区",
                                        "town": "湖塘镇"})
    figures.set_year(session, firm.id, year, good_zjtx())
    figures.set_year(session, firm.id, year - 1,
                     dict(revenue=1900, main_revenue=1700, rd_expense=90))
    figures.set_year(session, firm.id, year - 2, dict(revenue=1800, main_revenue=1600))
    recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": year - 1,
                                        "recognized_on": dt.date(year - 1, 10, 1)})
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": year + 1,
                                        "batch_label": f"{year + 1}年度", "is_pending": True})
    return firm.id


def test_candidates_view_leaves_them_out_and_says_how_many(qtbot, database, settings, runner,
                                                           publicised):
    candidates = candidates_page(qtbot, database, settings, runner).candidates
    list_candidates(qtbot, candidates, "zjtx")
    names = [candidates.model.record(r)["name"] for r in range(candidates.model.rowCount())]
    assert "常州甲科技有限公司" in names and "常州公示科技有限公司" not in names
    summary = candidates.summary.text()
    assert "已认定该梯度或更高 1 家（不列入）" in summary
    assert "另有 1 家已在公示中（不列入）" in summary
    # who they are: the tooltip names them
    assert candidates.summary.toolTip().splitlines() == [
        "已在公示中、不列入的企业（在该梯度或更高梯度的公示名单上）：", "常州公示科技有限公司"]
    candidates.select_tier("little_giant")  # not 专精特新 yet: a 小巨人 candidate is judged
    with qtbot.waitSignal(candidates.finished, timeout=20_000):
        candidates.run()
    assert "已在公示中" not in candidates.summary.text()
    assert candidates.summary.toolTip() == ""


def test_the_tooltip_names_twenty(qtbot, database, settings, runner):
    from dataclasses import replace

    from tiers import assess
    from tiers.assess.ranking import RankedList

    view = CultivationView(database, settings, runner=runner)
    qtbot.addWidget(view)
    names = [f"常州公示{i:02d}科技有限公司" for i in range(25)]
    found = RankedList(rules=assess.tier_rules("zjtx", "2022暂行办法"), figures_year=2025,
                       today=None, excluded_pending=25, pending_names=names)
    lines = view.candidates._pending_tip(found).splitlines()
    assert lines[1:21] == names[:20] and lines[21] == "……共 25 家" and len(lines) == 22
    assert view.candidates._pending_tip(replace(found, pending_names=[])) == ""


def test_the_firms_own_assessment_says_so(
        qtbot, firm_window, database, settings, runner, publicised):
    dialog = firm_window(publicised)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    assert tab.tier.currentData() == "zjtx"  # 公示中 is not held: the next rung stays
    assert tab.tier.itemText(tab.tier.currentIndex()) == "省级专精特新中小企业（公示中）"
    assert tab.verdict.text().startswith(
        "已在省级专精特新中小企业公示名单中（公示中，待正式认定），不再推荐")


def test_only_the_tier_on_the_list_is_marked_publicised(
        qtbot, firm_window, database, settings, runner, assess_county):
    """A firm holding 创新型 on the 小巨人 公示 list: 小巨人 is the tier 公示中; 专精特新 says
    which list keeps it out, not that it is 公示中 for 专精特新."""
    with database.session() as session:
        firm_id = _publicised(session, assess_county["year"])
        from sqlalchemy import update

        from tiers.model.orm import Recognition
        session.execute(update(Recognition).where(Recognition.enterprise_id == firm_id,
                                                  Recognition.is_pending.is_(True))
                        .values(tier_code="little_giant", batch_label="第九批"))
        session.commit()
    dialog = firm_window(firm_id)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    texts = {tab.tier.itemData(i): tab.tier.itemText(i) for i in range(tab.tier.count())}
    assert texts["innovative"] == "创新型中小企业（已是该梯度或更高）"
    assert texts["zjtx"] == "省级专精特新中小企业（小巨人公示中）"
    assert texts["little_giant"] == "专精特新“小巨人”企业（公示中）"
    assert texts["single_champion"] == "制造业单项冠军企业"
