"""4 复核到期提醒表: recognitions in force that expire within N days, and those run out inside
their 复核 round (待复核), soonest end first, each with its status in the core's words."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tiers.progress import Job, Progress
from tiers.reports import common, data
from tiers.reports.base import ReportDefinition, ReportRequest
from tiers.reports.cells import Column
from tiers.reports.writer import ReportBook, peek

TITLE = "复核到期提醒表"
COLUMNS = (
    common.SEQ_COLUMN,
    common.COUNTY_COLUMN,
    common.TOWN_COLUMN,
    common.NAME_COLUMN,
    common.CREDIT_CODE_COLUMN,
    Column("梯度层级", "center", min_width=8, max_width=22),
    Column("认定级别", "center", min_width=6, max_width=7),
    # a 复核 with its year: 第六批（复核）（2024年） on one line
    Column("认定批次/年度", "center", min_width=8, max_width=25.5),
    Column(common.NUMBER_LABEL, "center", min_width=8, max_width=24),
    Column("认定日期", "date", min_width=11.5, max_width=12),
    Column("有效期至", "date", min_width=11.5, max_width=12),
    Column("剩余天数", "int", min_width=6, max_width=8),
    Column("状态", "center", min_width=8, max_width=9),
    Column("联系人", "center", min_width=6, max_width=8),
    Column("联系电话", "center", min_width=12, max_width=14),
)
KEYS = ("county", "town", "name", "credit_code", "tier", "level", "batch", "document_number",
        "recognized_on", "valid_until", "days_left", "status", "contact_person",
        "contact_phone")


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    days = data.expiring_days(request)
    yield Progress("正在查询", 0, 0)
    rows = ((number, *[row[key] for key in KEYS])
            for number, row in enumerate(data.expiring_rows(session, request), start=1))
    sample, rows = peek(rows)
    sheet = book.sheet(TITLE, common.with_number_label(COLUMNS, request))
    sheet.start(common.title_for(request, TITLE, session=session), unit_label="家",
                subtitle=common.as_of(request, f"{days}天内到期及已到期待复核的，按到期日先后排列"),
                sample=sample)
    sheet.use_autofilter()
    done = 0
    for values in rows:
        sheet.row(values)
        done += 1
        if done % 2000 == 0:
            yield Progress(f"已写入 {done} 条", done, 0)
    if done == 0:
        sheet.empty_row(f"（{days}天内没有到期或待复核的认定）")
    yield Progress(f"共 {done} 条", done, done)


DEFINITION = ReportDefinition(
    name="expiring", title=TITLE,
    description="有效认定中 N 天内到期的（默认 180 天），及已到期而仍在复核轮次内的（待复核），"
                "按到期日先后排列",
    filters=(common.DAYS, common.TIER, common.LEVEL, common.COUNTY, common.TOWN,
             common.CHAIN),
    build=build, big=True)
