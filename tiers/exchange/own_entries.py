"""A county's open 培育库 entry beside the city's own open one for the same firm and target
tier: not imported. The rule (tiers.services.cultivation_rule) allows one open entry (培育中,
已申报) per firm and target; a package that added the county's next to the city's made the
pair （重复） in the city's 培育库, for an officer to sort out by hand. The city's stays, the
county's is left out and said in the plan's problems (which firm, which target, both
entries); imported again, the package leaves it out again (nothing written), and a firm new
to the database (no entry of the city's) takes the county's as before.

A county's own pair (two open entries of one target kept by an older version) still comes
in as it is (docs/exchange_package.md): only the city's own entries (no provenance) count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tiers.exchange.format import ENTERPRISES, TableSpec
from tiers.exchange.plan_types import PackagePlan
from tiers.exchange.reader import TableRows
from tiers.model import ladder
from tiers.services.cultivation_rule import is_open

ENTITY = "cultivation_entry"


def left_beside_own_entry(plan: PackagePlan, spec: TableSpec, records: TableRows, index: int,
                          firm_rows: dict[tuple[Any, ...], list[Sequence[Any]]],
                          names: Sequence[str]) -> bool:
    """Whether the package's new 培育库 row ``index`` is left out because the firm has an
    open entry of the city's own (no provenance) for its target tier (``firm_rows``: the
    firm's entries here by key, each a row of ``names``); said in plan.problems."""
    if spec.entity != ENTITY or not firm_rows:
        return False
    sent = records.row(index)
    status = sent.get("status") or "培育中"
    if not is_open(status):
        return False
    tier = sent["target_tier"]
    at = {name: names.index(name) for name in ("source_package_id", "target_tier",
                                               "target_year", "status")}
    own = next((row for rows in firm_rows.values() for row in rows
                if row[at["source_package_id"]] is None and row[at["target_tier"]] == tier
                and is_open(row[at["status"]])), None)
    if own is None:
        return False
    code = records.codes[index]
    label = ladder.tier_label(tier) or tier
    plan.problems.append(
        f"培育库：{_firm_name(plan, code)}（{code}）已有本市自己的在培记录"
        f"“{label} {own[at['target_year']]}年（{own[at['status']] or '培育中'}）”，"
        f"数据包中区县的“{label} {sent['target_year']}年（{status}）”未导入："
        "每家企业每个目标梯度只保留一条在培记录，本市的保留；如应以区县的为准，"
        "请在培育库中结束或删除本市的这一条后重新导入")
    return True


def _firm_name(plan: PackagePlan, code: str) -> str:
    firms = plan.package.table(ENTERPRISES)
    try:
        return firms.values["name"][firms.codes.index(code)]
    except (KeyError, ValueError):
        return ""
