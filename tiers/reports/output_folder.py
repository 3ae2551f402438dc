"""A folder of files (the 采集表 per firm or per town) written all or nothing.

Each file is written where no one looks, and all are put in place only when every one was
written: a full disk, a cancellation or an error half-way leaves the user's folders as they
were. A new folder is built as a hidden sibling (``.~各企业-abcd1234.part``) and renamed
into place whole; in a folder that already exists, each file is written beside its target
(tiers.beside) and the files are moved in at the end, the earlier files of the same names
set aside first and put back if any move fails (a file open in Excel on Windows refuses
both). Nothing else in an existing folder is touched, and a folder this run did not create
is never removed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from pathlib import Path

from tiers import beside, outputs
from tiers.errors import os_reason
from tiers.reports import output
from tiers.reports.base import ReportError


class FolderFiles:
    """Where to write each of ``names`` for ``folder`` (``paths``), then ``commit`` to
    put them in place, or ``discard`` (a no-op after the commit) to leave no trace.
    ``replace_foreign`` has no default (review26): False keeps a file in the way that is
    not Tiers' own untouched output (refused, nothing written); True only where someone
    agreed to replace what is there."""

    def __init__(self, folder: Path, names: list[str], *, replace_foreign: bool) -> None:
        self.folder = folder
        self._replace_foreign = replace_foreign
        self.targets = [folder / name for name in names]
        self._staging: Path | None = None  # the hidden sibling of a folder not yet there
        self.paths: list[Path] = []
        if folder.exists():
            if not replace_foreign:  # the firms' filled-in returns saved under these names
                _refuse_foreign(self.targets)
            for target in self.targets:
                output.check_target(target)  # not open in Excel, not read-only
            beside.sweep_leftovers_of(self.targets)  # (the folder read once, not per file)
            try:
                for target in self.targets:
                    self.paths.append(output.temporary_beside(target, swept=True))
            except ReportError:
                self.discard()  # those made before the failure
                raise
        else:
            self._staging = _hidden_sibling(folder)
            self.paths = [self._staging / name for name in names]

    def commit(self) -> list[Path]:
        """Put every file in place; on failure put back what was there, and raise."""
        if self._staging is not None:
            self._rename_folder()
        else:
            if not self._replace_foreign:  # again: a return saved in the folder meanwhile
                try:
                    _refuse_foreign(self.targets)
                except ReportError:
                    self.discard()
                    raise
            _move_all(list(zip(self.paths, self.targets, strict=True)))
        self.paths = []
        return self.targets

    def discard(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
        else:
            for path in self.paths:
                output.discard(path)
        self.paths = []

    def _rename_folder(self) -> None:
        if self.folder.exists():  # made meanwhile (by another export, by hand): not ours
            raise ReportError(f"文件夹“{self.folder}”在导出期间已被建立，未写入任何文件；"
                              "请重新导出")
        try:
            os.rename(self._staging, self.folder)
        except OSError as exc:
            raise ReportError(f"无法建立文件夹“{self.folder}”：{os_reason(exc)}") from exc
        self._staging = None


class OneFile:
    """The same for one file: written beside its target, moved over it at the end.
    ``agreed``: the file the officer agreed to replace (output.move_into_place)."""

    def __init__(self, target: Path, *, replace_foreign: bool,
                 agreed: outputs.FileIdentity | None = None) -> None:
        self.target = target
        self._replace_foreign = replace_foreign
        self._agreed = agreed
        self.paths = [output.temporary_beside(target)]

    def commit(self) -> list[Path]:
        output.move_into_place(self.paths[0], self.target, only_ours=not self._replace_foreign,
                               agreed=self._agreed)
        self.paths = []
        return [self.target]

    def discard(self) -> None:
        for path in self.paths:
            output.discard(path)
        self.paths = []


def _refuse_foreign(targets: list[Path]) -> None:
    """Refuse, before anything is written and again just before the files are moved in, when a file of these names is in the folder
    that Tiers did not write or someone saved since (tiers.outputs)."""
    foreign = [target for target in targets if not outputs.replaceable(target)]
    if foreign:
        shown = "、".join(target.name for target in foreign[:5])
        more = f" 等 {len(foreign):,} 个文件" if len(foreign) > 5 else ""
        raise ReportError(f"文件夹“{foreign[0].parent}”中已有同名文件 {shown}{more}，且不是 "
                          "Tiers 导出后未经改动的文件（如企业填好交回的采集表），不会覆盖它们："
                          "请换一个文件夹，或先把它们移走；未写入任何文件")


def _hidden_sibling(folder: Path) -> Path:
    """An empty hidden folder beside ``folder`` (same volume: renamed in one step), after
    removing the ones killed exports of the same folder left there."""
    parent = folder.parent
    if not parent.is_dir():
        raise ReportError(f"文件夹不存在：{parent}")
    prefix, suffix = f".~{folder.name}-", ".part"
    beside.sweep(parent, f"{glob.escape(prefix)}{'?' * 8}{suffix}", older_than=beside.STALE_SECONDS,
                 is_ours=Path.is_dir, remove=shutil.rmtree)
    try:
        staging = Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=parent))
    except PermissionError as exc:
        raise ReportError(f"没有权限在文件夹“{parent}”中保存文件，请换一个位置") from exc
    except OSError as exc:
        raise ReportError(f"无法在文件夹“{parent}”中建立“{folder.name}”：{os_reason(exc)}") from exc
    with contextlib.suppress(OSError):  # mkdtemp's 0o700 would shut colleagues out
        os.chmod(staging, beside.FOLDER_MODE)
    return staging


def _move_all(moves: list[tuple[Path, Path]]) -> None:
    """Move each written file over its target, all or none: a target that exists is set
    aside (renamed, no space needed) before the new file takes its name."""
    done: list[tuple[Path, Path | None]] = []  # (target now holding the new file, set aside)
    for temporary, target in moves:
        stranded: list[tuple[Path, Path]] = []  # (an earlier file's name, where it still is)
        try:
            aside = _set_aside(target) if os.path.lexists(target) else None
            try:
                os.replace(temporary, target)
            except OSError:
                if aside is not None:
                    stranded += _put_back([(target, aside)])
                raise
        except OSError as exc:
            stranded += _put_back(done)
            for temporary_left, _ in moves:
                output.discard(temporary_left)
            if isinstance(exc, PermissionError):
                said = (f"文件“{target.name}”正被其他程序打开或是只读的，无法覆盖；请关闭该文件或"
                        "换一个文件夹。未写入任何文件")
            else:
                said = f"无法保存“{target}”：{os_reason(exc)}。未写入任何文件"
            raise output.TargetError(said + _stranded_note(stranded)) from exc
        done.append((target, aside))
    for _, aside in done:
        if aside is not None:
            output.discard(aside)


def _put_back(done: list[tuple[Path, Path | None]]) -> list[tuple[Path, Path]]:
    """Undo the moves made: each earlier file back under its name, each new one removed.
    Returns the earlier files that could not be put back (never deleted: still set aside)."""
    stranded = []
    for target, aside in reversed(done):
        if aside is None:
            with contextlib.suppress(OSError):
                target.unlink()
            continue
        try:
            os.replace(aside, target)
        except OSError:
            stranded.append((target, aside))
    return stranded


def _stranded_note(stranded: list[tuple[Path, Path]]) -> str:
    """Where each earlier file is that could not be put back under its name: hidden beside
    it, so the officer must be told, or the file seems lost."""
    return "".join(f"；原有的“{target.name}”未能放回原名，现保存为隐藏文件“{aside}”，"
                   f"请把它改回“{target.name}”" for target, aside in stranded
                   if os.path.lexists(aside))  # (not one another save put back meanwhile)


def _set_aside(target: Path) -> Path:
    """Rename ``target`` to a hidden name beside it; returns that name."""
    prefix, suffix = beside.set_aside_name(target)  # put back by the next save if killed now
    handle, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    os.close(handle)
    try:
        os.replace(target, name)
    except OSError:
        output.discard(Path(name))
        raise
    return Path(name)
