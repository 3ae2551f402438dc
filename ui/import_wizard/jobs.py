"""The wizard's background work: plain functions over the importers pipeline, run on the
background runner (no widgets here; tests patch ``open_source`` and ``build_plan``)."""

from __future__ import annotations

from importers import (
    Detection,
    ImportRefused,
    Link,
    Plan,
    Source,
    apply_plan,
    build_plan,
    detect,
    open_source,
    undo_batch,
)
from tiers.storage.database import Database


def open_and_guess(path: str) -> tuple[Source, Detection | None]:
    """Open the file and let detect() pick the sheet, as ``tiers import`` does without
    --sheet (the one whose header means most, not 填报说明). No guess when no sheet has a
    recognisable header: the user picks one and is told what is wrong with it."""
    source = open_source(path)
    try:
        return source, detect(source)
    except ImportRefused:
        return source, None
    except BaseException:
        source.close()
        raise


def detect_sheet(source: Source, sheet: str) -> Detection:
    return detect(source, sheet)


def plan(database: Database, detection: Detection, links: dict[int, Link]):
    """Compare the corrected sheet with the database (a generator of progress)."""
    with database.session() as session:
        result = yield from build_plan(session, detection, links=links)
    return result


def apply(database: Database, plan_to_apply: Plan, user: str | None):
    """Write the plan in one transaction (a generator of progress)."""
    with database.session() as session:
        result = yield from apply_plan(session, plan_to_apply, user=user)
    return result


def undo(database: Database, batch_id: int, user: str | None):
    """Undo one import in one transaction (a generator of progress)."""
    with database.session() as session:
        result = yield from undo_batch(session, batch_id, user=user)
    return result
