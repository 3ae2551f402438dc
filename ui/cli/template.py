"""``tiers fill-template TEMPLATE OUT [filters…]``: the 报送模板 a higher office sends, filled
with the firms of the 梯度培育企业名单 — the columns as remembered from the client for this
layout, or as Tiers suggests; ``--map 列名=字段`` sets a column; ``--fields`` lists fields."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ui.cli.common import (
    EXIT_OK,
    EXIT_REFUSED,
    CliError,
    open_database,
    refuse_foreign,
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "fill-template", help="把名单中的企业填入上级发来的报送模板（保留模板格式）")
    parser.add_argument("template", nargs="?", help="上级发来的模板（.xlsx）")
    parser.add_argument("output", nargs="?", help="填好后保存为（.xlsx，不能是模板本身）")
    parser.add_argument("--map", action="append", default=[], metavar="列名=字段",
                        help="指定某列填写的字段（可多次），如 --map 研发投入=rd_expense；"
                             "字段为空则该列不填")
    parser.add_argument("--fields", action="store_true", help="列出可填写的字段")
    parser.add_argument("--year", type=int, help="年度数据取哪一年（默认上年度）")
    parser.add_argument("--tier", help="梯度层级")
    parser.add_argument("--county", help="县（市、区）")
    parser.add_argument("--town", help="镇（街道）/园区")
    parser.add_argument("--chain", help="产业链名称或编号")
    parser.set_defaults(handler=fill_template)


def fill_template(args: argparse.Namespace) -> int:
    from importers.errors import ImportRefused
    from importers.template import layout as template_layout
    from importers.template.fill import fill_steps
    from tiers.progress import drain
    from tiers.reports import ReportError, ReportRequest, template_rows

    if args.fields:
        for item in template_rows.template_fields():
            print(f"{item.key:<22}{item.group}：{item.label}")
        return EXIT_OK
    if not args.template or not args.output:
        raise CliError("用法：tiers fill-template 模板.xlsx 输出.xlsx [--map 列名=字段] "
                       "[筛选条件]；tiers fill-template --fields 列出字段", EXIT_REFUSED)
    try:
        found = template_layout.read_layout(args.template)
        if Path(args.output).expanduser().resolve() != found.path.resolve():
            refuse_foreign(args.output)  # (the template itself: fill_steps says so)
        mapping = {c.index: c.suggested for c in found.columns}
        _apply_map(found, mapping, args.map, template_rows.field_keys())
        request = ReportRequest(tier=args.tier, county=args.county, town=args.town,
                                chain=args.chain)
        database = open_database(args)
        try:
            with database.session() as session:
                saved = drain(fill_steps(session, found, mapping, args.output, request,
                                         year=args.year, only_ours=True))
        finally:
            database.dispose()
    except (ImportRefused, ReportError) as exc:
        raise CliError(str(exc), EXIT_REFUSED) from exc
    template_layout.remember(found, mapping)
    from importers.template.losses import losses_text

    if found.losses:
        print(losses_text(found.losses))
    labels = {item.key: item.label for item in template_rows.template_fields()}
    for column in found.columns:
        key = mapping.get(column.index, "")
        print(f"  {column.label} ← {labels.get(key, '（不填）')}")
    print(f"已填写并保存到 {saved}")
    return EXIT_OK


def _apply_map(found, mapping: dict[int, str], given: list[str], known: frozenset[str]) -> None:
    by_label = {column.label: column.index for column in found.columns}
    for item in given:
        label, _, key = item.partition("=")
        label, key = label.strip(), key.strip()
        if label not in by_label:
            raise CliError(f"模板中没有名为“{label}”的列；模板的列："
                           + "、".join(by_label), EXIT_REFUSED)
        if key and key not in known:
            raise CliError(f"没有名为“{key}”的字段；用 --fields 查看可填写的字段", EXIT_REFUSED)
        mapping[by_label[label]] = key
