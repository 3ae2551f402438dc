"""Annual figures (年度数据) per enterprise and year; money in 万元."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.models import AnnualFigures
from tiers.services import audit, records

MONEY = {"revenue": "营业收入", "main_revenue": "主营业务收入", "net_profit": "净利润",
         "rd_expense": "研发费用", "total_assets": "资产总额", "total_liabilities": "负债总额",
         "equity_financing": "新增股权融资"}
COUNTS = {"employees": "从业人员", "rd_staff": "研发人员", "ip_class1": "Ⅰ类知识产权",
          "ip_class2": "Ⅱ类知识产权"}
OTHER = {"niche_years": "细分市场年限", "market_share": "细分市场占有率（%）", "note": "备注"}
LABELS = {"year": "年度", **MONEY, **COUNTS, **OTHER}


# each field's check: (kind, minimum, maximum, places); net profit may be negative
_CHECKS: dict[str, tuple[str, Decimal | None, Decimal | None, int]] = {
    **{key: ("decimal", None if key == "net_profit" else Decimal(0), None, 4) for key in MONEY},
    **dict.fromkeys(COUNTS, ("integer", None, None, 0)),
    "niche_years": ("decimal", Decimal(0), Decimal(200), 1),
    "market_share": ("decimal", Decimal(0), Decimal(100), 3),
    "note": ("text", None, None, 0),
}
_ORDER = {key: i for i, key in enumerate(_CHECKS)}


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
            out[key] = records.integer(values, key, LABELS[key], errors)
        else:
            out[key] = records.text(values, key)
    records.raise_if(errors)
    if len(out) > 1:  # the fields in their usual order, whatever order they came in
        out = dict(sorted(out.items(), key=lambda item: _ORDER[item[0]]))
    return out


def set_year(session: Session, enterprise_id: int, year: int, values: dict[str, Any], *,
             user: str | None = None, import_batch_id: int | None = None) -> audit.Changed:
    """Create or update one year's figures (the natural key is enterprise + year)."""
    errors: dict[str, str] = {}
    year = records.year({"year": year}, "year", "年度", errors)
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
