"""The headless face of Tiers: ``tiers COMMAND …`` over the same services as the GUI.

This module assembles the parser from the commands' modules (named in ``COMMANDS``, not
discovered, so that a frozen build has them all), runs the chosen command and turns its
failure into one Chinese line on stderr with a non-zero exit status, never a traceback.
Building the parser imports nothing heavy (no SQLAlchemy, pypinyin, reports, importers or
Qt): a command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from tiers import __version__
from tiers.errors import TiersError, os_error_text
from tiers.storage.location import default_path
from ui.cli import (
    assess,
    backup,
    bulk,
    check,
    confirm,
    demo,
    enterprises,
    export,
    imports,
    info,
    package,
    restore,
    server,
    show,
    template,
    unit,
    user,
)
from ui.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_REFUSED,
    CliError,
    accept_db_everywhere,
    close_databases,
)
from ui.cli.gui import run_gui

# The commands in the order ``tiers --help`` lists them; each module has register(subparsers).
COMMANDS = (demo, enterprises, show, backup, info, unit, check, imports, export, template, assess,
            restore, server, user, bulk, package, confirm)

_ARGPARSE_MESSAGES = [
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), "参数 {0} 应为整数，而不是“{1}”"),
    (re.compile(r"argument (\S+): invalid choice: '?([^'\s]*)'? \(choose from (.*)\)"),
     "参数 {0} 的取值“{1}”无效，可选：{2}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面缺少取值"),
    (re.compile(r"the following arguments are required: (.*)"), "缺少必填参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "参数 {0} 与 {1} 不能同时使用"),
    (re.compile(r"argument (\S+): (.*)"), "参数 {0}：{1}"),
]


# argparse's own words in its help, as an officer reads them
_HELP_WORDS = (("usage: ", "用法："), ("positional arguments:", "命令与参数："),
               ("options:", "选项："), ("optional arguments:", "选项："))


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse that speaks Chinese: a bad command line is one Chinese line (exit status 2),
    and the help has no English headings."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def format_help(self) -> str:
        return _in_chinese(super().format_help())

    def format_usage(self) -> str:
        return _in_chinese(super().format_usage())

    def error(self, message: str) -> NoReturn:
        for pattern, chinese in _ARGPARSE_MESSAGES:
            match = pattern.search(message)
            if match:
                message = chinese.format(*match.groups())
                break
        self.exit(EXIT_REFUSED, f"错误：{message}（用 {self.prog} --help 查看用法）\n")


def _in_chinese(text: str) -> str:
    for english, chinese in _HELP_WORDS:
        text = text.replace(english, chinese)
    return text


def _default_shown() -> str:
    """The default database for the help: TIERS_DB as written (a URL without its password),
    else the app-data file."""
    from tiers.storage.address import is_url, shown

    env = os.environ.get("TIERS_DB")
    return shown(env) if env and is_url(env) else str(default_path())


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="tiers", description="梯度培育企业库（Tiers）。不带命令时启动桌面客户端。")
    parser.add_argument("--db", default=None,
                        help="数据库文件，或单位服务器的地址 postgresql://用户名@服务器:端口/数据库名"
                             f"（默认 TIERS_DB 或 {_default_shown()}）")
    parser.add_argument("--version", action="version", version=f"tiers {__version__}",
                        help="显示版本号并退出")
    parser.set_defaults(handler=run_gui)
    subparsers = parser.add_subparsers(dest="command", metavar="命令")
    for command in COMMANDS:
        command.register(subparsers)
    accept_db_everywhere(parser)  # after the command too, for every command
    return parser


# A server's connection lost during a command's write (the server restarted, the network
# dropped): each command writes in one transaction, so the officer can be told what became
# of it; the reason alone ("…请稍后重试") left him to guess whether the import was in.
NOT_WRITTEN = "。中断时这条命令的修改尚未提交，服务器已全部撤回，数据库未改动；服务器恢复后重新运行即可"
MAYBE_WRITTEN = ("。连接在提交时中断，无法确定这条命令的修改是否已写入：服务器恢复后请先查看"
                 "（导入、撤销、数据包：tiers imports；其他：tiers show 或 tiers enterprises），"
                 "确认未写入再重新运行")


def _told(error: TiersError) -> str:
    from tiers.storage.faults import ConnectionLost  # (light, but only when needed)

    if not isinstance(error, ConnectionLost):
        return str(error)
    reason = str(error).rstrip("。").removesuffix("。请稍后重试")
    return reason + (MAYBE_WRITTEN if error.at_commit else NOT_WRITTEN)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logged = _log_to_file() if args.handler is not run_gui else None
    try:
        if args.handler is not run_gui:
            _say_officer_problem()
        return args.handler(args)
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.status
    except TiersError as exc:
        print(f"错误：{_told(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a file the user named: a missing folder, a full disk, no rights
        print(f"错误：{os_error_text(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: one Chinese line; the traceback only when asked for
        if os.environ.get("TIERS_DEBUG"):
            raise
        print(f"错误：程序内部错误（{type(exc).__name__}），这次的操作没有完成，数据库未改动；"
              "请把这行信息发给维护人员（设置环境变量 TIERS_DEBUG=1 可看到详细信息）",
              file=sys.stderr)
        return EXIT_ERROR
    finally:
        close_databases()
        if logged is not None:
            logging.getLogger().removeHandler(logged)
            logged.close()


def _say_officer_problem() -> None:
    """Once, before the command: an officer file that cannot be read leaves its imports
    recorded as the system account and its reports unsigned (review of session 28, #1)."""
    from tiers.storage import officer

    problem = officer.problem()
    if problem:
        print(f"注意：{problem}，操作人按系统用户记，填报人、联系电话留空", file=sys.stderr)


def _log_to_file() -> logging.Handler:
    """What the libraries log goes to tiers.log in the user's log folder (the client's log),
    not to the terminal: with no handler, Python's last resort printed it on stderr above
    the command's one Chinese line — SQLAlchemy's English traceback of a server lost
    (Exception during reset or similar), pg_dump's own English report. TIERS_DEBUG shows
    it on stderr as well. No log folder (a locked-down account): nothing is printed."""
    handler: logging.Handler
    if os.environ.get("TIERS_DEBUG"):
        handler = logging.StreamHandler(sys.stderr)
    else:
        from logging.handlers import RotatingFileHandler

        from tiers.storage.location import LOG_NAME, log_folder

        folder = log_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # the client's rotation: 1 MB, 5 old files (ui/error_log.py)
            handler = RotatingFileHandler(folder / LOG_NAME, maxBytes=1_000_000, backupCount=5,
                                          encoding="utf-8", delay=True)
        except OSError:
            handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [tiers 命令行] %(message)s"))
    logging.getLogger().addHandler(handler)
    return handler


if __name__ == "__main__":
    sys.exit(main())
