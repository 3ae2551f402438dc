"""Annual figures (年度数据) per enterprise and year; money in 万元."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import repeat
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model.orm import AnnualFigures
from tiers.services import audit, records
from tiers.services.errors import ValidationError
from tiers.text import fields

# Labels, and which fields are money and which are counts, come from the field catalogue.
LABELS = fields.labels("annual_figures")  # year first, then the figures in their order
MONEY = {key: f.label for key, f in fields.fields_of("annual_figures").items()
         if f.kind == "amount"}
COUNTS = {key: f.label for key, f in fields.fields_of("annual_figures").items()
          if f.kind == "integer"}
OTHER = {key: label for key, label in LABELS.items()
         if key != "year" and key not in MONEY and key not in COUNTS}


# each field's check: (kind, minimum, maximum, places); net profit may be negative
_CHECKS: dict[str, tuple[str, Decimal | None, Decimal | None, int]] = {
    **{key: ("decimal", None if key == "net_profit" else Decimal(0), None, 4) for key in MONEY},
    **dict.fromkeys(COUNTS, ("integer", Decimal(0), None, 0)),
    "niche_years": ("decimal", Decimal(0), Decimal(200), 1),
    "market_share": ("decimal", Decimal(0), Decimal(100), 3),
    "development_score": ("decimal", Decimal(0), Decimal(100), 1),
    "lead_product_ratio": ("decimal", Decimal(0), Decimal(100), 3),
    # a place is 1 or more (an empty cell: none recorded)
    **dict.fromkeys(("domestic_rank", "national_award_rank", "provincial_award_rank"),
                    ("integer", Decimal(1), None, 0)),
    # 数字化 levels 一级 … 四级 (0: none yet); 领域 档次 1–3; 特色化 at most its 15 points
    "digital_level": ("integer", Decimal(0), Decimal(4), 0),
    "lead_field_class": ("integer", Decimal(1), Decimal(3), 0),
    "distinctive_score": ("integer", Decimal(0), Decimal(15), 0),
    "note": ("text", None, None, 0),
}
_ORDER = {key: i for i, key in enumerate(LABELS)}

# the figures recorded as a level or a class (domain.md §2.6): what each number means, for a
# form to offer by name
CHOICES: dict[str, tuple[tuple[int, str], ...]] = {
    "digital_level": ((0, "未达一级"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")),
    "lead_field_class": ((1, "1 补短板、锻长板、填空白取得实效"),
                         (2, "2 工业“六基”、中华老字号或服务产业链重点龙头企业"),
                         (3, "3 其他")),
}


def bounds(key: str) -> tuple[str, Decimal | None, Decimal | None, int]:
    """What a field accepts: (decimal/integer/text, minimum, maximum, decimal places), for
    those that tell people in advance (the 采集表's cell validation)."""
    return _CHECKS[key]


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate the values given (a partial update touches only those). One look-up per
    value given (an import calls this once per row)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key in values:
        check = _CHECKS.get(key)
        if check is None:
            if key != "year":  # the year is the record's key, not a value: set_year's
                errors[key] = f"未知字段：{key}"
            continue
        kind, minimum, maximum, places = check
        if kind == "decimal":
            out[key] = records.decimal(values, key, LABELS[key], errors, minimum=minimum,
                                       maximum=maximum, places=places)
        elif kind == "integer":
            out[key] = records.integer(values, key, LABELS[key], errors, minimum=minimum,
                                       maximum=maximum)
        else:
            out[key] = records.text(values, key)
    records.raise_if(errors)
    return ordered(out)


def clean_record(values: dict[str, Any]) -> dict[str, Any]:
    """A whole year's record as a form gives it: the year (2024年 and ２０２４ as typed, within
    the years records take) and the figures, every message at once."""
    errors: dict[str, str] = {}
    year = records.year(values, "year", LABELS["year"], errors)
    try:
        cleaned = clean({key: value for key, value in values.items() if key != "year"})
    except ValidationError as refused:
        errors.update(refused.fields)
        cleaned = {}
    records.raise_if(errors)
    return {"year": year, **cleaned}


def ordered(values: dict[str, Any]) -> dict[str, Any]:
    """The fields in their usual order, whatever order they came in."""
    if len(values) < 2:
        return values
    return dict(sorted(values.items(), key=lambda item: _ORDER[item[0]]))


def clean_column(key: str, values: list[Any]) -> tuple[list[Any], dict[int, str]]:
    """clean() of one field over many records (an import's column): the cleaned values,
    and the message for each position it refuses (its value then None). A column of
    numbers within bounds, the common case, is checked with C loops (measured: 0.25 s of a
    100k-row import cell by cell); anything else goes through clean() value by value."""
    check = _CHECKS.get(key)
    if check is not None and values:
        kind, minimum, maximum, places = check
        types = set(map(type, values))
        try:
            if kind == "decimal" and types == {Decimal}:
                cleaned = list(map(Decimal.quantize, values, repeat(records.QUANTA[places]),
                                   repeat(ROUND_HALF_UP)))
            elif kind == "integer" and types == {int}:
                cleaned = values
            else:
                cleaned = None
            # (an infinity or NaN raises InvalidOperation: clean() says what is wrong)
            if cleaned is not None and (minimum is None or min(cleaned) >= minimum) and (
                    maximum is None or max(cleaned) <= maximum):
                return cleaned, {}
        except InvalidOperation:
            pass
    out: list[Any] = []
    refused: dict[int, str] = {}
    for position, value in enumerate(values):
        try:
            out.append(clean({key: value}).get(key))
        except ValidationError as exc:
            out.append(None)
            refused[position] = "；".join(exc.fields.values())
    return out, refused


def set_year(session: Session, enterprise_id: int, year: int, values: dict[str, Any], *,
             user: str | None = None, import_batch_id: int | None = None) -> audit.Changed:
    """Create or update one year's figures (the natural key is enterprise + year)."""
    errors: dict[str, str] = {}
    year = records.year({"year": year}, "year", LABELS["year"], errors)
    records.raise_if(errors)
    cleaned = clean({k: v for k, v in values.items() if k != "year"})
    existing = session.scalar(select(AnnualFigures).where(
        AnnualFigures.enterprise_id == enterprise_id, AnnualFigures.year == year))
    if existing is None:
        record = records.create(session, AnnualFigures, enterprise_id,
                                {"year": year, **cleaned}, user=user,
                                import_batch_id=import_batch_id)
        return audit.Changed(entity="annual_figures", entity_id=record.id, action="create")
    return records.update(session, AnnualFigures, existing.id, cleaned, user=user,
                          import_batch_id=import_batch_id)


def delete(session: Session, figures_id: int, *, user: str | None = None) -> audit.Changed:
    return records.delete(session, AnnualFigures, figures_id, user=user)
