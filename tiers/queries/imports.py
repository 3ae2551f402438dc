"""导入记录: the list of past imports (and the demo data), newest first, as the imports view
and the command line show it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from tiers.model.orm import Change, Enterprise, ExchangePackage, ExchangePackageCounty, ImportBatch
from tiers.model.vocabulary import BATCH_KIND_LABELS, PUBLICITY_LIST_LABEL
from tiers.queries.history import for_people
from tiers.services.audit import changes_a_value


def import_batches(session: Session, *, limit: int = 500) -> list[dict[str, Any]]:
    """The newest ``limit`` import batches: id, file, sheet, kind, when and by whom, the
    counts recorded at the import (a dict; {} when unreadable) and whether it was undone."""
    query = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    rows = []
    for batch in session.scalars(query):
        try:
            counts = json.loads(batch.counts or "{}")
        except ValueError:
            counts = {}
        if isinstance(counts, dict):
            counts.pop("replan", None)  # what a re-import of the file reuses: not for people
        rows.append({"id": batch.id, "file_name": batch.file_name, "sheet": batch.sheet,
                     "kind": batch.kind, "kind_label": kind_label(batch),
                     "created_at": batch.created_at, "user": batch.user,
                     "counts": counts if isinstance(counts, dict) else {},
                     "undone_at": batch.undone_at, "undone_by": batch.undone_by})
    return rows


def package_senders(session: Session, batch_ids: list[int]) -> dict[int, str]:
    """batch → who sent its 数据包, as 导入记录's 报送单位 says it: the unit, and the counties
    it reported when the unit is not simply their name (武进区工信局（武进区）); only the
    file's name said it before. Batches of no package have none."""
    if not batch_ids:
        return {}
    units: dict[int, str] = {}
    counties: dict[int, list[str]] = {}
    for start in range(0, len(batch_ids), 900):
        chunk = batch_ids[start:start + 900]
        for batch_id, unit, name in session.execute(
                select(ExchangePackage.import_batch_id, ExchangePackage.source_unit,
                       ExchangePackageCounty.county_name)
                .outerjoin(ExchangePackageCounty,
                           ExchangePackageCounty.package_id == ExchangePackage.id)
                .where(ExchangePackage.import_batch_id.in_(chunk))
                .order_by(ExchangePackageCounty.county_code)):
            units[batch_id] = unit or ""
            if name and name not in counties.setdefault(batch_id, []):
                counties[batch_id].append(name)
    senders = {}
    for batch_id, unit in units.items():
        names = "、".join(counties.get(batch_id, []))
        senders[batch_id] = (unit if not names or names == unit
                             else f"{unit}（{names}）" if unit else names)
    return senders


def kind_label(batch: ImportBatch) -> str:
    """What the batch read, as 导入记录 names it: a recognition list imported as a 公示
    list (its recognitions 公示中) is 公示名单, so that it is told from the final list."""
    label = BATCH_KIND_LABELS.get(batch.kind, batch.kind or "")
    if batch.kind != "recognitions":
        return label
    try:
        metadata = json.loads(batch.mapping or "{}").get("metadata") or {}
    except (ValueError, AttributeError):  # not JSON, or not an object: the plain name
        return label
    return PUBLICITY_LIST_LABEL if metadata.get("pending") is True else label


def batch_enterprises(session: Session, batch_id: int) -> list[dict[str, Any]]:
    """The firms one import touched (导入记录 → 查看企业): each with whether the import
    created it or only changed it or its records, and how many changes it made there;
    firms since deleted are marked so. In the order of the firms' pinyin names."""
    touched = (select(Change.enterprise_id,
                      func.max(case((and_(Change.entity == "enterprise",
                                          Change.action == "create"), 1), else_=0))
                      .label("created"),
                      func.count().label("changes"))
               .where(Change.import_batch_id == batch_id, Change.enterprise_id.isnot(None),
                      changes_a_value(), for_people())
               .group_by(Change.enterprise_id).subquery())
    query = (select(Enterprise.id, Enterprise.name, Enterprise.credit_code,
                    Enterprise.county_name, Enterprise.town, Enterprise.deleted_at,
                    touched.c.created, touched.c.changes)
             .join(touched, touched.c.enterprise_id == Enterprise.id)
             .order_by(Enterprise.pinyin_key, Enterprise.id))
    return [{"enterprise_id": firm_id, "name": name, "credit_code": code, "county": county,
             "town": town, "what": "新建" if created else "更新",
             "changes": changes, "deleted": "已删除" if deleted_at else ""}
            for firm_id, name, code, county, town, deleted_at, created, changes
            in session.execute(query)]
