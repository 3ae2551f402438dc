"""A file written beside its target and moved into place: the hidden temporary copy in the
target's folder (the same volume, so ``os.replace`` is atomic), with the mode any new file
gets here; and the one sweep of what killed writes leave behind (``sweep``): the copies
killed saves of the same target left, and an earlier file a killed save had set aside
(``.~名单-abcd1234.xlsx.old``), put back when the target is missing.

Shared by the reports (tiers.reports.output, output_folder), the exchange package
(tiers.exchange.writer) and the backups (tiers.storage) without any loading another: each
says its own failures in its own words."""

from __future__ import annotations

import contextlib
import glob
import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _new_file_mode() -> int:
    """The mode a newly created file gets here (0o666 less the umask): mkstemp makes its
    file private (0o600), which would leave a report or a package unreadable to the
    colleague who is to send it on."""
    if os.name == "nt":
        return 0o666
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _new_file_mode()  # read once, at import, before any worker thread runs
FOLDER_MODE = FILE_MODE | (FILE_MODE & 0o444) >> 2  # searchable where readable: 0o755
# a hidden copy this old is a killed save's (a younger one may be another save under way)
STALE_SECONDS = 3600
# an earlier file set aside this long ago, its name free, is put back: one set aside just
# now is another save's (another process, the same folder), between its two renames
PUT_BACK_AFTER_SECONDS = 120


def sweep(folder: Path, names: str | re.Pattern[str], *, older_than: float,
          is_ours: Callable[[Path], bool] = lambda _path: True,
          remove: Callable[[Path], object] = os.unlink,
          changed: Callable[[Path, os.stat_result], float] = (
              lambda _path, status: status.st_mtime),
          entries: list[Path] | None = None) -> list[Path]:
    """Remove what killed writes left in ``folder``: the entries whose names match ``names``
    (a glob pattern, or a regular expression matched against the whole name), untouched
    for ``older_than`` seconds (``changed``: the time they were last touched) and
    ``is_ours`` (asked only then: a copy in progress is not even opened). The one sweep of
    every kind of leftover: the hidden copies beside a target, a killed export's hidden
    folder, a killed backup's ``.partial`` and a killed pg_dump's. ``entries``: the
    folder's entries to look among, read already (a regular expression's names). Returns
    what was removed; an entry gone already, or that cannot be removed, is left to the next
    sweep."""
    try:
        if isinstance(names, str):
            entries = list(folder.glob(names))
        else:
            entries = [path for path in (folder.iterdir() if entries is None else entries)
                       if names.fullmatch(path.name)]
    except OSError:
        return []
    removed = []
    for path in entries:
        try:
            if time.time() - changed(path, path.stat()) > older_than and is_ours(path):
                remove(path)
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def leftovers(target: Path) -> list[Path]:
    """The hidden copies that saves of ``target`` made (temporary_beside's names): a save
    killed mid-way (the process ended, the power went) leaves one behind."""
    return list(target.parent.glob(_part_pattern(target)))


def _part_pattern(target: Path) -> str:
    return f".~{glob.escape(target.stem)}-{'?' * 8}{target.suffix.lower()}.part"


def _part_names(target: Path) -> re.Pattern[str]:
    """_part_pattern as a regular expression (matched against names read already)."""
    return re.compile(rf"\.~{re.escape(target.stem)}-[^/]{{8}}"
                      rf"{re.escape(target.suffix.lower())}\.part")


def set_aside_name(target: Path) -> tuple[str, str]:
    """The (prefix, suffix) of the hidden name an earlier file is renamed to while the new
    one takes its place (tiers.reports.output_folder), with the time it is set aside in it
    (a rename keeps the file's own times; on Windows its creation time too):
    ``.~名单-1764950400-abcd1234.xlsx.old``."""
    return f".~{target.stem}-{int(time.time())}-", f"{target.suffix}.old"


def set_aside(target: Path, entries: list[Path] | None = None) -> list[Path]:
    """The earlier files of ``target`` set aside under a hidden name, the last set aside
    first (``entries``: the folder's, read already). An empty one is left out: it is a name
    a save reserved and was killed before renaming the earlier file to it (never the
    officer's workbook)."""
    names = _set_aside_names(target)
    at = _set_aside_at(names)
    try:
        found = [(path, path.stat()) for path in (
            target.parent.iterdir() if entries is None else entries)
            if names.fullmatch(path.name)]
    except OSError:
        return []
    return [path for path, status in sorted(found, key=lambda pair: at(*pair), reverse=True)
            if status.st_size > 0]


def _set_aside_names(target: Path) -> re.Pattern[str]:
    """set_aside_name's names for ``target`` (the time, then mkstemp's eight characters),
    and those of before: no time in them, and before that no suffix either (those were
    only ever 采集表, .xlsx)."""
    suffix = re.escape(target.suffix)
    if target.suffix.lower() == ".xlsx":
        suffix = f"(?:{suffix})?"
    return re.compile(rf"\.~{re.escape(target.stem)}-(?:(?P<at>\d{{9,11}})-)?[a-z0-9_]{{8}}"
                      rf"{suffix}\.old")


def _set_aside_at(names: re.Pattern[str]) -> Callable[[Path, os.stat_result], float]:
    """When a set-aside file (of ``names``) was set aside: the time in its name; for a name
    of before, its change time (POSIX: a rename sets it, not the modification time, which
    stays the officer's, maybe months ago; on Windows st_ctime is the creation time, kept
    too, so there the modification time)."""
    def at(path: Path, status: os.stat_result) -> float:
        found = names.fullmatch(path.name)
        if found is not None and found.group("at"):
            return float(found.group("at"))
        return max(status.st_mtime, status.st_ctime)
    return at


def sweep_leftovers(target: Path, hidden: list[Path] | None = None) -> None:
    """Before a save of ``target``: remove the old hidden copies killed saves of it left,
    and deal with an earlier file a killed save had set aside. With ``target`` missing the
    set-aside file is the officer's own, killed between being set aside and the new file
    taking its name: it is put back (never removed), once it was set aside a while ago (one
    set aside just now is another save's, about to move its new file in). With ``target``
    there, it is what a save killed after the new file took its name left: removed once
    stale, as a copy is (a younger one may be a save under way that could still put it
    back), as is an empty name a killed save reserved. ``hidden``: the folder's hidden
    entries, read already (sweep_leftovers_of: a folder export's files)."""
    entries = _hidden_entries(target.parent) if hidden is None else hidden
    sweep(target.parent, _part_names(target), older_than=STALE_SECONDS, entries=entries)
    names = _set_aside_names(target)
    at = _set_aside_at(names)
    earlier = set_aside(target, entries)
    if earlier and not os.path.lexists(target):
        latest = earlier[0]
        with contextlib.suppress(OSError):
            if time.time() - at(latest, latest.stat()) > PUT_BACK_AFTER_SECONDS:
                put_back(latest, target)
    sweep(target.parent, names, older_than=STALE_SECONDS, changed=at, entries=entries,
          is_ours=lambda path: os.path.lexists(target) or path.stat().st_size == 0)


def sweep_leftovers_of(targets: list[Path]) -> None:
    """sweep_leftovers of each target, each folder read once (a folder export of thousands
    of files read the folder for each: minutes)."""
    hidden: dict[Path, list[Path]] = {}
    for target in targets:
        if target.parent not in hidden:
            hidden[target.parent] = _hidden_entries(target.parent)
        sweep_leftovers(target, hidden[target.parent])


def _hidden_entries(folder: Path) -> list[Path]:
    """The entries of ``folder`` named as this module's hidden files are (``.~…``)."""
    try:
        with os.scandir(folder) as scan:
            return [Path(entry.path) for entry in scan if entry.name.startswith(".~")]
    except OSError:
        return []


def put_back(aside: Path, target: Path) -> bool:
    """Rename a set-aside file back to ``target`` unless something is there (another save
    may have put its file there meanwhile: it is not replaced). Returns whether it was."""
    try:
        if os.name == "nt":
            os.rename(aside, target)  # refuses an existing target
        else:
            os.link(aside, target)  # refuses an existing target, unlike rename
            aside.unlink()
        return True
    except FileExistsError:
        return False
    except OSError:  # no hard links (a FAT-formatted stick): rename if nothing is there
        if os.path.lexists(target):
            return False
        try:
            os.rename(aside, target)
        except OSError:
            return False
        return True


def temporary_beside(target: Path, *, swept: bool = False) -> Path:
    """An empty hidden file in the target's folder, after removing what killed saves of
    the same target left there (``swept``: the caller has, sweep_leftovers_of). Raises
    OSError (no permission, a read-only folder) with the folder as its filename, for the
    caller to say in its words."""
    if not swept:
        sweep_leftovers(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".~{target.stem}-",
                                        suffix=f"{target.suffix.lower()}.part",
                                        dir=target.parent)
    except OSError as exc:
        exc.filename = str(target.parent)
        raise
    os.close(handle)
    with contextlib.suppress(OSError):
        os.chmod(name, FILE_MODE)
    return Path(name)
