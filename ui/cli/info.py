"""``tiers info``: where the database is, how many enterprises it holds, which version."""

from __future__ import annotations

import argparse
from typing import Any

from tiers import __version__
from ui.cli.common import EXIT_OK, open_database, where


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("info", help="数据库位置与概况")
    parser.set_defaults(handler=show_info)


def show_info(args: argparse.Namespace) -> int:
    from tiers.queries import roster

    database = open_database(args)
    with database.session() as session:
        total = roster.count(session, roster.RosterFilter())
    # a file opened read-only (tiers.storage.database.open_database): viewed and exported only
    marked = "（只读）" if getattr(database, "read_only", False) else ""
    print(f"数据库：{where(database)}{marked}\n企业：{total} 家\n版本：{__version__}")
    return EXIT_OK
