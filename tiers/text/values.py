"""One way to show a stored value to people: ``show(value, kind, …) -> str``.

The change history, the command line's tables and the desktop tables all call this; where
they differ (a table shows amounts with two places and groups thousands, the history shows
them as stored) the difference is a parameter, usually the field catalogue's ``places``.
The import preview (``importers``' display_value: None as （空）, numbers as stored) is
``show(value, empty="（空）")``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from tiers.model import ladder, reference

NUMBER_KINDS = frozenset(("amount", "decimal", "percent"))
DATE_KINDS = frozenset(("date", "datetime"))


def show(value: Any, kind: str | None = None, *, places: int | None = None,
         grouped: bool = False, zero: str | None = None, empty: str = "",
         unit: str = "") -> str:
    """``value`` as an officer reads it.

    kind     the field's kind (fields.KINDS); None guesses it from the value's type:
             Decimal and float numbers, date and datetime dates, anything else text
    places   decimal places of a number; None: as stored, no trailing zeros, never 1E+2
    grouped  thousands separators (12,345.60)
    zero     what a number equal to zero shows instead (the roster's "—"), if anything
    empty    what None and "" show
    unit     appended to a number after a space (12.50 万元)
    Booleans are 是/否 whatever the kind."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind is None:
        kind = _kind_of(value)
    if kind in NUMBER_KINDS:
        if zero is not None and isinstance(value, (Decimal, float)) and not value:
            return zero
        text = _number(value, places, grouped)
        return f"{text} {unit}" if unit else text
    if kind in DATE_KINDS:
        return _moment(value, kind)
    if kind == "tier":
        return ladder.tier_label(str(value))
    if kind == "chain":
        return chain_name(str(value))
    return str(value)


def _kind_of(value: Any) -> str:
    if isinstance(value, (Decimal, float)):
        return "decimal"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return "text"


def _number(value: Any, places: int | None, grouped: bool) -> str:
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
    if not number.is_finite():
        return str(value)
    if places is not None:
        return format(number, f"{',' if grouped else ''}.{places}f")
    text = format(number.normalize(), ",f" if grouped else "f")
    return "0" if text in {"-0", ""} else text


def local_moment(value: dt.datetime) -> dt.datetime:
    """A stored moment as this machine's clock reads it, naive. The database keeps moments
    as naive UTC (orm.utcnow: 导入时间, 变更时间, 移入回收站时间, 撤销时间); an aware one
    (a PostgreSQL timestamptz, as the user log's) is turned likewise. Every face shows a
    stored moment through this (``show(value, "datetime")`` does), never as stored: stored
    as is, a moment in Beijing reads 8 hours early. Not for moments that are local already
    (a package's 报送时间, a backup's date from its name)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone().replace(tzinfo=None)


def _moment(value: Any, kind: str = "date") -> str:
    """2024-03-08 for a date, 2024-03-08 14:05 for a moment (a stored one: UTC, shown in
    local time); an ISO text (as the audit trail's JSON holds them) likewise, a moment's
    text turned to local time when the field is a moment (``kind`` datetime) or the text
    says its zone; any other text as it is."""
    if isinstance(value, dt.datetime):
        return local_moment(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return moment.date().isoformat()
    if kind == "datetime" or moment.tzinfo is not None:
        moment = local_moment(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def chain_name(code: str) -> str:
    """A chain's name for its code (the code itself if the catalogue has no such chain)."""
    for chain in reference.chains():
        if chain.code == code:
            return chain.name
    return code


@lru_cache(maxsize=4096)  # few distinct batches; called once per roster row
def batch_text(label: str | None, year: int | None, *, is_review: bool = False) -> str:
    """认定批次/年度 as rosters write it: 2023年度, 第五批（2023年）; a 复核 pass marked as every
    list of recognitions marks it (ladder.batch_shown), with the year of the 复核 after it:
    第二批（复核）（2023年）, 2023年度（复核）, 复核（2026年） — not 第二批（2023年）, which reads as
    a batch of 2023."""
    label = (label or "").strip()
    if is_review:
        label = ladder.batch_shown(label, is_review=True)
    if label and year and str(year) not in label:
        return f"{label}（{year}年）"
    if label:
        return label
    return f"{year}年" if year else ""
