"""``tiers export REPORT OUT.xlsx|OUT.pdf [filters…]``: the reports for upward submission (上报).

``tiers export --list`` names each report and the filters it takes. The file is written
beside the target and moved into place at the end, so a failure never leaves half a file;
a target open in Excel/WPS or not writable is refused with a Chinese message.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tiers.model.vocabulary import ALL_COUNTIES_ARG, NO_COUNTY_ARG
from tiers.storage import officer
from ui.cli import collection
from ui.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    CliError,
    open_database,
    refuse_foreign,
    unit_source,
)

if TYPE_CHECKING:
    from tiers.reports import Progress, ReportDefinition, ReportRequest

# option → ReportRequest field, for the filters a report may take
FILTER_OPTIONS = {
    "tier": "--tier", "level": "--level", "county": "--county", "town": "--town",
    "chain": "--chain", "year": "--year", "status": "--status", "days": "--days",
    "code": "--code", "kind": "--kind", "group": "--group",
}
# where to give what a report says it needs (its hint_field): the core names no option
HINTS = {"tier": "（--tier）", "code": "（--code）"}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应写作 YYYY-MM-DD：{text}") from exc


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export", help="导出上报报表（Excel）",
        description="导出上报用的 Excel 报表。tiers export --list 列出全部报表及其筛选条件。")
    parser.add_argument("report", nargs="?", help="报表名称，如 roster、summary（见 --list）")
    parser.add_argument("output", nargs="?",
                        help="保存为（.xlsx；以 .pdf 结尾则经 LibreOffice 打印为 PDF）")
    parser.add_argument("--list", action="store_true", help="列出可导出的报表")
    parser.add_argument("--tier", help="梯度层级，如 小巨人、创新型、省级专精特新")
    parser.add_argument("--level", help="认定级别：国家级/省级/市级/县级")
    parser.add_argument("--county", help="县（市、区），名称或代码；未填区县的企业（开发区企业等）"
                                         f"写 {NO_COUNTY_ARG}；设置了本单位负责的区县时默认只含本单位的"
                                         f"企业，全部区县写 {ALL_COUNTIES_ARG}")
    parser.add_argument("--town", help="镇（街道）/园区")
    parser.add_argument("--chain", help="产业链名称或编号")
    parser.add_argument("--year", type=int, help="年度")
    parser.add_argument("--status", help="认定状态（有效/即将到期/已到期/已撤销/全部）；"
                                         "扶持措施表为兑现状态（申报/审核/已兑现/全部）")
    parser.add_argument("--days", type=int, help="多少天内到期（默认 180）")
    parser.add_argument("--code", help="企业的统一社会信用代码（企业档案；多家以逗号分隔，每家一页）")
    parser.add_argument("--kind", help="扶持措施类别")
    parser.add_argument("--group", help="汇总表：county/town；扶持措施表：enterprise/kind")
    parser.add_argument("--title", help="自定义报表标题")
    parser.add_argument("--unit", default="",
                        help="填报单位（盖章处；默认按库中企业所在区县推定其工信局，与桌面客户端相同）")
    parser.add_argument("--by", default="", help="填报人（默认为桌面客户端“设置”中的填报人）")
    parser.add_argument("--phone", default="", help="联系电话（默认为“设置”中的联系电话）")
    parser.add_argument("--date", type=_date, help="填报日期（默认今天，YYYY-MM-DD）")
    parser.add_argument("--as-of", type=_date, dest="as_of",
                        help="统计截止日期（默认今天；决定有效/即将到期）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度")
    collection.register_options(parser)
    parser.set_defaults(handler=export_report)


def list_reports() -> str:
    from tiers import reports

    lines = []
    for definition in reports.REPORTS:
        lines.append(f"{definition.name:<12}{definition.title}")
        lines.append(f"{'':<12}{definition.description}")
        options = [f"{FILTER_OPTIONS[spec.name]}（{spec.label}"
                   + ("，必填" if spec.required else "") + "）"
                   for spec in definition.filters]
        lines.append(f"{'':<12}筛选：{'  '.join(options) if options else '无'}")
    lines += collection.LIST_LINES
    return "\n".join(lines)


def _request(args: argparse.Namespace, definition: ReportDefinition) -> ReportRequest:
    from tiers.reports import ReportRequest

    given = {name: getattr(args, name) for name in FILTER_OPTIONS
             if getattr(args, name) is not None}
    unsupported = [FILTER_OPTIONS[name] for name in given
                   if name not in definition.filter_names]
    if unsupported:
        raise CliError(f"报表“{definition.title}”不支持筛选条件 {'、'.join(unsupported)}；"
                       f"可用 tiers export --list 查看", EXIT_REFUSED)
    for spec in definition.filters:
        if spec.required and spec.name not in given:
            raise CliError(f"报表“{definition.title}”需要 {FILTER_OPTIONS[spec.name]}"
                           f"（{spec.label}）", EXIT_REFUSED)
    return ReportRequest(**given, unit=args.unit, filled_by=args.by, phone=args.phone,
                         filled_on=args.date, title=args.title,
                         today=args.as_of or dt.date.today())


def export_report(args: argparse.Namespace) -> int:
    from tiers import reports
    from tiers.errors import with_hint
    from tiers.progress import drain
    from tiers.reports import ReportError

    if args.list:
        print(list_reports())
        return EXIT_OK
    if not args.report or not args.output:
        raise CliError("用法：tiers export 报表名称 输出文件.xlsx（或 .pdf） [筛选条件]；"
                       "tiers export --list 列出报表", EXIT_REFUSED)
    # signed as the client signs (tester28a #2: the CLI's 拟推荐名单 had 填报人 and 联系电话 empty)
    stored = officer.read()
    args.by, args.phone = args.by or stored.name, args.phone or stored.phone
    if args.report in collection.NAMES:
        return collection.export_collection(args)
    collection.refuse_options(args)
    try:
        definition = reports.get(args.report)
    except ReportError as exc:
        raise CliError(str(exc), EXIT_REFUSED) from exc
    request = _request(args, definition)
    refuse_foreign(args.output)

    interactive = sys.stderr.isatty()

    steps: list[Progress] = []

    def show(step: Progress) -> bool:
        """One line that updates in a terminal; only the outcome (the last step) when
        redirected. Never cancels (Ctrl+C does)."""
        steps[:] = [step]
        if interactive and not args.quiet and step.stage:
            print(f"\r{step.stage}\033[K", end="", file=sys.stderr, flush=True)
        return False

    database = open_database(args)
    reason = ""  # what a proposed unit was inferred from
    others = ""  # the neighbours' firms only the province's lists brought in
    year_note = ""  # the year the report looked up, none being given
    try:
        with database.reading() as session:  # an export only reads
            if not request.unit.strip():
                # none given: the bureau the desktop client proposes (the unit it remembers
                # per database lives in the client's settings, which the CLI does not read):
                # of the county the report is for (--county), else of the database
                from tiers.exchange.status import unit_proposal_for

                unit, reason = unit_proposal_for(session, county=request.county)
                request = dataclasses.replace(request, unit=unit)
            if not request.county and "county" in definition.filter_names:
                others = left_out_note(session) or _neighbours_from_lists(session)
            if not request.year and definition.default_year is not None:
                # the year the report will use, looked up once here and given to it: said
                # below, as the client's offered file name says it (small29)
                from tiers.reports.file_names import year_to_name

                request = dataclasses.replace(
                    request, year=year_to_name(session, definition, request))
                spec = next(spec for spec in definition.filters if spec.name == "year")
                year_note = (f"{spec.label}：{request.year}年度（未指定 --year："
                             f"{spec.blank.strip('（）')}）")
            drain(reports.export_steps(session, definition.name, args.output, request,
                                       only_ours=True),
                  show)
    except ReportError as exc:  # a refused request or target (TargetError is one)
        raise CliError(with_hint(str(exc), HINTS.get(exc.hint_field, "")),
                       EXIT_REFUSED) from exc
    finally:
        database.dispose()
    if interactive and not args.quiet:
        print("\r\033[K", end="", file=sys.stderr, flush=True)  # clear the progress line
    elif not args.quiet and steps and steps[0].stage:
        print(steps[0].stage, file=sys.stderr)
    print(f"已导出“{definition.title}”：{Path(args.output)}")  # as typed (not ~-expanded)
    if year_note:
        print(year_note)
    print(f"填报单位：{request.unit or '（空）'}"
          + unit_source(args.unit, request.unit, county=request.county, reason=reason))
    if others:
        print(others)
    return EXIT_OK


def left_out_note(session: Any) -> str:
    """The core's note on what a report of the unit (本单位负责的区县 recorded, no county
    chosen) leaves out (tiers.queries.unit_scope.left_out), with how to take it in here."""
    from tiers.queries.unit_scope import left_out

    found = left_out(session)
    if found is None:
        return ""
    return (f"注意：{found.text}；要包含它们，请加 --county {ALL_COUNTIES_ARG}（全部区县），"
            "或 --county 该县（市、区）")


def _neighbours_from_lists(session: Any) -> str:
    """The core's note that the report also lists the other counties' firms that only the
    province's lists brought in (tiers.exchange.scope.listed_neighbours), with how to leave
    them out here: --county takes one county, so one report per own county."""
    from tiers.exchange.scope import listed_neighbours

    found = listed_neighbours(session)
    if found is None:
        return ""
    if len(found.own) == 1:
        how = f"只要本县的，请加 --county {found.own[0][0]}"
    elif found.own:
        how = ("只要本单位区县的，请每个区县各导出一份（--county 只写一个区县）："
               + "；".join(f"--county {code}（{name}）" for code, name in found.own))
    else:
        how = "只要本县的，请加 --county 本县的 6 位代码"
    return f"注意：{found.text}；{how}"
