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
from tests.tiers.test_assess_prerequisite_lost import prerequisite
from tiers import assess
from tiers.model import ladder
from tiers.model.orm import Enterprise, Recognition
from tiers.services import figures

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
        # due for its 2026 复核: not sent back to 创新型 and 省级专精特新 first
        assert "须先取得创新型中小企业" not in item.verdict
        assert "须通过复核重新取得" in prerequisite(item).title


def test_a_late_announced_title_keeps_its_batch_round():
    # 2022年度 announced 2023-01-10, ends 2026-01-09: its batch was reviewed in 2025
    assert ladder.review_year("zjtx", batch_year=2022,
                              valid_until=dt.date(2026, 1, 9)) == 2025
    assert ladder.review_year("zjtx", batch_year=2022,
                              valid_until=dt.date(2025, 12, 31)) == 2025
    # a 复核 pass of 2025 announced in January 2026 (batch year 2025): its round is 2028
    assert ladder.review_year("zjtx", batch_year=2025,
                              valid_until=dt.date(2029, 1, 14)) == 2028
