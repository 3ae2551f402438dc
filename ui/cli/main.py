"""The headless face of Tiers: ``tiers COMMAND …`` over the same services as the GUI.

Errors are one Chinese line on stderr with a non-zero exit status, never a traceback.
This is the one module of ``tiers`` that may import ``importers`` and (lazily) ``ui``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from tiers import __version__
from tiers.errors import TiersError
from tiers.model import ladder
from tiers.queries import profiles, roster
from tiers.services.errors import NotFound
from tiers.storage.database import Database, DatabaseError, default_path, open_database
from tiers.text import fields
from tiers.text.values import show

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2


class CliError(Exception):
    """A failure to report as one line; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # 万元 with at most 4 decimals: exact enough as a JSON number
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default)


# Commands that may start a new database file; the others refuse a missing one, so that a
# mistyped --db does not quietly show an empty county.
CREATING_COMMANDS = {"demo", "import", None}


def _open(args: argparse.Namespace) -> Database:
    path = Path(args.db).expanduser() if args.db else default_path()
    if "://" not in str(args.db or "") and not path.exists():
        if not path.parent.is_dir() and args.db:
            raise CliError(f"数据库所在的文件夹不存在：{path.parent}")
        if getattr(args, "command", None) not in CREATING_COMMANDS:
            raise CliError(f"数据库文件不存在：{path}（新库请先运行 tiers demo 或 tiers import）")
    try:
        return open_database(args.db)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc


# --- commands --------------------------------------------------------------------------

def cmd_gui(args: argparse.Namespace) -> int:
    try:
        from ui.app import run  # noqa: PLC0415 - the GUI only when asked for
    except ImportError as exc:
        raise CliError(f"桌面客户端尚未就绪（{exc}）。可用 tiers --help 查看命令行功能。") from exc
    return run(db_path=args.db)


def cmd_demo(args: argparse.Namespace) -> int:
    from tiers.services import demo

    database = _open(args)
    with database.session() as session:
        if not args.force and roster.count(session, roster.RosterFilter()) > 0:
            raise CliError("数据库中已有企业数据；如仍要加入演示数据，请加 --force")
        for step in demo.generate(session, enterprises=args.enterprises, seed=args.seed):
            print(f"已生成 {step.done} 家演示企业", file=sys.stderr)
    print(f"演示数据已写入 {database.path}（{args.enterprises} 家企业，标记为“演示数据”）")
    return EXIT_OK


# (the amount column under its short title: the long one, 扶持金额合计…, is the desktop's)
ROSTER_COLUMNS = [(key, fields.short("roster", key) if key == "support_total"
                   else fields.label("roster", key))
                  for key in ("credit_code", "name", "county", "town", "tier", "year",
                              "valid_until", "chains", "support_total")]
# Amounts in the command line's tables: two places, no thousands separators (CSV-friendly).
TABLE_PLACES = fields.field("roster", "support_total").places
MONEY_UNIT = fields.unit("roster", "support_total")


def _roster_filter(args: argparse.Namespace) -> roster.RosterFilter:
    return roster.RosterFilter(
        tier=args.tier, level=args.level, county=args.county, town=args.town,
        chain=args.chain, year=args.year, status=args.status,
        expiring_days=args.expiring, search=args.search or "", deleted=args.deleted)


def _format_cell(value: Any) -> str:
    return show(value, places=TABLE_PLACES)


def _print_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    table = [[label for _, label in columns]]
    table += [[_format_cell(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(width(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        print("  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(line))
              .rstrip())


def cmd_enterprises(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        with database.session() as session:
            rows = roster.roster(session, _roster_filter(args), sort=args.sort,
                                  descending=args.desc)
    except roster.QueryError as exc:
        raise CliError(str(exc)) from exc
    if args.format == "json":
        keys = ["credit_code", "name", "county", "town", "tier", "tier_code", "level", "year",
                "valid_until", "status", "chains", "support_total"]
        print(dump_json([{k: row[k] for k in keys} for row in rows]))
    elif args.format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so that Excel on Chinese Windows reads it as UTF-8
        writer = csv.writer(buffer)
        writer.writerow([label for _, label in ROSTER_COLUMNS])
        writer.writerows([[_format_cell(row[k]) for k, _ in ROSTER_COLUMNS] for row in rows])
        sys.stdout.write(buffer.getvalue())
    else:
        _print_table(rows, ROSTER_COLUMNS)
        print(f"共 {len(rows)} 家", file=sys.stderr)
    return EXIT_OK


def _find(session, text: str):
    """By credit code, else by name or former name (one match, or a list to choose from)."""
    from tiers.model import credit_code
    from tiers.services import enterprises

    if credit_code.is_valid(text):
        try:
            return enterprises.by_code(session, text, include_deleted=True)
        except NotFound as exc:
            raise CliError(str(exc)) from exc
    ids = roster.roster_ids(session, roster.RosterFilter(search=text))
    if not ids:
        raise CliError(f"找不到信用代码或名称为“{text}”的企业")
    if len(ids) > 1:
        rows = roster.roster_rows(session, ids[:10])
        exact = [r for r in rows if r["name"] == text]
        if len(exact) == 1:
            return enterprises.get(session, exact[0]["id"])
        listed = "；".join(f"{r['name']}（{r['credit_code']}）" for r in rows)
        more = f" 等 {len(ids)} 家" if len(ids) > 10 else ""
        raise CliError(f"“{text}”对应多家企业：{listed}{more}。请用信用代码指定")
    return enterprises.get(session, ids[0])


def _money(value: Decimal | None) -> str:
    """An amount in 万元 in a line of text: 1,234.50 万元, or — for none."""
    return show(value, "amount", places=TABLE_PLACES, grouped=True, empty="—", unit=MONEY_UNIT)


def cmd_show(args: argparse.Namespace) -> int:
    database = _open(args)
    with database.session() as session:
        enterprise = _find(session, args.code)
        data = profiles.profile(session, enterprise.id)
    data.pop("id", None)
    if args.json:
        print(dump_json(data))
        return EXIT_OK
    print(f"{data['name']}（{data['credit_code']}）{'  [回收站]' if data['deleted_at'] else ''}")
    for entity, key in (("roster", "county"), ("roster", "town"), ("enterprise", "main_product"),
                        ("roster", "tier"), ("enterprise", "contact_person"),
                        ("enterprise", "contact_phone")):
        print(f"  {fields.label(entity, key)}：{_format_cell(data.get(key)) or '—'}")
    if data["former_names"]:
        print(f"  {fields.label('former_name', 'name')}：{'、'.join(data['former_names'])}")
    print("梯度认定：")
    valid_until = fields.label("recognition", "valid_until")
    for r in data["recognitions"]:
        chain = f" [{r['chain']}]" if r["chain"] else ""
        print(f"  {r['tier']}{chain}  {r['level']}  {r['batch_label'] or r['batch_year'] or ''}  "
              f"{valid_until} {_format_cell(r['valid_until']) or '（未定）'}  {r['status']}")
    print("扶持措施：")
    for m in data["support_measures"]:
        print(f"  {m['year']}  {m['kind']}  {m['name']}  {_money(m['amount'])}  {m['status']}")
    print("产业链：")
    for c in data["chains"]:
        print(f"  {c['cluster']} / {c['chain']}  {c['role']}")
    print("年度数据：")
    shown = [(key, fields.label("annual_figures", key)) for key in ("revenue", "rd_expense")]
    for f in data["figures"]:
        amounts = "  ".join(f"{label} {_money(f[key])}" for key, label in shown)
        print(f"  {f['year']}  {amounts}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    database = _open(args)
    try:
        target = database.backup(args.path)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    print(f"已备份到 {target}")
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    database = _open(args)
    with database.session() as session:
        total = roster.count(session, roster.RosterFilter())
    print(f"数据库：{database.path or args.db}\n企业：{total} 家\n版本：{__version__}")
    return EXIT_OK


# --- parser ----------------------------------------------------------------------------

_ARGPARSE_MESSAGES = [
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), "参数 {0} 应为整数，而不是“{1}”"),
    (re.compile(r"argument (\S+): invalid choice: '?([^'\s]*)'? \(choose from (.*)\)"),
     "参数 {0} 的取值“{1}”无效，可选：{2}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面缺少取值"),
    (re.compile(r"the following arguments are required: (.*)"), "缺少必填参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): (.*)"), "参数 {0}：{1}"),
]


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse that reports a bad command line as one Chinese line (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        for pattern, template in _ARGPARSE_MESSAGES:
            match = pattern.search(message)
            if match:
                message = template.format(*match.groups())
                break
        self.exit(EXIT_REFUSED, f"错误：{message}（用 {self.prog} --help 查看用法）\n")


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="tiers", description="梯度培育企业库（Tiers）。不带命令时启动桌面客户端。")
    parser.add_argument("--db", default=None,
                        help=f"数据库文件（默认 TIERS_DB 或 {default_path()}）")
    parser.add_argument("--version", action="version", version=f"tiers {__version__}")
    parser.set_defaults(handler=cmd_gui)
    sub = parser.add_subparsers(dest="command", metavar="命令")

    demo = sub.add_parser("demo", help="生成演示数据（一个虚构的县）")
    demo.add_argument("--enterprises", type=non_negative_int, default=300,
                      help="企业数量（默认 300）")
    demo.add_argument("--seed", type=int, default=20261121)
    demo.add_argument("--force", action="store_true", help="数据库非空时也写入")
    demo.set_defaults(handler=cmd_demo)

    ent = sub.add_parser("enterprises", help="列出企业（可筛选）")
    ent.add_argument("--tier", help="梯度层级，如 小巨人、创新型、省级专精特新")
    ent.add_argument("--level", help="认定级别：国家级/省级/市级/县级")
    ent.add_argument("--county", help="县（市、区），名称或代码")
    ent.add_argument("--town", help="镇（街道）/园区")
    ent.add_argument("--chain", help="产业链名称或编号")
    ent.add_argument("--year", type=int, help=fields.label("roster", "year"))
    ent.add_argument("--status", choices=ladder.STATUSES, help="认定状态")
    ent.add_argument("--expiring", type=non_negative_int, metavar="DAYS",
                     help="有认定在 DAYS 天内到期")
    ent.add_argument("--search", help="名称、曾用名、信用代码或拼音首字母")
    ent.add_argument("--deleted", action="store_true", help="列出回收站中的企业")
    ent.add_argument("--sort", default="name", choices=roster.SORT_KEYS)
    ent.add_argument("--desc", action="store_true", help="倒序")
    ent.add_argument("--format", choices=("table", "csv", "json"), default="table")
    ent.set_defaults(handler=cmd_enterprises)

    show = sub.add_parser("show", help="查看一家企业的档案")
    show.add_argument("code", help="统一社会信用代码或企业名称")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=cmd_show)

    backup = sub.add_parser("backup", help="备份数据库（应用运行时也可以）")
    backup.add_argument("path", help="备份文件或文件夹")
    backup.set_defaults(handler=cmd_backup)

    info = sub.add_parser("info", help="数据库位置与概况")
    info.set_defaults(handler=cmd_info)

    for register in EXTENSIONS:
        register(sub)
    return parser


# Other packages' commands (import, export, assess) register here; see _load_extensions.
EXTENSIONS: list[Callable[[Any], None]] = []


def _load_extensions() -> None:
    """The commands that live in modules of their own (import, export, assess), named here
    rather than discovered at run time, so that a frozen build has them too."""
    if EXTENSIONS:
        return
    from ui.cli import assess, export, imports

    EXTENSIONS.extend([imports.register, export.register, assess.register])


def main(argv: Sequence[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except CliError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.status
    except TiersError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
