"""``tiers show CODE``: one enterprise's profile, as text or JSON."""

from __future__ import annotations

import argparse
from typing import Any

from tiers.text import fields
from ui.cli.common import EXIT_OK, dump_json, find_enterprise, format_cell, money, open_database

FIGURES_SHOWN = ("revenue", "rd_expense")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("show", help="查看一家企业的档案")
    parser.add_argument("code", help="统一社会信用代码或企业名称")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=show_enterprise)


def show_enterprise(args: argparse.Namespace) -> int:
    from tiers.queries import profiles

    database = open_database(args)
    with database.session() as session:
        enterprise = find_enterprise(session, args.code)
        data = profiles.profile(session, enterprise.id)
    data.pop("id", None)
    if args.json:
        print(dump_json(data))
    else:
        _print_profile(data)
    return EXIT_OK


def _print_profile(data: dict[str, Any]) -> None:
    from tiers.model.ladder import ESTIMATED_MARK, batch_shown
    from tiers.model.support_categories import AMOUNT_NAMES
    from tiers.queries.profiles import BASIC_FIELDS, chains_listed

    print(f"{data['name']}（{data['credit_code']}）{'  [回收站]' if data['deleted_at'] else ''}")
    # every 基本信息 field the enterprise window shows (地址 was left out), then the tier
    for key in BASIC_FIELDS[2:]:  # the name and the code are the head line
        shown = (format_cell(data.get(key)) or "—").replace("\n", "\n    ")
        print(f"  {fields.label('enterprise', key)}：{shown}")
    if data["former_names"]:
        print(f"  {fields.label('former_name', 'name')}：{'、'.join(data['former_names'])}")
    print(f"  {fields.label('roster', 'tier')}：{data.get('tier') or '—'}")
    print("梯度认定：")
    valid_until = fields.label("recognition", "valid_until")
    for r in data["recognitions"]:
        chain = f" [{r['chain']}]" if r["chain"] else ""
        batch = batch_shown(str(r["batch_label"] or r["batch_year"] or ""),
                            is_review=bool(r.get("is_review")))
        print(f"  {r['tier']}{chain}  {r['level']}  {batch}  "
              f"{valid_until} {format_cell(r['valid_until']) or '（未定）'}"
              f"{ESTIMATED_MARK if r['valid_until_estimated'] else ''}  {r['status']}")
    print("扶持措施：")
    # each amount named by the measure's 归类 (the core's ``category``): 资金奖补 50.00 万元,
    # 融资额 3,000.00 万元 — a loan or a tax deduction is not money paid
    for m in data["support_measures"]:
        amount = f"{AMOUNT_NAMES[m['category']]} {money(m['amount'])}"
        print(f"  {m['year']}  {m['kind']}  {m['name']}  {amount}  {m['status']}")
    print("产业链：")
    for c in chains_listed(data):  # the roles and the 链主 recognitions in force
        print(f"  {c['cluster']} / {c['chain']}  {c['role']}")
    print("年度数据：")
    shown = [(key, fields.label("annual_figures", key)) for key in FIGURES_SHOWN]
    for f in data["figures"]:
        amounts = "  ".join(f"{label} {money(f[key])}" for key, label in shown)
        print(f"  {f['year']}  {amounts}")
