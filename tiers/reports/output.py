"""Saving a report safely: write beside the target, then move it into place.

A report is first written to a hidden temporary file in the target folder and only then
renamed over the target (``os.replace`` is atomic on one volume), so a failure, a
cancellation or a crash never leaves a half-written spreadsheet under the user's name. A
target that Excel, WPS or LibreOffice holds open is refused before any work is done.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tiers import beside, outputs
from tiers.errors import os_reason
from tiers.reports.base import ReportError


class TargetError(ReportError):
    """The target file cannot be written (open in another program, no permission)."""


def lock_files(target: Path) -> list[Path]:
    """Owner files that office programs keep beside a document they have open."""
    return [target.with_name(f"~${target.name}"),  # Excel, WPS
            target.with_name(f".~lock.{target.name}#")]  # LibreOffice


def open_elsewhere(target: Path) -> bool:
    """Whether an office program's lock file is beside ``target`` (open in Excel, WPS or
    LibreOffice, or left by one that crashed: either way not replaced without a word)."""
    return any(lock.exists() for lock in lock_files(Path(target)))


def open_elsewhere_refusal(target: Path) -> str:
    return (f"文件“{Path(target).name}”正被其他程序（如 Excel、WPS）打开，"
            "请先关闭该文件再导出，或换一个文件名")


SUFFIXES = (".xlsx", ".pdf")  # a workbook, or the same pages printed to PDF


def check_target(target: Path) -> Path:
    """Refuse, in Chinese, a target that cannot be replaced. Returns the resolved path."""
    target = Path(target).expanduser()
    if target.suffix.lower() not in SUFFIXES:
        raise TargetError(f"报表文件应以 .xlsx（Excel）或 .pdf 结尾：{target.name}")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise TargetError(f"文件夹不存在：{folder}")
    if target.is_dir():
        raise TargetError(f"{target} 是一个文件夹，不能作为报表文件")
    if open_elsewhere(target):
        raise TargetError(open_elsewhere_refusal(target))
    if target.exists():
        try:  # Windows refuses this while Excel holds the file
            with target.open("r+b"):
                pass
        except PermissionError as exc:
            raise TargetError(f"文件“{target.name}”正被其他程序打开或是只读的，无法覆盖；"
                              "请关闭该文件或换一个文件名") from exc
        except OSError as exc:
            raise TargetError(f"无法写入“{target}”：{os_reason(exc)}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TargetError(f"没有权限在文件夹“{folder}”中保存文件，请换一个位置")
    return target


def temporary_beside(target: Path, *, swept: bool = False) -> Path:
    """An empty hidden file in the target's folder (tiers.beside), refused in Chinese."""
    try:
        return beside.temporary_beside(target, swept=swept)
    except PermissionError as exc:
        raise TargetError(f"没有权限在文件夹“{target.parent}”中保存文件，请换一个位置") from exc
    except OSError as exc:
        raise TargetError(f"无法在“{target.parent}”中创建文件：{os_reason(exc)}") from exc


def move_into_place(temporary: Path, target: Path, *, only_ours: bool = False,
                    agreed: outputs.FileIdentity | None = None) -> None:
    """Move the written file over ``target``. ``only_ours`` (the command line, the
    desktop's exports): the target is checked again just before, as it was before the work
    began (tiers.outputs), since a file may have been saved under its name meanwhile;
    ``agreed``: the file the officer agreed to replace (its outputs.file_identity when he
    was asked), replaced while it is that file unchanged (issue #16)."""
    if only_ours:
        refuse_not_ours(temporary, target, agreed=agreed)
    try:
        os.replace(temporary, target)
    except PermissionError as exc:
        discard(temporary)
        raise TargetError(f"文件“{target.name}”正被其他程序打开或是只读的，无法覆盖；"
                          "请关闭该文件或换一个文件名") from exc
    except OSError as exc:
        discard(temporary)
        raise TargetError(f"无法保存“{target}”：{os_reason(exc)}") from exc


def refuse_not_ours(temporary: Path, target: Path, *,
                    agreed: outputs.FileIdentity | None = None) -> None:
    """Refuse (TargetError, the written file removed) a target that is not Tiers' own
    untouched output (tiers.outputs) right before it would be replaced: the check before
    the work is minutes old by then, and a returned 采集表 or the officer's own workbook
    may have been saved under the name meanwhile (review27), or over the file the officer
    agreed to replace (``agreed``: issue #16)."""
    if not outputs.replaceable(target, agreed=agreed):
        discard(temporary)
        raise TargetError(outputs.refusal(target, agreed=agreed))


def discard(temporary: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
