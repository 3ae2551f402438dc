"""What the commands share: exit statuses, the one-line error, opening the database, JSON,
tables, amounts and finding an enterprise by code or name.

Light at import (the parser imports it): SQLAlchemy, the queries and the services are
imported inside the functions that use them, when a command runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiers.model.names import drop_invisible
from tiers.text import fields

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # a type only

    from tiers.model.orm import Enterprise
    from tiers.storage.database import Database

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2
# an import whose comparison went out of date before it could write (another officer's
# import or edit of the same county committed in between): the importers' words are the
# windows' ("请重新生成预览"), and the command line shows no preview to make again
CHANGED_MEANWHILE = ("这次没有导入任何数据：读取文件并与库中数据比对之后、写入之前，库中已有变化（可能有人刚修改或导入了"
                     "同一区县的数据）。请重新运行这条命令（会按库中最新的数据重新比对）")

# Amounts in the command line's tables: two places, no thousands separators (CSV-friendly).
TABLE_PLACES = fields.field("roster", "support_total").places
MONEY_UNIT = fields.unit("roster", "support_total")


class CliError(Exception):
    """A failure to report as one line; ``status`` is the exit status."""

    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


def refuse_foreign(target: str | Path, *, package_units: Iterable[str] = ()) -> None:
    """The command line asks nobody before it replaces a file: only an empty one, or one
    Tiers wrote and nobody saved since, is replaced; anything else is refused before any
    work (tiers.outputs). The desktop client asks instead. ``package_units``: the
    报送单位 this database sends its packages under (only a package of one is replaced).
    An office program's lock file beside it is a further refusal, never a reason to skip
    the check: a stale ~$名单.xlsx let the officer's own 名单.xlsx be replaced (review27)."""
    from tiers import outputs
    from tiers.reports.output import open_elsewhere, open_elsewhere_refusal

    path = Path(target).expanduser()
    if path.is_dir():
        return  # a folder: each face's own
    if open_elsewhere(path):  # (said first: closing it is the officer's next step)
        raise CliError(open_elsewhere_refusal(path), EXIT_REFUSED)
    if not outputs.replaceable(path, package_units=package_units):
        raise CliError(outputs.refusal(path), EXIT_REFUSED)


def non_negative_int(text: str) -> int:
    """An argparse type: a count or a number of days."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"不能为负数：{text}")
    return value


def open_database(args: argparse.Namespace, *, may_create: bool = False) -> Database:
    """The database of ``--db`` (or the default). Only the commands that may start a new
    file (demo, import) create a missing one, so that a mistyped --db does not quietly show
    an empty county."""
    from tiers.errors import InvalidInput
    from tiers.storage.address import resolve
    from tiers.storage.database import DatabaseError  # SQLAlchemy: on use
    from tiers.storage.database import open_database as open_storage

    try:
        path = resolve(args.db)  # a file, or a server's URL
    except InvalidInput as exc:
        raise CliError(str(exc)) from exc
    if isinstance(path, Path) and not path.exists():
        if not path.parent.is_dir() and args.db:
            raise CliError(f"数据库所在的文件夹不存在：{path.parent}")
        if not may_create:
            raise CliError(f"数据库文件不存在：{path}（新库请先运行 tiers demo 或 tiers import）")
    try:
        database = open_storage(path)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc
    _opened.append(database)
    return database


# Closed when the command ends (main): a server's connections are closed properly rather
# than dropped when the process ends (and a test's many commands do not pile them up).
_opened: list[Database] = []


def close_databases() -> None:
    while _opened:
        _opened.pop().dispose()


def where(database: Database) -> str:
    """Where the database is, for the user: the file, or the server's URL without its
    password."""
    if database.path is not None:
        return str(database.path)
    from tiers.storage.address import shown

    return shown(database.engine.url.render_as_string(hide_password=False))


DB_AFTER_HELP = "数据库：文件路径或服务器地址 postgresql://用户名@服务器:端口/数据库名（也可写在命令前；默认 TIERS_DB 或本机数据库）"


def add_db_option(parser: argparse.ArgumentParser, *, help_text: str = DB_AFTER_HELP) -> None:
    """``--db`` after the command too (``tiers user add NAME --db URL``); when not given
    there, the one before the command (or TIERS_DB) stays. A command that wants its own
    help text calls this; every other command gets it from ``accept_db_everywhere``."""
    parser.add_argument("--db", default=argparse.SUPPRESS, help=help_text)


def accept_db_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--db`` before or after any command, at every depth (``tiers --db X demo`` and
    ``tiers demo --db X``, ``tiers package list --db X``): each command's parser that has
    no ``--db`` of its own gets ``add_db_option``'s. One place, so that a command added
    later accepts it too (tester27: demo and info refused ``--db`` after the command while
    server init, user add and backup took it, as README writes it)."""
    for action in parser._actions:  # argparse keeps its subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):  # (aliases: once)
                if "--db" not in command._option_string_actions:
                    add_db_option(command)
                accept_db_everywhere(command)


def server_target(args: argparse.Namespace) -> str | None:
    """The server URL of ``--db`` (or TIERS_DB), None for a file."""
    import os

    from tiers.storage.address import is_url

    target = args.db or os.environ.get("TIERS_DB") or None
    return target if is_url(target) else None


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)  # 万元 with at most 4 decimals: exact enough as a JSON number
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def dump_json(data: Any) -> str:
    if isinstance(data, list) and data and all(type(item) is dict for item in data):
        flat = _flat_records(data)
        if flat is not None:
            return flat
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default)


def _scalar(value: Any) -> str | None:
    """One JSON value as ``json.dumps`` writes it, for the types a roster row holds; None
    for any other (the whole list then goes the general way)."""
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is Decimal:
        value, kind = float(value), float
    if kind is float and value == value and value not in (_INFINITY, -_INFINITY):
        return float.__repr__(value)
    if kind is dt.date or kind is dt.datetime:
        return _encode_string(value.isoformat())
    return None


_INFINITY = float("inf")
_encode_string = json.encoder.encode_basestring  # (the C one when the C accelerator is in)


def _flat_records(records: list[dict]) -> str | None:
    """A list of flat records (str keys, scalar values: ``tiers enterprises``' 100,000
    rows) as ``json.dumps(…, indent=2)`` writes it, but with the C string encoder:
    with ``indent`` json runs its pure-Python encoder, a third of the command's time.
    A test holds it to json.dumps."""
    parts = []
    for record in records:
        if not record:
            return None
        fields_ = []
        for key, value in record.items():
            shown = _scalar(value)
            if shown is None or type(key) is not str:
                return None
            fields_.append(f"    {_encode_string(key)}: {shown}")
        parts.append("  {\n" + ",\n".join(fields_) + "\n  }")
    return "[\n" + ",\n".join(parts) + "\n]"


def cell_formatter() -> Callable[[Any], str]:
    """``format_cell`` for a whole table, the formatter looked up once: importing it on each
    call doubled the time per cell (0.5 → 1.2 µs; +0.6 s for 100k rows × 9 columns)."""
    from tiers.text.values import show  # loads the ladder, hence SQLAlchemy: on use

    def cell(value: Any) -> str:  # (a closure: functools.partial was slower per call)
        return show(value, places=TABLE_PLACES)

    return cell


def format_cell(value: Any) -> str:
    """A value in a table cell or a CSV field, as the desktop shows it."""
    return cell_formatter()(value)


def money(value: Decimal | None) -> str:
    """An amount in 万元 in a line of text: 1,234.50 万元, or — for none."""
    from tiers.text.values import show  # loads the ladder, hence SQLAlchemy: on use

    return show(value, "amount", places=TABLE_PLACES, grouped=True, empty="—", unit=MONEY_UNIT)


def _display_width(text: str) -> int:
    """Columns in a terminal: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def print_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    """Rows as aligned columns under their labels. No control, bidi or zero-width
    character reaches the terminal (an ESC sequence would recolour it, U+202E reverse the
    line), even from text stored before names were cleaned of them."""
    formatted = cell_formatter()

    def cell(value: Any) -> str:
        return drop_invisible(formatted(value))

    table = [[label for _, label in columns]]
    table += [[cell(row.get(key)) for key, _ in columns] for row in rows]
    widths = [max(_display_width(line[i]) for line in table) for i in range(len(columns))]
    for line in table:
        print("  ".join(cell + " " * (widths[i] - _display_width(cell))
                        for i, cell in enumerate(line)).rstrip())


def find_enterprise(session: Session, text: str) -> Enterprise:
    """By credit code, else by name or former name (one match, or a list to choose from)."""
    from tiers.errors import NotFound
    from tiers.model import credit_code
    from tiers.queries import roster
    from tiers.services import enterprises
    from tiers.text.lists import names_cut

    wrong = None  # why a text of a code's shape is no valid code
    try:
        credit_code.validate(text)
    except credit_code.CreditCodeError as exc:
        wrong = exc
    else:
        try:
            return enterprises.by_code(session, text, include_deleted=True)
        except NotFound as exc:
            raise CliError(str(exc)) from exc
    shaped = credit_code.normalise(text)
    if len(shaped) == 18 and shaped.isascii() and shaped.isalnum():
        try:  # kept before a rule refused its code (9 with a 2nd character not 1–3)
            return enterprises.by_code(session, shaped, include_deleted=True)
        except NotFound:
            pass
    else:
        wrong = None
    ids = roster.roster_ids(session, roster.RosterFilter(search=text))
    if not ids:
        raise CliError(f"找不到信用代码或名称为“{text}”的企业"
                       + (f"；这也不是有效的代码：{wrong}" if wrong is not None else ""))
    if len(ids) > 1:
        rows = roster.roster_rows(session, ids[:10])
        exact = [r for r in rows if r["name"] == text]
        if len(exact) == 1:
            return enterprises.get(session, exact[0]["id"])
        listed = names_cut([f"{r['name']}（{r['credit_code']}）" for r in rows], len(ids),
                           joiner="；")
        raise CliError(f"“{text}”对应多家企业：{listed}。请用信用代码指定")
    return enterprises.get(session, ids[0])


def tell_waits() -> Callable[[Any], bool]:
    """Progress handler that says once on stderr why the command waits (another officer's
    import into the same county on a server) and never cancels: for ``drain``."""
    from tiers.storage.import_locks import Waiting

    told: set[str] = set()

    def on_progress(step: Any) -> bool:
        if isinstance(step, Waiting) and step.stage not in told:
            told.add(step.stage)
            print(step.stage + "……", file=sys.stderr, flush=True)
        return False

    return on_progress


def unit_source(given: str, proposed: str, *, county: str | None = None,
                reason: str = "") -> str:
    """Where the 报送单位/填报单位 written came from, when --unit did not give it (tiers
    export, tiers package export: tiers.exchange.status.unit_proposal, whose second value
    is ``reason``); ``county``: the --county of a report or the counties of a package.
    A city's database proposes its bureau because it receives packages, whatever county
    is chosen: said so, not “按所选县区推定” (tester26)."""
    if given.strip():
        return ""
    if proposed and reason == "unit":
        return "（未给 --unit，按本单位负责的区县（tiers unit）推定；可用 --unit 另写）"
    if proposed and reason == "packages":
        return "（未给 --unit，本库导入过区县的数据包，按市级库推定为市工信局；可用 --unit 另写）"
    if proposed and county:
        return f"（未给 --unit，按所选县区（{county}）推定；可用 --unit 另写）"
    if proposed:
        return "（未给 --unit，按库中企业所在区县推定；可用 --unit 另写）"
    return "（未给 --unit，库中企业所在区县推定不出一个单位；可用 --unit 另写）"
