"""候选企业: the line under the list counts the firms judged as their 复核 (其中 N 家按复核规则
（…）预审) but did not say how many of those 复核 were judged by rules no source fixes — the
2026办法 presumed (review29: 省级复核通知未取得，按现行办法推定). The one core sentence says it —
其中 1 家按复核规则（2026办法）预审，1 家的复核规则为推定 — for the client and `tiers assess
--tier` alike (small29)."""

from __future__ import annotations

from tests.tiers.test_assess_edges import Y
from tests.tiers.test_assess_review_presumed import TODAY, _due
from tiers import assess
from tiers.assess.candidates import review_count
from tiers.progress import drain
from ui.candidate_summary import summary_text


def test_the_count_in_words_says_the_presumed():
    assert review_count({"2026办法": 3}, presumed=2) == \
        "其中 3 家按复核规则（2026办法）预审，2 家的复核规则为推定"
    assert review_count({"2022暂行办法": 10, "2026办法": 2}, presumed=2) == \
        "其中 12 家按复核规则预审（2022暂行办法 10 家、2026办法 2 家），2 家的复核规则为推定"
    # none presumed: as before
    assert review_count({"2022暂行办法": 12}) == "其中 12 家按复核规则（2022暂行办法）预审"
    assert review_count({"2022暂行办法": 12}, presumed=0) == \
        "其中 12 家按复核规则（2022暂行办法）预审"


def test_the_client_and_the_rows_count_the_presumed(session, enterprise_factory):
    _due(session, enterprise_factory)
    found = drain(assess.ranked_steps(session, "zjtx", today=TODAY, year=Y,
                                      include_not_ready=True))
    assert found.presumed_reviews() == 1
    line = summary_text(lambda text: text, found, True)
    assert "其中 1 家按复核规则（2026办法）预审，1 家的复核规则为推定" in line, line
    counted: dict[str, str] = {}
    assess.candidates_report_rows(session, "zjtx", today=TODAY, year=Y,
                                  include_not_ready=True, include_flagged=True, reviews=counted)
    assert counted["line"] == \
        "其中 1 家按复核规则（2026办法）预审，1 家的复核规则为推定"
