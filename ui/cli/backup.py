"""``tiers backup PATH``: a consistent copy of the database, even while the client runs; on
a server, a pg_dump file (the server's backup, not a copy of a file)."""

from __future__ import annotations

import argparse
from typing import Any

from ui.cli.common import EXIT_OK, CliError, open_database, server_target


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("backup", help="备份数据库（应用运行时也可以；服务器上用 pg_dump）")
    parser.add_argument("path", help="备份文件或文件夹")
    parser.set_defaults(handler=back_up)


def back_up(args: argparse.Namespace) -> int:
    from tiers.storage.backups import refuse_missing_folder
    from tiers.storage.database import DatabaseError

    refuse_missing_folder(args.path)  # a mistyped folder is not made (nor the database opened)
    server = server_target(args)
    if server is not None:  # no need to open (or upgrade) the schema for a dump
        from tiers.storage.server.dump import dump_server

        print(f"已备份到 {dump_server(server, args.path)}")
        return EXIT_OK
    database = open_database(args)
    try:
        target = database.backup(args.path)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    print(f"已备份到 {target}")
    return EXIT_OK
