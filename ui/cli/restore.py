"""``tiers restore FILE``: put a backup back, after a typed confirmation (or ``--yes``). On
a server a pg_dump file, by the database's owner, in one transaction (what was there is
dumped first beside the backup); for a local file the copy made by ``tiers backup`` (what
was there is kept in backups/ first)."""

from __future__ import annotations

import argparse
from typing import Any

from ui.cli.common import EXIT_OK, EXIT_REFUSED, CliError, server_target


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("restore", help="从备份恢复数据库（覆盖现有数据，须确认）")
    parser.add_argument("path", help="备份文件（服务器：tiers backup 生成的 .dump 文件）")
    parser.add_argument("--yes", action="store_true", help="不再询问确认（用于脚本）")
    parser.set_defaults(handler=restore)


def confirm(name: str) -> None:
    """Refused unless the user types the database's name."""
    try:
        typed = input(f"恢复将用备份替换数据库“{name}”中的全部数据。请输入数据库名 {name} 确认：")
    except EOFError:
        typed = ""
    if typed.strip() != name:
        raise CliError("未确认，数据库未作改动", EXIT_REFUSED)


def restore(args: argparse.Namespace) -> int:
    server = server_target(args)
    if server is not None:
        from tiers.storage.server.connection import database_name, server_url
        from tiers.storage.server.dump import check_dump, restore_server

        check_dump(args.path)
        name = database_name(server_url(server, "tiers restore"))
        if not args.yes:
            confirm(name)
        before = restore_server(server, args.path)
        print(f"已从 {args.path} 恢复服务器数据库 {name}（恢复前的数据已备份到 {before}）")
        return EXIT_OK
    from tiers.storage.address import resolve
    from tiers.storage.backups import check_backup, check_restore_target, restore_file

    target = resolve(args.db)
    if not target.exists():
        raise CliError(f"数据库文件不存在：{target}")
    check_backup(args.path)
    check_restore_target(target)  # before the officer is asked to type its name
    if not args.yes:
        confirm(target.name)
    before = restore_file(args.path, target)
    print(f"已从 {args.path} 恢复 {target}（恢复前的数据已备份到 {before}）")
    return EXIT_OK
