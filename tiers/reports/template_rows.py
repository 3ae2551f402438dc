"""What Tiers can put into a template the province or the city sends (报送模板): the firms
of the 梯度培育企业名单 (the same filters, the same order, each firm's highest recognition),
with their master data and one year's figures. The template itself is read and filled by
``importers.template``; this module only says which fields exist and gives the rows."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.model.orm import AnnualFigures, Enterprise
from tiers.reports import data, list_cells
from tiers.reports.base import ReportRequest
from tiers.reports.collection_data import figure_keys
from tiers.text import fields


@dataclass(frozen=True)
class TemplateField:
    key: str
    label: str
    group: str  # 企业 / 认定 / 年度数据: how the mapping dialog groups them


_FIRM = (("seq", "序号"), ("name", "企业名称"), ("credit_code", "统一社会信用代码"),
         ("county", "县（市、区）"), ("town", "镇（街道）/园区"), ("address", "地址"),
         ("industry", "所属行业"), ("main_product", "主导产品"), ("founded_on", "成立日期"),
         ("legal_representative", "法定代表人"), ("contact_person", "联系人"),
         ("contact_phone", "联系电话"), ("chains", "所属产业链（角色）"))
_RECOGNITION = (("tier", "梯度层级"), ("level", "认定级别"), ("batch", "认定批次/年度"),
                ("document_number", "认定文号/入库编号"), ("valid_until", "有效期至"),
                ("is_review", "是否复核"))

# every annual figure of the catalogue, as the 采集表 collects them (the 2026 and the 2022
# score inputs too; not the year, asked for separately, nor the free-text 备注)
_FIGURES = figure_keys()
_EXTRA = ("address", "founded_on", "legal_representative")


def template_fields() -> tuple[TemplateField, ...]:
    """Every field a template column can be filled from, in the order the dialog offers."""
    figures = tuple(TemplateField(key, fields.heading("annual_figures", key), "年度数据")
                    for key in _FIGURES)
    return (*(TemplateField(k, label, "企业") for k, label in _FIRM),
            *(TemplateField(k, label, "认定") for k, label in _RECOGNITION), *figures)


def field_keys() -> frozenset[str]:
    return frozenset(f.key for f in template_fields())


def default_year(today: dt.date) -> int:
    """The figures a template asks for by default: last year's (上年度)."""
    return today.year - 1


def count(session: Session, request: ReportRequest) -> int:
    return data.roster_count(session, request)


def rows(session: Session, request: ReportRequest, *, year: int | None = None
         ) -> Iterator[dict[str, Any]]:
    """One dict per firm of the roster (keys of ``template_fields``), streamed in the
    roster report's order; figures are those of ``year`` (default last year)."""
    year = year or default_year(request.today)
    tier_names = {t.code: t.name for t in reference.tiers()}
    result = session.connection().execute(data.roster_statement(session, request)) \
        .yield_per(data.STREAM_CHUNK)
    seq = itertools.count(1)
    for chunk in result.partitions(900):  # ids per IN (…): within every SQLite limit
        ids = [row[15] for row in chunk]
        extra = _extra(session, ids)
        figures = _figures(session, ids, year)
        for (county, town, name, code, industry, product, tier, level, batch_label,
             batch_year, document, valid_until, is_review, person, phone, firm_id, roles,
             leaders) in chunk:
            yield {"seq": next(seq), "name": name, "credit_code": code, "county": county,
                   "town": town, "industry": industry, "main_product": product,
                   "contact_person": person, "contact_phone": phone,
                   "chains": list_cells.chain_label(roles, leaders) if roles or leaders else "",
                   "tier": tier_names.get(tier, tier), "level": level,
                   "batch": list_cells.batch_text(batch_label, batch_year),
                   "document_number": document, "valid_until": valid_until,
                   "is_review": "是" if is_review else "否",
                   **extra.get(firm_id, {}), **figures.get(firm_id, {})}


def _extra(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    columns = [getattr(Enterprise, key) for key in _EXTRA]
    found = session.execute(select(Enterprise.id, *columns).where(Enterprise.id.in_(ids)))
    return {firm_id: dict(zip(_EXTRA, values, strict=True)) for firm_id, *values in found}


def _figures(session: Session, ids: list[int], year: int) -> dict[int, dict[str, Any]]:
    columns = [getattr(AnnualFigures, key) for key in _FIGURES]
    found = session.execute(select(AnnualFigures.enterprise_id, *columns).where(
        AnnualFigures.enterprise_id.in_(ids), AnnualFigures.year == year))
    return {firm_id: {key: (Decimal(v) if isinstance(v, Decimal) else v)
                      for key, v in zip(_FIGURES, values, strict=True)}
            for firm_id, *values in found}
