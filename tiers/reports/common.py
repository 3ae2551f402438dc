"""Titles, subtitles and the filter descriptions the reports share."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from tiers.model import ladder, reference
from tiers.model.vocabulary import NO_COUNTY_CHOICE, means_all_counties, means_no_county
from tiers.reports import data
from tiers.reports.base import FilterSpec, ReportRequest
from tiers.reports.cells import Column, chinese_date
from tiers.reports.data import ALL, ROSTER_STATUSES, tier_code
from tiers.services.unit import unit_counties

TIER = FilterSpec("tier", "梯度层级", "tier", help="如 小巨人、创新型、省级专精特新")
LEVEL = FilterSpec("level", "认定级别", "level", choices=reference.LEVELS)
COUNTY = FilterSpec("county", "县（市、区）", "county", help="名称或代码")
TOWN = FilterSpec("town", "镇（街道）", "town")
CHAIN = FilterSpec("chain", "产业链", "chain", help="名称或编号")
YEAR = FilterSpec("year", "认定年度", "year")
STATUS = FilterSpec("status", "认定状态", "choice", choices=ROSTER_STATUSES,
                    default=ladder.VALID, help="默认“有效”（含即将到期）；“全部”含已到期、已撤销")
DAYS = FilterSpec("days", "到期天数", "int", default=ladder.EXPIRING_DAYS,
                  help=f"多少天内到期（默认 {ladder.EXPIRING_DAYS} 天）")


NUMBER_LABEL = "认定文号"  # the column of a recognition's number, as the tables define it


def number_label(tier_codes=None) -> str:
    """认定文号; 入库编号 for 科技型中小企业; 认定文号/入库编号 for a list that mixes them."""
    words = reference.number_heading(tier_codes)
    return "认定" + words if words.startswith("文号") else words


def with_number_label(columns: tuple[Column, ...], request: ReportRequest) -> tuple[Column, ...]:
    """The columns with the number column named for the tiers the list holds."""
    code = tier_code(request.tier)
    label = number_label([code] if code else None)
    return tuple(replace(column, label=label) if column.label == NUMBER_LABEL else column
                 for column in columns)


def area_prefix(request: ReportRequest, session: Session | None = None) -> str:
    """The area the title names: the county (and town) asked for; without one, when a
    session is given to ask it, the unit's own counties (本单位负责的区县: 溧阳市, 新北区、武进区,
    常州市 for a city's database) — a county's database may hold firms of the city's other
    counties, and its list is still the county's — and, none recorded, the area the
    database's firms are in (data.firms_area: 常州市 for a city's counties together). Every
    county asked for (--county all: the unit's and the others'): the area of them all."""
    if means_all_counties(request.county):
        return "" if session is None else data.firms_area(session)
    if not request.county or means_no_county(request.county):
        area = "" if session is None else (
            unit_counties(session).names or data.firms_area(session))
        # the firms without a county (--county none): 常州市（未填区县）, not “none”
        return area + NO_COUNTY_CHOICE if request.county else area
    _, county_name = reference.resolve_county(request.county)
    return county_name + (request.town.strip() if request.town else "")


def title_for(request: ReportRequest, base: str, *, year: int | None = None,
              tier_in_title: bool = True, session: Session | None = None) -> str:
    """武进区2025年度梯度培育企业名单（专精特新“小巨人”企业）; the user's own title wins."""
    if request.title:
        return request.title.strip()
    year_text = f"{year}年度" if year else ""
    title = f"{area_prefix(request, session)}{year_text}{base}"
    code = tier_code(request.tier) if tier_in_title else None
    if code:
        title += f"（{reference.tier(code).name}）"
    return title


def as_of(request: ReportRequest, *extra: str) -> str:
    parts = [f"统计截止：{chinese_date(request.today)}", *[e for e in extra if e]]
    return "（" + "；".join(parts) + "）"


def status_text(request: ReportRequest) -> str:
    status = request.status or ladder.VALID
    if status == ALL:
        return "认定状态：全部"
    if status == ladder.VALID:
        return "认定状态：有效（含即将到期）"
    return f"认定状态：{status}"


def measure_status_text(request: ReportRequest) -> str:
    status = request.status or "已兑现"
    return "兑现状态：全部" if status == ALL else f"兑现状态：{status}"


# the columns every firm-by-firm table opens with, as the bureau lays them out
SEQ_COLUMN = Column("序号", "seq", min_width=5, max_width=7)
COUNTY_COLUMN = Column("县（市、区）", "center", min_width=11, max_width=12)
TOWN_COLUMN = Column("镇（街道）", "center", min_width=10, max_width=14)
NAME_COLUMN = Column("企业名称", "text", min_width=16, max_width=32)
CREDIT_CODE_COLUMN = Column("统一社会信用代码", "center", min_width=20, max_width=21)
