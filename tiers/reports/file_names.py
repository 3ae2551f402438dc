"""The file name a report is offered under: what it is about, as its title says it
(武进区2024年度梯度培育企业名单（专精特新中小企业）-20261205.xlsx), so that a folder of exports
tells one from another without opening them; 企业档案 is named after its firm."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from tiers.reports import common
from tiers.reports.base import ReportDefinition, ReportRequest
from tiers.reports.collection import safe_name

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_CODES = re.compile(r"[,，、;；\s]+")  # as 企业档案 reads several codes


def year_to_name(session: Session, definition: ReportDefinition,
                 request: ReportRequest) -> int | None:
    """The year a report's file is named after: the one chosen, else the one the report
    will look up (``ReportDefinition.default_year``: the figures report's latest year with
    figures — a query, so the client asks it on its runner); None for none."""
    if "year" not in definition.filter_names:
        return None
    if request.year or definition.default_year is None:
        return request.year
    return definition.default_year(session, request)


def suggested_stem(definition: ReportDefinition, request: ReportRequest, *,
                   firm_name: str = "", today: dt.date | None = None,
                   year: int | None = None) -> str:
    """The file name without its suffix: the area, year and tier chosen, the report's
    title and the day it was made (several exports of one report in a folder). ``year``:
    the one the report will use when none is chosen (``year_to_name``)."""
    if definition.name == "profile":
        codes = [code for code in _CODES.split(request.code or "") if code]
        title = (f"{firm_name}{definition.title}" if firm_name else
                 f"{definition.title}_{codes[0]}" if len(codes) == 1 else
                 f"{definition.title}（{len(codes)}家）" if codes else definition.title)
    else:
        names = definition.filter_names
        title = common.title_for(replace(request, title=None), definition.title,
                                 year=(request.year or year) if "year" in names else None,
                                 tier_in_title="tier" in names)
    stamp = (today or dt.date.today()).strftime("%Y%m%d")
    return f"{safe_name(title)}-{stamp}"
