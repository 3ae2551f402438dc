"""``tiers user add/list/disable/enable/password/set/log``: the officers' logins of a Tiers
server database."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from ui.cli.common import EXIT_OK, CliError, dump_json, print_table


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("user", help="服务器数据库的用户（管理员操作）")
    commands = parser.add_subparsers(dest="user_command", metavar="操作", required=True)
    add = commands.add_parser("add", help="添加用户（密码从提示输入，或环境变量 TIERS_PASSWORD）")
    add.add_argument("name", help="用户名（登录名：英文字母开头）")
    add.add_argument("--role", required=True, choices=("admin", "editor", "viewer"),
                     help="admin 管理员：全部；editor 编辑：修改所负责区县的企业；viewer 查看：只读")
    add.add_argument("--county", nargs="+", default=[], metavar="区县代码",
                     help="负责的区县（6 位代码，如 320412）；编辑必填，查看人员不填则可看全部；"
                          "编辑另写 none 可修改县（市、区）未填的企业（开发区等），如 --county 320412 none")
    add.set_defaults(handler=add_user)
    listing = commands.add_parser("list", help="列出用户：用户名、角色、区县、是否启用")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    listing.set_defaults(handler=list_users)
    disable = commands.add_parser("disable", help="停用用户（不能再登录；其记录保留）")
    disable.add_argument("name", help="用户名")
    disable.set_defaults(handler=disable_user)
    enable = commands.add_parser("enable", help="启用已停用的用户（角色与区县不变）")
    enable.add_argument("name", help="用户名")
    enable.set_defaults(handler=enable_user)
    password = commands.add_parser(
        "password", help="重设用户的密码（从提示输入两次，或环境变量 TIERS_PASSWORD）")
    password.add_argument("name", help="用户名")
    password.set_defaults(handler=reset_password)
    change = commands.add_parser("set", help="修改用户的角色或区县（如从武进区调到新北区）")
    change.add_argument("name", help="用户名")
    change.add_argument("--role", choices=("admin", "editor", "viewer"),
                        help="新的角色：admin 管理员、editor 编辑、viewer 查看")
    scope = change.add_mutually_exclusive_group()
    scope.add_argument("--county", nargs="+", metavar="区县代码",
                       help="新的负责区县（6 位代码，如 320411），替换原来的区县；"
                            "编辑另写 none 可修改县（市、区）未填的企业（开发区等）")
    scope.add_argument("--all-counties", action="store_true",
                       help="去掉区县限制（查看人员可看全部区县）")
    change.set_defaults(handler=change_user)
    log = commands.add_parser("log", help="用户的变更记录：谁在何时添加、停用、启用、修改了哪个用户，"
                                       "及谁改了本单位负责的区县")
    log.add_argument("name", nargs="?", help="只看这个用户的")
    log.add_argument("--json", action="store_true", help="输出 JSON")
    log.set_defaults(handler=user_log)


def _target(args: argparse.Namespace) -> str | None:
    return args.db or os.environ.get("TIERS_DB") or None


def ask_password(name: str, *, undone: str = "用户未添加") -> str:
    """TIERS_PASSWORD (for scripts), else typed twice without echo; ``undone``: what the
    refusal says was not done."""
    given = os.environ.get("TIERS_PASSWORD")
    if given:
        return given
    if not sys.stdin.isatty():
        raise CliError("请输入密码：在终端中运行，或在脚本中用环境变量 TIERS_PASSWORD 给出密码")
    try:
        first = getpass.getpass(f"用户 {name} 的密码：")
        again = getpass.getpass("再输入一次密码：")
    except EOFError:
        raise CliError(f"没有输入密码，{undone}") from None
    if first != again:
        raise CliError(f"两次输入的密码不一致，{undone}")
    return first


def add_user(args: argparse.Namespace) -> int:
    from tiers.storage.server import users

    target = _target(args)
    # everything that can be known before the password is typed: an editor, a viewer or a
    # name taken is refused at once
    users.server_url(target, "tiers user add")
    users.check_new_user(args.name, args.role, args.county)
    users.check_may_manage(target, "tiers user add", "无法添加用户", adding=args.name)
    added = users.add_user(target, args.name, args.role, args.county, ask_password(args.name))
    counties = f"，区县：{'、'.join(added.counties)}" if added.counties else ""
    print(f"已添加用户 {added.name}（{added.role_name}{counties}）")
    return EXIT_OK


def list_users(args: argparse.Namespace) -> int:
    from tiers.storage.server import users

    found = users.list_users(_target(args))
    rows = [{"name": user.name, "role": user.role_name, "role_code": user.role,
             "counties": user.counties_text,
             "enabled": "是" if user.enabled else "已停用"} for user in found]
    if args.json:
        print(dump_json([{"name": u.name, "role": u.role, "counties": list(u.counties),
                          "enabled": u.enabled} for u in found]))
        return EXIT_OK
    if not rows:
        print("还没有用户（用 tiers user add 添加）")
        return EXIT_OK
    print_table(rows, [("name", "用户名"), ("role", "角色"), ("counties", "区县"),
                       ("enabled", "启用")])
    return EXIT_OK


def disable_user(args: argparse.Namespace) -> int:
    from tiers.storage.server import users

    disabled = users.disable_user(_target(args), args.name)
    print(f"已停用用户 {disabled.name}：不能再登录，其记录保留（正在使用的连接在客户端关闭后结束）")
    return EXIT_OK


def enable_user(args: argparse.Namespace) -> int:
    from tiers.storage.server import users

    enabled = users.enable_user(_target(args), args.name)
    counties = f"，区县：{'、'.join(enabled.counties)}" if enabled.counties else ""
    print(f"已启用用户 {enabled.name}（{enabled.role_name}{counties}）：可以再登录")
    return EXIT_OK


def reset_password(args: argparse.Namespace) -> int:
    from tiers.storage.server import users

    target = _target(args)
    # before the password is typed: an editor, a viewer or an unknown login is refused at once
    users.check_may_manage(target, "tiers user password", "无法重设密码",
                           existing=args.name)
    password = ask_password(args.name, undone="密码未修改")
    users.check_password(password)
    changed = users.set_password(target, args.name, password)
    state = "" if changed.enabled else "（该用户已停用：用 tiers user enable 启用后才能登录）"
    print(f"已重设用户 {changed.name} 的密码{state}")
    return EXIT_OK


def change_user(args: argparse.Namespace) -> int:
    from tiers.storage.server import users

    changed = users.change_user(_target(args), args.name, role=args.role,
                                counties=args.county, all_counties=args.all_counties)
    print(f"已修改用户 {changed.name}：{changed.role_name}，区县：{changed.counties_text}"
          "（正在使用的客户端重新连接后按新的权限显示）")
    if changed.note:
        print(f"注意：{changed.note}")
    return EXIT_OK


def user_log(args: argparse.Namespace) -> int:
    from tiers.storage.server import users
    from tiers.text.values import local_moment

    lines = users.user_log(_target(args), args.name)
    if args.json:
        print(dump_json([{"at": line.at.isoformat(), "by": line.by, "login": line.login,
                          "action": line.action, "detail": line.detail} for line in lines]))
        return EXIT_OK
    if not lines:
        print("还没有用户的变更记录")
        return EXIT_OK
    print_table([{"at": f"{local_moment(line.at):%Y-%m-%d %H:%M:%S}", "by": line.by,
                  "login": line.login, "action": line.action_name, "detail": line.detail}
                 for line in lines],
                [("at", "时间"), ("by", "操作人"), ("login", "用户"), ("action", "操作"),
                 ("detail", "内容")])
    return EXIT_OK
