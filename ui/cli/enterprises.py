"""``tiers enterprises``: the roster, filtered and sorted in SQL, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import io
import sys
from typing import TYPE_CHECKING, Any

from tiers.model.vocabulary import (
    NO_COUNTY_ARG,
    ROSTER_SORT_KEYS,
    STATUSES,
    tier_words,
)
from tiers.text import fields
from tiers.text.cells import write_csv
from ui.cli.common import (
    EXIT_OK,
    CliError,
    cell_formatter,
    dump_json,
    non_negative_int,
    open_database,
    print_table,
)

if TYPE_CHECKING:
    from tiers.queries.roster import RosterFilter

# (the amount column under its short title: the long one, 扶持金额合计…, is the desktop's)
ROSTER_COLUMNS = [(key, fields.short("roster", key) if key == "support_total"
                   else fields.label("roster", key))
                  for key in ("credit_code", "name", "county", "town", "tier", "year",
                              "valid_until", "chains", "support_total")]
JSON_KEYS = ["credit_code", "name", "county", "town", "tier", "tier_code", "level", "year",
             "valid_until", "status", "matched", "chains", "support_total"]


def _with_pending(row: dict[str, Any]) -> dict[str, Any]:
    """当前梯度 as the client's 企业库 writes it (vocabulary.tier_words)."""
    if not row.get("pending") and not row.get("review") and not row.get("matched"):
        return row
    return {**row, "tier": tier_words(row["tier"] or "", pending=row.get("pending"),
                                      review=row.get("review"),
                                      matched=row.get("matched_beside"))}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("enterprises", help="列出企业（可筛选）")
    parser.add_argument("--tier", help="梯度层级，如 小巨人、创新型、省级专精特新")
    parser.add_argument("--level", help="认定级别：国家级/省级/市级/县级")
    parser.add_argument("--county", help="县（市、区），名称或代码；未填区县的企业（开发区企业等）"
                                         f"写 {NO_COUNTY_ARG}")
    parser.add_argument("--town", help="镇（街道）/园区")
    parser.add_argument("--chain", help="产业链名称或编号")
    parser.add_argument("--year", type=int, help=fields.label("roster", "year"))
    parser.add_argument("--status", choices=STATUSES, help="认定状态")
    parser.add_argument("--expiring", type=non_negative_int, metavar="DAYS",
                        help="有认定在 DAYS 天内到期")
    parser.add_argument("--search", help="名称、曾用名、信用代码或拼音首字母")
    parser.add_argument("--deleted", action="store_true", help="列出回收站中的企业")
    parser.add_argument("--sort", default="name", choices=ROSTER_SORT_KEYS)
    parser.add_argument("--desc", action="store_true", help="倒序")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.set_defaults(handler=list_enterprises)


def _roster_filter(args: argparse.Namespace) -> RosterFilter:
    from tiers.queries.roster import RosterFilter

    return RosterFilter(
        tier=args.tier, level=args.level, county=args.county, town=args.town,
        chain=args.chain, year=args.year, status=args.status,
        expiring_days=args.expiring, search=args.search or "", deleted=args.deleted)


def list_enterprises(args: argparse.Namespace) -> int:
    from tiers.queries import roster

    database = open_database(args)
    try:
        with database.session() as session:
            rows = roster.roster(session, _roster_filter(args), sort=args.sort,
                                 descending=args.desc)
    except roster.QueryError as exc:
        raise CliError(str(exc)) from exc
    if args.format == "json":
        print(dump_json([{key: row[key] for key in JSON_KEYS} for row in rows]))
    elif args.format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so that Excel on Chinese Windows reads it as UTF-8
        cell = cell_formatter()
        write_csv(buffer, [label for _, label in ROSTER_COLUMNS],
                  [[cell(shown[key]) for key, _ in ROSTER_COLUMNS]
                   for shown in map(_with_pending, rows)])
        sys.stdout.write(buffer.getvalue())
    else:
        print_table([_with_pending(row) for row in rows], ROSTER_COLUMNS)
        print(f"共 {len(rows)} 家", file=sys.stderr)
    return EXIT_OK
