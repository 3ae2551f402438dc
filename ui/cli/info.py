"""``tiers info``: where the database is, how many enterprises it holds, which version."""

from __future__ import annotations

import argparse
from typing import Any

from tiers import __version__
from ui.cli.common import EXIT_OK, open_database


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("info", help="数据库位置与概况")
    parser.set_defaults(handler=show_info)


def show_info(args: argparse.Namespace) -> int:
    from tiers.queries import roster
    from tiers.storage.address import shown

    database = open_database(args)
    with database.session() as session:
        total = roster.count(session, roster.RosterFilter())
    print(f"数据库：{database.path or shown(args.db)}\n企业：{total} 家\n版本：{__version__}")
    return EXIT_OK
