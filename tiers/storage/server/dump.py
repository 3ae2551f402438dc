"""A server's backups are the server's job: ``pg_dump`` writes one custom-format file of the
whole database (data, rights, policies, the users' counties); ``pg_restore`` puts one back
in one transaction (``--single-transaction``: a failure half-way leaves the database as it
was). The logins themselves are the server's, not the database's: they stay as they are.

The tools come with PostgreSQL (its client programs): found on PATH, in Debian's
/usr/lib/postgresql/<version>/bin, or in Windows' Program Files\\PostgreSQL\\<version>\\bin;
the newest version wins (pg_dump refuses a server newer than itself)."""

from __future__ import annotations

import datetime as dt
import glob
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from tiers import beside
from tiers.errors import Refused
from tiers.storage.faults import DatabaseError, FileRefused
from tiers.storage.server import rights
from tiers.storage.server.connection import connect, database_name, is_initialised, server_url
from tiers.storage.server.roles import group_roles

log = logging.getLogger(__name__)

ARCHIVE_MAGIC = b"PGDMP"  # the first bytes of pg_dump's custom format
SUFFIX = ".dump"
PARTIAL = ".partial"  # a dump being written, renamed when complete
# a .dump.partial untouched this long is a killed backup's (pg_dump, left running by the
# killed Tiers, writes on until it is done), never one in progress
STALE_PARTIAL_SECONDS = 3600

MISSING_TOOL = ("找不到 PostgreSQL 的 {tool} 程序，无法备份或恢复服务器数据库。请在这台电脑上安装 PostgreSQL"
                "（Windows：postgresql.org 的安装程序，可只选 Command Line Tools；Linux：apt install "
                "postgresql-client），版本不低于服务器；或请服务器的管理员在服务器上备份")
NOT_ADMIN = "只有 Tiers 管理员或数据库所有者可以备份服务器数据库（其他账号只能看到部分数据）"
NOT_OWNER = "只有数据库的所有者（运行 tiers server init 的账号）或超级用户可以恢复服务器数据库"


def find_tool(name: str) -> str:
    """The newest ``name`` (pg_dump, pg_restore) of this computer, or a Refused that says
    what to install."""
    found = shutil.which(name)
    candidates = [found] if found else []
    if sys.platform == "win32":
        for root in {os.environ.get("PROGRAMFILES", r"C:\Program Files"),
                     os.environ.get("PROGRAMW6432", r"C:\Program Files")}:
            candidates += glob.glob(os.path.join(root, "PostgreSQL", "*", "bin", f"{name}.exe"))
    else:
        candidates += glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    if not candidates:
        raise Refused(MISSING_TOOL.format(tool=name))
    return max(candidates, key=_version)


def _version(path: str) -> tuple[int, ...]:
    """The version in the path (…/15/bin/pg_dump); PATH's own copy counts as the newest: on a
    system with one PostgreSQL it is that one."""
    match = re.search(r"[\\/](\d+(?:\.\d+)?)[\\/]bin[\\/]", path)
    return tuple(int(n) for n in match[1].split(".")) if match else (999,)


def _command_environment(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password (a command line is visible to other users of the
    computer) and an environment that carries the password instead."""
    parts = urlsplit(url)
    environment = dict(os.environ)
    if parts.password is not None:
        environment["PGPASSWORD"] = unquote(parts.password)
        user = parts.username or ""
        port = f":{parts.port}" if parts.port else ""
        netloc = f"{user}@{parts.hostname or ''}{port}" if user else f"{parts.hostname or ''}{port}"
        url = urlunsplit((parts.scheme, netloc, *parts[2:]))
    return url, environment


def dump_name(database: str) -> str:
    return f"{database}-{dt.datetime.now():%Y%m%d-%H%M%S}-manual{SUFFIX}"


def _refuse_other_files(path: Path, database: str) -> None:
    """A dump replaces an earlier dump of this database under the name (pg_dump's archive
    whose header names ``database``) or an empty file, never another file (名单.xlsx given
    by mistake was replaced by the dump: the break campaign of #17), nor another database's
    dump (bk/tiers_city.dump replaced by the test copy's: review27b, as a SQLite backup
    refuses another database's), nor one it cannot read to tell (it was replaced: the dump
    is written beside it, and the rename needs no right to the file itself, review27).
    Only a regular file is read: a named pipe blocks the reading until someone writes
    (review27b). Asked before the dump and again just before it is put in place."""
    if not os.path.lexists(path):
        return
    head = None  # a folder, a pipe, no right to read it: not known to be a dump
    if path.is_file():
        try:
            with path.open("rb") as handle:
                head = handle.read(HEADER_BYTES)
        except OSError:
            head = None
    if head == b"":
        return  # nothing to lose
    if head is None or not head.startswith(ARCHIVE_MAGIC):
        raise Refused(f"“{path}”已存在且不是服务器数据库备份，不会覆盖它：请换一个文件名或文件夹")
    held = archive_database(head)
    if held is None:
        raise Refused(f"“{path}”是服务器数据库的备份，但看不出是哪个数据库的备份，不会替换它："
                      "请换一个文件名或文件夹（确认不再需要时，也可以先把它删除或移走）")
    if held != database:
        raise Refused(f"“{path}”是另一个数据库的备份（服务器数据库 {held}），不是本库（{database}）"
                      "的备份，不会用本库的备份替换它：请换一个文件名或文件夹")


HEADER_BYTES = 4096  # the custom format's header: magic, versions, time, database name…


def archive_database(head: bytes) -> str | None:
    """The name of the database a pg_dump custom-format archive was made of, read from its
    header (as pg_restore's ReadHead: archive version 1.4 on carries it after the
    creation time); None when the header does not say or cannot be read."""
    try:
        if not head.startswith(ARCHIVE_MAGIC):
            return None
        at = len(ARCHIVE_MAGIC)
        major, minor, revision = head[at], head[at + 1], head[at + 2]
        version = (major, minor, revision)
        at += 3
        int_size = head[at]
        at += 1
        if version >= (1, 7, 0):
            at += 1  # offset size
        at += 1  # format
        if version < (1, 4, 0) or not 1 <= int_size <= 8:
            return None

        def read_int() -> int:
            nonlocal at
            sign = head[at]
            value = int.from_bytes(head[at + 1:at + 1 + int_size], "little")
            if len(head) < at + 1 + int_size:
                raise IndexError
            at += 1 + int_size
            return -value if sign else value

        if version >= (1, 15, 0):
            at += 1  # compression algorithm
        else:
            read_int()  # compression level
        for _ in range(7):  # sec, min, hour, mday, mon, year, isdst
            read_int()
        length = read_int()
        if length < 0 or len(head) < at + length:
            return None
        return head[at:at + length].decode("utf-8")
    except (IndexError, UnicodeDecodeError):
        return None


def dump_server(target: str, destination: Path | str) -> Path:
    """Write a pg_dump of the server database to ``destination`` (a file, or a folder to
    put a dated file in); written beside it first and renamed when complete."""
    url = server_url(target, "tiers backup")
    as_folder = str(destination).endswith(("/", "\\"))
    path = Path(destination).expanduser()
    database = database_name(url)
    if as_folder or path.is_dir():
        path = _unused(path, dump_name(database).removesuffix(SUFFIX))
    _refuse_other_files(path, database)
    tool = find_tool("pg_dump")
    with connect(url, "无法备份") as connection:
        if is_initialised(connection) and not connection.execute(
                "SELECT public.tiers_is_admin()").fetchone()[0]:
            raise Refused(NOT_ADMIN)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_killed_dumps(path.parent)
    partial = path.with_name(path.name + PARTIAL)
    plain_url, environment = _command_environment(url)
    # --enable-row-security: an admin is under the policies (which let him see every row);
    # without it pg_dump refuses any table with policies unless run by the owner
    command = [tool, "--format=custom", "--enable-row-security", f"--file={partial}",
               f"--dbname={plain_url}"]
    try:
        _run(command, environment, "备份失败")
        _refuse_other_files(path, database)  # saved there while pg_dump ran: kept
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def remove_killed_dumps(folder: Path) -> list[Path]:
    """Remove the ``.dump.partial`` files killed backups left in the folder (a restore's
    safety copy too): only ours (empty or pg_dump's format) and only stale ones."""
    return beside.sweep(folder, f"*{SUFFIX}{PARTIAL}", older_than=STALE_PARTIAL_SECONDS,
                        is_ours=_is_our_dump)


def _is_our_dump(partial: Path) -> bool:
    with partial.open("rb") as handle:
        return handle.read(len(ARCHIVE_MAGIC)) in (b"", ARCHIVE_MAGIC)


def check_dump(path: Path | str) -> Path:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(ARCHIVE_MAGIC))
    except OSError as exc:
        raise FileRefused(f"无法读取备份文件 {path}") from exc
    if head != ARCHIVE_MAGIC:
        raise FileRefused(f"{path} 不是服务器数据库的备份（应为 tiers backup 在服务器上生成的 .dump 文件）")
    return path


def restore_server(target: str, backup: Path | str) -> Path:
    """Replace the server database's contents by a backup's, all or nothing; what was
    there is dumped first beside the backup (a restore of the wrong file can be undone).
    Returns that dump."""
    url = server_url(target, "tiers restore")
    backup = check_dump(backup)
    tool = find_tool("pg_restore")
    with connect(url, "无法恢复") as connection:
        owner = connection.execute("""
            SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
                OR pg_has_role(session_user, d.datdba, 'MEMBER')
            FROM pg_database d WHERE d.datname = current_database()""").fetchone()[0]
        if not owner:
            raise Refused(NOT_OWNER)
    before = dump_server(target, _unused(backup.parent, f"{database_name(url)}-"
                                  f"{dt.datetime.now():%Y%m%d-%H%M%S}-before-restore"))
    plain_url, environment = _command_environment(url)
    # the backup's grants and policies name the groups of the database it was made from
    # (a test copy's): its grants are left out, and this database's own grants and
    # policies are put back right after, so a restore never hands this database to another
    # database's officers (its policies must come in with it: --clean drops this
    # database's, which depend on the tables being replaced)
    command = [tool, "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
               "--no-owner", "--no-acl", f"--dbname={plain_url}", str(backup)]
    _run(command, environment, "恢复失败（数据库未作改动）")
    with connect(url, "恢复后无法重新设置权限（请运行 tiers server init）") as connection:
        rights.install(connection, group_roles(database_name(url)))
    return before


def _unused(folder: Path, stem: str) -> Path:
    """``stem.dump`` in the folder, or ``stem-2.dump``…: never a file already there (two
    restores in one second must not write over the backup being restored)."""
    path, number = folder / f"{stem}{SUFFIX}", 1
    while path.exists():
        number += 1
        path = folder / f"{stem}-{number}{SUFFIX}"
    return path


def _run(command: list[str], environment: dict[str, str], context: str) -> None:
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True,
                                timeout=6 * 3600, check=False)
    except OSError as exc:
        raise Refused(MISSING_TOOL.format(tool=Path(command[0]).stem)) from exc
    if result.returncode == 0:
        return
    log.warning("%s: %s", Path(command[0]).name, result.stderr.strip())
    raise DatabaseError(f"{context}：{_reason(result.stderr)}")


_REASONS = (  # what the tools print (English), as regular expressions, in order
    (r"server version mismatch", "这台电脑上的 PostgreSQL 工具比服务器旧，请安装与服务器相同或更新的版本"),
    (r"unsupported version", "备份文件由更新版本的 PostgreSQL 工具生成，请安装更新的版本"),
    (r"password authentication failed", "用户名或密码不正确"),
    (r"role \S+ does not exist", "备份中的角色在这台服务器上不存在：请先对这个数据库运行 tiers server init，再恢复"),
    (r"must be owner", "只有数据库的所有者或超级用户可以恢复"),
    (r"permission denied", "您的账号没有这项操作的权限"),
    (r"server closed the connection unexpectedly|terminating connection|connection to server "
     r"was lost|ssl syscall error", "与数据库服务器的连接中断了（服务器重启或网络断开），备份或恢复没有完成"),
    (r"could not connect|connection to server", "无法连接服务器"),
    (r"no space left", "磁盘已满"),
    (r"could not open output file", "无法写入备份文件（文件夹不存在或没有权限）"),
)


def _reason(stderr: str) -> str:
    text = stderr.lower()
    for pattern, reason in _REASONS:
        if re.search(pattern, text):
            return reason
    return "PostgreSQL 工具报告了错误（详情见日志文件）"
