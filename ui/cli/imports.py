"""``tiers import`` / ``tiers imports`` / ``tiers undo-import``: the importers from the shell."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tiers.model.vocabulary import (
    AS_FINAL,
    AS_PUBLICITY,
    LIST_KINDS,
)
from tiers.text import fields
from tiers.text.counts import batch_state, counts_text
from ui.cli.common import (
    CHANGED_MEANWHILE,
    EXIT_ERROR,
    EXIT_OK,
    EXIT_REFUSED,
    CliError,
    dump_json,
    open_database,
    refuse_foreign,
    tell_waits,
)
from ui.cli.import_report import hinted, print_plan, print_summary_json


def register(subparsers: Any) -> None:
    imp = subparsers.add_parser(
        "import", help="导入名单（.xlsx/.xlsm/.xls/.csv）：先比对，再在一个事务中写入",
        description="导入企业名录、认定名单、扶持措施或年度数据。退出码：0 已读取（行内问题照常报告），2 整个文件被拒绝。")
    imp.add_argument("file", nargs="+", help="要导入的文件（可以是多个，如收回的各份采集表，逐个导入，"
                                            "各为一个批次）")
    imp.add_argument("--kind", choices=LIST_KINDS,
                     help="导入类别（默认按表头判断）：roster 企业名录 / recognitions 认定名单 / "
                          "support 扶持措施 / figures 年度数据")
    imp.add_argument("--sheet", help="工作表名称（默认自动选择）")
    imp.add_argument("--tier", help="认定名单的梯度层级，如 小巨人、省级专精特新、创新型")
    imp.add_argument("--level", help="认定级别：国家级/省级/市级/县级")
    imp.add_argument("--batch", help="认定批次，如 第五批、2023年度")
    imp.add_argument("--year", help="年度（认定年度；年度数据/扶持措施的年度）")
    imp.add_argument("--review", action="store_true", help="这是一份复核通过名单")
    imp.add_argument("--as", dest="taken_as", choices=(AS_PUBLICITY, AS_FINAL),
                     help="认定名单按什么导入：公示（企业记为“公示中”，不算已认定）或 认定"
                          "（默认按标题：含 公示、拟认定、拟推荐、拟入选 的为公示名单）")
    imp.add_argument("--link", action="append", default=[], metavar="行号=信用代码",
                     help="把未匹配的一行指定为库中的某家企业（可重复），如 --link 12=91320412MA1XXXXX0X；"
                          "用于“可能是”的提示或同名企业")
    imp.add_argument("--remember-names", action="store_true",
                     help="同时记住 --link 各行文件中的企业名称（如简称），以后的名单这样写时自动关联；"
                          "只用于匹配，不作为曾用名写进档案、报表与数据包")
    imp.add_argument("--adopt-short-names", action="store_true",
                     help="采用简称匹配：标为“按简称匹配”的行（去掉“有限公司”等字后库中只有一家企业同名，"
                          "区县相符）全部关联到那家企业，与导入向导的“采用简称匹配”相同；"
                          "先用 --dry-run 核对，不对的行用 --link 另指定")
    imp.add_argument("--user", help="记入导入记录的操作人（默认为桌面客户端“设置”中的填报人，未设置时为系统用户名）")
    existing = imp.add_mutually_exclusive_group()
    existing.add_argument("--fill-blanks-only", dest="fill_blanks_only", action="store_const",
                          const=True, help="只补空白：企业已有的值（主导产品、联系人、电话、地址等）"
                                           "一律不改，只填空着的字段（认定名单默认如此）")
    existing.add_argument("--overwrite", dest="fill_blanks_only", action="store_const",
                          const=False, help="全部更新：用文件中的值改写企业已有的值"
                                            "（企业名录等默认如此；改写前用 --dry-run 看清单）")
    imp.add_argument("--other-counties", action="store_true",
                     help="一并导入不属本单位区县的企业（设定了本单位负责的区县时，见 tiers unit；"
                          "默认不导入）；其中未提供信用代码、库中没有的企业不会新建，仍为未匹配，"
                          "预览分别写明家数")
    imp.add_argument("--take-row", action="append", default=[], metavar="行号",
                     help="只导入不属本单位区县的这一行（可重复，如 --take-row 8；"
                          "行号见 --dry-run 列出的“第N行”），其余照样不导入")
    imp.add_argument("--dry-run", action="store_true", help="只比对、显示将做的修改，不写入")
    imp.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    imp.add_argument("--errors", metavar="OUT.xlsx", help="把有问题的行写入此文件（含“问题说明”列）")
    imp.add_argument("--show", default="30", metavar="N",
                     help="文字输出时列出的明细行数（默认 30）")
    imp.set_defaults(handler=run_import)

    lst = subparsers.add_parser("imports", help="列出导入批次")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=list_imports)

    undo = subparsers.add_parser("undo-import", help="撤销一个导入批次（导入后又修改过的内容保留）")
    undo.add_argument("id", help="批次编号（见 tiers imports）")
    undo.add_argument("--user", help="记入变更记录的操作人（默认为桌面客户端“设置”中的填报人，未设置时为系统用户名）")
    undo.add_argument("--json", action="store_true")
    undo.set_defaults(handler=undo_import)


def _integer(text: Any, what: str, *, low: int, high: int) -> int:
    """An integer option, checked here so the message is Chinese (argparse's is not)."""
    raw = str(text).strip()
    if not raw.lstrip("-").isdigit() or not low <= int(raw) <= high:
        raise CliError(f"{what}应为 {low}–{high} 之间的整数，而不是“{text}”", EXIT_ERROR)
    return int(raw)


def _error_report(plan: Any, target: str, batch_id: int | None) -> int:
    """Save the problem rows. The batch is written already: a report that cannot be saved
    (a disk filled up meanwhile) must not read as if the import had failed (run again, it
    would be imported twice), so the failure names the batch."""
    from importers.report import write_error_report
    from tiers.errors import TiersError, os_error_text

    try:
        return write_error_report(plan, target, only_ours=True)  # (checked again at the end)
    except (OSError, TiersError) as exc:
        if batch_id is None:
            raise
        reason = os_error_text(exc) if isinstance(exc, OSError) else str(exc)
        raise CliError(f"已导入，批次 {batch_id}（撤销：tiers undo-import {batch_id}）；但问题行文件"
                       f"“{target}”未能保存：{reason}", EXIT_ERROR) from exc


def _links(session: Any, texts: list[str], remember: bool) -> dict[int, Any]:
    """--link 12=CODE …: Excel row → Link to the firm with that credit code."""
    from importers import Link
    from tiers.services import enterprises
    from tiers.services.errors import NotFound

    links = {}
    for text in texts:
        row, sep, code = str(text).partition("=")
        if not sep or not code.strip():
            raise CliError(f"--link 应写成 行号=信用代码（如 12=91320412MA1XXXXX0X），而不是“{text}”",
                           EXIT_ERROR)
        number = _integer(row, "--link 的行号", low=1, high=10_000_000)
        try:  # one in the recycle bin too: the plan says so on the row
            enterprise = enterprises.by_code(session, code.strip(), include_deleted=True)
        except NotFound as exc:
            raise CliError(f"--link {text}：{exc}", EXIT_ERROR) from exc
        links[number] = Link(enterprise.id, remember_name=remember)
    return links


def run_import(args: argparse.Namespace) -> int:
    """Each file in turn, each its own plan and batch: a refused file is reported and the
    others are still imported (exit code 2 when any was refused)."""
    if len(args.file) > 1:
        single = [option for option, given in (("--sheet", args.sheet), ("--link", args.link),
                                               ("--take-row", args.take_row),
                                               ("--errors", args.errors)) if given]
        if single:
            raise CliError(f"{'、'.join(single)} 只能用于一个文件；请逐个导入", EXIT_ERROR)
    if len(args.file) == 1:
        return _import_file(args, args.file[0])
    outcome = EXIT_OK
    for number, path in enumerate(args.file, start=1):
        if not args.json:
            print(f"—— 第 {number}/{len(args.file)} 个文件：{path}")
        try:
            _import_file(args, path)
        except CliError as exc:
            if exc.status != EXIT_REFUSED:
                raise
            print(f"未导入“{path}”：{exc}", file=sys.stderr)
            outcome = EXIT_REFUSED
    return outcome


def _writable_database(args: argparse.Namespace) -> Any:
    """The database, opened before the roster is read when it exists, refused at once when
    it is opened read-only (its file marked read-only, a read-only folder or disc): it was
    refused only once the whole list had been read and checked. None when there is no file
    yet (created once the roster is read)."""
    from tiers.errors import InvalidInput
    from tiers.storage.address import resolve

    try:
        target = resolve(args.db)
    except InvalidInput:
        target = None  # open_database says what is wrong with it
    if isinstance(target, Path) and not target.exists():
        return None
    database = open_database(args, may_create=True)
    if getattr(database, "read_only", False):
        database.dispose()
        raise CliError(database.rights.refusal())
    return database


def _import_file(args: argparse.Namespace, path: str) -> int:
    from importers import ImportRefused, build_plan, detect, drain, open_source
    from importers.read.detect import other_lists
    from importers.report import check_report_target

    year = None if args.year is None else _integer(args.year, "年度（--year）", low=1949, high=2100)
    if args.remember_names and not args.link:
        raise CliError("--remember-names 要与 --link 一起使用（记下哪些行的名称）", EXIT_ERROR)
    show = _integer(args.show, "明细行数（--show）", low=0, high=10_000_000)
    take_rows = [_integer(n, "--take-row 的行号", low=1, high=10_000_000) for n in args.take_row]
    source = None
    database = None
    try:
        if args.errors:  # before the batch is written: a report that cannot be saved is known now
            check_report_target(args.errors, path)
            refuse_foreign(args.errors)  # (the officer's own file of that name is kept)
        if not args.dry_run:  # a read-only database refuses at once, before the roster is read
            database = _writable_database(args)
        source = open_source(path)
        detection = detect(source, sheet=args.sheet)
        # chosen automatically: name the other lists the file holds (第五批 | 第六批)
        others = other_lists(source, detection.sheet) if args.sheet is None else []
        detection = detection.with_options(
            kind=args.kind, tier=args.tier, level=args.level, batch_label=args.batch,
            batch_year=year, is_review=True if args.review else None,
            pending=None if args.taken_as is None else args.taken_as == AS_PUBLICITY)
        if database is None:
            database = open_database(args, may_create=True)
        with database.session() as session:
            links = _links(session, args.link, args.remember_names)
            plan = drain(build_plan(session, detection, links=links,
                                    fill_blanks_only=args.fill_blanks_only,
                                    take_other_counties=args.other_counties,
                                    take_rows=take_rows))
            short_names = plan.short_name_links() if args.adopt_short_names else {}
            if short_names:  # as the wizard's 采用简称匹配: planned again with them
                plan = drain(build_plan(session, detection, links={**links, **short_names},
                                        fill_blanks_only=args.fill_blanks_only,
                                        take_other_counties=args.other_counties,
                                        take_rows=take_rows))
            if plan.unused_take_rows and not args.other_counties:  # nothing written
                listed = "、".join(map(str, plan.unused_take_rows))
                raise CliError(f"--take-row 的第 {listed} 行不是不属本单位区县的行，未导入：请核对行号"
                               "（见 --dry-run 列出的“第N行 [不导入（不属本单位区县）]”）", EXIT_ERROR)
            if plan.unused_links:  # a mistyped row number: nothing written
                listed = "、".join(map(str, plan.unused_links))
                raise CliError(f"--link 的第 {listed} 行不是“{plan.sheet}”的数据行，未导入：请核对行号"
                               "（见 --dry-run 列出的“第N行”）", EXIT_ERROR)
            batch_id = None
            if not args.dry_run and plan.writes:  # (the writer's imports only when it writes)
                from importers import apply_plan

                batch_id = drain(apply_plan(session, plan, user=args.user or None),
                                 tell_waits()).batch_id
    except ImportRefused as exc:
        from importers.apply import PlanOutdated

        message = (CHANGED_MEANWHILE if isinstance(exc, PlanOutdated)
                   else hinted(str(exc), getattr(exc, "hint_field", "")))
        if args.json:
            print(dump_json({"file": path, "refused": message, "batch_id": None}))
        raise CliError(message, EXIT_REFUSED) from exc
    finally:
        if source is not None:
            source.close()
        if database is not None:
            database.dispose()  # a server's connections are closed, not left to the collector
    if args.errors:
        written = _error_report(plan, args.errors, batch_id)
        print(f"问题行 {written} 行已写入 {args.errors}", file=sys.stderr)
    if args.json:
        print_summary_json(plan, batch_id=batch_id, others=others)
    else:
        print_plan(plan, detection, batch_id=batch_id, dry_run=args.dry_run, show=show,
                    others=others)
    return EXIT_OK


def list_imports(args: argparse.Namespace) -> int:
    from importers import list_batches
    from tiers.text.values import show

    database = open_database(args)
    try:
        with database.session() as session:
            batches = list_batches(session)
    finally:
        database.dispose()
    if args.json:  # 状态 in 导入记录's words beside the fields it is made of
        print(dump_json([{**batch, "state": batch_state(batch)} for batch in batches]))
        return EXIT_OK
    if not batches:
        print("还没有导入过文件。")
    for batch in batches:
        counts = batch["counts"]
        # when and by whom it was undone, as 导入记录's 状态 says it
        state = f"  {batch_state(batch)}" if batch["undone_at"] else ""
        numbers = counts_text(counts)  # the words of 导入记录's 结果 (a package's per table)
        kind = batch["kind_label"]
        sheet = f" [{batch['sheet']}]" if batch["sheet"] else ""
        print(f"{batch['id']:>5}  {show(batch['created_at'], 'datetime')}  {kind:<6} "
              f"{batch['file_name']}{sheet}  {numbers}  {batch['user'] or ''}{state}")
    return EXIT_OK


def undo_import(args: argparse.Namespace) -> int:
    from importers import ImportRefused, drain, undo_batch
    from tiers.errors import Kind

    batch_id = _integer(args.id, "批次编号", low=1, high=2**62)
    database = open_database(args)
    try:
        with database.session() as session:
            result = drain(undo_batch(session, batch_id, user=args.user or None),
                           tell_waits())
    except ImportRefused as exc:
        hint = "（可用 tiers imports 查看）" if exc.kind == Kind.NOT_FOUND else ""
        raise CliError(str(exc) + hint, EXIT_REFUSED) from exc
    finally:
        database.dispose()
    if args.json:
        print(dump_json({"batch_id": result.batch_id, "removed": result.removed,
                         "restored": result.restored,
                         **({"restore_words": result.restore_words}
                            if result.restore_words else {}),
                         # firms out of / back into 回收站: only when there are any
                         **{key: count for key in ("unbinned", "rebinned")
                            if (count := getattr(result, key))},
                         "kept": result.kept,
                         # kept 公示中 recognitions of a list now undone (and what to do)
                         **({"still_pending": result.still_pending,
                             "still_pending_text": result.still_pending_text}
                            if result.still_pending else {})}))
        return EXIT_OK
    removed = "，".join(f"{fields.entity_label(k)} {v}" for k, v in result.removed.items()
                       if v) or "无"
    restored = "；".join(result.restore_words) or f"恢复字段 {result.restored} 个"
    print(f"已撤销批次 {result.batch_id}：删除 {removed}；{restored}"
          + (f"；从回收站恢复企业 {result.unbinned} 家" if result.unbinned else "")
          + (f"；移回回收站企业 {result.rebinned} 家" if result.rebinned else "")
          + (f"；放回被它删除的记录 {result.reinstated} 项" if result.reinstated else ""))
    if result.kept:
        print(f"以下 {len(result.kept)} 项导入后又被修改过，已保留：")
        for item in result.kept[:50]:
            print(f"  {item['reason']}")
    if result.still_pending_text:
        print(result.still_pending_text)
    return EXIT_OK
