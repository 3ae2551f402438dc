"""The 复核 round of a title (ladder.review_year) read from what the importer records: a 复核
pass list titled by the batch it renewed ("第二批…复核通过企业名单", its 认定年度 column the
batch's 2020) renews the title for a new term, and that term's round is the year it ends, not 2020 + 3 (review of
assess21, finding 1); the late-announcement case (a 2022年度 title announced January 2023:
round 2025) keeps its batch's round."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import import_file, write_xlsx
from tests.tiers.test_assess_evaluate import giant_firm
from tiers import assess
from tiers.model import ladder
from tiers.model.orm import Enterprise, Recognition
from tiers.services import figures, recognitions

REVIEW_LIST = "第二批专精特新“小巨人”复核通过企业名单"


def test_a_review_pass_read_by_its_original_batch_is_due_in_the_year_its_term_ends(
        database, tmp_path):
    roster = write_xlsx(tmp_path / "复核.xlsx", {"名单": [
        [REVIEW_LIST], ["序号", "企业名称", "统一社会信用代码", "认定年度", "认定日期"],
        [1, "常州二批复核科技有限公司", make_code(1), 2020, dt.date(2023, 8, 1)]]})
    plan, _ = import_file(database, roster)
    assert plan.metadata["is_review"] and plan.metadata["batch_label"] == "第二批"
    with database.session() as session:
        found = session.scalars(select(Recognition)).one()
        assert (found.batch_year, found.valid_until) == (2020, dt.date(2026, 7, 31))
        assert ladder.review_year("little_giant", batch_year=found.batch_year,
                                  valid_until=found.valid_until) == 2026
        assert ladder.renewable_by_review("little_giant", batch_year=found.batch_year,
                                          valid_until=found.valid_until,
                                          today=dt.date(2026, 8, 10))
        firm_id = session.scalars(select(Enterprise.id)).one()
        for year, row in giant_firm().items():
            figures.set_year(session, firm_id, year,
                             {k: v for k, v in row.items() if v is not None})
        session.flush()
        item = assess.assess_enterprise(session, firm_id, "little_giant",
                                        rule_set="2022暂行办法", today=dt.date(2026, 8, 10))
        # due for its 2026 复核: assessed as that 复核, not sent back to 创新型 and 省级专精特新
        assert "须先取得创新型中小企业" not in item.verdict
        assert item.verdict.startswith(
            "专精特新“小巨人”企业（第二批（2020年）复核，有效期至 2026-07-31）已到期，"
            "处于2026年复核轮次内；")


def test_a_late_announced_title_keeps_its_batch_round():
    # 2022年度 announced 2023-01-10, ends 2026-01-09: its batch was reviewed in 2025
    assert ladder.review_year("zjtx", batch_year=2022,
                              valid_until=dt.date(2026, 1, 9)) == 2025
    assert ladder.review_year("zjtx", batch_year=2022,
                              valid_until=dt.date(2025, 12, 31)) == 2025
    # a 复核 pass of 2025 announced in January 2026 (batch year 2025): its round is 2028
    assert ladder.review_year("zjtx", batch_year=2025,
                              valid_until=dt.date(2029, 1, 14)) == 2028


def test_the_rule_choice_counts_the_same_round_as_the_lapsed_wording(
        session, enterprise_factory):
    """对标预审's rule set (choice.choose) and the lapsed-prerequisite wording
    (ladder.renewable_by_review) read one round for one title: a 2022年度 省级专精特新
    announced 2023-01-10 (ends 2026-01-09) is reviewed in 2025 — a 复核 in 2025, in 2026
    no 复核 before it ends and 须重新申报取得 after (finding 2)."""
    found = enterprise_factory("常州晚公告科技有限公司")
    recognitions.add(session, found.id, {"tier_code": "innovative", "batch_year": 2024,
                                         "recognized_on": dt.date(2024, 7, 1)})
    recognitions.add(session, found.id, {"tier_code": "zjtx", "batch_year": 2022,
                                         "recognized_on": dt.date(2023, 1, 10)})
    session.flush()
    in_round = assess.assess_enterprise(session, found.id, "zjtx", today=dt.date(2025, 10, 1))
    assert in_round.rule_reason.startswith(
        "现有省级专精特新中小企业认定有效期至2026-01-09，2025年复核")
    before_end = assess.assess_enterprise(session, found.id, "zjtx",
                                          today=dt.date(2026, 1, 5))
    assert "复核" not in before_end.rule_reason
    assert before_end.rule_reason.startswith("已是省级专精特新中小企业：按现行的")
    after_end = assess.assess_enterprise(session, found.id, "little_giant",
                                         rule_set="2022暂行办法", today=dt.date(2026, 1, 12))
    assert "须重新申报取得" in after_end.verdict
