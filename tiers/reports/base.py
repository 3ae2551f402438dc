"""What every report shares: the request (filters and the 填报 signature), the filter
descriptions the export dialog builds its widgets from. Progress and cancellation are
``tiers.progress``'s, like every long job's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tiers.errors import Cancelled, InvalidInput  # noqa: F401 - Cancelled: re-exported
from tiers.progress import Job

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tiers.reports.writer import ReportBook


class ReportError(InvalidInput):
    """A request the report cannot serve (unknown report, bad filter); the message is for
    the user."""


@dataclass
class ReportRequest:
    """Filters and signature of one export. A report uses the filters it lists in its
    definition and ignores the rest (the CLI refuses filters a report does not take)."""

    # filters
    tier: str | None = None
    level: str | None = None
    county: str | None = None
    town: str | None = None
    chain: str | None = None
    year: int | None = None
    status: str | None = None
    days: int | None = None
    code: str | None = None  # 统一社会信用代码, for 企业档案
    kind: str | None = None  # 扶持措施类别
    group: str | None = None  # summary: county/town; support: enterprise/kind
    # signature
    unit: str = ""  # 填报单位
    filled_by: str = ""  # 填报人
    phone: str = ""  # 联系电话
    filled_on: dt.date | None = None  # 填报日期 (default: today)
    title: str | None = None  # replaces the generated title
    today: dt.date = field(default_factory=dt.date.today)  # the as-of date of statuses


@dataclass(frozen=True)
class FilterSpec:
    """One filter a report accepts. ``kind`` tells the dialog which widget to build:
    tier, level, county, town, chain, year, int, choice, text. A tier filter with
    ``choices`` offers only those tier codes."""

    name: str  # the ReportRequest field
    label: str
    kind: str
    choices: tuple[str, ...] = ()
    default: Any = None
    required: bool = False
    help: str = ""
    blank: str = ""  # what no value means, shown by the dialog (default “（全部）”)


# A report's body: writes into the book and yields progress as it goes.
Builder = Callable[["Session", ReportRequest, "ReportBook"], Job[None]]


@dataclass(frozen=True)
class ReportDefinition:
    name: str  # machine name for the CLI and settings: roster, summary, …
    title: str  # 梯度培育企业名单
    description: str
    filters: tuple[FilterSpec, ...]
    build: Builder
    big: bool = False  # may have 100k rows: written with constant memory
    # the year the report uses when none is chosen, looked up in the data (the figures
    # report: the latest year with figures), for its file's name; None: no such year
    default_year: Callable[[Session, ReportRequest], int] | None = None

    @property
    def filter_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.filters)
