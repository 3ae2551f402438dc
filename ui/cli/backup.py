"""``tiers backup PATH``: a consistent copy of the database, even while the client runs; on
a server, a pg_dump file (the server's backup, not a copy of a file)."""

from __future__ import annotations

import argparse
from typing import Any

from ui.cli.common import EXIT_OK, EXIT_REFUSED, CliError, open_database, server_target


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("backup", help="备份数据库（应用运行时也可以；服务器上用 pg_dump）")
    parser.add_argument("path", help="备份文件或文件夹")
    parser.set_defaults(handler=back_up)


def back_up(args: argparse.Namespace) -> int:
    from tiers.errors import Kind, TiersError
    from tiers.storage.backups import refuse_missing_folder

    refuse_missing_folder(args.path)  # a mistyped folder is not made (nor the database opened)
    server = server_target(args)
    try:
        if server is not None:  # no need to open (or upgrade) the schema for a dump
            from tiers.storage.server.dump import dump_server

            target = dump_server(server, args.path)
        else:
            target = open_database(args).backup(args.path)
    except TiersError as exc:
        # a file it will not replace (a list, a database, another database's backup) is
        # refused with status 2, as every other command that does not write over files;
        # the rest (a full disk, a lost server) is main's to tell, status 1
        if exc.kind is not Kind.REFUSED:
            raise
        raise CliError(str(exc), EXIT_REFUSED) from exc
    print(f"已备份到 {target}")
    return EXIT_OK
