"""1 梯度培育企业名单: one row per enterprise and the recognition that passes the filters."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from tiers.progress import Job, Progress
from tiers.reports import common, data, list_cells
from tiers.reports.base import ReportDefinition, ReportRequest
from tiers.reports.cells import Column
from tiers.reports.writer import ReportBook, peek

TITLE = "梯度培育企业名单"
RECOGNITION = "认定情况"
CONTACT = "联系方式"
# 16 columns on an A4 page's width (landscape, fitted to the width, rows run on to more
# pages): the long texts wrap in narrow columns — a name past 10 characters, 省级专精特新
# 中小企业, a 文号, the chains — so that the body prints at about 8.5 points; at the widths
# the texts asked for it printed at 6 (tester29). Codes, dates and phones stay on one line.
CHAIN_COLUMN = Column("所属产业链（链主）", "text", min_width=9, max_width=10)
COLUMNS = (
    common.SEQ_COLUMN,
    replace(common.COUNTY_COLUMN, min_width=7, max_width=7.5),
    replace(common.TOWN_COLUMN, min_width=8, max_width=9),
    replace(common.NAME_COLUMN, max_width=20),
    common.CREDIT_CODE_COLUMN,
    Column("所属行业", "center", min_width=6, max_width=9),
    Column("主导产品", "text", min_width=8, max_width=9),
    Column("梯度层级", "center", min_width=8, max_width=11, group=RECOGNITION),
    Column("认定级别", "center", min_width=6, max_width=7, group=RECOGNITION),
    Column("认定批次/年度", "center", min_width=8, max_width=9.5, group=RECOGNITION),
    Column(common.NUMBER_LABEL, "center", min_width=8, max_width=12, group=RECOGNITION),
    Column("有效期至", "date", min_width=11.5, max_width=12, group=RECOGNITION),
    Column("是否复核", "center", min_width=5, max_width=6, group=RECOGNITION),
    CHAIN_COLUMN,
    Column("联系人", "center", min_width=6, max_width=8, group=CONTACT),
    Column("联系电话", "center", min_width=12, max_width=13, group=CONTACT),
)
KEYS = data.ROSTER_KEYS
PROGRESS_EVERY = 2000


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    total = data.roster_count(session, request)
    yield Progress("正在查询", 0, total)
    chain = COLUMNS.index(CHAIN_COLUMN)
    rows = ((number, *record[:chain - 1], list_cells.printed_chains(record[chain - 1]),
             *record[chain:])
            for number, record in enumerate(data.roster_records(session, request), start=1))
    sample, rows = peek(rows)
    sheet = book.sheet(TITLE, common.with_number_label(COLUMNS, request))
    sheet.start(common.title_for(request, TITLE, year=request.year, session=session),
                unit_label="家", subtitle=common.as_of(request, common.status_text(request)),
                sample=sample)
    sheet.use_autofilter()
    done = 0
    for values in rows:
        sheet.row(values)
        done += 1
        if done % PROGRESS_EVERY == 0:
            yield Progress(f"已写入 {done} 家", done, total)
    if done == 0:
        sheet.empty_row()
    yield Progress(f"共 {done} 家", done, total)


DEFINITION = ReportDefinition(
    name="roster", title=TITLE,
    description="名单：每家企业一行（认定情况取符合筛选条件的最高层级认定），按层级、县区、镇街、名称排序",
    filters=(common.TIER, common.LEVEL, common.COUNTY, common.TOWN, common.CHAIN,
             common.YEAR, common.STATUS, common.DAYS),
    build=build, big=True)

