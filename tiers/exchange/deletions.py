"""What a newer package's preview says will disappear, record by record, in the words an
officer knows the record by (常州甲公司：省级专精特新中小企业认定（2024年度 第二批）): the
counts per table alone (认定 删除 1) left him to guess which firm's record it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.exchange.format import RECORD_TABLES, TableSpec
from tiers.model.ladder import tier_label
from tiers.model.orm import Enterprise
from tiers.model.vocabulary import PENDING
from tiers.text.values import chain_name

SHOWN = 200  # lines named; the rest are counted by the table of counts above them
CHUNK = 900  # bound parameters per IN (…)


def deletion_lines(session: Session, record_deletions: dict[str, list[dict[str, Any]]]
                   ) -> list[str]:
    """One line per record the plan deletes (the first SHOWN), firm first."""
    deleted = [(spec, values) for spec in RECORD_TABLES
               for values in record_deletions.get(spec.entity, [])][:SHOWN]
    if not deleted:
        return []
    ids = sorted({values["enterprise_id"] for _, values in deleted})
    names: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        names.update((firm_id, name) for firm_id, name in session.execute(
            select(Enterprise.id, Enterprise.name).where(
                Enterprise.id.in_(ids[start:start + CHUNK]))))
    return [f"{names.get(values['enterprise_id'], '')}：{record_words(spec, values)}"
            for spec, values in deleted]


def record_words(spec: TableSpec, values: dict[str, Any]) -> str:
    entity = spec.entity
    if entity == "recognition":
        when = values.get("batch_label") or ""  # 第二批, or 2023年度 already
        if values.get("batch_year") and str(values["batch_year"]) not in when:
            when = f"{values['batch_year']}年度　{when}".strip("　")
        if values.get("is_pending"):  # from a 公示 list, not yet recognised
            when = f"{when}　{PENDING}".strip("　")
        return f"{tier_label(values.get('tier_code'))}认定" + (f"（{when}）" if when else "")
    if entity == "annual_figures":
        return f"{values.get('year')}年度数据"
    if entity == "support_measure":
        year = values.get("year")
        return (f"扶持措施“{values.get('name') or values.get('kind') or ''}”"
                + (f"（{year}年）" if year else ""))
    if entity == "chain_role":
        return f"产业链“{chain_name(values.get('chain_code') or '')}”中的{values.get('role') or '角色'}"
    if entity == "cultivation_entry":
        year = values.get("target_year")
        return (f"培育库记录（目标 {tier_label(values.get('target_tier'))}"
                + (f"，{year}年）" if year else "）"))
    if entity == "former_name":
        return f"曾用名“{values.get('name')}”"
    return spec.label
