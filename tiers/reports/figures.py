"""8 专精特新企业发展情况统计表 (domain.md §6): one row per firm holding a tier in force (the
tier asked for, else its highest), with its figures of one year (年度数据; the latest year
the listed firms have figures for, unless one is asked): 营业收入 and its growth on the year
before, 主营业务收入, 净利润, 研发费用 and its share of 营业收入, 从业人员 and 研发人员, 资产总额,
负债总额 and 资产负债率, Ⅰ类/Ⅱ类 知识产权, 上市情况; money in 万元.

A figure not recorded is a blank cell, never 0 (a 0 recorded stays 0). The 合计 row sums each
figure over the firms that have it; its ratios are computed from sums, never added up or
averaged: each over the firms that have both of its figures, the base above 0 (研发费用 and
营业收入, 负债总额 and 资产总额, this and last year's 营业收入), said in a note, with how many
firms lack the year's figures. Tiers keeps no 利润总额 (净利润 only) and no 纳税: the table has no such columns.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session, aliased

from tiers.assess.figures_year import last_year
from tiers.model import ladder, reference
from tiers.model.orm import AnnualFigures, Enterprise, Money, Recognition
from tiers.progress import Job, Progress
from tiers.reports import common, data
from tiers.reports.base import FilterSpec, ReportDefinition, ReportRequest
from tiers.reports.cells import SAMPLE_ROWS, Column
from tiers.reports.writer import ReportBook, peek
from tiers.storage.dialect import descending

TITLE = "专精特新企业发展情况统计表"
REVENUE, RD, STAFF, IP = "营业收入", "研发费用", "人员（人）", "有效知识产权（项）"


def _money(label: str, group: str | None = None) -> Column:
    return Column(label, "money", min_width=9, max_width=15, group=group)


def _ratio(label: str, group: str | None = None) -> Column:
    return Column(label, "money", min_width=7.5, max_width=10, group=group)


def _count(label: str, group: str | None = None) -> Column:
    return Column(label, "int", min_width=6, max_width=10, group=group)


COLUMNS = (
    common.SEQ_COLUMN,
    Column("县（市、区）", "center", min_width=10.5, max_width=11),
    Column("企业名称", "text", min_width=16, max_width=32),
    Column("统一社会信用代码", "center", min_width=20, max_width=20.5),
    Column("梯度层级", "center", min_width=8, max_width=22),
    _money("金额", REVENUE),
    _ratio("较上年\n增长（%）", REVENUE),
    _money("主营业务\n收入"),
    _money("净利润"),
    _money("金额", RD),
    _ratio("占营业\n收入（%）", RD),
    _count("从业人员", STAFF),
    _count("研发人员", STAFF),
    _money("资产总额"),
    _money("负债总额"),
    _ratio("资产\n负债率（%）"),
    _count("Ⅰ类", IP),
    _count("Ⅱ类", IP),
    Column("上市情况", "center", min_width=6, max_width=8),
)
# the figures of a row, in the columns' order (None: a computed column)
FIGURES = ("revenue", None, "main_revenue", "net_profit", "rd_expense", None, "employees",
           "rd_staff", "total_assets", "total_liabilities", None, "ip_class1", "ip_class2")
SUMMED = tuple(key for key in FIGURES if key)
FIRST_FIGURE = 5  # 序号 … 梯度层级 before them
PROGRESS_EVERY = 2000
HUNDREDTH = Decimal("0.01")

YEAR = FilterSpec("year", "数据年度", "year", blank="（最近有数据的年度）",
                  help="年度数据的年度；默认为所列企业最近一个有数据的年度")
TIER = FilterSpec("tier", "梯度层级", "tier",
                  help="只列持有该层级有效认定的企业；默认持有任一有效认定的企业（列其最高层级）")


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole in per cent, to the hundredth; None when either is unknown or the
    whole is not positive."""
    if part is None or whole is None or whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(HUNDREDTH, ROUND_HALF_UP)


def growth(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """较上年增长 (%): None when either year is unknown or last year's is not positive."""
    if now is None or before is None or before <= 0:
        return None
    return ratio(Decimal(now) - Decimal(before), before)


@dataclass
class Totals:
    """The 合计 row: each figure summed over the firms that have it (None: none has), and
    the pairs each ratio is computed from (only firms that have both, the base above 0: a
    firm whose row has no ratio counts in none)."""

    sums: dict[str, Decimal | None] = field(default_factory=lambda: dict.fromkeys(SUMMED))
    pairs: dict[str, list[Decimal]] = field(default_factory=lambda: {
        "growth": [Decimal(0), Decimal(0)], "rd": [Decimal(0), Decimal(0)],
        "debt": [Decimal(0), Decimal(0)]})
    firms: int = 0
    lacking: int = 0  # firms without a figure of the year

    @classmethod
    def of(cls, session: Session, request: ReportRequest, year: int) -> Totals:
        """The 合计 of the rows ``rows`` lists, by one aggregate over the same firms (known
        before the rows are written, which are then written as they are read)."""
        held, now, before, listed = _listed(session, request, year)
        pairs = {"growth": (now.revenue, before.revenue), "rd": (now.rd_expense, now.revenue),
                 "debt": (now.total_liabilities, now.total_assets)}

        def paired(value, part, whole):
            return type_coerce(func.sum(case((and_(part.is_not(None), whole > 0), value))),
                               Money)

        lacks = and_(*(getattr(now, key).is_(None) for key in SUMMED))
        found = session.execute(listed(
            func.count(), func.coalesce(func.sum(case((lacks, 1), else_=0)), 0),
            *(type_coerce(func.sum(getattr(now, key)), getattr(AnnualFigures, key).type)
              for key in SUMMED),
            *(paired(value, part, whole) for part, whole in pairs.values()
              for value in (part, whole)))).one()
        firms, lacking, *figures = found
        sums = dict(zip(SUMMED, figures[:len(SUMMED)], strict=True))
        ends = iter(figures[len(SUMMED):])
        return cls(sums={key: None if value is None else Decimal(value)
                         for key, value in sums.items()},
                   pairs={name: [Decimal(next(ends) or 0), Decimal(next(ends) or 0)]
                          for name in pairs},
                   firms=int(firms), lacking=int(lacking))

    def row(self) -> list:
        """The values after the 合计 label (which spans 序号 … 梯度层级)."""
        growth_now, growth_before = self.pairs["growth"]
        computed = {1: growth(growth_now, growth_before) if growth_before else None,
                    5: ratio(*self.pairs["rd"]) if self.pairs["rd"][1] else None,
                    10: ratio(*self.pairs["debt"]) if self.pairs["debt"][1] else None}
        return [computed.get(index) if key is None else self.sums[key]
                for index, key in enumerate(FIGURES)] + [None]


def _held(session: Session, request: ReportRequest):
    """One row per firm in the area asked for holding a recognition in force (of the tier
    asked for): the highest-ranked, then the latest, as the 名单 shows it."""
    rank = ladder.rank_expression()
    conditions = data.recognition_conditions(replace(request, year=None, level=None,
                                                     status=None))
    return (select(Recognition.enterprise_id, Recognition.tier_code, rank.label("rank"),
                   func.row_number().over(
                       partition_by=Recognition.enterprise_id,
                       order_by=(descending(rank), descending(Recognition.valid_until),
                                 Recognition.id.desc())).label("position"))
            .where(Recognition.enterprise_id.in_(data.enterprise_ids(session, request)),
                   *conditions)
            .subquery("held"))


_HOLDS_FIGURES = or_(*(getattr(AnnualFigures, key).is_not(None) for key in SUMMED))


def figures_year(session: Session, request: ReportRequest) -> int:
    """The year asked for; else the latest year any firm listed has figures for; else
    上年度 (no figures at all)."""
    if request.year:
        return request.year
    held = _held(session, request)
    latest = session.scalar(
        select(func.max(AnnualFigures.year))
        .where(AnnualFigures.enterprise_id.in_(
            select(held.c.enterprise_id).where(held.c.position == 1)), _HOLDS_FIGURES))
    return int(latest) if latest is not None else last_year(request.today)


def _listed(session: Session, request: ReportRequest, year: int):
    """(held, this year's figures, last year's, a select of given columns over the firms
    listed with their figures): the rows and their 合计 read the same firms."""
    held = _held(session, request)
    now, before = aliased(AnnualFigures), aliased(AnnualFigures)

    def listed(*columns):
        return (select(*columns)
                .select_from(held)
                .join(Enterprise, Enterprise.id == held.c.enterprise_id)
                .outerjoin(now, and_(now.enterprise_id == Enterprise.id, now.year == year))
                .outerjoin(before, and_(before.enterprise_id == Enterprise.id,
                                        before.year == year - 1))
                .where(held.c.position == 1))

    return held, now, before, listed


def rows(session: Session, request: ReportRequest, year: int
         ) -> Iterator[tuple[list, dict, Decimal | None]]:
    """(the row's cells after 序号, its figures by key, last year's 营业收入) of each firm,
    by tier (highest first), then county, town and name."""
    held, now, before, listed = _listed(session, request, year)
    tier_names = {t.code: t.name for t in reference.tiers()}
    query = (listed(Enterprise.county_name, Enterprise.name, Enterprise.credit_code,
                    held.c.tier_code, Enterprise.listing_status,
                    *(getattr(now, key) for key in SUMMED), before.revenue)
             .order_by(descending(held.c.rank), *data.area_then_name()))
    result = session.connection().execute(query).yield_per(data.STREAM_CHUNK)
    for county, name, code, tier, listing, *found, previous in result:
        values = dict(zip(SUMMED, found, strict=True))
        computed = {1: growth(values["revenue"], previous),
                    5: ratio(values["rd_expense"], values["revenue"]),
                    10: ratio(values["total_liabilities"], values["total_assets"])}
        cells = [county, name, code, tier_names.get(tier, tier),
                 *(computed[index] if key is None else values[key]
                   for index, key in enumerate(FIGURES)), listing]
        yield cells, values, previous


def build(session: Session, request: ReportRequest, book: ReportBook) -> Job[None]:
    yield Progress("正在查询", 0, 0)
    year = figures_year(session, request)
    # the 合计 first (one aggregate), so the rows are written as they are read: held all in
    # memory to size the 合计's columns, 100,000 firms took some 180 MB
    totals = Totals.of(session, request, year)
    summed, firms = totals.row(), totals.firms
    numbered = ([number, *cells] for number, (cells, _values, _previous)
                in enumerate(rows(session, request, year), start=1))
    sample, numbered = peek(numbered, SAMPLE_ROWS)
    sheet = book.sheet(TITLE, COLUMNS)
    tier = data.tier_code(request.tier)
    held_text = (f"{reference.tier(tier).name}（有效，含即将到期）" if tier
                 else "持有有效认定（含即将到期）的企业，列其最高层级")
    # the columns sized for the 合计 too: a sum wider than its column is #### in Excel
    sheet.start(common.title_for(request, TITLE, year=year, session=session),
                unit_label="万元",
                subtitle=common.as_of(request, f"数据年度：{year}年度", held_text),
                sample=[*sample, [None] * FIRST_FIGURE + summed])
    sheet.use_autofilter()
    done = 0
    for done, values in enumerate(numbered, start=1):
        sheet.row(values)
        if done % PROGRESS_EVERY == 0:
            yield Progress(f"已写入 {done} 家", done, firms)
    if not done:
        sheet.empty_row()
    sheet.total_row(summed, label=f"合计（{done} 家）", label_span=FIRST_FIGURE)
    if done:
        sheet.note(notes(year, done, totals.lacking))
    yield Progress(f"共 {done} 家", done, done)


def notes(year: int, firms: int, lacking: int) -> str:
    lack = (f"{lacking} 家企业缺少 {year} 年度数据，其各项留空" if lacking
            else f"所列 {firms} 家企业均有 {year} 年度数据")
    return (f"注：1. {lack}；单项未填的也留空（不作 0 计）。"
            "2. 合计行各项为有该项数据的企业之和；比率由合计数计算，只计两项数据均有且分母大于 0 的企业"
            f"（较上年增长：{year} 年与 {year - 1} 年营业收入均有、{year - 1} 年大于 0 的企业）。"
            "3. 利润按净利润统计；本库不记录利润总额与纳税额。")


DEFINITION = ReportDefinition(
    name="figures", title=TITLE,
    description="每家持有有效认定的企业一行：所选年度（默认最近有数据的年度）的营业收入及较上年增长、"
                "主营业务收入、净利润、研发费用及占比、从业与研发人员、资产负债、知识产权、上市情况，"
                "含合计；金额单位万元",
    filters=(YEAR, TIER, common.COUNTY, common.TOWN),
    build=build, big=True, default_year=figures_year)
