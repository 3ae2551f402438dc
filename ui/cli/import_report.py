"""How ``tiers import`` prints a plan: the file's columns and what they were taken as, the
list it was read as (认定名单 or 公示名单), the rows, problems and existing values it
overwrites, the firms a final list leaves out, and the one-line JSON summary."""

from __future__ import annotations

import sys
from itertools import islice
from pathlib import Path
from typing import Any

from tiers.model.vocabulary import LIST_KIND_LABELS
from tiers.text.unit_counties import OtherCountiesWays, other_counties_sentence
from ui.cli.common import dump_json

# where to give what a refusal or a problem says is missing (its hint_field): the
# library's messages name no option, the command line adds its own (as it always read)
HINTS = {"tier": "（导入向导中的“梯度层级”，命令行用 --tier）",
         "year": "（导入向导中的“年度”，命令行用 --year）",
         "link": "；如是同一家，可在预览中“指定关联”，命令行用 --link",
         "short_name": "；导入向导的预览中可“采用简称匹配”，命令行加 --adopt-short-names",
         "mapping": "，如不对请在导入向导中改正列的对应",
         "code_or_link": "或在预览中指定关联",
         "package": "，请用 tiers package import 导入",
         # a row outside the unit's counties the officer may take in
         "take_in": "（加 --other-counties，或加 --take-row 行号）"}


def hinted(message: str, hint_field: str) -> str:
    from importers.errors import with_hint

    return with_hint(message, HINTS.get(hint_field, ""))


def cell_text(value: Any) -> str:
    from importers.plan import display_value

    return display_value(value)


def sheet_option(name: str) -> str:
    """--sheet NAME as one would type it (quoted when the name has a space or the like)."""
    if any(ch.isspace() or ch in "&|<>^\"'()" for ch in name) or not name:
        return f'--sheet "{name}"'
    return f"--sheet {name}"


def other_lists_line(others: list[str]) -> str:
    listed = "、".join(f"{name}（用 {sheet_option(name)} 导入）" for name in others)
    return f"文件中还有其他名单工作表：{listed}"


def print_plan(plan: Any, detection: Any, *, batch_id: int | None, dry_run: bool,
                show: int, others: list[str] | None = None) -> None:
    """The plan as the wizard's preview shows it: the columns, the counts, the rows that
    change, the problems, then what was done."""
    kind_label = LIST_KIND_LABELS[plan.kind]
    print(f"文件：{plan.file_name}    工作表：{plan.sheet}    类别：{kind_label}")
    if others:
        print(other_lists_line(others))
    print_columns(plan, detection, kind_label)
    if plan.kind == "recognitions":
        print_recognition(plan.metadata, detection)
        print_taken_as(plan)
    counts = plan.counts()
    outside = (f"，不导入（不在您负责的区县）{counts['outside']}"
               if counts.get("outside") else "")
    if counts.get("other_unit"):
        outside += f"，不导入（不属本单位区县）{counts['other_unit']}"
    print(f"共 {counts['rows']} 行：新增 {counts['created']}，更新 {counts['updated']}，"
          f"无变化 {counts['unchanged']}，未匹配 {counts['unmatched']}，错误 {counts['errors']}"
          f"{outside}")
    said = other_counties_line(plan)
    if said:
        print(said)
    print_short_names(plan)
    print_overwrites(plan, show)
    print_not_in_final_list(plan, show)
    print_rows(plan, show)
    print_problems(plan, show)
    if dry_run:
        print("（预览，未写入。去掉 --dry-run 即执行导入）")
    elif batch_id is None:
        print("没有需要写入的变化。")
    else:
        print(f"已导入，批次 {batch_id}（撤销：tiers undo-import {batch_id}）")


def other_counties_line(plan: Any) -> str:
    """The rows outside 本单位负责的区县, as the wizard's preview says them (one sentence:
    tiers.text.unit_counties), with the options that take them in."""
    listed = "、".join(map(str, sorted(plan.taken_in_rows)))
    return other_counties_sentence(plan, OtherCountiesWays(
        left_out="（如要一并导入，加 --other-counties，或逐行加 --take-row 行号）",
        row_taken=f"--take-row：第 {listed} 行", all_taken="（--other-counties）",
        link="（可用 --link 行号=信用代码 指定关联）"))


ROWS_NAMED = 20  # row numbers listed in a line; the rest counted


def _rows_text(rows: list[int]) -> str:
    from importers.plan.types import listed

    return f"第{listed(rows, ROWS_NAMED)}行"


def print_short_names(plan: Any) -> None:
    """The rows linked by their 简称 (--adopt-short-names), and those only offered so."""
    from importers.report import short_name_rows

    rows = short_name_rows(plan)
    if rows["taken"]:
        print(f"采用简称匹配 {len(rows['taken'])} 行（--adopt-short-names）：{_rows_text(rows['taken'])}"
              "，不对的行用 --link 另指定")
    if rows["offered"]:
        print(f"按简称匹配、未关联 {len(rows['offered'])} 行：{_rows_text(rows['offered'])}"
              "（核对后加 --adopt-short-names 一次采用，不对的行用 --link 另指定）")


def print_overwrites(plan: Any, show: int) -> None:
    """What happens to values the firms already have: the count, then old → new."""
    from importers.plan.overwrites import detail_rows, summary

    line = summary(plan.overwrites, fill_blanks_only=plan.fill_blanks_only)
    if not line:
        return
    other = "--overwrite（全部更新）" if plan.fill_blanks_only else "--fill-blanks-only（只补空白）"
    print(f"{line}；要改用另一种做法，加 {other}")
    details = detail_rows(plan.overwrites)
    for row, name, _code, label, old, new in details[:show]:
        print(f"  第{row}行 {name} {label}：{old} → {new}")
    if len(details) > show:
        print(f"  ……另有 {len(details) - show} 处")


SKIPPED_SHOWN = 30  # a sheet of 16,000 columns printed each of them (300 KB on one line)


def print_columns(plan: Any, detection: Any, kind_label: str) -> None:
    """Where the header is and which column became which field."""
    rows = "、".join(str(r) for r in detection.header_row_numbers())
    print(f"表头：第 {rows} 行" + ("（沿用已保存的列对应）" if detection.remembered else ""))
    if detection.collection_year is not None:
        print(f"Tiers 采集表（{detection.collection_year} 年度）：按表中的标记对应各列，"
              "上年度参考列不导入，未填写的企业不变")
    skipped = []
    for column in detection.column_table():
        if not column["field"]:
            if column["header"]:
                skipped.append(f"{column['column']} {column['header']}")
        elif column["index"] in plan.mapping:
            print(f"  {column['column']} {column['header']} → {column['label']}")
        else:
            print(f"  {column['column']} {column['header']} → {column['label']}"
                  f"（{kind_label}不导入此列）")
    if skipped and detection.collection_year is None:  # a 采集表's were named above
        more = f" ……共 {len(skipped):,} 列" if len(skipped) > SKIPPED_SHOWN else ""
        print(f"  未导入的列：{'、'.join(skipped[:SKIPPED_SHOWN])}{more}")


def print_recognition(meta: dict[str, Any], detection: Any = None) -> None:
    """The recognition a list of recognised firms grants (or 按行 when each row says);
    for Tiers's own 名单, that each row gives its own."""
    from importers.read import own_reports
    from tiers.model import reference

    if detection is not None and detection.own_report == own_reports.ROSTER:
        print(own_reports.ROSTER_NOTE)
        return
    tier = reference.tier(meta["tier"]).name if meta.get("tier") else "（按行）"
    year = f"  {meta['batch_year']}年" if meta.get("batch_year") else ""
    print(f"认定：{tier}  {meta.get('level') or ''}  {meta.get('batch_label') or ''}{year}"
          f"{'  复核' if meta.get('is_review') else ''}")


def print_rows(plan: Any, show: int) -> None:
    """The first ``show`` rows that change something, with what they write."""
    from importers.plan import LINKED, OTHER_UNIT, OUTSIDE, SHORT_NAME_TAKEN, content_lines

    how = {LINKED: "（人工关联）", SHORT_NAME_TAKEN: "（按简称匹配，已采用）"}
    changing = (row for row in plan.rows if row.action != "unchanged")
    for row in islice(changing, show):
        linked = how.get(row.matched_by, "")
        code = row.credit_code or row.code_as_written
        print(f"  第{row.row}行 [{row.action_label}] {row.name} {code}{linked}")
        for line in content_lines(row):  # the same lines as the wizard's preview
            print(f"      {line}")
        if row.action in (OUTSIDE, OTHER_UNIT):  # why it is left out, and the county
            for problem in row.problems:
                print(f"      {problem.message}")
        for record in row.records:  # an updated record's fields, one by one
            for change in record.changes:
                print(f"          {record.description} {change.label}："
                      f"{cell_text(change.old)} → {cell_text(change.new)}")


def print_problems(plan: Any, show: int) -> None:
    """Three problems per row shown (at least three), then how many more there are."""
    problems = plan.all_problems()
    if not problems:
        return
    print(f"问题 {len(problems)} 条：")
    for problem in problems[:max(show, 1) * 3]:
        where = f"第{problem.row}行" if problem.row else _sheet_words(plan, problem.sheet)
        column = f" {problem.column}列" if problem.column else ""
        mark = "错误" if problem.severity == "error" else "提示"
        print(f"  [{mark}] {where}{column}：{hinted(problem.message, problem.hint_field)}")
    if len(problems) > show * 3:
        print(f"  ……另有 {len(problems) - show * 3} 条（用 --errors 导出）")


def _sheet_words(plan: Any, sheet: str | None) -> str:
    """Where a problem of no one row is: the sheet as Excel shows it (工作表“Sheet1”; it said
    文件 of a workbook's sheet: tester26), or 文件 for a .csv (whose sheet is only its name)."""
    if not sheet or Path(plan.file_name).suffix.lower() in (".csv", ".txt", ".tsv"):
        return "文件"
    return f"工作表“{sheet}”"


def print_taken_as(plan: Any) -> None:
    from importers.report import taken_as_text

    hint = "如这已是最终名单，用 --as 认定" if plan.metadata.get("pending") else \
        "如这只是公示名单，用 --as 公示"
    print(f"{taken_as_text(plan)}（{hint}）")


def print_not_in_final_list(plan: Any, show: int) -> None:
    from importers.report import not_in_final_list_lines

    todo = ("  核实后：确未入选的，在客户端企业档案的“梯度认定”中删除这一条；名单漏列的，"
            "用 tiers confirm-batch 确认整批，或在企业档案中逐条确认")
    for line in not_in_final_list_lines(plan, limit=show, todo=todo):
        print(line)


def print_summary_json(plan: Any, *, batch_id: int | None, others: list[str]) -> None:
    """The plan's counts and problems as one JSON object, problems hinted as in the text."""
    from importers.report import summary

    if others:  # the object's keys are fixed: the hint goes to stderr
        print(other_lists_line(others), file=sys.stderr)
    data = summary(plan, batch_id=batch_id)
    for shown, problem in zip(data["problems"], plan.all_problems(), strict=True):
        shown["message"] = hinted(problem.message, problem.hint_field)
    print(dump_json(data))
