"""The line under the 候选企业 list counts the 尚未取得前提认定 group apart and says why
(tests/tiers/test_assess_prerequisite_group.py), in the words the command line and the
拟推荐 report use (``assess.prerequisite_count``)."""

from __future__ import annotations

from tests.tiers.test_assess_county import TODAY
from tests.tiers.test_assess_prerequisite_group import LABEL, add_county
from tiers import assess
from tiers.progress import drain
from ui.candidate_summary import summary_text


def test_the_summary_counts_it(session, enterprise_factory):
    add_county(session, enterprise_factory)
    listed = drain(assess.ranked_steps(session, "专精特新", today=TODAY))
    text = summary_text(lambda s: s, listed, include_not_ready=False)
    assert "差一项 1 家，缺数据 1 家，" in text
    assert (f"，{LABEL} 1 家（须先取得创新型中小企业称号（经设区市公告并报省工信厅备案），"
            "取得后方可申报），不符合 1 家（未列出）") in text
    assert assess.prerequisite_count(listed.rules, 1) in text
