"""Reports for upward submission (上报): each a query plus the bureau layout.

``REPORTS`` lists the report definitions (machine name, Chinese title, the filters each
takes) for the CLI and the export dialog. ``export`` writes one report to an .xlsx file
(or prints it to PDF) safely; ``export_steps`` does the same as a job yielding ``tiers.progress.Progress`` and
returning the file's path (for a background thread: stop iterating, or call ``close()``, to
cancel; nothing is left behind).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from tiers import __version__, outputs
from tiers.progress import Job, Progress
from tiers.reports import (
    candidates,
    chains,
    expiring,
    figures,
    output,
    pdf,
    profile,
    roster,
    summary,
    support,
)
from tiers.reports.base import (
    Cancelled,
    FilterSpec,
    ReportDefinition,
    ReportError,
    ReportRequest,
)
from tiers.reports.output import TargetError
from tiers.reports.writer import ReportBook, Signature
from tiers.storage.snapshot import read_snapshot

REPORTS: tuple[ReportDefinition, ...] = (
    roster.DEFINITION, summary.DEFINITION, support.DEFINITION, expiring.DEFINITION,
    chains.DEFINITION, profile.DEFINITION, candidates.DEFINITION, figures.DEFINITION,
)


def get(name: str) -> ReportDefinition:
    for definition in REPORTS:
        if name in (definition.name, definition.title):
            return definition
    names = "、".join(f"{d.name}（{d.title}）" for d in REPORTS)
    raise ReportError(f"没有名为“{name}”的报表；可用的报表：{names}")


def write_steps(session: Session, name: str, target: str | Path | IO[bytes],
                request: ReportRequest) -> Job[None]:
    """Write the report into ``target`` (a path or a binary file), yielding progress."""
    definition = get(name)
    book = ReportBook(
        str(target) if isinstance(target, Path) else target, report=definition.name,
        constant_memory=definition.big,
        signature=Signature(unit=request.unit, filled_by=request.filled_by,
                            phone=request.phone, filled_on=request.filled_on or dt.date.today()),
        properties={"title": definition.title, "company": request.unit,
                    "author": request.filled_by, "comments": f"Tiers {__version__}",
                    "keywords": "Tiers"})
    completed = False
    try:
        # every read of one moment (tiers.storage.snapshot): a firm saved meanwhile is in
        # both a 合计 and its rows or in neither; ended before the workbook is assembled
        with read_snapshot(session):
            yield from definition.build(session, request, book)
        completed = True
    finally:
        if completed:
            book.close()
        else:  # cancelled or failed: write nothing, drop XlsxWriter's temporary files
            book.abandon()


def export_steps(session: Session, name: str, target: str | Path,
                 request: ReportRequest, *, only_ours: bool = False,
                 agreed: outputs.FileIdentity | None = None) -> Job[Path]:
    """Write the report to a temporary file beside ``target`` and move it into place at
    the end; returns where it was saved. A target ending in .pdf gets the workbook's pages
    printed by LibreOffice. Closing the generator early (cancel) or an error leaves no file
    behind. ``only_ours`` (the command line, the desktop): a target that is not Tiers' own
    untouched output when the report is moved into place is refused and kept
    (output.move_into_place), unless it is still the file the officer agreed to replace
    (``agreed``: its outputs.file_identity when he was asked)."""
    get(name)
    target = output.check_target(Path(target))
    as_pdf = target.suffix.lower() == ".pdf"
    if as_pdf and not pdf.available():
        raise ReportError(pdf.NOT_INSTALLED)  # before the report is written for nothing
    temporary = output.temporary_beside(target)
    workbook = output.temporary_beside(target.with_suffix(".xlsx")) if as_pdf else temporary
    finished = False
    try:
        yield from write_steps(session, name, workbook, request)
        if as_pdf:
            yield from pdf.convert_steps(workbook, temporary)
        output.move_into_place(temporary, target, only_ours=only_ours, agreed=agreed)
        finished = True
    finally:
        if as_pdf:
            output.discard(workbook)
        if not finished:
            output.discard(temporary)
    return target


__all__ = ["REPORTS", "Cancelled", "FilterSpec", "Progress", "ReportDefinition",
           "ReportError", "ReportRequest", "TargetError", "export_steps", "get",
           "write_steps"]
