"""Copies of a database file: backups (SQLite's online backup API), restoring one, and the
automatic backups kept beside a database."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import zlib
from pathlib import Path

from tiers import beside
from tiers.errors import NotFound
from tiers.storage import schema
from tiers.storage.faults import DatabaseError, FileRefused, read_only_reason, storage_error
from tiers.storage.schema import SQLITE_HEADER

BACKUPS_KEPT = 10


def backup_name(path: Path, reason: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.parent / "backups" / f"{path.stem}-{stamp}-{reason}{path.suffix}"


# A copy being written is <target's name>.partial, with SQLite's -journal (-wal, -shm)
# beside it; a process killed meanwhile leaves them. Any older than this is no copy in
# progress (one writes its file at every step of 1024 pages, many times a second).
STALE_AFTER_SECONDS = 120
_LEFTOVER = re.compile(r"^(?P<copy>.+\.partial)(-journal|-wal|-shm)?$")


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove what killed copies left in the folder: only files named as ours, and a
    ``.partial`` only if it is empty or an SQLite file (another program's ``.partial``
    download stays). Returns what was removed. The age first (beside.sweep): a copy in
    progress is not even opened (closing any descriptor of a file drops this process's
    SQLite locks on it)."""
    return beside.sweep(folder, _LEFTOVER, older_than=STALE_AFTER_SECONDS,
                        is_ours=lambda path: _is_our_copy(
                            folder / _LEFTOVER.fullmatch(path.name)["copy"]))


def _is_our_copy(partial: Path) -> bool:
    """A ``.partial`` we write is empty (killed before the first page), an SQLite file, or
    starts with zeros (killed while SQLite had written later pages but not yet page 1: the
    break campaign found one); its -journal may outlive it."""
    try:
        with partial.open("rb") as handle:
            head = handle.read(16)
            return head == SQLITE_HEADER or not head.strip(b"\0")
    except FileNotFoundError:
        return True
    except OSError:
        return False


def partial_name(path: Path) -> Path:
    """Where a copy is written before it is complete (then renamed into place)."""
    return path.with_name(path.name + ".partial")


def refuse_missing_folder(destination: Path | str) -> None:
    """A backup the user names (``tiers backup DIR/NAME`` or ``DIR/``) goes into a folder
    that is there: a mistyped DIR quietly became a tree of new folders, the backup where no
    one would look (a missing --db folder is refused the same way). backup_file itself
    still makes the ``backups/`` beside a database."""
    as_folder = str(destination).endswith(("/", "\\"))
    path = Path(destination).expanduser()
    folder = path if as_folder or path.is_dir() else path.parent
    if not folder.is_dir():
        raise NotFound(f"备份所在的文件夹不存在：{folder}（请先建好它，或检查路径是否写错）")


def backup_file(source: Path, target: Path | str) -> Path:
    """A consistent copy through SQLite's online backup API: safe while another connection
    (the app, an import) is writing. Old backups made before a restore are pruned (prune_backups)."""
    as_folder = str(target).endswith(("/", "\\"))
    target = Path(target).expanduser()
    if as_folder or target.is_dir():
        target = target / backup_name(source, "manual").name
    _refuse_the_database_itself(source, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, f"备份失败：无法创建文件夹 {target.parent}") from exc
    remove_leftovers(target.parent)
    partial = partial_name(target)
    try:
        _remove_with_sidecars(partial)  # this very copy, left by an attempt that was killed
        src = sqlite3.connect(schema.reading_uri(source), uri=True)
        try:
            src.execute("PRAGMA busy_timeout = 10000")
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst, pages=1024)
                dst.execute(f"PRAGMA application_id = {BACKUP_MARK}")  # a backup, not a database
                dst.execute(f"PRAGMA user_version = {source_mark(source)}")  # of which one
            finally:
                dst.close()
        finally:
            src.close()
        # again, just before: a copy of a large database takes a while, and a file may have
        # been saved under the name meanwhile (review27)
        _refuse_unless_a_backup(target, source)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):  # (a read-only folder refuses this too)
            _remove_with_sidecars(partial)
        raise storage_error(exc, f"备份失败（{target}）") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            _remove_with_sidecars(partial)  # interrupted (Ctrl+C): nothing half-made stays
        raise
    prune_backups(target.parent)
    return target


SIDECARS = ("-wal", "-shm", "-journal", ".lock")  # SQLite's files beside it, and ours

# Every copy backup_file makes carries this in SQLite's application_id (the header's bytes
# 68-71); a database opened by open_database, or restored into, loses it. So a
# later backup may replace an earlier backup, but never a Tiers database that merely is
# not open at the moment. It is the only sign of a backup: a name as backup_name makes
# them let a Tiers database renamed so (or another program's empty SQLite file) be
# replaced (review27), and a backup made before the mark is kept (another name is asked).
BACKUP_MARK = int.from_bytes(b"TrBk", "big")


def source_mark(source: Path) -> int:
    """Which database a backup is a copy of, kept in the backup's user_version (the
    header's bytes 60-63) beside BACKUP_MARK: a checksum of the database file's full path.
    A backup replaces an earlier backup only of the same database: ``tiers backup
    bk/city.sqlite3`` run from 溧阳's database replaced the city's backup without a word
    (tester27b). The schema has no table for a database's own id, and none is added
    this late (it needs a migration), so the path is its identity: a database moved or
    renamed no longer replaces the backups made before (it is refused, nothing is lost),
    and another database later put at the same path does. The database itself is never
    written (a read-only one is backed up alike)."""
    key = os.path.normcase(str(source.expanduser().resolve()))
    value = zlib.crc32(key.encode("utf-8")) or 1  # 0: a backup made before the record
    return value - (1 << 32) if value >= 1 << 31 else value  # SQLite's signed 32 bits


def _refuse_the_database_itself(source: Path, target: Path) -> None:
    """A copy is never put in place of the database, nor of a file SQLite or the client
    keeps beside it: the copy replaced the live file under an open client, whose later
    saves went to the unlinked old file and were lost (the break campaign of #17)."""
    source = source.expanduser().resolve()
    resolved = target.resolve()
    same = resolved == source
    if not same and target.exists():
        try:
            same = os.path.samefile(source, target)  # a link to it, another spelling
        except OSError:
            same = False
    if same:
        raise FileRefused(f"备份不能保存为正在使用的数据库文件本身（{target}），"
                          "请换一个文件名或文件夹")
    if resolved.parent == source.parent and resolved.name in {
            source.name + sidecar for sidecar in SIDECARS}:
        raise FileRefused(f"备份不能保存为 {target.name}：这是数据库正在使用的文件，"
                          "请换一个文件名或文件夹")
    _refuse_unless_a_backup(target, source)


def _refuse_unless_a_backup(target: Path, source: Path) -> None:
    """An existing file is replaced only when it is empty or an earlier Tiers backup
    (BACKUP_MARK) of the same database (_refuse_another_databases): never 名单.xlsx, another program's SQLite file, nor another Tiers
    database (D:/数据/武进区.sqlite3 given by mistake), in use (SQLite's files or the
    client's lock beside it) or closed just now. Asked before the copy and again just
    before it is put in place. Each refusal says what the file is."""
    if not os.path.lexists(target):
        return
    if target.is_file() and not _is_sqlite(target):  # 名单.xlsx given by mistake
        raise FileRefused(f"“{target}”已存在且不是数据库备份，不会覆盖它："
                          "请换一个文件名或文件夹")
    for sidecar in SIDECARS:
        if target.with_name(target.name + sidecar).exists():
            raise FileRefused(f"备份不能保存为“{target}”：这是正在使用的数据库（旁边有 "
                              f"{target.name + sidecar}），不会覆盖它，请换一个文件名或文件夹")
    try:
        if target.is_file() and target.stat().st_size == 0:
            return  # nothing to lose
    except OSError:
        pass
    if backup_marked(target):
        _refuse_another_databases(target, source)
        return
    try:
        is_database = schema.tiers_revision(target) is not None
    except (OSError, DatabaseError):  # another program's tables, a newer release's, unreadable
        raise FileRefused(f"“{target}”已存在且不是 Tiers 数据库备份，不会覆盖它："
                          "请换一个文件名或文件夹") from None
    if is_database:
        raise FileRefused(f"备份不能保存为“{target}”：这是一个 Tiers 数据库，不是备份，"
                          "不会覆盖它，请换一个文件名或文件夹")
    raise FileRefused(f"“{target}”已存在且不是 Tiers 数据库备份，不会覆盖它："
                      "请换一个文件名或文件夹")  # (another program's SQLite file, even empty)


def _refuse_another_databases(target: Path, source: Path) -> None:
    """A backup is replaced only by a backup of the database it was made of (source_mark).
    One made before the record (user_version 0) cannot tell: it is replaced only when both
    name the same 本单位负责的区县 (tiers unit), else kept too. Each refusal says what
    the backup holds, so that the officer knows whose it is."""
    try:
        recorded = schema.user_version(target)
    except (OSError, sqlite3.Error, DatabaseError):
        recorded = None  # unreadable: not known to be ours
    if recorded == source_mark(source):
        return
    held = _units(_immutable_uri(target))
    if recorded == 0 and held and held == _units(schema.reading_uri(source)):
        return
    described = _described(target, held)
    if recorded == 0:
        raise FileRefused(f"“{target}”是较早版本的 Tiers 做的备份（{described}），看不出是哪个"
                          "数据库的备份，不会替换它：请换一个文件名或文件夹（确认不再需要时，"
                          "也可以先把它删除或移走）")
    raise FileRefused(f"“{target}”是另一个数据库的备份（{described}），不是本库（{source}）的备份，"
                      "不会用本库的备份替换它：请换一个文件名或文件夹")


def _immutable_uri(path: Path) -> str:
    """Reading a backup as it is: no lock, no -shm beside it (it is written once)."""
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def _units(uri: str) -> dict[str, str]:
    """本单位负责的区县 a database (or backup) records, code to name; none when it records
    none, predates them (migration 0012) or cannot be read."""
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return {}
    try:
        return dict(connection.execute("SELECT code, name FROM unit_county").fetchall())
    except sqlite3.Error:
        return {}
    finally:
        connection.close()


def _described(backup: Path, units: dict[str, str]) -> str:
    """What a backup holds, for a refusal: 本单位：常州市；255 家企业；备份于 2026-12-07 09:35."""
    parts = [f"本单位：{'、'.join(units[code] for code in sorted(units))}"] if units else []
    try:
        connection = sqlite3.connect(_immutable_uri(backup), uri=True)
        try:
            firms = connection.execute(
                "SELECT count(*) FROM enterprise WHERE deleted_at IS NULL").fetchone()[0]
        finally:
            connection.close()
        parts.append(f"{firms} 家企业")
    except sqlite3.Error:
        pass
    try:
        made = dt.datetime.fromtimestamp(backup.stat().st_mtime)
        parts.append(f"备份于 {made:%Y-%m-%d %H:%M}")
    except OSError:
        pass
    return "；".join(parts) or "内容无法读取"


def backup_marked(path: Path) -> bool:
    """Whether the file carries BACKUP_MARK in its header's application_id, read through
    SQLite (schema.application_id: a plain open()/close() of a file this process holds
    through SQLite drops its locks)."""
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        return schema.application_id(path) == BACKUP_MARK
    except (OSError, sqlite3.Error, FileRefused):
        return False


def _is_sqlite(path: Path) -> bool:
    """An SQLite file (an earlier backup, replaced as asked), or an empty one. Asked of
    SQLite, not read with open() (backup_marked says why)."""
    try:
        if path.stat().st_size == 0:
            return True
        schema.application_id(path)
    except sqlite3.DatabaseError as exc:
        return not schema.not_a_database(exc)  # unreadable: the copy's own error says why
    except (OSError, sqlite3.Error, FileRefused):
        return True  # not readable: the copy's own error says why
    return True


# The automatic backups: <database's stem>-<YYYYmmdd-HHMMSS>-<reason>.<suffix>
_STAMPED = r"(?P<stem>.+)-\d{8}-\d{6}-"
_BEFORE_RESTORE = re.compile(rf"^{_STAMPED}before-restore\.[^.]+$")


def backup_before_upgrade(path: Path, revision: str) -> Path:
    """The copy made before upgrading from ``revision``: one per version step. An upgrade
    that fails leaves the database as it was (one transaction), so the next attempt's copy
    replaces the one of the same step instead of piling up (the first release made one per
    attempt, and after ten its pruning had removed the good ones). These are never pruned."""
    made = backup_file(path, backup_name(path, f"before-upgrade-{revision}"))
    same_step = re.compile(rf"^{re.escape(path.stem)}-\d{{8}}-\d{{6}}-before-upgrade-"
                           rf"{re.escape(revision)}{re.escape(path.suffix)}$")
    for older in made.parent.iterdir():
        if older != made and same_step.match(older.name):
            older.unlink(missing_ok=True)
    return made


def prune_backups(folder: Path) -> None:
    """Keep the newest BACKUPS_KEPT backups made before a restore of each database in the
    folder. Those made before an upgrade are kept: they may be the only good copy."""
    by_database: dict[str, list[Path]] = {}
    for path in folder.iterdir():
        match = _BEFORE_RESTORE.match(path.name)
        if match:
            by_database.setdefault(match["stem"], []).append(path)
    for paths in by_database.values():
        for old in sorted(paths)[:-BACKUPS_KEPT]:
            old.unlink(missing_ok=True)


def check_backup(path: Path | str) -> str:
    """The revision of a Tiers backup, read without changing the file. Refused: not a file,
    empty, not a Tiers database, or made by a newer release (restoring it would leave a
    database this program cannot open)."""
    path = Path(path)
    if not path.exists():
        raise FileRefused(f"找不到备份文件：{path}")
    if not path.is_file() or path.stat().st_size == 0:
        raise FileRefused(f"{path} 不是 Tiers 数据库备份（不是文件或是空文件）")
    revision = schema.tiers_revision(path, role="数据库备份")
    if revision is None:
        raise FileRefused(f"{path} 不是 Tiers 数据库备份（其中没有数据表）")
    return revision


def check_restore_target(target: Path | str) -> None:
    """Refused (FileRefused) unless the file a restore replaces is a Tiers database (or a
    new, empty one): another program's SQLite file named by mistake (--db) was overwritten
    with the backup, its data kept only in backups/ (a file that is not a Tiers database
    is never touched). A file that cannot be written (read-only, or in a read-only folder)
    is refused before anything is tried: the backup of what is there went beside it, then
    the copy failed."""
    schema.tiers_revision(Path(target))
    if Path(target).exists() and not schema.writable(Path(target)):
        # (not read_only_refusal's "可以查看和导出": a file its owner may still write is not
        # opened at all, schema.unwritable_uri)
        why, cure = read_only_reason(Path(target))
        raise DatabaseError(f"不能恢复到数据库 {target}：它是只读的（{why}），文件未作改动。{cure}")


def restore_file(backup: Path | str, target: Path | str) -> Path:
    """Put a backup's contents into the live database file and return the automatic backup
    of what was there. The copy goes through SQLite's backup API into the live file, so a
    connection still open and the file's WAL see the restored database: replacing the file
    (os.replace) would leave the old -wal beside it to be replayed over the backup.

    A backup of an older schema is upgraded first, in a copy beside the target (the backup
    itself stays as it was): the live file goes from the current schema to the current
    schema, so a connection still open never meets tables of an older release."""
    backup, target = Path(backup), Path(target)
    revision = check_backup(backup)
    check_restore_target(target)
    before = backup_file(target, backup_name(target, "before-restore"))
    source = backup
    if revision != schema.head_revision():
        source = backup_file(backup, partial_name(backup_name(target, "restoring")))
        try:
            schema.upgrade_file(source)
        except Exception as exc:
            _remove_with_sidecars(source)
            raise storage_error(exc, f"无法升级备份 {backup}（当前数据未改变）") from exc
    try:
        _copy_into(source, target)
    except sqlite3.Error as exc:
        raise storage_error(exc, f"恢复失败（恢复前的数据已备份在 {before}）") from exc
    finally:
        if source != backup:
            _remove_with_sidecars(source)
    return before


def _remove_with_sidecars(path: Path) -> None:
    """A copy of ours and what SQLite kept beside it (the read-only reading of a WAL
    database leaves its -wal and -shm: it may not remove them)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _give_up_when_busy(status: int, _remaining: int, _pages: int) -> None:
    """backup()'s progress: Python retries a busy step for ever, so another program holding
    a write transaction on the live file (an open client saving, a sqlite3 shell in BEGIN)
    kept ``tiers restore`` waiting without a word until it ended. A step is busy once the
    destination's busy_timeout has run out: refuse then, the live file as it was (the whole
    copy is one transaction on it)."""
    if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        raise sqlite3.OperationalError("database is locked")


def _copy_into(source: Path, target: Path) -> None:
    reading = sqlite3.connect(schema.reading_uri(source), uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            destination.execute("PRAGMA busy_timeout = 10000")
            reading.backup(destination, progress=_give_up_when_busy)
            destination.execute("PRAGMA application_id = 0")  # the database now, no backup
            destination.execute("PRAGMA user_version = 0")  # (nor the record of whose)
        finally:
            destination.close()
    finally:
        reading.close()
