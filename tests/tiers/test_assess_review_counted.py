"""候选企业: the firms judged as their 复核 (a 小巨人 run out in its 2026 round, by that
round's 2022暂行办法) are counted on the list's line beside the list's own rule set —
其中 1 家按复核规则（2022暂行办法）预审 — and each such row is marked 复核：… in 预审结论, in the
client and in `tiers assess --tier` (status23, finding 2)."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_edges import Y
from tests.tiers.test_assess_review_exemptions import _firm_in_db
from tiers import assess
from tiers.assess.candidates import review_count
from tiers.progress import drain
from tiers.services import recognitions
from ui.candidate_details import ranked_rows
from ui.candidate_summary import summary_text

TODAY = dt.date(2026, 9, 1)


def _two_firms(session, enterprise_factory):
    review = _firm_in_db(session, enterprise_factory, "常州复核计数科技有限公司", {})
    recognitions.add(session, review.id, {"tier_code": "little_giant", "batch_year": 2023,
                                          "recognized_on": dt.date(2023, 8, 1),
                                          "batch_label": "第五批"})
    new = _firm_in_db(session, enterprise_factory, "常州新申报计数科技有限公司", {})
    recognitions.add(session, new.id, {"tier_code": "zjtx", "batch_year": 2024,
                                       "recognized_on": dt.date(2024, 10, 1)})
    session.flush()
    return review, new


def test_the_list_counts_and_marks_the_firms_judged_as_their_复核(session,
                                                                 enterprise_factory):
    review, new = _two_firms(session, enterprise_factory)
    found = drain(assess.ranked_steps(session, "little_giant", today=TODAY, year=Y,
                                      include_not_ready=True))
    assert found.rule_set == "2026办法"  # the list's: new applications
    assert found.review_rule_sets() == {"2022暂行办法": 1}
    line = summary_text(lambda text: text, found, True)
    assert "其中 1 家按复核规则（2022暂行办法）预审" in line, line
    marked = {row["enterprise_id"]: row["review"] for row in ranked_rows(found)}
    assert marked == {review.id: True, new.id: False}


def test_the_count_in_words():
    assert review_count({}) == ""
    assert review_count({"2022暂行办法": 12}) == "其中 12 家按复核规则（2022暂行办法）预审"
    assert review_count({"2022暂行办法": 10, "2026办法": 2}) == \
        "其中 12 家按复核规则预审（2022暂行办法 10 家、2026办法 2 家）"


def test_the_report_rows_say_which_were_judged_as_a_复核(session, enterprise_factory):
    review, new = _two_firms(session, enterprise_factory)
    rows = assess.candidates_report_rows(session, "little_giant", today=TODAY, year=Y,
                                         include_not_ready=True, include_flagged=True)
    by_id = {row["enterprise_id"]: row for row in rows}
    assert by_id[review.id]["review"].startswith("专精特新“小巨人”企业（第五批")
    assert by_id[review.id]["rule_set"] == "2022暂行办法"
    assert by_id[new.id]["review"] == ""
