"""2 梯度培育情况汇总表: per county (or per town) × tier: 累计, 本年新增, 有效, 即将到期, and a
合计 row. Each enterprise lies in one area, so the 合计 row is the sum of the area rows and
equals the distinct count in the database."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from tiers.exchange import status
from tiers.model import reference
from tiers.model.vocabulary import NO_COUNTY_LABEL
from tiers.progress import Job, Progress
from tiers.queries import unit_scope
from tiers.reports import common, data
from tiers.reports.base import (
    FilterSpec,
    ReportDefinition,
    ReportError,
    ReportRequest,
)
from tiers.reports.cells import Column
from tiers.reports.writer import ReportBook

TITLE = "梯度培育情况汇总表"
MEASURES = ("cumulative", "new", "held", "expiring")
GROUPS = ("county", "town")
NO_COUNTY = NO_COUNTY_LABEL  # 未填区县: firms whose county is not recorded, counted on a line of their own


def shown_tiers(request: ReportRequest, table) -> list[reference.Tier]:
    """The four rungs of the ladder always; local titles only where some are recorded
    (链主 is a role on a chain: the 产业链企业分布表 counts it)."""
    if request.tier:
        return [reference.tier(data.tier_code(request.tier))]
    present = {code for row in table.values() for code in row}
    return [t for t in reference.tiers()
            if t.ladder or (t.code in present and t.code != "chain_leader")]


def columns(tiers: list[reference.Tier], *, by_town: bool, marked: bool = False
            ) -> tuple[list[Column], list[Column]]:
    """The area columns (序号, 县区, and 镇街 by town), then the four counts of each tier;
    ``marked``: a county is marked with its 报送情况 (溧阳市（未报送）), on one line."""
    area_columns = [Column("序号", "seq", min_width=5, max_width=6),
                    Column("县（市、区）", "center", min_width=9, max_width=17 if marked else 12)]
    if by_town:
        area_columns.append(Column("镇（街道）", "center", min_width=9, max_width=14))
    labels = ("累计", "本年\n新增", "有效", "即将\n到期")
    return area_columns, [Column(label, "int", min_width=5.5, max_width=8, group=t.name)
                          for t in tiers for label in labels]


def _rows(areas: list, table: dict, tiers: list, *, by_town: bool,
          empty: Collection[str] = (), marks: dict[str, str] | None = None
          ) -> tuple[list[list], dict[str, data.TierCounts]]:
    """One row per area (序号, county, town, then the measures of each tier) and the totals.
    ``empty``: the counties listed without a firm (their town blank); ``marks``: a word
    after a county's name (未报送)."""
    totals = {t.code: data.TierCounts() for t in tiers}
    marks = marks or {}
    rows = []
    for index, area in enumerate(areas, start=1):
        row = table.get(area, {})
        mark = marks.get(area[0])
        values: list = [index, f"{area[0]}（{mark}）" if mark else (area[0] or NO_COUNTY)]
        if by_town:
            values.append(area[1] or ("" if not area[0] or area[0] in empty else "（未填）"))
        for tier in tiers:
            counts = row.get(tier.code, data.TierCounts())
            totals[tier.code].add(counts)
            values += [getattr(counts, m) for m in MEASURES]
        rows.append(values)
    return rows, totals


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    group = request.group or "county"
    if group not in GROUPS:
        raise ReportError("汇总方式应为 county（按县区）或 town（按镇街）")
    by_town = group == "town"
    year = request.year or request.today.year
    days = data.expiring_days(request)
    yield Progress("正在统计", 0, 0)
    areas, table = data.summary_counts(session, request, by_town=by_town)
    areas, empty = data.with_unit_counties(session, request, areas)
    # a city's table (its counties listed) marks those that have not sent this year's
    # package, whether they have firms here or not
    listed = bool(empty) or (not request.town and bool(
        unit_scope.listed_counties(session, request.county)))
    marks = _not_sent(session, areas, year) if listed else {}
    tiers = shown_tiers(request, table)
    area_columns, count_columns = columns(tiers, by_town=by_town, marked=bool(marks))
    rows, totals = _rows(areas, table, tiers, by_town=by_town, empty=empty, marks=marks)
    sheet = book.sheet(TITLE, [*area_columns, *count_columns])
    sheet.start(common.title_for(request, TITLE, tier_in_title=False, session=session),
                unit_label="家",
                subtitle=common.as_of(
                    request, f"本年新增为{year}年首次认定（不含复核）",
                    f"有效含即将到期；即将到期为{days}天内到期"),
                sample=rows)
    for values in rows:
        sheet.row(values)
    if not rows:
        sheet.empty_row()
    sheet.total_row([getattr(totals[t.code], m) for t in tiers for m in MEASURES],
                    label="合计", label_span=len(area_columns))
    if marks:
        words = "、".join(f"“{mark}”" for mark in dict.fromkeys(marks.values()))
        sheet.note(f"注：标{words}的县（市、区）尚未报送{year}年的数据包，"
                   "表中为本库已有的数据（没有的为 0）。")
    yield Progress(f"共 {len(areas)} 个{'镇街' if by_town else '县区'}", len(areas), len(areas))


def _not_sent(session: Session, areas: list, year: int) -> dict[str, str]:
    """The listed counties that have not sent a package of ``year`` {name: 未报送 / 往年报送},
    in a database that receives packages (a city's: 报送情况, tiers.exchange.status);
    nothing in one that does not (a city that keeps its counties' firms itself)."""
    if not status.receives_packages(session):
        return {}
    lines = {line.code: line for line in status.package_status(session, year=year)}
    marks = {}
    for county, _ in areas:
        code = reference.resolve_county(county)[0] if county else None
        if code is None:
            continue
        line = lines.get(code)
        if line is None or not line.sent:
            marks[county] = line.state if line is not None else "未报送"
    return marks


DEFINITION = ReportDefinition(
    name="summary", title=TITLE,
    description="按县区（或县区内按镇街）× 梯度层级统计累计、本年新增、有效、即将到期家数，含合计",
    filters=(FilterSpec("group", "汇总方式", "choice", choices=GROUPS, default="county",
                        help="county 按县区，town 按镇街"),
             common.COUNTY, common.TOWN, common.TIER,
             FilterSpec("year", "统计年度", "year", help="本年新增按此年度统计（默认今年）"),
             common.DAYS),
    build=build)
