"""``tiers demo``: fill a database with a fictional county to try the program on."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ui.cli.common import EXIT_OK, CliError, non_negative_int, open_database, where


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="生成演示数据（一个虚构的县）")
    parser.add_argument("--enterprises", type=non_negative_int, default=300,
                        help="企业数量（默认 300）")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--force", action="store_true", help="数据库非空时也写入")
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from tiers.queries import roster
    from tiers.services import demo

    database = open_database(args, may_create=True)
    with database.session() as session:
        if not args.force and roster.count(session, roster.RosterFilter()) > 0:
            raise CliError("数据库中已有企业数据；如仍要加入演示数据，请加 --force")
        for step in demo.generate(session, enterprises=args.enterprises, seed=args.seed):
            print(f"已生成 {step.done} 家演示企业", file=sys.stderr)
    print(f"演示数据已写入 {where(database)}（{args.enterprises} 家企业，标记为“演示数据”）")
    return EXIT_OK
