"""6 企业档案: one enterprise on one sheet: profile, recognitions, annual figures (years
across), support measures, chain roles."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tiers.model.support_categories import is_money
from tiers.progress import Job, Progress
from tiers.queries import profiles
from tiers.reports import common
from tiers.reports.base import FilterSpec, ReportDefinition, ReportError, ReportRequest
from tiers.reports.cells import Column
from tiers.reports.list_cells import batch_text
from tiers.reports.writer import ReportBook, ReportSheet
from tiers.services import enterprises
from tiers.services.errors import NotFound
from tiers.text import fields

TITLE = "企业档案"
WIDTHS = (7, 22, 10, 15, 22, 12, 12, 20)  # an eight-column grid shared by every section
COLUMNS = tuple(Column(f"列{i + 1}", "text", min_width=w, max_width=w)
                for i, w in enumerate(WIDTHS))
YEARS_SHOWN = 6

# The report's own wording where the bureau's form words it otherwise, and the two ratios
# it derives; every other heading is the field catalogue's label with its unit.
_OWN_HEADINGS = {"rd_ratio": "研发费用占营业收入比重（%）", "debt_ratio": "资产负债率（%）",
                 "niche_years": "从事细分市场年限（年）"}
_FIRST_FIGURES = ("revenue", "main_revenue", "net_profit", "rd_expense", "rd_ratio",
                  "total_assets", "total_liabilities", "debt_ratio", "employees", "rd_staff",
                  "ip_class1", "ip_class2", "niche_years", "market_share", "equity_financing")
# then every other figure of the catalogue in its order (the inputs of the 2026 办法 and of the
# 2022 score), so that a figure added to 年度数据 is on the profile without a code change
_FIGURE_ORDER = _FIRST_FIGURES + tuple(
    key for key in fields.fields_of("annual_figures")
    if key not in _FIRST_FIGURES and key not in ("year", "note"))


def _figure_row(key: str) -> tuple[str, str, str]:
    if key in _OWN_HEADINGS:
        return _OWN_HEADINGS[key], key, "money"
    kind = "int" if fields.field("annual_figures", key).kind == "integer" else "money"
    return fields.heading("annual_figures", key), key, kind


# (label, key, kind) of the annual figures, one indicator per row, years across
FIGURES = tuple(_figure_row(key) for key in _FIGURE_ORDER)

Span = tuple[Any, int, int, str]  # value, first column, last column, kind
BASIC_SECTION = "一、基本情况"
# (label, key of the profile's data, kind) of 基本情况, two to a row
BASIC = (("企业名称", "name", "text"), ("统一社会信用代码", "credit_code", "center"),
         ("县（市、区）", "county", "center"), ("镇（街道）", "town", "center"),
         ("地址", "address", "text"), ("所属行业", "industry", "center"),
         ("主导产品", "main_product", "text"), ("成立日期", "founded_on", "date"),
         ("法定代表人", "legal_representative", "center"), ("企业规模", "size", "center"),
         ("联系人", "contact_person", "center"), ("联系电话", "contact_phone", "center"),
         ("上市情况", "listing_status", "center"), ("当前梯度", "tier", "center"),
         ("曾用名", "former_names", "text"), ("标签", "tags", "text"),
         ("扶持金额合计（已兑现，万元）", "support_total", "money"), ("备注", "notes", "text"))


def _ratio(part: Any, whole: Any) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def _spans(sheet: ReportSheet, spans: Sequence[Span], *, header: bool = False,
           total: bool = False) -> None:
    row = sheet.row_index
    sheet.fit_height(row, [(value, sheet.span_width(first, last))
                           for value, first, last, _kind in spans])
    for value, first, last, kind in spans:
        if header:
            fmt = sheet.styles.header
        elif kind == "label":
            fmt = sheet.styles.label
        else:
            fmt = (sheet.styles.total if total else sheet.styles.body)[kind]
        if first != last:
            sheet.worksheet.merge_range(row, first, row, last, "", fmt)
        if header or kind == "label":
            sheet.text(row, first, str(value), fmt)
        else:
            sheet.cell(row, first, value, kind, total=total)
    sheet.row_index += 1


def _section(sheet: ReportSheet, title: str) -> None:
    sheet.row_index += 1
    sheet.merge_text(sheet.row_index, 0, sheet.last_col, title, sheet.styles.section)
    sheet.row_index += 1


def _basic(sheet: ReportSheet, data: dict[str, Any]) -> None:
    _section(sheet, BASIC_SECTION)
    values = {**data, "former_names": "、".join(data["former_names"])}
    pairs = [(label, values[key], kind) for label, key, kind in BASIC]
    for index in range(0, len(pairs), 2):
        (left, left_value, left_kind), (right, right_value, right_kind) = pairs[index:index + 2]
        _spans(sheet, [(left, 0, 1, "label"), (left_value, 2, 3, left_kind),
                       (right, 4, 4, "label"), (right_value, 5, 7, right_kind)])


def _recognitions(sheet: ReportSheet, data: dict[str, Any]) -> None:
    _section(sheet, "二、梯度认定情况")
    number = common.number_label({r["tier_code"] for r in data["recognitions"]})
    _spans(sheet, [(label, i, i, "") for i, label in enumerate(
        ("序号", "梯度层级", "认定级别", "认定批次/年度", number, "认定日期", "有效期至",
         "状态"))], header=True)
    if not data["recognitions"]:
        sheet.empty_row("（无认定记录）")
    for number, r in enumerate(data["recognitions"], start=1):
        tier = f"{r['tier']}（{r['chain']}）" if r["chain"] else r["tier"]
        batch = batch_text(r["batch_label"], r["batch_year"], is_review=bool(r["is_review"]))
        status = r["status"]
        if r["revoked_on"]:
            status += f"（{r['revoked_on']:%Y-%m-%d}{'：' + r['revoke_reason'] if r['revoke_reason'] else ''}）"
        _spans(sheet, [(number, 0, 0, "seq"), (tier, 1, 1, "center"), (r["level"], 2, 2, "center"),
                       (batch, 3, 3, "center"), (r["document_number"], 4, 4, "center"),
                       (r["recognized_on"], 5, 5, "date"), (r["valid_until"], 6, 6, "date"),
                       (status, 7, 7, "center")])


def _figures(sheet: ReportSheet, data: dict[str, Any]) -> None:
    _section(sheet, "三、主要经济指标")
    years = sorted(data["figures"], key=lambda f: f["year"])[-YEARS_SHOWN:]
    if not years:
        sheet.empty_row("（无年度数据）")
        return
    first = 2 + YEARS_SHOWN - len(years)  # the latest year in the last column
    _spans(sheet, [("指标", 0, first - 1, ""),
                   *[(f"{f['year']}年", first + i, first + i, "") for i, f in enumerate(years)]],
           header=True)
    for label, key, kind in FIGURES:
        values = []
        for figures in years:
            if key == "rd_ratio":
                value = _ratio(figures["rd_expense"], figures["revenue"])
            elif key == "debt_ratio":
                value = _ratio(figures["total_liabilities"], figures["total_assets"])
            else:
                value = figures[key]
            values.append(value)
        if all(v is None for v in values):
            continue
        _spans(sheet, [(label, 0, first - 1, "label"),
                       *[(v, first + i, first + i, kind) for i, v in enumerate(values)]])


def _measures(sheet: ReportSheet, data: dict[str, Any]) -> None:
    _section(sheet, "四、扶持措施兑现情况")
    _spans(sheet, [(label, i, i, "") for i, label in enumerate(
        ("序号", "年度", "类别", "项目名称", "政策依据/文号", "金额（万元）", "兑现日期",
         "实施单位"))], header=True)
    measures = sorted(data["support_measures"],
                      key=lambda m: (m["year"] or 0, m["paid_on"] or dt.date.min, m["id"]))
    if not measures:
        sheet.empty_row("（无扶持措施记录）")
        return
    total, apart = Decimal(0), False  # money (资金奖补) only: not a loan, a deduction…
    for number, m in enumerate(measures, start=1):
        if is_money(m["kind"]):
            total += m["amount"] or 0
        elif m["amount"] is not None:
            apart = True
        project = m["name"] if m["status"] == "已兑现" else f"{m['name']}（{m['status']}）"
        _spans(sheet, [(number, 0, 0, "seq"), (m["year"], 1, 1, "seq"), (m["kind"], 2, 2, "center"),
                       (project, 3, 3, "text"), (m["policy_basis"], 4, 4, "text"),
                       (m["amount"], 5, 5, "money"), (m["paid_on"], 6, 6, "date"),
                       (m["implementer"], 7, 7, "text")])
    label = "合计（只计资金奖补，融资、税收优惠、服务等金额不计入）" if apart else "合计"
    _spans(sheet, [(label, 0, 4, "center"), (total, 5, 5, "money"), ("", 6, 7, "center")],
           total=True)


def _chains(sheet: ReportSheet, data: dict[str, Any]) -> None:
    _section(sheet, "五、所属产业链")
    _spans(sheet, [("序号", 0, 0, ""), ("产业集群", 1, 2, ""), ("产业链", 3, 4, ""),
                   ("角色", 5, 5, ""), ("备注", 6, 7, "")], header=True)
    listed = profiles.chains_listed(data)  # the roles and the 链主 recognitions in force
    if not listed:
        sheet.empty_row("（未登记所属产业链）")
    for number, c in enumerate(listed, start=1):
        _spans(sheet, [(number, 0, 0, "seq"), (c["cluster"], 1, 2, "text"),
                       (c["chain"], 3, 4, "text"), (c["role"], 5, 5, "center"),
                       (c["note"], 6, 7, "text")])


def requested_codes(request: ReportRequest) -> list[str]:
    """The credit codes asked for: one, or several separated by commas or spaces (a
    selection of firms: one sheet each), in the order given, each once."""
    codes = [code for code in re.split(r"[,，、;；\s]+", request.code or "") if code]
    if not codes:
        raise ReportError("企业档案需要指定企业的统一社会信用代码", hint_field="code")
    return list(dict.fromkeys(code.upper() for code in codes))


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    codes = requested_codes(request)
    firms = []
    for code in codes:  # every code checked before anything is written
        try:
            firms.append(enterprises.by_code(session, code, include_deleted=True))
        except NotFound as exc:
            raise ReportError(str(exc)) from exc
    steps = 5 * len(firms)
    yield Progress("正在读取", 0, steps)
    for index, enterprise in enumerate(firms):
        data = profiles.profile(session, enterprise.id, today=request.today)
        sheet = book.sheet(data["name"] if len(firms) > 1 else TITLE, COLUMNS)
        _page(sheet, request, data)
        for step, section in enumerate((_basic, _recognitions, _figures, _measures, _chains),
                                       start=1):
            section(sheet, data)
            yield Progress(f"{data['name']}" if len(firms) > 1 else "", 5 * index + step, steps)


def _page(sheet: ReportSheet, request: ReportRequest, data: dict[str, Any]) -> None:
    """The top of one archive page: title, the firm and the as-of date, the unit line."""
    sheet.set_widths()
    sheet.pages_tall = 1  # an archive page: one enterprise, one sheet of paper
    sheet.portrait = True
    sheet.worksheet.set_row(0, 32)
    title = request.title.strip() if request.title else TITLE
    sheet.merge_text(0, 0, sheet.last_col, title, sheet.styles.title)
    deleted = "；该企业在回收站中" if data["deleted_at"] else ""
    sheet.merge_text(1, 0, sheet.last_col, f"{data['name']}" + common.as_of(request) + deleted,
                     sheet.styles.subtitle)
    sheet.row_index = 2
    sheet.unit_line("万元")


DEFINITION = ReportDefinition(
    name="profile", title=TITLE,
    description="一家企业一页（可多家，每家一张工作表）：基本情况、梯度认定、主要经济指标、扶持措施、所属产业链",
    filters=(FilterSpec("code", "统一社会信用代码", "text", required=True,
                        help="一家或多家（以逗号或空格分隔，每家一页）"),),
    build=build)
