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


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate the values given (a partial update touches only those)."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for key in values:
        if key not in LABELS:
            errors[key] = f"未知字段：{key}"
    for key, label in MONEY.items():
        if key in values:
            # net profit may be negative; the others may not
            minimum = None if key == "net_profit" else Decimal(0)
            out[key] = records.decimal(values, key, label, errors, minimum=minimum)
    for key, label in COUNTS.items():
        if key in values:
            out[key] = records.integer(values, key, label, errors)
    if "niche_years" in values:
        out["niche_years"] = records.decimal(values, "niche_years", OTHER["niche_years"], errors,
                                             minimum=Decimal(0), maximum=Decimal(200), places=1)
    if "market_share" in values:
        out["market_share"] = records.decimal(values, "market_share", OTHER["market_share"],
                                              errors, minimum=Decimal(0), maximum=Decimal(100),
                                              places=3)
    if "note" in values:
        out["note"] = records.text(values, "note")
    records.raise_if(errors)
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
