"""Importing the rosters a county receives (.xlsx/.xlsm/.xls/.csv): read, detect, plan, apply, undo.

The pipeline, each step a plain function the CLI and the GUI wizard call in turn::

    source = open_source(path)                      # refuses hostile files (ImportRefused)
    source.sheet_names                              # let the user pick a sheet
    detection = detect(source, sheet=None)          # header rows, mapping, kind, metadata
    detection = detection.with_options(kind=..., tier=..., mapping={col: field})
    plan = drain(build_plan(session, detection))    # a generator yielding Progress
    result = drain(apply_plan(session, plan))       # one transaction (a savepoint)
    drain(undo_batch(session, batch_id))

Nothing here imports Qt.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importers.apply import ApplyResult, apply_plan
    from importers.columns import forget_mappings, remember_mapping
    from importers.errors import ImportRefused, Problem
    from importers.plan import FieldChange, Link, Plan, PlanRow, build_plan
    from importers.read.detect import detect
    from importers.read.detection import Detection
    from importers.read.sources import Sheet, Source, open_source
    from importers.report import write_error_report
    from importers.undo import UndoResult, list_batches, undo_batch
    from tiers.progress import Cancelled, Progress, drain

# each name from its module when it is first asked for: ``tiers undo-import`` (which needs
# importers.undo alone) imported the whole pipeline with it, the planner's pinyin and the
# readers included (0.8 s of a 3 s undo)
_HOMES = {
    "ApplyResult": "importers.apply", "apply_plan": "importers.apply",
    "forget_mappings": "importers.columns", "remember_mapping": "importers.columns",
    "ImportRefused": "importers.errors", "Problem": "importers.errors",
    "FieldChange": "importers.plan", "Link": "importers.plan", "Plan": "importers.plan",
    "PlanRow": "importers.plan", "build_plan": "importers.plan",
    "detect": "importers.read.detect", "Detection": "importers.read.detection",
    "Sheet": "importers.read.sources", "Source": "importers.read.sources",
    "open_source": "importers.read.sources", "write_error_report": "importers.report",
    "UndoResult": "importers.undo", "list_batches": "importers.undo",
    "undo_batch": "importers.undo",
    "Cancelled": "tiers.progress", "Progress": "tiers.progress", "drain": "tiers.progress",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'importers' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


__all__ = [
    "ApplyResult", "Cancelled", "Detection", "FieldChange", "ImportRefused", "Link", "Plan", "PlanRow",
    "Problem", "Progress", "Sheet", "Source", "UndoResult", "apply_plan", "build_plan", "detect",
    "drain", "forget_mappings", "list_batches", "open_source", "remember_mapping", "undo_batch",
    "write_error_report",
]
