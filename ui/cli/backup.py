"""``tiers backup PATH``: a consistent copy of the database, even while the client runs."""

from __future__ import annotations

import argparse
from typing import Any

from ui.cli.common import EXIT_OK, CliError, open_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("backup", help="备份数据库（应用运行时也可以）")
    parser.add_argument("path", help="备份文件或文件夹")
    parser.set_defaults(handler=back_up)


def back_up(args: argparse.Namespace) -> int:
    from tiers.storage.database import DatabaseError

    database = open_database(args)
    try:
        target = database.backup(args.path)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    print(f"已备份到 {target}")
    return EXIT_OK
