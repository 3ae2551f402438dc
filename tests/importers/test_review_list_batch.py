"""An imported 复核 list fills 复核批次 (review_of_batch) as the bulk 复核 does: a list titled
"2026年度创新型中小企业复核通过名单" left it blank, though the record's 批次 read 2026年度 and
the title renewed was on file. It is the batch of the title renewed (2023年度), as the bulk
复核 records it; without that title, for a tier named by year, the year the round reviews;
a 第二批…复核 list names it itself; a record holding one keeps it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import Recognition
from tiers.services import enterprises, recognitions

HEADER = ["序号", "企业名称", "统一社会信用代码"]


def _held(database, serial: int, name: str, **title) -> int:
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(serial), "name": name})
        recognitions.add(session, firm.id, title)
        return firm.id


def test_a_yearly_review_list_names_the_batch_renewed(database, tmp_path):
    held = _held(database, 1, "常州合海环保设备科技有限公司", tier_code="innovative",
                 batch_year=2023, batch_label="2023年度", valid_until=dt.date(2026, 12, 27))
    path = write_xlsx(tmp_path / "复核.xlsx", {"附件": [
        ["2026年度创新型中小企业复核通过名单"], HEADER,
        [1, "常州合海环保设备科技有限公司", make_code(1)],
        [2, "常州新来科技有限公司", make_code(2)]]})  # not on file: the round's year
    rows = by_row(plan_file(database, path))
    assert rows[3].records[0].values["review_of_batch"] == "2023年度"
    import_file(database, path)
    with database.session() as session:
        found = {firm: (label, of) for firm, label, of in session.execute(
            select(Recognition.enterprise_id, Recognition.batch_label,
                   Recognition.review_of_batch).where(Recognition.is_review.is_(True)))}
    assert found.pop(held) == ("2026年度", "2023年度")
    assert list(found.values()) == [("2026年度", "2023年度")]


def test_a_numbered_tier_takes_the_batch_renewed_or_says_none(database, tmp_path):
    """小巨人's 2026 round reviews 第五批 and 第二批复核 alike: the firm's own title says
    which; a firm not on file gets none rather than a guess."""
    _held(database, 1, "常州创天新材料有限公司", tier_code="little_giant", batch_label="第五批",
          valid_until=dt.date(2026, 12, 31))
    path = write_xlsx(tmp_path / "复核.xlsx", {"附件": [
        ["2026年专精特新“小巨人”企业复核通过名单"], HEADER,
        [1, "常州创天新材料有限公司", make_code(1)],
        [2, "常州新来科技有限公司", make_code(2)]]})
    rows = by_row(plan_file(database, path))
    assert [rows[n].records[0].values["review_of_batch"] for n in (3, 4)] == ["第五批", ""]


def test_the_list_names_it_and_a_record_keeps_its_own(database, tmp_path):
    firm = _held(database, 1, "常州创天新材料有限公司", tier_code="little_giant",
                 batch_label="第二批", valid_until=dt.date(2023, 12, 31))
    path = write_xlsx(tmp_path / "复核.xlsx", {"附件": [
        ["第二批专精特新“小巨人”复核通过企业名单"], HEADER,
        [1, "常州创天新材料有限公司", make_code(1)]]})
    rows = by_row(plan_file(database, path))
    assert rows[3].records[0].values["review_of_batch"] == "第二批"
    # a yearly 复核 recorded with the officer's own 复核批次: imported again, it is kept
    with database.session() as session:
        recognitions.add(session, firm, {"tier_code": "innovative", "batch_label": "2023年度",
                                         "valid_until": dt.date(2026, 12, 27)})
        recognitions.add(session, firm, {"tier_code": "innovative", "batch_label": "2026年度",
                                         "batch_year": 2026, "is_review": True,
                                         "review_of_batch": "2023年度（原名单）"})
    again = write_xlsx(tmp_path / "复核2.xlsx", {"附件": [
        ["2026年度创新型中小企业复核通过名单"], HEADER,
        [1, "常州创天新材料有限公司", make_code(1)]]})
    plan = plan_file(database, again)
    assert not any(change.field == "review_of_batch" for row in plan.rows
                   for record in row.records for change in record.changes)
