"""``tiers package export|import|list``: exchange packages (数据包) between a county and its
city — export a county's data, import a county's package (previewed with --dry-run),
and 报送情况 (which counties have sent theirs)."""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tiers.model.vocabulary import NO_COUNTY_ARG, means_no_county
from ui.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    CliError,
    dump_json,
    open_database,
    print_table,
    refuse_foreign,
    tell_waits,
    unit_source,
)

# where to import what was taken for a package (its hint_field): the core names no command
HINTS = {"lists": "；名单请用 tiers import 导入"}



def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "package", help="数据包：区县向市里报送全部数据（导出、导入、报送情况）",
        description="数据包是 zip 文件（每张表一个 UTF-8 CSV 与清单 manifest.json），"
                    "完整带上企业、曾用名、全部认定、产业链、扶持措施、年度数据与培育库。")
    commands = parser.add_subparsers(dest="package_command", metavar="操作", required=True)
    export = commands.add_parser("export", help="导出数据包")
    export.add_argument("output", help="保存为（.zip）")
    export.add_argument("--county", action="append", default=[], metavar="CODE",
                        help="只导出这个县（市、区）的企业（6 位代码，可重复；未填区县的企业写 "
                             f"{NO_COUNTY_ARG}；默认：市级库为全部，区县库为本县及未填区县的企业"
                             "（已设本单位负责的区县时为这些区县），不算只从上级名单导入的外县企业；"
                             "本县推定不出时须写明）")
    export.add_argument("--unit", default="",
                        help="报送单位（默认为本单位：按本单位负责的区县或本库自己的区县推定其工信局，"
                             "与桌面客户端相同，不按所带的外县推定；推定不出时须写明）")
    export.set_defaults(handler=run_export)
    imp = commands.add_parser("import", help="导入数据包（同一区县较新的数据包替换其先前报送的数据）")
    imp.add_argument("file", help="数据包文件（.zip）")
    imp.add_argument("--dry-run", action="store_true", help="只比对、显示将做的修改，不写入")
    imp.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    imp.add_argument("--user", help="记入导入记录的操作人（默认为桌面客户端“设置”中的填报人，未设置时为系统用户名）")
    imp.set_defaults(handler=run_import)
    listing = commands.add_parser("list", help="报送情况：各区县是否已报送、何时、多少企业")
    listing.add_argument("--city", metavar="CODE", help="设区市代码（默认按库中企业所在的市）")
    listing.add_argument("--year", type=int, help="按哪一年算“已报送”（默认今年）")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    listing.set_defaults(handler=run_list)


def counts_text(counts: dict[str, int]) -> str:
    from tiers.exchange.format import rows_text

    return rows_text(counts)


def run_export(args: argparse.Namespace) -> int:
    from tiers.errors import Refused
    from tiers.exchange import export_package
    from tiers.exchange.scope import own_package_units, package_scope, package_sender
    from tiers.exchange.status import FROM_CHOSEN
    from tiers.progress import drain

    database = open_database(args)
    counties = ["" if means_no_county(county) else county for county in args.county]
    left_out, scope = "", None
    with database.session() as session:
        if not counties:
            # none given: every county in the city's database; a county's laptop, which
            # keeps the neighbours' firms the province's lists brought in, only its own one,
            # and where that is not one county, nobody guesses (tester26: 金坛区's package of
            # 溧阳's firms too, under 常州市工业和信息化局, had 溧阳's own refused at the city)
            scope = package_scope(session)
            if scope.must_ask:
                raise CliError(
                    scope.ask_reason
                    + ("（或用 tiers unit 改本单位负责的区县）" if scope.by_unit else "")
                    + f"：{scope.listing()}。请用 --county 写明要报送的区县（6 位代码，可重复；"
                    f"未填区县的企业写 --county {NO_COUNTY_ARG}），"
                    f"如 --county {scope.counties[0][0] or '320412'}", EXIT_REFUSED)
            if scope.default is not None:
                counties = list(scope.default)
                left_out = _left_out(scope)
        # none given: whoever sends it, as the desktop client proposes it (the unit it
        # remembers per database lives in the client's settings, which the CLI does not
        # read): this database's unit, not the bureau of the counties it carries (review27)
        unit, reason = args.unit.strip(), ""
        if not unit:
            sender = package_sender(session, counties)
            unit, reason = sender.unit, sender.reason
            if not unit:  # (the counties' names would say it is theirs, at the city)
                raise CliError("推定不出报送单位：本库的企业分属几个县（市、区），所写的区县都不是"
                               "本库自己的，不知道由哪个单位报送。请用 --unit 写明本单位"
                               "（如 --unit 常州市武进区工业和信息化局），或用 tiers unit "
                               "记下本单位负责的区县", EXIT_REFUSED)
        # only a package this database's unit wrote is replaced, not one received from
        # another unit (review26); known once the unit is, before anything is written
        ours = own_package_units(session, counties, unit)
        refuse_foreign(args.output, package_units=ours)
        # counties named beyond its own: carried under its unit, said so (review27)
        scope = scope or package_scope(session)
        carried = scope.carried(counties) if args.county and not args.unit.strip() else ""
        # the firms an import took in (一并导入) sent as the unit's own (session 30)
        taken = scope.taken_in_note(counties or None)
        try:  # (and again just before it is replaced: a package saved there meanwhile)
            result = drain(export_package(session, Path(args.output), counties=counties,
                                          source_unit=unit, only_ours_of=ours))
        except Refused as exc:
            raise CliError(str(exc), EXIT_REFUSED) from exc
    print(f"已导出数据包：{result.path}")
    print(result.summary())
    if left_out:
        print(left_out)
    if carried:
        print(f"注意：{carried}")
    if taken:
        print(f"注意：{taken}；如它们不是本单位的，请在企业档案中填写它们所属的区县后重新导出，"
              "或用 --county 只写要报送的区县")
    chosen = "、".join(args.county) if reason == FROM_CHOSEN else None
    print(f"报送单位：{result.source_unit}"
          + unit_source(args.unit, unit, county=chosen or None, reason=reason))
    return EXIT_OK


def _left_out(scope: Any) -> str:
    """The lines on what the default left out (the core's), each with its option."""
    return "\n".join(
        line.text + (f"；如也要报送，请加 --county {NO_COUNTY_ARG}" if line.no_county
                     else "；如也要报送，请用 --county 写明各区县")
        for line in scope.left_out())


def run_import(args: argparse.Namespace) -> int:
    from tiers.errors import Conflict, Refused, with_hint
    from tiers.exchange import PackageRefused, preview_package
    from tiers.exchange.apply import import_package_reading
    from tiers.exchange.reader import opened_package
    from tiers.progress import drain
    from tiers.storage.address import in_place

    try:
        with opened_package(Path(args.file)) as reading:
            if args.dry_run or not in_place(args.db):
                # a preview reads it whole; and a refused package must not leave a new,
                # empty database behind: read whole before the file is made
                reading.read_all()
            database = open_database(args, may_create=True)
            with database.session() as session:
                if args.dry_run:
                    result = preview_package(session, reading.package)
                else:  # (a county new to the database: written while it is read)
                    result = drain(import_package_reading(session, reading,
                                                          user=args.user or None),
                                   tell_waits())
    except (PackageRefused, Refused, Conflict) as exc:
        message = with_hint(str(exc), HINTS.get(exc.hint_field, ""))
        if args.json:
            print(dump_json({"file": args.file, "refused": message, "batch_id": None}))
        raise CliError(message, EXIT_REFUSED) from exc
    if args.json:
        # lines: the text output's, after an import in the past tense (as printed)
        print(dump_json({**result.as_json(),
                         "lines": result_lines(result, dry_run=args.dry_run)}))
        return EXIT_OK
    _print_result(result, dry_run=args.dry_run)
    return EXIT_OK


def _print_result(result: Any, *, dry_run: bool) -> None:
    for line in result_lines(result, dry_run=dry_run):
        print(line)


def result_lines(result: Any, *, dry_run: bool) -> list[str]:
    """The command's text output, line by line: a preview's, or after an import the same
    lines in the past tense (--json gives them as ``lines``)."""
    from tiers.text.lists import names_cut

    lines: list[str] = []
    say = lines.append
    counties = "、".join(c["name"] for c in result.counties)
    say(f"数据包：{result.file}    报送单位：{result.source_unit}    "
        f"区县：{counties}    报送时间：{result.package_date:%Y-%m-%d %H:%M}")
    # a county taken over from a unit that only carried it: first, before the counts
    lines += [f"注意：{takeover}" for takeover in result.takeovers]
    for key, label in (("created", "新增"), ("updated", "更新"), ("deleted", "删除"),
                       ("unchanged", "无变化")):
        say(f"{label}：{counts_text(getattr(result, key))}")
    if result.deleted_firms:
        will = "将" if dry_run else "已"
        say(f"该区县本次未再报送、{will}移入回收站的企业："
            + names_cut(result.deleted_firms[:SHOWN_NAMES], len(result.deleted_firms)))
        if result.binned_city_edited:
            say(f"注意：其中 {result.binned_city_edited} 家本市修改过（名称后标有“本市修改过”）：本市的修改"
                f"{'随企业移入回收站' if dry_run else '已随企业移入回收站'}，恢复企业即一并恢复")
        if any(result.binned.values()):
            say(("随企业移入回收站的记录（不删除，恢复企业即一并恢复）：" if dry_run
                 else "已随企业移入回收站的记录（未删除，恢复企业即一并恢复）：")
                + counts_text(result.binned))
    if result.unbinned_firms:
        # the names are the core's first 200; how many in all is its count
        say(("区县再次报送、将移出回收站的企业：" if dry_run else "区县再次报送、已移出回收站的企业：")
            + names_cut(result.unbinned_firms, result.unbinned_count))
        city_binned = result.unbinned_city_binned
        if city_binned:
            say(f"注意：其中 {city_binned} 家是本市移入回收站的（名称后标有“本市移入回收站的”），"
                + ("导入后将移出回收站；如需恢复，可撤销本次导入" if dry_run
                   else "已移出回收站；如需恢复，可撤销本次导入"))
    if result.deleted_records:
        say("该区县已删除、本库也将删除的记录：" if dry_run else "该区县已删除、本库也已删除的记录：")
        lines += [f"  {line}" for line in result.deleted_records[:20]]
        if len(result.deleted_records) > 20:
            say(f"  ……共 {result.records_deleted} 项")
    lines += _updated_value_lines(result, dry_run=dry_run)
    lines += _kept_lines(result, dry_run=dry_run)
    lines += _created_lines(result, dry_run=dry_run)
    lines += [f"冲突：{conflict['message']}" for conflict in result.conflicts]
    lines += [f"注意：{problem}" for problem in result.problems]
    if result.only_sent:
        # beside the 保留本市修改 lines, not all is as it is here
        same = (f"没有可写入的变化，但 {len(result.conflicts)} 家企业冲突未合并（见上）；"
                if result.conflicts  # not 与库中一致: those firms are not merged (tester22)
                else "除保留的本市修改外，与库中一致；" if result.kept else "数据与库中一致；")
        say(same + ("导入将只登记这次报送（报送情况中记为已报送）" if dry_run
                    else "已登记这次报送（报送情况中记为已报送）"))
    if dry_run:
        say("（预览，未写入。去掉 --dry-run 即执行导入）")
    elif result.batch_id is None:
        say("没有需要写入的变化。")
    else:
        say(f"已导入，批次 {result.batch_id}（撤销：tiers undo-import {result.batch_id}）")
    return lines


SHOWN_NAMES = 20  # firms named in a line; the rest as 等 N 家


def _updated_value_lines(result: Any, *, dry_run: bool = True) -> list[str]:
    """The values in words, the city's own edits first; after an import, as done."""
    if not result.updated_values:
        return []
    lines = []
    if result.city_edits_overwritten:
        lines.append(
            f"注意：本市修改过的 {result.city_edits_overwritten} 项值将被区县数据包的值覆盖"
            "（区县也修改了这些值，以区县的更正为准）；导入后如需恢复，"
            "可撤销本次导入（tiers undo-import 批次号）" if dry_run else
            f"注意：本市修改过的 {result.city_edits_overwritten} 项值已被区县数据包的值覆盖"
            "（区县也修改了这些值，以区县的更正为准，见下方标有“本市和区县都修改过”的行）；如需恢复，"
            f"可撤销本次导入（tiers undo-import {result.batch_id}）")
    lines.append(f"{'将更新的值' if dry_run else '已更新的值'}（{result.values_updated} 项）：")
    lines += [f"  {line}" for line in result.updated_values]
    if result.values_updated > len(result.updated_values):
        lines.append(f"  ……另有 {result.values_updated - len(result.updated_values)} 项")
    return lines


SHOWN_RECORDS = 20  # new records said in a line each; the rest as ……另有 N 项


def _created_lines(result: Any, *, dry_run: bool = True) -> list[str]:
    """The firms and records it adds: the core's first 200 firms' names and records' words
    (tiers.exchange.additions), the counts all of them."""
    from tiers.text.lists import names_cut

    lines = []
    will = "将" if dry_run else "已"
    firms = result.created.get("enterprises", 0)
    if result.created_firms:
        lines.append(f"{will}新增的企业（{firms:,} 家）："
                     + names_cut(result.created_firms[:SHOWN_NAMES], firms))
    total = result.records_created
    if result.created_records:
        shown = result.created_records[:SHOWN_RECORDS]
        lines.append(f"{will}新增的记录（{total:,} 项）：")
        lines += [f"  {line}" for line in shown]
        if total > len(shown):
            lines.append(f"  ……另有 {total - len(shown):,} 项")
    return lines


def _kept_lines(result: Any, *, dry_run: bool = True) -> list[str]:
    """The city's own values the package leaves (the county did not change them)."""
    if not result.kept:
        return []
    lines = [f"保留本市修改的值（{result.kept} 项）：本市改过、区县数据包仍是上次报送的值，导入不覆盖"
             if dry_run else
             f"已保留的本市修改的值（{result.kept} 项）：本市改过、区县数据包仍是上次报送的值，未覆盖"]
    lines += [f"  {line}" for line in result.kept_values]
    if result.kept > len(result.kept_values) and result.kept_values:
        lines.append(f"  ……另有 {result.kept - len(result.kept_values)} 项")
    return lines


def run_list(args: argparse.Namespace) -> int:
    from tiers.exchange import package_status
    from tiers.exchange.status import NO_PACKAGES_HINT, city_of_database, no_packages_imported
    from tiers.model.reference import division

    database = open_database(args)
    with database.session() as session:
        city = args.city or city_of_database(session)
        if args.city and (division(args.city) is None or division(args.city).level != "设区市"):
            raise CliError(f"“{args.city}”不是设区市的行政区划代码", EXIT_REFUSED)
        lines = package_status(session, city_code=city, year=args.year)
    if args.json:
        # (conflict_firms: the firms behind conflicts, each with its two counties; null
        # for an import that recorded only their number)
        print(dump_json([asdict(line) for line in lines]))
        return EXIT_OK
    found = division(city) if city else None
    year = args.year or dt.date.today().year
    print(f"报送情况（{found.name if found else '各区县'}，{year} 年）")
    rows = [{"code": line.code, "name": line.name,
             "sent": line.state,
             "date": f"{line.package_date:%Y-%m-%d %H:%M}" if line.package_date else "",
             "firms": line.firms_text,
             "unit": line.source_unit, "batch": line.batch_id or ""} for line in lines]
    print_table(rows, [("code", "代码"), ("name", "区县"), ("sent", "状态"), ("date", "报送时间"),
                       ("firms", "企业数"), ("unit", "报送单位"), ("batch", "导入批次")])
    for line in lines:  # the firms behind 冲突 N, by name
        for number, text in enumerate(line.conflict_lines):
            print(("  " if number else "") + text)
    for line in lines:  # carried by a unit not the county's (the city's bureau, a neighbour)
        if line.other_unit_line:
            print(line.other_unit_line)
    missing = [line.name for line in lines if not line.sent]
    # (the year asked, as 报送情况's window says it: --year 2025 ended with 今年尚未报送)
    when = "今年" if year == dt.date.today().year else f"{year} 年"
    if missing:
        print(f"{when}尚未报送：{'、'.join(missing)}")
    if no_packages_imported(lines):
        print(NO_PACKAGES_HINT.replace("“导出数据包”", " tiers package export "))
    return EXIT_OK
