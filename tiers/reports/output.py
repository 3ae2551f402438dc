"""Saving a report safely: write beside the target, then move it into place.

A report is first written to a hidden temporary file in the target folder and only then
renamed over the target (``os.replace`` is atomic on one volume), so a failure, a
cancellation or a crash never leaves a half-written spreadsheet under the user's name. A
target that Excel, WPS or LibreOffice holds open is refused before any work is done.
"""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
from pathlib import Path

from tiers.reports.base import ReportError


class TargetError(ReportError):
    """The target file cannot be written (open in another program, no permission)."""


def lock_files(target: Path) -> list[Path]:
    """Owner files that office programs keep beside a document they have open."""
    return [target.with_name(f"~${target.name}"),  # Excel, WPS
            target.with_name(f".~lock.{target.name}#")]  # LibreOffice


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
    for lock in lock_files(target):
        if lock.exists():
            raise TargetError(f"文件“{target.name}”正被其他程序（如 Excel、WPS）打开，"
                              "请先关闭该文件再导出，或换一个文件名")
    if target.exists():
        try:  # Windows refuses this while Excel holds the file
            with target.open("r+b"):
                pass
        except PermissionError as exc:
            raise TargetError(f"文件“{target.name}”正被其他程序打开或是只读的，无法覆盖；"
                              "请关闭该文件或换一个文件名") from exc
        except OSError as exc:
            raise TargetError(f"无法写入“{target}”：{exc.strerror or exc}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TargetError(f"没有权限在文件夹“{folder}”中保存文件，请换一个位置")
    return target


def _default_file_mode() -> int:
    """The mode a newly created file gets here (0o666 less the umask): mkstemp makes its
    file private (0o600), which would leave an export unreadable to colleagues."""
    if os.name == "nt":
        return 0o666
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_file_mode()  # read once, at import, before any worker thread runs
# a temporary this old is a killed save's (a younger one may be another program's save)
STALE_SECONDS = 3600


def _leftovers(target: Path) -> list[Path]:
    """The hidden copies that saves of ``target`` made (temporary_beside's names): a save
    killed mid-way (the process ended, the power went) leaves one behind."""
    pattern = f".~{glob.escape(target.stem)}-{'?' * 8}{target.suffix.lower()}.part"
    return list(target.parent.glob(pattern))


def sweep_leftovers(target: Path) -> None:
    """Remove the old hidden copies killed saves of this target left in its folder."""
    for path in _leftovers(target):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()


def temporary_beside(target: Path) -> Path:
    """An empty hidden file in the target's folder (same volume, so the move is atomic);
    what killed saves of the same target left there is removed first."""
    sweep_leftovers(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".~{target.stem}-",
                                        suffix=f"{target.suffix.lower()}.part",
                                        dir=target.parent)
    except PermissionError as exc:
        raise TargetError(f"没有权限在文件夹“{target.parent}”中保存文件，请换一个位置") from exc
    except OSError as exc:
        raise TargetError(f"无法在“{target.parent}”中创建文件：{exc.strerror or exc}") from exc
    os.close(handle)
    with contextlib.suppress(OSError):
        os.chmod(name, _FILE_MODE)
    return Path(name)


def move_into_place(temporary: Path, target: Path) -> None:
    try:
        os.replace(temporary, target)
    except PermissionError as exc:
        discard(temporary)
        raise TargetError(f"文件“{target.name}”正被其他程序打开或是只读的，无法覆盖；"
                          "请关闭该文件或换一个文件名") from exc
    except OSError as exc:
        discard(temporary)
        raise TargetError(f"无法保存“{target}”：{exc.strerror or exc}") from exc


def discard(temporary: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
