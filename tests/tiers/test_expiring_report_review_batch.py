"""复核到期提醒表 (and 企业档案's 梯度认定) name a 复核 pass as one, the way every list of
recognitions does (ladder.batch_shown: 第二批（复核）), with the year of the 复核: a 第二批 复核
of 2023 read “第二批（2023年）”, as if 第二批 were a batch of 2023 (audit28 #2)."""

from __future__ import annotations

import datetime as dt

import openpyxl
from python_calamine import CalamineWorkbook

from tiers import reports
from tiers.model.orm import Recognition
from tiers.progress import drain
from tiers.reports import ReportRequest, data
from tiers.reports.cells import display_width
from tiers.text.values import batch_text

TODAY = dt.date(2026, 11, 1)


def test_a_review_batch_says_it_is_one_and_of_which_year():
    assert batch_text("第二批", 2023, is_review=True) == "第二批（复核）（2023年）"
    assert batch_text("2023年度", 2023, is_review=True) == "2023年度（复核）"
    assert batch_text("", 2026, is_review=True) == "复核（2026年）"
    assert batch_text("第二批", 2023) == "第二批（2023年）"  # a title of the batch itself


def _firms(session, enterprise_factory):
    for name, label, year, review in (("常州复核小巨人有限公司", "第二批", 2023, True),
                                      ("常州第五批小巨人有限公司", "第五批", 2023, False),
                                      ("常州年度复核专精特新有限公司", "2023年度", 2023, True)):
        firm = enterprise_factory(name)
        session.add(Recognition(enterprise_id=firm.id,
                                tier_code="zjtx" if "专精特新" in name else "little_giant",
                                level="省级" if "专精特新" in name else "国家级",
                                batch_label=label, batch_year=year, is_review=review,
                                valid_until=dt.date(2026, 12, 31)))
    session.flush()


EXPECTED = {"常州复核小巨人有限公司": "第二批（复核）（2023年）",
            "常州第五批小巨人有限公司": "第五批（2023年）",
            "常州年度复核专精特新有限公司": "2023年度（复核）"}


def test_the_reminder_rows_name_a_review_as_one(session, enterprise_factory):
    _firms(session, enterprise_factory)
    rows = data.expiring_rows(session, ReportRequest(today=TODAY))
    assert {row["name"]: row["batch"] for row in rows} == EXPECTED


def test_the_reminder_sheet_names_a_review_as_one(session, enterprise_factory, tmp_path):
    _firms(session, enterprise_factory)
    target = tmp_path / "expiring.xlsx"
    drain(reports.export_steps(session, "expiring", target, ReportRequest(today=TODAY)))
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    header = next(row for row in rows if row[0] == "序号")
    body = [dict(zip(header, row, strict=True)) for row in rows if isinstance(row[0], float)]
    assert {row["企业名称"]: row["认定批次/年度"] for row in body} == EXPECTED
    # wide enough for 第二批（复核）（2023年） on one line (LibreOffice wrapped its last “）”)
    column = openpyxl.utils.get_column_letter(header.index("认定批次/年度") + 1)
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet.column_dimensions[column].width >= display_width("第二批（复核）（2023年）") + 1


def test_the_profile_names_a_review_the_same_way(session, enterprise_factory, tmp_path):
    """企业档案 wrote 第二批（2023年）（复核）: the year still read as the batch's own."""
    _firms(session, enterprise_factory)
    code = session.query(Recognition).filter_by(batch_label="第二批").one().enterprise.credit_code
    target = tmp_path / "profile.xlsx"
    drain(reports.export_steps(session, "profile", target,
                               ReportRequest(code=code, today=TODAY)))
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    flat = [value for row in rows for value in row if value != ""]
    assert "第二批（复核）（2023年）" in flat
