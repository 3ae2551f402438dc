"""``tiers assess``: 对标预审 from the command line.

    tiers assess CODE [--tier T]       one enterprise in detail (default: its next tier)
    tiers assess CODE --compare        the same under every rule set of the tier, side by side
    tiers assess --tier T              the candidates for a tier, ranked by readiness
    tiers assess                       how many candidates each tier has
    tiers assess --cultivation [--tier T] [--county C]  the 培育库 (those aimed at T, of
                                       C's firms) with this year's assessment, its
                                       conclusion and the change
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from tiers.model.vocabulary import (
    ALL_COUNTIES_ARG,
    NO_COUNTY_ARG,
    NO_COUNTY_LABEL,
    means_all_counties,
    means_no_county,
)
from ui.cli.common import (
    EXIT_OK,
    CliError,
    dump_json,
    find_enterprise,
    open_database,
    print_table,
)
from ui.cli.export import left_out_note

if TYPE_CHECKING:
    from tiers import assess

# where to give what the assessment says it needs (its hint_field): the core names no option
HINTS = {"tier": "（--tier）"}
LIST_COLUMNS = [("seq", "序号"), ("name", "企业名称"), ("credit_code", "统一社会信用代码"),
                ("town", "镇街"), ("current_tier", "现有梯度"), ("readiness_text", "预审结论"),
                ("score", "评价得分"), ("verdict", "说明")]


def _mark(status: str) -> str:
    """A condition's status as marked in the text (待核实 is shorter than the status)."""
    from tiers import assess  # the rules and SQLAlchemy: only when assessing

    marks = {assess.MET: "满足", assess.NOT_MET: "不满足", assess.MISSING: "缺数据",
             assess.MANUAL: "待核实"}
    return marks.get(status, status)


def _print_condition(node: assess.ConditionResult, depth: int) -> None:
    pad = "  " * depth
    mark = f"[{_mark(node.status)}]"
    route = "（直通）" if node.route else ""
    line = f"{pad}{mark} {route}{node.title}"
    if node.detail and node.kind not in ("all",):
        line += f" —— {node.detail}"
    print(line)
    if node.gap and node.kind not in ("all", "any", "band"):
        print(f"{pad}      差距：{node.gap}")
    if node.score is not None:
        _print_score(node.score, depth + 1)
    for child in node.children:
        _print_condition(child, depth + 1)


def _print_score(score: assess.ScoreResult, depth: int) -> None:
    pad = "  " * depth
    for item in score.indicators:
        print(f"{pad}· {item.group}｜{item.title}：{item.points_text}/{item.max_points} 分"
              f"{'（' + item.status + '）' if item.status != '已计分' else ''}"
              f"{'  ' + item.detail if item.detail else ''}")
    for hint in score.hints:
        print(f"{pad}提分：{hint}")


def print_assessment(item: assess.Assessment) -> None:
    from tiers.assess.candidates import default_year

    current = item.current_tier or "（无）"
    print(f"{item.name}（{item.credit_code}）  现有梯度：{current}")
    print(f"预审目标：{item.tier_name}  依据：{item.rule_set}（{item.rule_set_title}）")
    if item.rule_reason:
        print(f"为何用此规则集：{item.rule_reason}")
    print(_year_line(item.figures_year, item.year_note,
                     item.figures_year == default_year()).rstrip("。"))
    print(f"结论：{item.verdict}")
    if item.score is not None:
        print(f"评价得分：{item.score.text}")
    for flag in item.flags:
        print(f"  数据存疑：{flag}")
    print()
    for condition in item.conditions:
        _print_condition(condition, 0)
    if item.notice:
        print(f"\n注意：{item.notice}")


def _compare(items: list[assess.Assessment]) -> None:
    """The verdict under each rule set in one table, then each assessment in full."""
    rows = [{"rule_set": i.rule_set, "readiness": i.readiness_text, "shortfalls": i.shortfalls,
             "missing": i.missing, "manual": i.manual, "verdict": i.verdict} for i in items]
    print(f"{items[0].name}（{items[0].credit_code}）  预审目标：{items[0].tier_name}  "
          f"数据年度：{items[0].figures_year}年度")
    print_table(rows, [("rule_set", "规则集"), ("readiness", "预审结论"),
                       ("shortfalls", "不满足"), ("missing", "缺数据"),
                       ("manual", "需人工核实"), ("verdict", "说明")])
    for item in items:
        print(f"\n======== {item.rule_set} ========")
        print_assessment(item)


def _year_line(year: int, note: str, last: bool = False) -> str:
    """The figures year used, and why when it is not 上年度 (``last``: it is 上年度)."""
    if note:
        return f"数据年度：{year}年度（{note}）。"
    return f"数据年度：{year}年度（上年度）。" if last else f"数据年度：{year}年度。"


def _detail(args: argparse.Namespace) -> int:
    from tiers import assess

    database = open_database(args)
    with database.session() as session:
        enterprise = find_enterprise(session, args.code)
        # decided once (the firm's county's year): the comparison is judged on the same
        figures = assess.figures_year(session, year=args.year, enterprise_id=enterprise.id)
        item = assess.assess_enterprise(session, enterprise.id, args.tier,
                                        rule_set=args.rules, figures=figures)
        if args.compare:
            items = assess.compare_rule_sets(session, enterprise.id, item.tier_code,
                                             figures=figures)
            if args.json:
                print(dump_json([i.to_dict() for i in items]))
            else:
                _compare(items)
            return EXIT_OK
    if args.json:
        print(dump_json(item.to_dict()))
    else:
        print_assessment(item)
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from tiers import assess

    database = open_database(args)
    excluded: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    counted: dict[str, str] = {}
    with database.session() as session:
        rows = assess.candidates_report_rows(
            session, args.tier, rule_set=args.rules, year=args.year, county=args.county,
            include_not_ready=args.all, include_flagged=args.all, excluded=excluded,
            figures=figures, reviews=counted)
        # with 本单位负责的区县 recorded and no --county: the unit's firms, as the reports
        # list them; what that leaves out, said as tiers export says it
        left_out = "" if args.county else left_out_note(session)
        found = assess.choose(assess.resolve_tier(args.tier), on=dt.date.today(),
                              named=args.rules)
        rules = assess.tier_rules(args.tier, found.name)
    # each row carries its firm's figures year and its county's note; counted before --limit
    total = len(rows)
    reviews = counted["line"]
    apart = sum(row["readiness"] == assess.READINESS_LABELS[assess.PREREQUISITE]
                for row in rows)
    if args.limit:
        rows = rows[:args.limit]
    if args.json:  # an object: the figures year and its note said even with no candidates
        print(dump_json({
            "tier": rules.tier_name, "rule_set": rules.rule_set.name, "rule_reason": found.reason,
            "figures_year": figures["figures_year"],
            "figures_year_note": figures["figures_year_note"],
            "已持有": excluded["held"], "公示中": excluded["pending"],
            "公示中企业": excluded["pending_names"], "candidates": rows}))
        if left_out:
            print(left_out, file=sys.stderr)
    else:
        # a firm judged as its 复核 reads 复核：… (the core's readiness_text), as in the client
        print_table(rows, LIST_COLUMNS)
        shown = f"，列出前 {len(rows)} 家" if len(rows) < total else ""
        print(f"{rules.tier_name}候选企业 {total} 家{shown}（依据：{rules.rule_set.name}；"
              f"{found.reason}{'；' + reviews if reviews else ''}）", file=sys.stderr)
        if left_out:
            print(left_out, file=sys.stderr)
        if apart:  # not 差一项: the title below first
            print(f"其中{assess.prerequisite_count(rules, apart)}", file=sys.stderr)
        print(f"不列入：已认定该梯度或更高 {excluded['held']} 家", file=sys.stderr)
        print(_year_line(figures["figures_year"], figures["figures_year_note"]),
              file=sys.stderr)
        if excluded["pending"]:
            print(f"另有 {excluded['pending']} 家已在公示中（在该梯度或更高梯度的公示名单上），"
                  "不列入：" + "、".join(excluded["pending_names"]), file=sys.stderr)
    return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    from tiers import assess
    from tiers.assess.candidates import LOOKBACK
    from tiers.queries import unit_scope

    database = open_database(args)
    out: list[dict[str, Any]] = []
    with database.session() as session:
        plan = assess.year_plan(session, year=args.year)  # each firm its county's year
        # the firms as the candidates list reads them (tiers.queries.unit_scope): --county
        # all / none as the help offers them, and with 本单位负责的区县 recorded the unit's
        # firms by default, what that leaves out said
        firms = assess.load_firms(session, years=plan.span(LOOKBACK), today=dt.date.today(),
                                  area=unit_scope.condition(session, args.county))
        left_out = "" if args.county else left_out_note(session)
        for code in assess.assessable_tiers():
            found = assess.candidates(session, code, plan=plan, firms=firms)
            out.append({"tier": found.tier_name, "rule_set": found.rule_set,
                        **found.counts(), "已持有": found.excluded_held,
                        "公示中": found.excluded_pending, "公示中企业": found.pending_names,
                        "figures_year": found.figures_year,
                        "figures_year_note": found.year_note})
    if args.json:
        print(dump_json(out))
        if left_out:
            print(left_out, file=sys.stderr)
    else:
        labels = list(assess.READINESS_LABELS.values())
        print_table(out, [("tier", "目标梯度"), *[(k, k) for k in labels],
                           ("已持有", "已持有该梯度或更高"),
                           ("公示中", "已在公示中（不列入）"), ("rule_set", "依据")])
        first = out[0] if out else {"figures_year": plan.overall.year, "figures_year_note": ""}
        print(f"{_year_line(first['figures_year'], first['figures_year_note'])}"
              "用 tiers assess --tier 梯度 查看名单。",
              file=sys.stderr)
        if left_out:
            print(left_out, file=sys.stderr)
    return EXIT_OK


def _cultivation(args: argparse.Namespace) -> int:
    from tiers import assess
    from tiers.model import reference
    from tiers.queries import unit_scope

    database = open_database(args)
    with database.session() as session:
        # the entries' firms as the candidates list reads them (tiers.queries.unit_scope)
        overview = assess.cultivation_overview(
            session, year=args.year, rule_set=args.rules, target_tier=args.tier,
            area=unit_scope.condition(session, args.county))
        left_out = "" if args.county else left_out_note(session)
    items = overview[:args.limit] if args.limit else overview
    if args.json:
        print(dump_json([{
            "entry_id": i.entry_id, "name": i.name, "credit_code": i.credit_code,
            "target_tier": i.target_tier_name, "target_year": i.target_year,
            "officer": i.officer, "status": i.status, "readiness": i.current.readiness_label,
            "conclusion": i.conclusion,  # 已认定 / 公示中（不再推荐）, as the 培育库 view
            "verdict": i.current.verdict, "previous": i.previous.readiness_label,
            "trend": i.trend, "changes": i.changes, "figures_year": i.current.figures_year,
            "figures_year_note": i.current.year_note} for i in items]))
        if left_out:
            print(left_out, file=sys.stderr)
        return EXIT_OK
    for i in items:
        print(f"{i.name}（{i.credit_code}） 目标：{i.target_year}年 {i.target_tier_name}  "
              f"责任人：{i.officer or '—'}  {i.status}")
        print(f"  当前预审：{i.conclusion}")  # as the 培育库 view: 已认定 / 公示中（不再推荐）
        print(f"  本年（{i.current.figures_year}年度数据）：{i.current.verdict}")
        print(f"  上年（{i.previous.figures_year}年度数据）：{i.previous.verdict}")
        if i.trend:
            print(f"  变化：{i.trend}")
        for change in i.changes:
            print(f"    · {change}")
    aimed = "；".join(filter(None, (
        f"目标梯度：{reference.tier(assess.resolve_tier(args.tier)).name}" if args.tier else "",
        f"县区：{_county_words(args.county)}" if args.county else "")))
    firms = len({i.enterprise_id for i in items})
    count = f"{len(items)} 条，{firms} 家" if firms != len(items) else f"{len(items)} 家"
    print(f"培育库{f'（{aimed}）' if aimed else ''} {count}", file=sys.stderr)
    if overview.year_note:  # for all the entries' counties, naming those behind
        print(f"注：{overview.year_note}。", file=sys.stderr)
    if left_out:
        print(left_out, file=sys.stderr)
    return EXIT_OK


def _county_words(county: str) -> str:
    """--county as the 培育库 line names it: 全部区县 and 未填区县 for all and none."""
    from tiers.model import reference

    if means_all_counties(county):
        return "全部区县"
    if means_no_county(county):
        return NO_COUNTY_LABEL
    return reference.resolve_county(county)[1]


def run_assess(args: argparse.Namespace) -> int:
    from tiers.errors import TiersError, with_hint

    try:
        if args.cultivation:
            return _cultivation(args)
        if args.code:
            return _detail(args)
        if args.tier:
            return _list(args)
        return _summary(args)
    except TiersError as exc:  # a refused rule set, tier or year: status 1, as main gives
        raise CliError(with_hint(str(exc), HINTS.get(exc.hint_field, ""))) from exc


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "assess", help="对标预审：一家企业的详细预审，或某一梯度的候选企业名单",
        description="按认定标准（resources/rules）预审企业。给出信用代码时显示该企业的逐项结论；"
                    "只给 --tier 时列出该梯度的候选企业（条件均满足、待人工核实、差一项、缺数据，"
                    "以及只差前提称号、须先取得该称号的“尚未取得前提认定”）。"
                    "核心条件（如市场地位、研发机构）尚待人工核实的企业列为“待人工核实”，"
                    "不算条件均满足。")
    parser.add_argument("code", nargs="?", help="统一社会信用代码（省略则列出候选企业）")
    parser.add_argument("--tier", help="目标梯度，如 创新型、专精特新、小巨人、单项冠军")
    parser.add_argument("--rules", help="规则集名称，如 2022暂行办法、2026办法（默认按数据选择："
                                        "新申报用当日适用的规则集，2026年“小巨人”复核用"
                                        "2022暂行办法）")
    parser.add_argument("--compare", action="store_true",
                        help="一家企业：在该梯度的每个规则集下各预审一次，并列对比")
    parser.add_argument("--year", type=int,
                        help="按哪一年度的财务数据预审（默认上年度，即今年减一；上年度数据"
                             "录入的企业不到最近几年最多时的一半时，用已录齐的最近年度并注明）")
    parser.add_argument("--county", help="只看某个县（市、区）的企业（候选企业、各梯度计数、培育库）；"
                        "记录了本单位负责的区县时，候选企业默认只含本单位的企业，"
                        f"未填区县写 {NO_COUNTY_ARG}，全部区县写 {ALL_COUNTIES_ARG}")
    parser.add_argument("--all", action="store_true",
                        help="名单中也列出不符合（差两项以上，或某项数值不足门槛的一半）和数据存疑的企业")
    parser.add_argument("--limit", type=int, help="最多列出多少家")
    parser.add_argument("--cultivation", action="store_true",
                        help="培育库：每家企业本年的预审结论及与上年相比的变化"
                             "（可用 --tier 只看目标为该梯度的企业，--county 只看某县区的企业）")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.set_defaults(handler=run_assess)
