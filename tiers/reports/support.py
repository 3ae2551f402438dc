"""3 扶持措施兑现情况表: one row per measure, a 小计 per enterprise or per kind, a 合计."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.progress import Job, Progress
from tiers.reports import common, data
from tiers.reports.base import (
    FilterSpec,
    ReportDefinition,
    ReportError,
    ReportRequest,
)
from tiers.reports.cells import Column, display_width
from tiers.reports.writer import ReportBook, peek

TITLE = "扶持措施兑现情况表"
GROUPS = ("enterprise", "kind")
# Wide enough for every kind of the pick list and a project such as 2025年度智改数转诊断服务 on
# one line: a column a little narrower than its text made those rows two lines tall (or, where
# the text still fit, tall rows with one line), unlike their neighbours.
KIND_WIDTH = max(display_width(kind) for kind in reference.pick_lists()["kinds"]) + 1.5
COLUMNS = (
    common.SEQ_COLUMN,
    common.NAME_COLUMN,
    common.CREDIT_CODE_COLUMN,
    Column("类别", "center", min_width=8, max_width=KIND_WIDTH),
    Column("项目名称", "text", min_width=12, max_width=28),
    Column("政策依据/文号", "text", min_width=12, max_width=22),
    Column("金额（万元）", "money", min_width=10, max_width=14),
    Column("兑现日期", "date", min_width=11.5, max_width=12),
    Column("实施单位", "text", min_width=12, max_width=26),
)
AMOUNT_COLUMN = 6
PROGRESS_EVERY = 2000


def _total_values(amount: Decimal) -> list:
    """Values after the label (which spans 序号..政策依据): the amount, then blanks."""
    return [amount, None, None]


def _values(number: int, row: dict) -> tuple:
    return (number, row["name"], row["credit_code"], row["kind"], row["project"],
            row["policy_basis"], row["amount"], row["paid_on"], row["implementer"])


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    group = request.group or "enterprise"
    if group not in GROUPS:
        raise ReportError("小计方式应为 enterprise（按企业）或 kind（按类别）")
    total = data.measure_count(session, request, group)
    yield Progress("正在查询", 0, total)
    measures = data.measure_rows(session, request, group)
    sample, measures = peek(measures)
    sheet = book.sheet(TITLE, COLUMNS)
    extra = [common.measure_status_text(request)]
    if request.kind:
        extra.append(f"类别：{request.kind}")
    if request.tier:
        extra.append(f"企业层级：{reference.tier(data.tier_code(request.tier)).name}（有效）")
    sheet.start(common.title_for(request, TITLE, year=request.year, tier_in_title=False,
                                 session=session),
                unit_label="万元", subtitle=common.as_of(request, *extra),
                sample=[_values(0, row) for row in sample])
    label_span = AMOUNT_COLUMN
    grand = Decimal(0)
    current_key, current_label, subtotal, in_group = None, "", Decimal(0), 0
    number = 0
    for row in measures:
        key = row["enterprise_id"] if group == "enterprise" else row["kind"]
        if key != current_key:  # a 小计 only where a group has more than one measure
            if in_group > 1:
                sheet.total_row(_total_values(subtotal), label=f"{current_label} 小计",
                                label_span=label_span)
            subtotal, in_group = Decimal(0), 0
        current_key = key
        current_label = row["name"] if group == "enterprise" else row["kind"]
        number += 1
        amount = row["amount"]
        subtotal += amount or 0
        grand += amount or 0
        in_group += 1
        sheet.row(_values(number, row))
        if number % PROGRESS_EVERY == 0:
            yield Progress(f"已写入 {number} 条", number, total)
    if in_group > 1:
        sheet.total_row(_total_values(subtotal), label=f"{current_label} 小计",
                        label_span=label_span)
    if number == 0:
        sheet.empty_row()
    sheet.total_row(_total_values(grand), label=f"合计（{number} 项）", label_span=label_span)
    yield Progress(f"共 {number} 项，合计 {grand:,.2f} 万元", number, total)


DEFINITION = ReportDefinition(
    name="support", title=TITLE,
    description="每项扶持措施一行，按企业（或按类别）小计，末行合计；金额单位万元",
    filters=(FilterSpec("year", "年度", "year", help="扶持措施的年度"),
             FilterSpec("kind", "措施类别", "choice", choices=reference.pick_lists()["kinds"]),
             FilterSpec("tier", "企业层级", "tier", help="只列当前持有该层级（有效）的企业"),
             common.COUNTY, common.TOWN,
             FilterSpec("status", "兑现状态", "choice", choices=data.MEASURE_STATUSES,
                        default="已兑现", help="默认只列已兑现的措施"),
             FilterSpec("group", "小计方式", "choice", choices=GROUPS, default="enterprise",
                        help="enterprise 按企业小计，kind 按类别小计")),
    build=build, big=True)
