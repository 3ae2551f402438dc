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


def sweep(folder: Path, names: str | re.Pattern[str], *, older_than: float,
          is_ours: Callable[[Path], bool] = lambda _path: True,
          remove: Callable[[Path], object] = os.unlink,
          changed: Callable[[os.stat_result], float] = lambda status: status.st_mtime,
          ) -> list[Path]:
    """Remove what killed writes left in ``folder``: the entries whose names match ``names``
    (a glob pattern, or a regular expression matched against the whole name), untouched
    for ``older_than`` seconds (``changed``: the time they were last touched) and
    ``is_ours`` (asked only then: a copy in progress is not even opened). The one sweep of
    every kind of leftover: the hidden copies beside a target, a killed export's hidden
    folder, a killed backup's ``.partial`` and a killed pg_dump's. Returns what was removed;
    an entry gone already, or that cannot be removed, is left to the next sweep."""
    try:
        if isinstance(names, str):
            entries = list(folder.glob(names))
        else:
            entries = [path for path in folder.iterdir() if names.fullmatch(path.name)]
    except OSError:
        return []
    removed = []
    for path in entries:
        try:
            if time.time() - changed(path.stat()) > older_than and is_ours(path):
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


def set_aside_name(target: Path) -> tuple[str, str]:
    """The (prefix, suffix) of the hidden name an earlier file is renamed to while the new
    one takes its place (tiers.reports.output_folder): ``.~名单-abcd1234.xlsx.old``."""
    return f".~{target.stem}-", f"{target.suffix}.old"


def set_aside(target: Path) -> list[Path]:
    """The earlier files of ``target`` set aside under a hidden name, the last set aside
    first. An empty one is left out: it is a name a save reserved and was killed before
    renaming the earlier file to it (never the officer's workbook)."""
    try:
        found = [(path, path.stat()) for path in target.parent.iterdir()
                 if _set_aside_names(target).fullmatch(path.name)]
    except OSError:
        return []
    return [path for path, status in sorted(
        found, key=lambda pair: _renamed_or_changed(pair[1]), reverse=True)
        if status.st_size > 0]


def _set_aside_names(target: Path) -> re.Pattern[str]:
    """set_aside_name's names for ``target`` (mkstemp's eight characters between), and
    the names before the target's suffix was in them (those were only ever 采集表, .xlsx)."""
    suffix = re.escape(target.suffix)
    if target.suffix.lower() == ".xlsx":
        suffix = f"(?:{suffix})?"
    return re.compile(rf"\.~{re.escape(target.stem)}-[a-z0-9_]{{8}}{suffix}\.old")


def _renamed_or_changed(status: os.stat_result) -> float:
    """When a set-aside file was set aside: a rename keeps the file's modification time
    (the officer's, maybe months ago) but sets its change time (POSIX; on Windows st_ctime
    is the creation time, so this is the modification time there)."""
    return max(status.st_mtime, status.st_ctime)


def sweep_leftovers(target: Path) -> None:
    """Before a save of ``target``: remove the old hidden copies killed saves of it left,
    and deal with an earlier file a killed save had set aside. With ``target`` missing the
    set-aside file is the officer's own, killed between being set aside and the new file
    taking its name: it is put back (never removed). With ``target`` there, it is what a
    save killed after the new file took its name left: removed once stale, as a copy is
    (a younger one may be a save under way that could still put it back), as is an empty
    name a killed save reserved."""
    sweep(target.parent, _part_pattern(target), older_than=STALE_SECONDS)
    earlier = set_aside(target)
    if earlier and not os.path.lexists(target):
        put_back(earlier[0], target)
    sweep(target.parent, _set_aside_names(target), older_than=STALE_SECONDS,
          changed=_renamed_or_changed,
          is_ours=lambda path: os.path.lexists(target) or path.stat().st_size == 0)


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


def temporary_beside(target: Path) -> Path:
    """An empty hidden file in the target's folder, after removing what killed saves of
    the same target left there. Raises OSError (no permission, a read-only folder) with
    the folder as its filename, for the caller to say in its words."""
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
