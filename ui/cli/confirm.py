"""``tiers confirm-batch``: the recognitions of a 公示 list become 有效 when its final list
is out and was not imported (a PDF, a notice), one batch at a time; without a tier it lists
the batches still 公示中."""

from __future__ import annotations

import argparse
from typing import Any

from ui.cli.common import EXIT_OK, CliError, dump_json, open_database

# how to say which list (the core's hint_field "review": it names no option)
HINTS = {"review": "（确认新认定名单加 --new，确认复核名单加 --review）"}
KIND = {True: "复核名单中的 ", False: "新认定名单中的 ", None: " "}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "confirm-batch", help="公示结束：把一个批次“公示中”的认定确认为有效（不带 --tier 时列出公示中的批次）")
    parser.add_argument("--tier", help="梯度层级，如 小巨人、省级专精特新、创新型")
    parser.add_argument("--batch", help="认定批次，如 第五批、2026年度")
    parser.add_argument("--year", type=int, help="认定年度")
    # a 复核 list and a new one of the same batch are two 公示, confirmed apart
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--review", dest="is_review", action="store_const", const=True,
                       help="只确认复核名单（同一批次同时有新认定与复核两种名单在公示中时须指明）")
    which.add_argument("--new", dest="is_review", action="store_const", const=False,
                       help="只确认新认定名单（不含复核）")
    parser.add_argument("--user", help="记入变更记录的操作人（默认为桌面客户端“设置”中的填报人，未设置时为系统用户名）")
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    parser.set_defaults(handler=run_confirm)


def _batch_text(batch: dict[str, Any]) -> str:
    """2026年度 (its year once), 第五批（2023年）, 第五批（复核）（2023年）: as the rosters write
    a batch."""
    from tiers.text.values import batch_text

    return batch_text(batch["batch_label"], batch["batch_year"], is_review=batch["is_review"])


def run_confirm(args: argparse.Namespace) -> int:
    from tiers.errors import InvalidInput, with_hint
    from tiers.services import recognitions

    if args.tier is None and (args.batch or args.year or args.is_review is not None):
        raise CliError("请用 --tier 指明梯度层级（不带参数运行可列出公示中的批次）")
    database = open_database(args)
    try:
        with database.session() as session:
            if args.tier is None:
                batches = recognitions.pending_batches(session)
                changed = None
            else:
                changed = recognitions.confirm_batch(
                    session, tier=args.tier, batch_label=args.batch, batch_year=args.year,
                    is_review=args.is_review, user=args.user or None)
    except InvalidInput as exc:  # both lists 公示中: nothing confirmed, say how to choose
        raise CliError(with_hint(str(exc), HINTS.get(exc.hint_field, ""))) from exc
    finally:
        database.dispose()
    if changed is None:
        if args.json:
            print(dump_json({"pending_batches": batches}))
        elif not batches:
            print("没有公示中的认定。")
        else:
            print("公示中的批次：")
            for batch in batches:
                print(f"  {batch['tier']}  {_batch_text(batch)}  {batch['count']} 家")
            if any(batch["both_kinds"] for batch in batches):  # the core's mark
                print("同一批次的新认定名单与复核名单分别确认：确认时加 --new 或 --review")
        return EXIT_OK
    if args.json:
        print(dump_json({"confirmed": len(changed)}))
    else:
        print(f"已确认{KIND[args.is_review]}{len(changed)} 条认定为有效（可在企业档案的变更记录中查到）。")
    return EXIT_OK
