"""What a newer package's preview says will disappear, record by record, in the words an
officer knows the record by (常州甲公司：认定“省级专精特新中小企业 2024年度 第二批”): the
counts per table alone (认定 删除 1) left him to guess which firm's record it was."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.exchange.format import BATCH_KIND, RECORD_TABLES, TableSpec
from tiers.exchange.merge import (
    BIN,
    PROVENANCE,
    counted_lines,
    first_line_of_package,
    numeric_column,
    same_text,
)
from tiers.exchange.plan import CHUNK
from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.model.vocabulary import PENDING
from tiers.text import fields
from tiers.text.changes import HIDDEN, subject_of

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


def city_edited_firms(session: Session, firm_ids: list[int]) -> set[int]:
    """The firms of ``firm_ids`` (those a newer package moves to the recycle bin) that the
    city changed itself since the county's package last wrote the field: a value of the
    firm or of one of its records an officer here (or a roster imported here) changed, not
    undone and not changed back, with no package line for that field after it — the words
    of tiers.exchange.merge, whose preview marks such a value 本市修改过. The firm going to
    the bin was listed unmarked (tester22): the officer lost the city's correction unaware."""
    lines: dict[tuple[str, int], list[dict[str, Any]]] = {}
    firm_of: dict[tuple[str, int], int] = {}
    ordered = sorted(firm_ids)
    for start in range(0, len(ordered), CHUNK):
        statement = (
            select(Change.id, Change.entity, Change.entity_id, Change.enterprise_id,
                   Change.field, Change.action, Change.old_value, Change.new_value,
                   Change.import_batch_id,
                   (ImportBatch.kind == BATCH_KIND).label("by_package"),
                   ImportBatch.undone_at.is_not(None).label("undone"))
            .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
            .where(Change.enterprise_id.in_(ordered[start:start + CHUNK]))
            .order_by(Change.id))
        for row in session.execute(statement):
            record = (row.entity, row.entity_id)
            line = row._asdict()
            line["by_package"] = bool(line["by_package"])
            lines.setdefault(record, []).append(line)
            firm_of[record] = row.enterprise_id
    # a field with no package line (a record older than the change log's creations) is
    # read from the first line of the package the firm came from, as the merge does
    sources = dict(session.execute(select(Enterprise.id, Enterprise.source_package_id).where(
        Enterprise.id.in_({firm_of[record] for record in lines}))).all()) if lines else {}
    starts: dict[int, int | None] = {}
    edited: set[int] = set()
    for record, rows in lines.items():
        firm = firm_of[record]
        if firm in edited:
            continue
        keys = {row["field"] for row in rows if row["action"] == "update"
                and not row["by_package"]} - HIDDEN - {BIN, *PROVENANCE, ""}
        added = _added_here(rows) if record[0] != "enterprise" else None
        package = sources.get(firm)
        if (keys or added is not None) and package is not None and package not in starts:
            starts[package] = first_line_of_package(session, package)
        since = starts.get(package) if package is not None else None
        if any(_stands(rows, record[0], key, since) for key in keys) or (
                added is not None and (since is None or added >= since)):
            edited.add(firm)
    return edited


def _added_here(rows: list[dict[str, Any]]) -> int | None:
    """The change id that created this record here (an officer, a list or a bulk operation
    of the city's, not a package), when the record still stands: a measure the city added
    (市级专精特新奖励 15 万元) goes to the bin with the firm like a corrected value, and the
    firm went unmarked (tester26). None for a record a package brought, one created by a
    batch since undone, or one deleted again."""
    created = [row for row in rows if row["action"] == "create"]
    if not created or created[0]["by_package"] or created[0]["undone"]:
        return None
    if rows[-1]["action"] == "delete":
        return None
    return created[0]["id"]


def _stands(rows: list[dict[str, Any]], entity: str, key: str, since: int | None) -> bool:
    """The field holds a change of the city's since the last line a package wrote for it
    (its update, or the record's creation by a package), or without one since ``since``."""
    lines = counted_lines([row for row in rows if (
        row["by_package"] if row["action"] == "create" else row["field"] == key)])
    last = max((index for index, row in enumerate(lines) if row["by_package"]), default=None)
    if last is not None:
        window = lines[last + 1:]
    elif since is None:
        return False
    else:
        window = [row for row in lines if row["id"] >= since and row["action"] != "create"]
    if not window or window[-1]["action"] != "update":
        return False
    return not same_text(window[-1]["new_value"], window[0]["old_value"],
                         numeric_column(entity, key))


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
