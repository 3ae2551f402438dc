"""The automatic backups: one a day, made when the desktop client starts, into the backups
folder beside the database, keeping the last 7 days and the last 4 weeks; and the list of
backups a restore offers, each with its date and number of firms.

They are copies like the manual one (backups.backup_file, safe while the client writes),
named ``<stem>-<YYYYmmdd-HHMMSS>-auto<suffix>`` so that the pruning here touches nothing
else: the backups made before an upgrade or a restore keep their own rules."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tiers.storage.backups import backup_file

REASON = "auto"
DAYS_KEPT = 7
WEEKS_KEPT = 4

_STAMP = re.compile(r"-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z0-9-]+)$")
REASONS = {"auto": "自动备份", "manual": "手动备份", "before-restore": "恢复前的自动备份"}
# the name the desktop client suggests for 立即备份 (tiers-备份-20261205-1639.sqlite3): read
# back here, so that the restore list dates it and puts it among the others by that date
_CLIENT_STAMP = re.compile(r"备份-(?P<stamp>\d{8}-\d{4})$")


def client_backup_name(now: dt.datetime, suffix: str) -> str:
    """The file name the desktop client suggests for a backup made now (立即备份)."""
    return f"tiers-备份-{now:%Y%m%d-%H%M}{suffix}"


def backups_folder(database: Path) -> Path:
    return database.parent / "backups"


def kept(made: Iterable[dt.datetime], *, days: int = DAYS_KEPT,
         weeks: int = WEEKS_KEPT) -> set[dt.datetime]:
    """Which automatic backups stay: the newest of each of the last ``days`` days that have
    one, and the newest of each of the last ``weeks`` ISO weeks that have one."""
    newest_first = sorted(set(made), reverse=True)
    keep: set[dt.datetime] = set()
    for period, count in ((lambda m: m.date(), days), (lambda m: m.isocalendar()[:2], weeks)):
        seen: set = set()
        for moment in newest_first:
            if len(seen) == count:
                break
            if period(moment) not in seen:
                seen.add(period(moment))
                keep.add(moment)
    return keep


def automatic_backups(database: Path) -> dict[dt.datetime, Path]:
    """The automatic backups of this database, by the time they were made."""
    pattern = re.compile(rf"^{re.escape(database.stem)}-(\d{{8}}-\d{{6}})-{REASON}"
                         rf"{re.escape(database.suffix)}$")
    found: dict[dt.datetime, Path] = {}
    try:
        entries = list(backups_folder(database).iterdir())
    except OSError:
        return found
    for path in entries:
        match = pattern.match(path.name)
        if match:
            found[dt.datetime.strptime(match[1], "%Y%m%d-%H%M%S")] = path
    return found


def is_due(database: Path, today: dt.date) -> bool:
    return all(made.date() != today for made in automatic_backups(database))


def back_up_daily(database: Path, now: dt.datetime | None = None) -> Path | None:
    """Today's automatic backup, unless there is one already; then the old ones beyond the
    keep-rule go. Returns the new backup, or None when none was due."""
    now = now or dt.datetime.now()
    if not is_due(database, now.date()):
        return None
    name = f"{database.stem}-{now:%Y%m%d-%H%M%S}-{REASON}{database.suffix}"  # as backup_name
    made = backup_file(database, backups_folder(database) / name)
    existing = automatic_backups(database)
    for moment in set(existing) - kept(existing):
        existing[moment].unlink(missing_ok=True)
    return made


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made: dt.datetime | None  # from the name; None for a file named otherwise
    reason: str  # 自动备份, 手动备份, …
    firms: int | None  # None when the file cannot be read as a Tiers database

    def label(self) -> str:
        made = self.made.strftime("%Y-%m-%d %H:%M") if self.made else "日期未知"
        firms = f"{self.firms} 家企业" if self.firms is not None else "无法读取"
        return f"{made}　{self.reason}　{firms}　（{self.path.name}）"


def list_backups(database: Path) -> list[BackupInfo]:
    """The backups in the folder beside the database, newest first, each with its firm
    count (read only: the file is not changed, no -wal or -shm is made beside it)."""
    try:
        paths = [path for path in backups_folder(database).iterdir()
                 if path.is_file() and path.suffix == database.suffix]
    except OSError:
        return []
    infos = [describe(path) for path in paths]
    oldest = dt.datetime.min
    return sorted(infos, key=lambda info: (info.made or oldest, info.path.name), reverse=True)


def describe(path: Path) -> BackupInfo:
    match = _STAMP.search(path.stem)
    made, reason = None, "备份"
    if match:
        made = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        key = match["reason"]
        reason = REASONS.get(key, "升级前的自动备份" if key.startswith("before-upgrade")
                             else key)
    elif client := _CLIENT_STAMP.search(path.stem):
        made, reason = dt.datetime.strptime(client["stamp"], "%Y%m%d-%H%M"), REASONS["manual"]
    return BackupInfo(path, made, reason, count_firms(path))


def count_firms(path: Path) -> int | None:
    """Firms not in the 回收站. ``immutable`` reads the file as it is, without the locks or
    the -shm a WAL reader would make (a backup is written once and never changed)."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return None
    try:
        return connection.execute(
            "SELECT count(*) FROM enterprise WHERE deleted_at IS NULL").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        connection.close()
