"""``tiers server init --db URL``: make a PostgreSQL database a Tiers server database (the
schema, the group roles, the rights per county). For the bureau's IT person; run again
after every upgrade of Tiers."""

from __future__ import annotations

import argparse
import os
from typing import Any

from ui.cli.common import EXIT_OK


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("server", help="服务器数据库的设置（PostgreSQL，单位共用）")
    commands = parser.add_subparsers(dest="server_command", metavar="操作", required=True)
    init = commands.add_parser(
        "init", help="建立或升级服务器数据库：数据表、角色与按区县的权限（数据库所有者或超级用户运行）")
    init.set_defaults(handler=initialise)


def initialise(args: argparse.Namespace) -> int:
    from tiers.storage.address import shown
    from tiers.storage.server.roles import ROLE_NAMES
    from tiers.storage.server.setup import init_server

    target = args.db or os.environ.get("TIERS_DB") or None
    ready = init_server(target)
    print(f"服务器数据库 {ready.database} 已就绪（结构版本 {ready.revision}；{shown(target)}）")
    for role, group in ready.groups.items():
        print(f"  {ROLE_NAMES[role]}角色：{group}")
    print(f"  按区县的行级权限：{'、'.join(ready.tables)}")
    print("下一步：tiers user add 用户名 --role admin|editor|viewer [--county 区县代码 …]")
    return EXIT_OK
