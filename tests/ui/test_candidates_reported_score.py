"""候选企业's 评价得分 column under the 2026 rules (in force today): the 专精特新发展评价得分
the firm reported, as the 2022 rules' computed score is shown (it was empty)."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_edges import ZJTX_2026
from tests.ui.candidates_helpers import candidates_page, list_candidates
from tiers.assess import default_year
from tiers.services import figures, recognitions


def test_the_reported_score_fills_the_column(qtbot, database, settings, runner, session,
                                             enterprise_factory):
    year = default_year()
    firm = enterprise_factory("常州评分科技有限公司")
    for back, values in ZJTX_2026.items():
        figures.set_year(session, firm.id, year - back,
                         dict(values, development_score="65.5") if back == 0 else values)
    recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": year - 1,
                                        "recognized_on": dt.date(year - 1, 9, 1)})
    session.commit()
    candidates = candidates_page(qtbot, database, settings, runner).candidates
    list_candidates(qtbot, candidates, "zjtx")
    qtbot.waitUntil(lambda: candidates.model.rowCount() == 1
                    and candidates.model.record(0)["detailed"], timeout=20_000)
    assert candidates.found.rule_set == "2026办法"
    assert candidates.model.record(0)["score"] == "65.5 分"
