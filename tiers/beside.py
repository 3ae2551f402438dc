"""A file written beside its target and moved into place: the hidden temporary copy in the
target's folder (the same volume, so ``os.replace`` is atomic), with the mode any new file
gets here, and the sweep of the copies killed saves of the same target left behind.

Shared by the reports (tiers.reports.output) and the exchange package (tiers.exchange.writer)
without either loading the other: each says its own failures in its own words."""

from __future__ import annotations

import contextlib
import glob
import os
import tempfile
import time
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


def leftovers(target: Path) -> list[Path]:
    """The hidden copies that saves of ``target`` made (temporary_beside's names): a save
    killed mid-way (the process ended, the power went) leaves one behind."""
    pattern = f".~{glob.escape(target.stem)}-{'?' * 8}{target.suffix.lower()}.part"
    return list(target.parent.glob(pattern))


def sweep_leftovers(target: Path) -> None:
    """Remove the old hidden copies killed saves of this target left in its folder."""
    for path in leftovers(target):
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime > STALE_SECONDS:
                path.unlink()


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
