"""``tiers bulk ACTION --codes …``: the client's 批量操作 from the shell — the same preview
per firm, then one transaction under a batch that ``tiers undo-import`` undoes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tiers.errors import os_reason
from ui.cli.common import EXIT_OK, EXIT_REFUSED, CliError, dump_json, open_database, tell_waits

ACTIONS = {"cultivate": "加入培育库", "officer": "设置包挂责任人", "measure": "记录扶持措施",
           "chain": "设置所属产业链/角色", "review": "标记复核通过", "trash": "移入回收站",
           "restore": "从回收站恢复"}
# option → the action's input (tiers.services.bulk_actions reads them)
VALUES = {"tier": ("target_tier", "tier_code"), "year": ("target_year", "batch_year", "year"),
          "officer": ("officer",), "kind": ("kind",), "name": ("name",), "amount": ("amount",),
          "paid_on": ("paid_on",), "status": ("status",), "implementer": ("implementer",),
          "basis": ("policy_basis",),
          "chain": ("chain",), "role": ("role",), "batch": ("batch_label",),
          "date": ("recognized_on",), "document": ("document_number",)}


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bulk", help="批量操作：对一批企业加入培育库、设置包挂责任人、记录扶持措施、设置产业链、标记复核通过、"
             "移入回收站、从回收站恢复",
        description="先逐家预览（将修改什么、跳过哪些及原因），再在一个事务中写入；"
                    "整批可用 tiers undo-import 批次号 撤销。预览之后其他用户已先改了要改的企业、"
                    "这次一家也没有修改时，写明是哪几家、谁改的，退出码 2。")
    parser.add_argument("action", choices=list(ACTIONS),
                        help="；".join(f"{k} {v}" for k, v in ACTIONS.items()))
    parser.add_argument("--codes", nargs="+", required=True, metavar="信用代码或文件",
                        help="统一社会信用代码（可写多个），或一个每行一个代码的文本文件")
    parser.add_argument("--tier", help="梯度（加入培育库的目标梯度；复核的梯度），如 省级专精特新、小巨人")
    parser.add_argument("--year", help="年度（目标年度、复核年度或措施年度）")
    parser.add_argument("--officer", help="包挂责任人")
    parser.add_argument("--kind", help="扶持措施类别，如 认定奖励、奖补资金、贷款贴息（常用类别以外的"
                        "写法照录，预览时提示相近的常用类别）")
    parser.add_argument("--name", help="扶持措施名称")
    parser.add_argument("--amount", help="扶持金额（万元）")
    parser.add_argument("--paid-on", dest="paid_on", help="兑现日期")
    parser.add_argument("--status", help="扶持措施状态：申报、审核或已兑现（不写时有兑现日期的为已兑现，"
                                         "否则为审核，与导入、手工录入相同）")
    parser.add_argument("--implementer", help="实施单位")
    parser.add_argument("--basis", help="政策依据/文号")
    parser.add_argument("--chain", help="产业链（名称、编号或 C01–C50）")
    parser.add_argument("--role", help="产业链角色，如 链主、核心配套")
    parser.add_argument("--batch", help="复核批次，如 2025年度复核")
    parser.add_argument("--date", help="复核通过的认定日期")
    parser.add_argument("--document", help="复核的文号")
    parser.add_argument("--user", help="记入变更记录的操作人（默认为桌面客户端“设置”中的填报人，未设置时为系统用户名）")
    parser.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    parser.set_defaults(handler=run_bulk)


def _codes(given: list[str]) -> list[str]:
    """The codes given, a file's lines read in their place: the first column of a CSV, or
    of the tab-separated text Excel and WPS save, decoded as an imported CSV is (UTF-8
    with or without BOM, UTF-16 with BOM — Excel's “Unicode 文本” —, or GBK, Notepad's
    ANSI on a Chinese Windows)."""
    from importers.read.text import NotText, read_text

    codes: list[str] = []
    for text in given:
        path = Path(text)
        if path.suffix.lower() in (".txt", ".csv") or path.is_file():
            try:
                rows, _encoding, _delimiter = read_text(path.read_bytes(), path.name)
            except OSError as exc:
                raise CliError(f"无法读取代码文件 {text}：{os_reason(exc)}") from exc
            except NotText as exc:
                raise CliError(f"无法识别代码文件 {text} 的文字编码（不是 UTF-8，也不是 GBK）；"
                               "请另存为 UTF-8 文本，每行一个信用代码") from exc
            codes += [row[0].strip() for row in rows if any(cell.strip() for cell in row)]
        else:
            codes.append(text.strip())
    return codes


def _values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for option, keys in VALUES.items():
        given = getattr(args, option)
        if given is not None:
            values.update(dict.fromkeys(keys, given))
    return values


def run_bulk(args: argparse.Namespace) -> int:
    from tiers.progress import drain
    from tiers.services import bulk

    if args.status is not None and args.action != "measure":
        raise CliError("--status 只用于 measure（扶持措施的状态）")
    codes = _codes(args.codes)
    database = open_database(args)
    try:
        with database.session() as session:
            ids = _firm_ids(session, codes)
            values = _values(args)
            draft = bulk.preview(session, args.action, ids, values)
            result = None if args.dry_run else drain(
                bulk.apply_steps(session, args.action, ids, values, user=args.user or None,
                                 previewed=[item.enterprise_id for item in draft.changing]),
                tell_waits())
    finally:
        database.dispose()
    _report(args, draft, result)
    # another user did it first, between the preview and the write: not a success
    lost = result is not None and result.batch_id is None and result.meanwhile
    if lost:  # said on stderr too, as every refusal is: a script logs stderr (#26)
        print(f"错误：{result.label}：没有修改任何企业，预览之后其他用户已先修改了这些企业"
              f"（共 {len(result.meanwhile):,} 家，见上）", file=sys.stderr)
        return EXIT_REFUSED
    return _rights_told(draft)


def _rights_told(draft: Any) -> int:
    """Firms skipped because the login may not change them, said on stderr as well (a
    script logs it; tester27 saw “跳过：没有修改…的权限” pass with status 0). As an
    import's 不导入 rows: the rest done, status 0; none of the firms given may be changed:
    nothing done, status 2, as a refusal."""
    if not draft.outside:
        return EXIT_OK
    said = draft.outside_said().removeprefix("其中 ").rstrip("，")
    if len(draft.outside) == len(draft.items):
        print(f"错误：{draft.label}：所给的 {len(draft.items):,} 家企业您的账号都不能修改（{said}；"
              "原因见上），没有修改任何企业", file=sys.stderr)
        return EXIT_REFUSED
    print(f"注意：{draft.label}：跳过 {said}，其余照常（原因见上）", file=sys.stderr)
    return EXIT_OK


def _firm_ids(session: Any, codes: list[str]) -> list[int]:
    from tiers.errors import NotFound
    from tiers.services import enterprises

    ids, missing = [], []
    for code in codes:
        try:
            ids.append(enterprises.by_code(session, code, include_deleted=True).id)
        except NotFound:
            missing.append(code)
    if missing:
        raise CliError(f"找不到以下信用代码的企业，未做任何修改：{'、'.join(missing[:10])}"
                       + (f"等 {len(missing)} 个" if len(missing) > 10 else ""))
    if not ids:
        raise CliError("没有给出企业（--codes）")
    return ids


def _report(args: argparse.Namespace, draft: Any, result: Any) -> None:
    """The preview, firm by firm, then what was written (the write previews again under
    its lock: its own counts are the ones that count)."""
    if args.json:
        data = {"action": draft.action, "dry_run": result is None,
                "description": draft.description, **draft.recorded,
                **({"notes": draft.notes} if draft.notes else {}),
                "items": [vars(item) for item in draft.items],
                "batch_id": None if result is None else result.batch_id,
                "changed": len(draft.changing) if result is None else len(result.changed),
                "skipped": len(draft.skipped) if result is None else result.skipped,
                "meanwhile": [] if result is None else [
                    {"name": name, "skip": why, "user": who}
                    for name, why, who in result.meanwhile]}
        print(dump_json(data))
        return
    print(draft.summary())
    for item in draft.items:
        print(f"  {item.name}（{item.credit_code}）：" + (item.change or f"跳过：{item.skip}"))
    if result is None:
        print("（预览，未写入。去掉 --dry-run 即执行）")
    else:
        print(result.summary(f"撤销：tiers undo-import {result.batch_id}"))
