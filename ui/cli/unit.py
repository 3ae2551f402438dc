"""``tiers unit``: the counties this database's own unit answers for (本单位负责的区县),
shown, set or cleared. The client's 设置 sets the same (it is kept in the database). When
set, an import leaves the rows of firms outside them out (``tiers import --other-counties``
takes them in), a package export is of them by default, and the 报送单位 / 填报单位
proposed is their bureau; importing another unit's package is not concerned. The last
change is shown with who made it (tiers.services.unit.unit_changes)."""

from __future__ import annotations

import argparse
from typing import Any

from ui.cli.common import EXIT_OK, dump_json, open_database

NOT_SET = ("本单位负责的区县：未设定（导入名单时各区县的企业都导入，数据包与报送单位按库中企业推定）。"
           "区县的库可用 tiers unit --set 溧阳市 设定，市里的库写设区市（如 常州市）")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "unit", help="本单位负责的区县：导入名单、导出数据包与推定报送单位按它",
        description="查看或设定本单位负责的区县（记在数据库中，客户端“设置”中同样可改）。设定后，"
                    "导入全省、全市的名单时，不属这些区县的企业标为“不导入（不属本单位区县）”，"
                    "tiers import 加 --other-counties 可一并导入；tiers package export 默认导出这些区县"
                    "（及未填区县的企业）；数据包的报送单位、报表与采集表的填报单位按它推定。"
                    "设区市代表其下各区县。导入其他单位的数据包不受影响。每次修改记入变更记录"
                    "（服务器上 tiers user log 可查）。")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--set", nargs="+", metavar="区县", dest="divisions",
                      help="设定（替换原来的）：县（市、区）或设区市的名称或 6 位区划代码，可写多个")
    what.add_argument("--clear", action="store_true", help="取消设定（各区县的企业都导入）")
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    parser.set_defaults(handler=run_unit)


def run_unit(args: argparse.Namespace) -> int:
    from tiers.services import unit as unit_service
    from tiers.text.values import local_moment

    database = open_database(args, may_create=args.divisions is not None)
    with database.session() as session:
        if args.divisions is not None or args.clear:
            unit = unit_service.set_unit_counties(session, args.divisions or [])
        else:
            unit = unit_service.unit_counties(session)
        changes = unit_service.unit_changes(session)
        last = changes[-1] if changes else None
    if args.json:
        print(dump_json({"divisions": [{"code": code, "name": name}
                                       for code, name in unit.divisions]}))
    elif not unit.is_set:
        print(("已取消。" if args.clear else "") + NOT_SET)
    else:
        listed = "、".join(f"{name}（{code}）" for code, name in unit.divisions)
        print(f"{'已设定。' if args.divisions else ''}本单位负责的区县：{listed}"
              "（导入名单时不属这些区县的企业不导入，tiers import 加 --other-counties 可一并导入；"
              "导出数据包默认为这些区县，报送单位按它推定）")
    if last is not None and not args.json:
        print(f"最近一次修改：{local_moment(last.at):%Y-%m-%d %H:%M}"
              f"（{last.user or '未知'}，{unit_service.describe_change(last.before, last.after)}）")
    return EXIT_OK
