"""Who a 采集表 goes to and what it shows them: the chosen firms, in county, town and name
order, each with last year's figures for reference (one query, streamed)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from tiers.model.orm import AnnualFigures, Enterprise
from tiers.queries import roster
from tiers.reports.base import ReportError
from tiers.services import figures as figures_service
from tiers.storage.dialect import ascending
from tiers.text import fields

STREAM_CHUNK = 2000
# SQLite allows 32,766 bound parameters; a selection of more is read in slices
ID_SLICE = 20_000


def figure_keys() -> tuple[str, ...]:
    """The figures a 采集表 collects: every annual figure in the catalogue's order (the
    2026 inputs included), not the year (the sheet's) nor the free-text 备注."""
    return tuple(key for key in fields.labels("annual_figures") if key not in ("year", "note"))


@dataclass(frozen=True)
class Firm:
    id: int
    name: str
    credit_code: str
    county: str
    town: str
    last_year: dict[str, Any] = field(default_factory=dict)  # field → value (None: blank)


def _filtered(filters: roster.RosterFilter | None):
    """SELECT of the ids the filters take (the roster's own rule)."""
    try:
        return roster.roster_select(filters or roster.RosterFilter())
    except roster.QueryError as exc:
        raise ReportError(str(exc)) from exc


def count(session: Session, *, filters: roster.RosterFilter | None,
          ids: Sequence[int] | None) -> int:
    if ids is not None:
        return len(set(ids))
    return session.scalar(select(func.count()).select_from(_filtered(filters).subquery())) or 0


def firms(session: Session, *, year: int, filters: roster.RosterFilter | None,
          ids: Sequence[int] | None) -> Iterator[Firm]:
    """The firms (``ids`` when given, else those the filters take) in county, town and
    name order, with their figures of ``year - 1``."""
    keys = figure_keys()
    base = (select(Enterprise.id, Enterprise.name, Enterprise.credit_code,
                   Enterprise.county_name, Enterprise.town, Enterprise.pinyin_key,
                   *(getattr(AnnualFigures, key) for key in keys))
            .outerjoin(AnnualFigures, and_(AnnualFigures.enterprise_id == Enterprise.id,
                                           AnnualFigures.year == year - 1))
            .where(Enterprise.deleted_at.is_(None)))
    if ids is None:
        statement = base.where(Enterprise.id.in_(_filtered(filters).scalar_subquery())).order_by(
            ascending(Enterprise.county_name), ascending(Enterprise.town),
            Enterprise.pinyin_key, Enterprise.id)
        rows: Iterator[Any] = iter(session.execute(
            statement.execution_options(yield_per=STREAM_CHUNK)))
    else:  # a selection: read in slices (bound parameters are limited), then put in order
        unique = sorted(set(ids))
        chosen = [row for start in range(0, len(unique), ID_SLICE)
                  for row in session.execute(base.where(
                      Enterprise.id.in_(unique[start:start + ID_SLICE])))]
        chosen.sort(key=lambda row: (row[3] or "", row[4] or "", row[5] or "", row[0]))
        rows = iter(chosen)
    for row in rows:
        yield Firm(id=row[0], name=row[1], credit_code=row[2], county=row[3] or "",
                   town=row[4] or "", last_year=dict(zip(keys, row[6:], strict=True)))


def unit_of(key: str) -> str:
    return fields.fields_of("annual_figures")[key].unit or ""


def header_of(key: str) -> str:
    """营业收入（万元）: the label with its unit, once."""
    spec = fields.fields_of("annual_figures")[key]
    unit = spec.unit or ""
    # 细分市场占有率（%） carries its unit; 排名 and 得分 say theirs (名, 分)
    if unit in ("", "名", "分") or f"（{unit}）" in spec.label:
        return spec.label
    return f"{spec.label}（{unit}）"


def accepts(key: str) -> tuple[str, Any, Any, int]:
    """(decimal/integer, minimum, maximum, places) the figures service accepts."""
    return figures_service.bounds(key)
