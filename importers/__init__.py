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

__all__ = [
    "ApplyResult", "Cancelled", "Detection", "FieldChange", "ImportRefused", "Link", "Plan", "PlanRow",
    "Problem", "Progress", "Sheet", "Source", "UndoResult", "apply_plan", "build_plan", "detect",
    "drain", "forget_mappings", "list_batches", "open_source", "remember_mapping", "undo_batch",
    "write_error_report",
]
