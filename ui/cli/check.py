"""``tiers check``: records that look wrong, found without the file they came from, each
named with its fix (tiers.queries.data_check: one list of findings of several kinds). Now:
复核 records dated to the year of the batch they renew (an import of a 复核 list without a
year before it was read as the batch's 复核 round), which ``--fix`` corrects through the
core (services.review_check: one transaction, one batch that 导入记录 or tiers
undo-import undoes, the login's counties only) and says which it left and why; and firms
whose stored credit code the code check now refuses (stored before it grew stricter),
which no --fix can put right (a code cannot be guessed): the officer corrects the code in
the firm's 企业档案, before a package is exported (it is refused while one is in it).
``--json`` keeps ``misdated_reviews`` and ``batch_id`` and adds ``invalid_credit_codes``
and ``findings`` (every kind's, with kind, description and fix)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ui.cli.common import EXIT_OK, EXIT_REFUSED, CliError, dump_json, open_database, tell_waits

HOW = ("改法：tiers check --fix 一次更正（记入各企业的变更记录，可撤销）；或重新导入该复核通过名单"
       "（按“更正”处理，可撤销）；或在企业档案“梯度认定”中改认定年度")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", help="数据核查：找出疑似记错的记录（如年度记错的复核、不合规的信用代码），并说明改法",
        description="列出疑似记错的记录及改法。目前核查：复核记录的年度与所复核批次本身的年度相同"
                    "（应为该批次的复核轮次，如第二批 2020 → 2023）；企业存的统一社会信用代码按现行"
                    "校验不合规（如早先存入的 95 开头的代码；须在企业档案中改正，--fix 不改它们）。")
    parser.add_argument("--fix", action="store_true",
                        help="更正列出的复核记录（一个事务、一个批次，记入变更记录，可在导入记录中撤销）；"
                             "不合规的信用代码须在企业档案中改正")
    parser.add_argument("--user", help="记入变更记录的操作人（默认为桌面客户端“设置”中的填报人，未设置时为系统用户名）")
    parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    parser.set_defaults(handler=run_check)


def _line(found: Any) -> str:
    county = f" {found.county_name}" if found.county_name else ""
    return f"  {found.name} {found.credit_code}{county}：{found.description}，{found.correction}"


def _code_line(found: Any) -> str:
    county = f" {found.county_name}" if found.county_name else ""
    return f"  {found.name} {found.credit_code}{county}：{found.reason}"


def _finding_json(finding: Any, fixed: set[int], why: Any, fixing: bool) -> dict[str, Any]:
    """One finding of any kind; ``not_fixed_because`` says why --fix left it."""
    if finding.fixable:  # a misdated 复核 record: corrected unless the core said why not
        done = finding.record.recognition_id in fixed
        because = why(finding.record)
    else:
        done, because = False, CODE_NOT_FIXED if fixing else ""
    return {"kind": finding.kind, "title": finding.title, "enterprise_id": finding.enterprise_id,
            "name": finding.name, "credit_code": finding.credit_code,
            "county": finding.county_name, "subject": finding.subject,
            "description": finding.description, "fix": finding.fix,
            "fixable": finding.fixable, "fixed": done, "not_fixed_because": because}


def run_check(args: argparse.Namespace) -> int:
    from tiers.progress import drain
    from tiers.queries.data_check import INVALID_CREDIT_CODE, KINDS, findings
    from tiers.queries.invalid_codes import FIX
    from tiers.queries.misdated_reviews import misdated_reviews
    from tiers.services.review_check import MisdatedCorrection, correct_misdated_reviews_steps

    database = open_database(args)
    rights = database.rights
    if args.fix and rights.refusal():  # a viewer: nothing to correct with
        raise CliError(rights.refusal(), EXIT_REFUSED)
    if args.fix:  # the core decides which it may correct and says why not the others
        with database.session() as session:
            # on a server it may wait for a colleague's import into one of the counties:
            # said on stderr, as the other bulk commands say it (not a silent hang)
            result = drain(correct_misdated_reviews_steps(session, user=args.user or None),
                           tell_waits())
    # the findings (every firm's code) read in their own session, after the correction is
    # committed: its write transaction keeps no colleague's import waiting meanwhile, and
    # a failing read does not throw the correction away
    with database.reading() as session:
        if not args.fix:
            result = MisdatedCorrection(found=misdated_reviews(session))
        every = findings(session, misdated=result.found)
    codes = [f.record for f in every if f.kind == INVALID_CREDIT_CODE]
    found, fixed = result.found, {f.recognition_id for f in result.fixed}
    if args.json:
        print(dump_json({"misdated_reviews": [
            {"recognition_id": f.recognition_id, "enterprise_id": f.enterprise_id,
             "name": f.name, "credit_code": f.credit_code, "county": f.county_name,
             "tier": f.tier_code, "batch_label": f.batch_label, "batch_year": f.batch_year,
             "valid_until": f.valid_until, "corrected_year": f.corrected_year,
             "corrected_until": f.corrected_until,
             "fixed": f.recognition_id in fixed, "not_fixed_because": result.why(f)}
            for f in found], "batch_id": result.batch_id,
            "invalid_credit_codes": [
                {"enterprise_id": c.enterprise_id, "name": c.name, "credit_code": c.credit_code,
                 "county": c.county_name, "reason": c.reason, "fix": FIX} for c in codes],
            "findings": [_finding_json(f, fixed, result.why, args.fix) for f in every]}))
        return EXIT_OK
    if not every:
        print("未发现疑似记错的记录（也没有不合规的统一社会信用代码）。")
        return EXIT_OK
    status = _misdated(args, result, fixed) if found else EXIT_OK
    if codes:
        kind = KINDS[INVALID_CREDIT_CODE]
        print(f"{kind.title} {len(codes)} 条（{kind.why}）：")
        for item in codes:
            print(_code_line(item))
        print(CODE_NOT_FIXED if args.fix else CODE_HOW)
    return status


CODE_HOW = ("改法：在企业档案中改正信用代码（打开该企业，改正后保存；代码无法推定，tiers check --fix "
            "不改它们）；改正之前，导出含这些企业的数据包会被拒绝")
CODE_NOT_FIXED = "信用代码无法推定，不能自动更正：请在企业档案中改正信用代码（打开该企业，改正后保存）"


def _misdated(args: argparse.Namespace, result: Any, fixed: set[int]) -> int:
    """The misdated 复核 records, and what --fix did with them; the exit status."""
    from tiers.queries.misdated_reviews import WHY

    found = result.found
    print(f"复核记录年度疑似记错 {len(found)} 条（{WHY}）：")
    for item in found:
        print(_line(item))
    if not args.fix:
        print(HOW)
        return EXIT_OK
    done = f"已更正 {len(fixed)} 条"
    if result.batch_id is not None:
        done += f"（批次 {result.batch_id}，撤销：tiers undo-import {result.batch_id}）"
    print(done + "。")
    for title, left in result.left():
        print(f"{title} {len(left)} 条：")
        for item, why in left:
            print(f"  {item.name} {item.credit_code}：{why}")
    # as tiers bulk: the ones his login may not change said on stderr too (a script logs
    # it); none of them his: nothing done, status 2
    if result.skipped and not result.fixed and not result.refused:
        print(f"错误：这 {len(found)} 条都是您的账号不能修改的企业的（原因见上），没有更正任何记录",
              file=sys.stderr)
        return EXIT_REFUSED
    if result.skipped:
        print(f"注意：跳过您的账号不能修改的企业的 {len(result.skipped)} 条，其余照常（原因见上）",
              file=sys.stderr)
    return EXIT_OK
