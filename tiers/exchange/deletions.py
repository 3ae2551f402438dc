"""What a newer package's preview says will disappear, record by record, in the words an
officer knows the record by (常州甲公司：认定“省级专精特新中小企业 2024年度 第二批”): the
counts per table alone (认定 删除 1) left him to guess which firm's record it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.exchange.format import RECORD_TABLES, TableSpec
from tiers.exchange.plan import CHUNK
from tiers.model.orm import Enterprise
from tiers.model.vocabulary import PENDING
from tiers.text import fields
from tiers.text.changes import subject_of

SHOWN = 200  # lines named; the rest are counted by the table of counts above them


def deletion_lines(session: Session, record_deletions: dict[str, list[dict[str, Any]]]
                   ) -> list[str]:
    """One line per record the plan deletes (the first SHOWN), firm first."""
    deleted = [(spec, values) for spec in RECORD_TABLES
               for values in record_deletions.get(spec.entity, [])][:SHOWN]
    if not deleted:
        return []
    names = firm_names(session, {values["enterprise_id"] for _, values in deleted})
    return [f"{names.get(values['enterprise_id'], '')}：{record_words(spec, values)}"
            for spec, values in deleted]


def firm_names(session: Session, firm_ids: set[int]) -> dict[int, str]:
    """id → name of the firms a preview's lines begin with (CHUNK ids a query)."""
    ordered = sorted(firm_ids)
    names: dict[int, str] = {}
    for start in range(0, len(ordered), CHUNK):
        names.update(session.execute(select(Enterprise.id, Enterprise.name).where(
            Enterprise.id.in_(ordered[start:start + CHUNK]))).all())
    return names


def record_words(spec: TableSpec, values: dict[str, Any]) -> str:
    """认定“省级专精特新中小企业 2024年度 第二批”: the record's kind and the short name the
    history window gives it (tiers.text.changes.subject_of); 公示中 said when it is."""
    subject = subject_of(spec.entity, values)
    pending = f"（{PENDING}）" if spec.entity == "recognition" and values.get("is_pending") else ""
    return (f"{fields.entity_label(spec.entity)}“{subject}”" if subject else spec.label) + pending
