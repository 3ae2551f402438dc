"""3 扶持措施兑现情况表: one row per measure, a 小计 per enterprise or per kind, a 合计."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from tiers.model import reference, support_categories
from tiers.model.support_categories import AMOUNT_NAMES, CATEGORIES, MONEY, category
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
BEFORE = (
    common.SEQ_COLUMN,
    common.NAME_COLUMN,
    common.CREDIT_CODE_COLUMN,
    Column("类别", "center", min_width=8, max_width=KIND_WIDTH),
    Column("项目名称", "text", min_width=12, max_width=28),
    Column("政策依据/文号", "text", min_width=12, max_width=22),
)
AFTER = (
    Column("兑现日期", "date", min_width=11.5, max_width=12),
    Column("实施单位", "text", min_width=12, max_width=26),
)
AMOUNT_COLUMN = len(BEFORE)  # the first amount column: 资金奖补, the money paid
PROGRESS_EVERY = 2000


def _amount_column(category: str) -> Column:
    # the unit on a line of its own: 税收优惠额（万元） broke as 税收优惠额（万 / 元）
    return Column(f"{AMOUNT_NAMES[category]}\n（万元）", "money", min_width=10, max_width=14)


# only money paid to the firm (资金奖补) is 兑现 money: a loan, a guarantee, a tax deduction
# or a service has its amount in a column of its own, not added to it (support29: one firm's
# 小计 of 3,683.77 was 3,000 of 专精特新贷 and 600 of others; the 合计 74% not money paid)
COLUMNS = (*BEFORE, _amount_column(MONEY), *AFTER)  # a report of money only
# before support29 one 金额 column held every amount: a report written then is still ours
OLD_COLUMNS = (*BEFORE, Column("金额（万元）", "money", min_width=10, max_width=14), *AFTER)


def columns(shown: Sequence[str] = ()) -> tuple[Column, ...]:
    """The columns with an amount column for 资金奖补 and for each of ``shown`` (in
    CATEGORIES' order), the categories other than money that the measures listed have."""
    return (*BEFORE, *[_amount_column(c) for c in CATEGORIES if c == MONEY or c in shown],
            *AFTER)


def every_columns() -> list[tuple[Column, ...]]:
    """Every table this report may have (recognised when one is brought to the importer)."""
    others = [c for c in CATEGORIES if c != MONEY]
    return [OLD_COLUMNS, *[columns([c for i, c in enumerate(others) if mask >> i & 1])
                           for mask in range(2 ** len(others))]]


def _note(shown: list[str]) -> str:
    apart = "、".join(f"{AMOUNT_NAMES[c]}（{'、'.join(_kinds(c))}等）" for c in shown)
    return (f"注：资金奖补为兑现给企业的资金；{apart}不是兑现的资金，另列，不计入资金奖补的"
            "小计、合计。")


def _kinds(name: str) -> tuple[str, ...]:
    return next(c.kinds for c in support_categories.categories() if c.name == name)


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    group = request.group or "enterprise"
    if group not in GROUPS:
        raise ReportError("小计方式应为 enterprise（按企业）或 kind（按类别）")
    total = data.measure_count(session, request, group)
    yield Progress("正在查询", 0, total)
    present = {category(kind) for kind in data.measure_kinds(session, request, group)}
    # a column for each category a measure listed is of, even without an amount: its
    # cell (and the 小计/合计, where none has one) blank
    shown = [c for c in CATEGORIES if c != MONEY and c in present]
    places = {MONEY: 0, **{c: 1 + i for i, c in enumerate(shown)}}
    width = len(places)
    kind_places: dict[str, int | None] = {}

    def values(number: int, row: dict) -> tuple:
        kind = row["kind"]
        if kind not in kind_places:
            kind_places[kind] = places.get(category(kind))
        if kind_places[kind] is None:  # (a measure of another category written meanwhile:
            # the columns were chosen by an earlier read, not in the same snapshot)
            raise ReportError("导出期间有人新增了另一类别的扶持措施，表格的列已不相符；"
                              "请重新导出（文件没有写入）")
        amounts = [None] * width
        amounts[kind_places[kind]] = row["amount"]
        return (number, row["name"], row["credit_code"], kind, row["project"],
                row["policy_basis"], *amounts, row["paid_on"], row["implementer"])

    measures = data.measure_rows(session, request, group)
    sample, measures = peek(measures)
    sheet = book.sheet(TITLE, columns(shown))
    extra = [common.measure_status_text(request)]
    if request.kind:
        extra.append(f"类别：{request.kind}")
    if request.tier:
        extra.append(f"企业层级：{reference.tier(data.tier_code(request.tier)).name}（有效）")
    sheet.start(common.title_for(request, TITLE, year=request.year, tier_in_title=False,
                                 session=session),
                unit_label="万元", subtitle=common.as_of(request, *extra),
                sample=[values(0, row) for row in sample])
    label_span = AMOUNT_COLUMN
    grand = [Decimal(0)] * width
    current_key, current_label, subtotal, in_group = None, "", [Decimal(0)] * width, 0
    paid_in_group = False  # a 资金奖补 measure among the group's (else its 小计 leaves it blank)
    number = 0

    def sums(amounts: list[Decimal], money: bool = True) -> list:
        """After the label (which spans 序号..政策依据): the amounts, then blanks; the
        资金奖补 blank in a 小计 of no money measure (a 服务 kind's read 0.00, as if paid
        nothing), as in that measure's own row."""
        return [amounts[0] if money else None, *[a if a else None for a in amounts[1:]],
                None, None]

    for row in measures:
        key = row["enterprise_id"] if group == "enterprise" else row["kind"]
        if key != current_key:  # a 小计 only where a group has more than one measure
            if in_group > 1:
                sheet.total_row(sums(subtotal, paid_in_group), label=f"{current_label} 小计",
                                label_span=label_span)
            subtotal, in_group, paid_in_group = [Decimal(0)] * width, 0, False
        current_key = key
        current_label = row["name"] if group == "enterprise" else row["kind"]
        number += 1
        line = values(number, row)
        place = kind_places[row["kind"]]
        subtotal[place] += row["amount"] or 0
        paid_in_group = paid_in_group or place == 0
        grand[place] += row["amount"] or 0
        in_group += 1
        sheet.row(line)
        if number % PROGRESS_EVERY == 0:
            yield Progress(f"已写入 {number} 条", number, total)
    if in_group > 1:
        sheet.total_row(sums(subtotal, paid_in_group), label=f"{current_label} 小计",
                        label_span=label_span)
    if number == 0:
        sheet.empty_row()
    sheet.total_row(sums(grand), label=f"合计（{number} 项）", label_span=label_span)
    if shown:
        sheet.note(_note(shown))
    yield Progress(f"共 {number} 项，资金奖补合计 {grand[0]:,.2f} 万元", number, total)


DEFINITION = ReportDefinition(
    name="support", title=TITLE,
    description="每项扶持措施一行，按企业（或按类别）小计，末行合计；合计只计资金奖补，融资、"
                "税收优惠、服务等金额单列不计入；金额单位万元",
    filters=(FilterSpec("year", "年度", "year", help="扶持措施的年度"),
             FilterSpec("kind", "措施类别", "choice", choices=reference.pick_lists()["kinds"]),
             FilterSpec("tier", "企业层级", "tier", help="只列当前持有该层级（有效）的企业"),
             common.COUNTY, common.TOWN,
             FilterSpec("status", "兑现状态", "choice", choices=data.MEASURE_STATUSES,
                        default="已兑现", help="默认只列已兑现的措施"),
             FilterSpec("group", "小计方式", "choice", choices=GROUPS, default="enterprise",
                        help="enterprise 按企业小计，kind 按类别小计")),
    build=build, big=True)
