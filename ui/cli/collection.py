"""``tiers export collection OUT [--year 2025] [--county …] [--per firm|town]``: the 采集表
(yearly figures collection workbook) for sending out; the filled files come back through
``tiers import FILE FILE …`` with no mapping step."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from ui.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    CliError,
    open_database,
    refuse_foreign,
    unit_source,
)

NAMES = ("collection", "采集表")
LIST_LINES = (
    f"{'collection':<12}企业数据采集表",
    f"{'':<12}发给企业填写本年度数据的工作簿：预填企业与上年度数据，带填写校验与填表说明；"
    "收回后直接导入（tiers import 文件 文件 …）",
    f"{'':<12}筛选：--county（县（市、区））  --town（镇（街道））  --tier（梯度层级）  "
    "--chain（产业链）  --year（数据年度，默认上一年）  --per（firm 每家企业一个文件 / town 每个镇街一个文件）  "
    "--deadline（报送截止日期）  --return-to（报送至）",
)
REFUSED_OPTIONS = ("level", "status", "days", "code", "kind", "group", "title")


def register_options(parser: Any) -> None:
    """The options only the 采集表 takes (added to ``tiers export``)."""
    parser.add_argument("--per", choices=("firm", "town"),
                        help="采集表：每家企业（firm）或每个镇街（town）一个文件，OUT 为文件夹")
    parser.add_argument("--deadline", type=_date, help="采集表：报送截止日期（YYYY-MM-DD）")
    parser.add_argument("--return-to", dest="return_to", default="",
                        help="采集表：填好后报送至（邮箱、科室等）")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD：{text}") from exc


def export_collection(args: argparse.Namespace) -> int:
    from tiers.errors import TiersError
    from tiers.exchange.status import unit_proposal_for
    from tiers.progress import drain
    from tiers.queries.roster import RosterFilter
    from tiers.reports import collection
    from tiers.reports.base import ReportRequest
    from tiers.reports.collection_book import Letter
    from tiers.reports.common import area_prefix

    given = [f"--{name}" for name in REFUSED_OPTIONS if getattr(args, name, None) is not None]
    if given:
        raise CliError(f"采集表不支持 {'、'.join(given)}；可用 tiers export --list 查看", EXIT_REFUSED)
    today = args.as_of or dt.date.today()
    year = args.year if args.year is not None else today.year - 1
    filters = RosterFilter(county=args.county, town=args.town, tier=args.tier, chain=args.chain,
                           today=today)
    split = args.per or collection.ONE_FILE
    if split == collection.ONE_FILE:
        refuse_foreign(args.output)
    database = open_database(args)
    try:
        with database.reading() as session:  # an export only reads
            # none given: the bureau the desktop client proposes for the database, as
            # tiers export and tiers package export write it (the 填表说明 said 本表由
            # 工业和信息化主管部门发出 and 报送至 no one); of the county asked for (--county)
            unit, reason = args.unit.strip(), ""
            if not unit:
                unit, reason = unit_proposal_for(session, county=args.county)
            # the title's area as the roster's: the county asked for, else 本单位负责的区县,
            # else the area of the database's firms
            area = area_prefix(ReportRequest(county=args.county, town=args.town), session)
            letter = Letter(year=year, unit=unit, officer=args.by, phone=args.phone,
                            return_to=args.return_to, deadline=args.deadline, area=area)
            request = collection.CollectionRequest(letter=letter, filters=filters, split=split)
            # nobody was asked: the firms' filled-in returns in the folder are kept
            paths = drain(collection.export_steps(session, request, args.output,
                                                  replace_foreign=False))
    except TiersError as exc:
        raise CliError(str(exc), EXIT_REFUSED) from exc
    finally:
        database.dispose()
    if split == collection.ONE_FILE:
        print(f"已导出“{year}年度企业数据采集表”：{Path(args.output)}")
    else:
        print(f"已导出 {len(paths)} 份采集表（{collection.SPLITS[split]}）到文件夹：{Path(args.output)}")
    print(f"发出单位：{unit or '（空）'}" + unit_source(args.unit, unit, county=args.county,
                                                             reason=reason))
    return EXIT_OK


def refuse_options(args: argparse.Namespace) -> None:
    """The 采集表's own options given to another report."""
    given = [option for option, value in (("--per", args.per), ("--deadline", args.deadline),
                                          ("--return-to", args.return_to)) if value]
    if given:
        raise CliError(f"{'、'.join(given)} 只用于采集表（tiers export collection）", EXIT_REFUSED)
