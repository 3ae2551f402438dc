"""The wizard's background work: plain functions over the importers pipeline, run on the
background runner (no widgets here; tests patch ``open_source`` and ``build_plan``)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from xlsxwriter.exceptions import FileCreateError

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
    remember_mapping,
    undo_batch,
    write_error_report,
)
from importers.errors import SheetRefused
from importers.undo import plan_undo
from tiers import outputs
from tiers.errors import Refused, os_reason
from tiers.storage.database import Database
from ui.import_hints import hinted


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


def own_report_warning(path: str, source: Source | None = None) -> str:
    """What a Tiers report that is no list is (from the mark Tiers writes into its .xlsx,
    or, re-saved without it, from the layout of its sheets in ``source``), said when the
    file is opened: it was said only after 下一步 on the sheet's step."""
    from importers.read.marker import tiers_report
    from importers.read.own_reports import of_any_sheet, refuse_unless_a_list

    try:
        if source is not None:
            refuse_unless_a_list(of_any_sheet(source))
        elif Path(path).suffix.lower() in (".xlsx", ".xlsm"):
            refuse_unless_a_list(tiers_report(Path(path)))
    except ImportRefused as exc:
        return str(exc)
    except (OSError, ValueError):  # unreadable: the sheet's own reading says so
        return ""
    return ""


def open_guess_and_warn(path: str) -> tuple[Source, Detection | None, str]:
    """open_and_guess, and what Tiers report that is no list the file is, if it is one."""
    source, detection = open_and_guess(path)
    try:
        return source, detection, own_report_warning(path, source)
    except BaseException:
        source.close()
        raise


@dataclass(frozen=True)
class SheetRefusal:
    """The importer's own refusal of a sheet (SheetRefused: no list on it, a Tiers report):
    the wizard remembers it against the sheet, unlike a file or program error, which may
    pass on a retry."""

    message: str


def detect_sheet(source: Source, sheet: str) -> Detection | SheetRefusal:
    try:
        return detect(source, sheet)
    except SheetRefused as exc:
        return SheetRefusal(hinted(str(exc), exc.hint_field))


def plan(database: Database, detection: Detection, links: dict[int, Link],
         fill_blanks_only: bool | None = None, *, take_other_counties: bool = False,
         take_rows: frozenset[int] = frozenset()):
    """Compare the corrected sheet with the database (a generator of progress);
    ``fill_blanks_only`` None: the list kind's default; ``take_other_counties``: the rows
    outside 本单位负责的区县 imported too; ``take_rows``: only these of them."""
    with database.session() as session:
        result = yield from build_plan(session, detection, links=links,
                                       fill_blanks_only=fill_blanks_only,
                                       take_other_counties=take_other_counties,
                                       take_rows=take_rows)
    return result


def apply(database: Database, plan_to_apply: Plan, user: str | None):
    """Write the plan in one transaction (a generator of progress); then remember its
    columns, so that the next file laid out like this one gets the same mapping (a
    convenience only: a settings file that cannot be written is no failure of the import)."""
    with database.session() as session:
        result = yield from apply_plan(session, plan_to_apply, user=user)
    with contextlib.suppress(OSError):
        remember_mapping(plan_to_apply.headers, dict(plan_to_apply.mapping),
                         kind=plan_to_apply.kind)
    return result


def save_problem_rows(plan_to_save: Plan, path: str, source: Path | None = None, *,
                      agreed: outputs.FileIdentity | None = None) -> int:
    """Write the rows with problems to an .xlsx (100k rows take seconds: on the runner),
    never over ``source``, the list imported. A file the officer can fix (open in Excel, a
    read-only folder) is refused in Chinese. The file under the name is checked again just
    before the replace: ``agreed``, the one the officer agreed to replace in the save
    dialog, while it is unchanged; another saved there meanwhile only when it is Tiers' own
    untouched output (issue #16, recheck29)."""
    try:
        return write_error_report(plan_to_save, path, source=source, only_ours=True,
                                  agreed=agreed)
    except (OSError, FileCreateError) as exc:
        # xlsxwriter wraps the OSError of the file it could not create
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        reason = os_reason(cause) if isinstance(cause, OSError) else str(cause)
        held = QCoreApplication.translate("ImportWizard", "（文件是否正在 Excel 中打开？）") \
            if isinstance(cause, PermissionError) else ""
        raise Refused(f"无法保存到 {path}：{reason}{held}") from exc


def undo_preview(database: Database, batch_id: int, user: str | None):
    """What undoing the batch would remove and put back, read without writing (a generator
    of progress): the UndoResult it would give; raises the refusal the undo would raise."""
    with database.session() as session:
        plan = yield from plan_undo(session, batch_id, user=user)
    refusal = plan.refusal()
    if refusal is not None:
        raise refusal
    return plan.result()


def undo(database: Database, batch_id: int, user: str | None):
    """Undo one import in one transaction (a generator of progress)."""
    with database.session() as session:
        result = yield from undo_batch(session, batch_id, user=user)
    return result
