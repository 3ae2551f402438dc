"""7 拟推荐企业名单: the candidates for one tier with their 对标预审, ranked by readiness
(条件均满足, 待人工核实, 差一项, 缺数据, 尚未取得前提认定 — short only of the prerequisite
title, two rungs away, in a group of their own with a note below the table —, then 不符合
and 数据存疑 when asked for).

The rows are those of ``tiers.assess.candidates_report_rows``; the assessment runs here in
slices of the county (``candidates`` over preloaded firms), so the export yields progress and
can be cancelled between slices instead of going quiet for the seconds a county takes.

The list is printed and stamped: its 已满足条件 cell says only how many conditions a firm meets
(the full text, some 250 characters, made every row nine lines tall and fitted about five firms
on an A4 page), and the conditions themselves follow on a second sheet, 已满足条件明细, one row
per firm under the same 序号. A 需人工核实 item that every listed firm has (the routine 基本条件)
is said once in a note below the table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from sqlalchemy.orm import Session

from tiers import assess
from tiers.assess.candidates import LOOKBACK, add_contacts, report_row
from tiers.assess.ranking import assessed_rank_key
from tiers.model import reference
from tiers.progress import Job, Progress
from tiers.queries import unit_scope
from tiers.reports import brackets, common
from tiers.reports.base import FilterSpec, ReportDefinition, ReportError, ReportRequest
from tiers.reports.cells import Column
from tiers.reports.writer import ReportBook

TITLE = "拟推荐企业名单"
ASSESSMENT = "对标预审情况"
CONTACT = "联系方式"

# the readiness filter (the ``status`` field of the request)
WITHOUT_NOT_READY = "不含不符合"
ALL = "全部"
READINESS_CHOICES = (WITHOUT_NOT_READY, *assess.READINESS_LABELS.values(), ALL)
TIERS = tuple(assess.assessable_tiers())

COLUMN_LAYOUT: dict[str, Column] = {
    "seq": Column("序号", "seq", min_width=5, max_width=6),
    "county": Column("县（市、区）", "center", min_width=11, max_width=11),
    "town": Column("镇（街道）/园区", "center", min_width=12, max_width=12),
    "name": Column("企业名称", "text", min_width=16, max_width=24),
    "credit_code": Column("统一社会信用代码", "center", min_width=20, max_width=20.5),
    "current_tier": Column("现有梯度", "center", min_width=8, max_width=12),
    "target_tier": Column("拟推荐梯度", "center", min_width=8, max_width=12),
    "readiness": Column("预审结论", "center", min_width=8, max_width=9, group=ASSESSMENT),
    "score": Column("评价得分", "center", min_width=8, max_width=13, group=ASSESSMENT),
    "met": Column("已满足条件", "center", min_width=8, max_width=10, group=ASSESSMENT),
    "gaps": Column("差距", "text", min_width=14, max_width=30, group=ASSESSMENT),
    "manual": Column("需人工核实", "text", min_width=14, max_width=30, group=ASSESSMENT),
    "missing": Column("缺少数据", "text", min_width=10, max_width=20, group=ASSESSMENT),
    "figures_year": Column("数据\n年度", "seq", min_width=6, max_width=6),
    "rule_set": Column("依据标准", "center", min_width=8, max_width=11),
    "contact_person": Column("联系人", "center", min_width=6, max_width=8, group=CONTACT),
    "contact_phone": Column("联系电话", "center", min_width=12, max_width=13, group=CONTACT),
}
KEYS = tuple(key for key, _ in assess.CANDIDATE_REPORT_COLUMNS)
COLUMNS = tuple(COLUMN_LAYOUT[key] for key in KEYS)
# the cells that wrap, centred ones too: the row is as tall as the longest (a 复核 by presumed
# rules reads 2026办法（推定）；按2022暂行办法：… in the narrow 依据标准 column, five lines;
# counting only the left-aligned columns gave it two, and the print showed only its end)
WRAPPED = tuple(index for index, column in enumerate(COLUMNS)
                if column.kind in ("text", "center"))
MET_SHEET = "已满足条件明细"
MET_SUBTITLE = "（序号与名单相同；各条件以“；”分隔）"
MET_COLUMNS = (Column("序号", "seq", min_width=5, max_width=6),
               Column("企业名称", "text", min_width=16, max_width=26),
               Column("预审结论", "center", min_width=8, max_width=12),
               Column("已满足条件", "text", min_width=40, max_width=110))
SLACK = 0.92  # row heights assume slightly narrower columns: ≥, digits and brackets vary by font
SLICE = 500  # firms assessed between two progress steps (a cancel point)
PROGRESS_EVERY = 2000
PENDING_KEY = "公示中"  # in the counts: firms left out, on the province's 公示 list already


def target_tier(request: ReportRequest) -> str:
    if not request.tier:
        raise ReportError("拟推荐企业名单需要选择拟推荐的梯度", hint_field="tier")
    try:
        return assess.resolve_tier(request.tier)
    except assess.AssessError as exc:
        raise ReportError(str(exc)) from exc


def readiness_filter(request: ReportRequest) -> str:
    status = request.status or WITHOUT_NOT_READY
    if status not in READINESS_CHOICES:
        raise ReportError(f"预审结论应为{'、'.join(READINESS_CHOICES)}之一：{status}")
    return status


def _wanted(status: str, readiness: str) -> bool:
    if status == ALL:
        return True
    if status == WITHOUT_NOT_READY:
        return readiness not in (assess.READINESS_LABELS[assess.NOT_READY],
                                 assess.READINESS_LABELS[assess.FLAGGED])
    return readiness == status


def _slices(firms: dict[int, Any]) -> Iterator[dict[int, Any]]:
    items = iter(firms.items())
    while part := dict(itertools.islice(items, SLICE)):
        yield part


def candidate_rows(session: Session, request: ReportRequest,
                   counts: dict[str, int] | None = None,
                   figures: list | None = None) -> Job[list[dict]]:
    """Progress while assessing; returns the rows (dicts as ``candidates_report_rows`` gives,
    renumbered after the town and readiness filters, with ``met_count``). ``counts`` receives the number of
    firms per readiness label across the whole county (before the readiness filter), and
    under ``PENDING_KEY`` those left out as 公示中 for the tier or a higher one. Each firm is
    judged on its own county's figures year (``assess.year_plan``); ``figures`` receives the
    list's (``YearPlan.summary``: the year of most firms, and the note)."""
    tier = target_tier(request)
    status = readiness_filter(request)
    today = request.today
    plan = assess.year_plan(session, today=today, year=request.year)
    try:
        rules = assess.tier_rules(tier, None, today)
    except assess.AssessError as exc:
        raise ReportError(str(exc)) from exc
    yield Progress("正在读取企业数据", 0, 0)
    # the report's area as every report reads it (the unit's firms by default)
    firms = assess.load_firms(session, years=plan.span(LOOKBACK), today=today,
                              area=unit_scope.condition(session, request.county))
    if request.town and request.town.strip():
        town = request.town.strip()
        firms = {key: firm for key, firm in firms.items() if firm.town == town}
    total = len(firms)
    if figures is not None:
        figures.append(plan.summary(firm.county for firm in firms.values()))
    ranked: list = []
    flagged: list = []
    pending = 0
    done = 0
    yield Progress(f"正在对标预审（{rules.tier_name}）", 0, total)
    for part in _slices(firms):
        found = assess.candidates(session, tier, today=today, firms=part, plan=plan,
                                  include_not_ready=True)
        ranked += found.ranked
        flagged += found.flagged
        pending += found.excluded_pending
        done += len(part)
        yield Progress(f"已预审 {done} / {total} 家", done, total)
    ranked.sort(key=assessed_rank_key)
    flagged.sort(key=lambda item: (item.name, item.enterprise_id))
    if counts is not None:
        for item in ranked + flagged:
            counts[item.readiness_label] = counts.get(item.readiness_label, 0) + 1
        counts[PENDING_KEY] = pending
    items = [item for item in ranked + flagged if _wanted(status, item.readiness_label)]
    rows = [report_row(item, seq) for seq, item in enumerate(items, start=1)]
    for row, item in zip(rows, items, strict=True):  # counted here: a title may hold a ；
        row["met_count"] = len(item.met_titles())
    add_contacts(session, rows)
    return rows


def title(request: ReportRequest, session: Session) -> str:
    if request.title:
        return request.title.strip()
    tier_name = reference.tier(target_tier(request)).name
    return f"{common.title_for(request, TITLE, tier_in_title=False, session=session)}（{tier_name}）"


def subtitle(request: ReportRequest, year: int, rule_set: str, status: str,
             counts: dict[str, int], year_note: str = "") -> str:
    summary = "、".join(f"{label} {counts.get(label, 0)} 家"
                        for label in assess.READINESS_LABELS.values() if counts.get(label))
    listed = {WITHOUT_NOT_READY: "列出条件均满足、待人工核实、差一项、缺数据、尚未取得前提认定的企业",
              ALL: "列出全部候选企业"}.get(status, f"只列{status}的企业")
    return common.as_of(request, f"财务数据：{year}年度", year_note, f"依据：{rule_set}", listed,
                        f"预审结果 {summary}" if summary else "",
                        f"已满足的各项条件见“{MET_SHEET}”表")


def pending_note(tier_name: str, count: int) -> str:
    """Firms the province has on its 公示 list already are not recommended again."""
    return (f"注：另有 {count} 家企业已在{tier_name}（或更高梯度）的公示名单中（公示中），"
            f"待正式认定，不再推荐，未列入本名单")


def review_note(count: int) -> str:
    """Below the table: how many listed firms are this year's 复核 (their rows say 复核：…)."""
    return f"注：其中 {count} 家为本年复核。"


def _waiting(row: dict, waiting: str) -> bool:
    """In the 尚未取得前提认定 group with no lapsed title to name (its shared 差距 said once
    in the group's note); a firm in its 复核 reads 复核：尚未取得前提认定."""
    return row["readiness_shown"].removeprefix(assess.REVIEW_MARK) == waiting


def prerequisite_note_line(rules: assess.TierRules, count: int) -> str:
    """What the 尚未取得前提认定 group means, below the table: not 差一项."""
    return (f"注：{assess.prerequisite_count(rules, count)}，其余条件均满足、待人工核实或缺数据，"
            f"不属“{assess.READINESS_LABELS[assess.ONE_SHORT]}”。")


def met_summary(row: dict) -> str:
    """The 已满足条件 cell of the list: how many conditions the firm meets."""
    return f"{row['met_count']} 项" if row["met_count"] else ""


def shared_checks(rows: list[dict], key: str = "manual") -> list[str]:
    """The items of a column every listed firm has (``key``: manual, 需人工核实 — 基本条件：
    中小企业划型、… in each row took two lines of every row; or missing, 缺少数据 — the same
    seven lines of 缺少2025年度数据；近两年研发费用… in every row made each row that tall, 7
    rows a page): said once below the table instead of in every row."""
    if len(rows) < 2:
        return []
    lists = [row[key].split("；") if row[key] else [] for row in rows]
    return [item for item in lists[0] if all(item in other for other in lists[1:])]


# the columns whose items every row has are said once, in a note below the table
SHARED_NOTES = {"manual": "每家企业都需人工核实的项目（不在“需人工核实”列中逐行重复）",
                "missing": "每家企业都缺少的数据（不在“缺少数据”列中逐行重复）"}


def _listed(row: dict, shared: dict[str, list[str]]) -> tuple:
    values = []
    for key in KEYS:
        if key == "met":
            values.append(met_summary(row))
        elif key == "readiness":  # (the group itself filters and counts)
            values.append(row["readiness_shown"])
        elif key == "rule_set":  # (a 复核's presumed rules said so, the other result beside)
            values.append(row["rule_set_shown"])
        elif shared.get(key):
            values.append("；".join(item for item in row[key].split("；")
                                   if item not in shared[key]))
        else:
            values.append(row[key])
    return tuple(values)


def _write_met_sheet(book: ReportBook, list_title: str, rows: list[dict]) -> None:
    """The conditions each listed firm meets, in full: the list's appendix."""
    values = [(row["seq"], row["name"], row["readiness_shown"], row["met"]) for row in rows]
    sheet = book.sheet(MET_SHEET, MET_COLUMNS)
    sheet.closing = brackets.QUOTED
    sheet.start(f"{list_title}：{MET_SHEET}", unit_label="",
                subtitle=MET_SUBTITLE, sample=values[:1000])
    for row_values in values:
        written = sheet.row(row_values)
        sheet.fit_height(sheet.row_index - 1, [(written[3], sheet.widths[3] * SLACK)])
    if not values:
        sheet.empty_row("（没有符合条件的候选企业）")


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    status = readiness_filter(request)
    tier = target_tier(request)
    # the figures year the firms' counties' data support (or the one asked for), said in the
    # subtitle with the counties judged on another year
    counts: dict[str, int] = {}
    figures: list = []
    rows = yield from candidate_rows(session, request, counts, figures)
    chosen = figures[0]
    year = chosen.year
    rules = assess.tier_rules(tier, None, request.today)
    rule_set = rules.rule_set.name
    shared = {key: shared_checks(rows, key) for key in SHARED_NOTES}
    # the 尚未取得前提认定 group's own 差距 (须先取得…称号（库中没有…）, five lines in each of
    # 118 rows): said once in the group's note; a row with another gap (a lapsed one) keeps it
    # (a 前提认定已到期 row of the group says which title ran out: kept in its row)
    waiting = assess.READINESS_LABELS[assess.PREREQUISITE]
    plain = [row for row in rows if _waiting(row, waiting)]
    group_gaps = shared_checks(plain, "gaps")
    values = [_listed(row, {**shared, "gaps": group_gaps} if _waiting(row, waiting)
                      else shared) for row in rows]
    sheet = book.sheet(TITLE, COLUMNS)
    sheet.closing = brackets.QUOTED  # 专精特新“小巨人 / ”企业 in 现有梯度, 拟推荐梯度
    list_title = title(request, session)
    sheet.start(list_title, unit_label="家",
                subtitle=subtitle(request, year, rule_set, status, counts, chosen.note),
                sample=values[:1000])
    sheet.use_autofilter()
    for done, row_values in enumerate(values, start=1):
        written = sheet.row(row_values)
        # long conditions wrap over many lines; leave room for fonts that set them wider
        sheet.fit_height(sheet.row_index - 1, [(written[i], sheet.widths[i] * SLACK)
                                               for i in WRAPPED])
        if done % PROGRESS_EVERY == 0:
            yield Progress(f"已写入 {done} 家", done, len(values))
    if not values:
        sheet.empty_row("（没有符合条件的候选企业）")
    for key, words in SHARED_NOTES.items():
        if shared[key]:
            sheet.note(f"注：{words}：{'；'.join(shared[key])}")
    if chosen.note:
        sheet.note(f"注：{chosen.note}。")
    apart = sum(row["readiness"] == waiting for row in rows)
    if apart:
        sheet.note(prerequisite_note_line(rules, apart) + (
            f"标“{waiting}”的 {len(plain)} 家差距均为：{'；'.join(group_gaps)}"
            "（不在“差距”列中逐行重复）。"
            if group_gaps else ""))
    reviews = sum(bool(row["review"]) for row in rows)
    if reviews:  # 现有梯度 = 拟推荐梯度 on their rows: their 复核, not a new recommendation
        sheet.note(review_note(reviews))
    if counts.get(PENDING_KEY):
        sheet.note(pending_note(reference.tier(tier).name, counts[PENDING_KEY]))
    _write_met_sheet(book, list_title, rows)
    yield Progress(f"共 {len(values)} 家", len(values), len(values))


DEFINITION = ReportDefinition(
    name="candidates", title=TITLE,
    description="对标预审：某一梯度的候选企业（不含已持有该梯度或更高梯度的，"
                "也不含已在该梯度或更高梯度的公示名单上、公示中的），按预审结论排序"
                "（条件均满足、待人工核实、差一项、缺数据、尚未取得前提认定），列出差距、需人工核实、缺少的数据和已满足条件的项数"
                "（各项条件列在第二张表“已满足条件明细”）",
    filters=(FilterSpec("tier", "拟推荐梯度", "tier", choices=TIERS, required=True,
                        help="创新型、省级专精特新、小巨人或单项冠军"),
             common.COUNTY, common.TOWN,
             FilterSpec("year", "数据年度", "year", blank="（上年度）",
                        help="按哪一年度的财务数据预审（默认上年度；上年度数据尚未录齐时用"
                             "已录齐的最近年度，副标题注明）"),
             FilterSpec("status", "预审结论", "choice", choices=READINESS_CHOICES,
                        default=WITHOUT_NOT_READY,
                        help="默认不列不符合（两项及以上条件不满足，或某项数值不足门槛的一半）和数据存疑的企业；"
                             "“全部”都列出")),
    build=build, big=True)
