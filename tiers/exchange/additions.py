"""What a package's preview says it will add, firm by firm and record by record, in the words
of its other lines (常州甲公司：扶持措施“认定奖励 2026年” 20 万元): the counts alone (扶持措施
新增 2) left the officer to guess which firms and what, while updates and deletions were
named (tester29).

Only the lines shown are made: a county's first package of 100,000 firms adds every one of
its half a million records, and a sentence (a row's dict) for each would cost seconds. The
records of firms already here come first (the news about firms the city knows), then those
of the new firms."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from sqlalchemy.orm import Session

from tiers.exchange.deletions import SHOWN, firm_names, record_words
from tiers.exchange.format import ENTERPRISES, RECORD_TABLES, TableSpec
from tiers.exchange.plan_types import PackagePlan
from tiers.text.values import show


@dataclass
class AdditionWords:
    firms: list[str]  # the new firms' names (the first SHOWN)
    records: list[str]  # the new records in words (the first SHOWN)


def addition_words(session: Session, plan: PackagePlan) -> AdditionWords:
    """The first SHOWN new firms by name and new records in words."""
    package = plan.package
    firms = package.table(ENTERPRISES)
    names = firms.values["name"]
    new_firms = [names[index] for index in plan.new_firms[:SHOWN]]
    chosen = _chosen_records(plan)
    if not chosen:
        return AdditionWords(new_firms, [])
    here = firm_names(session, {plan.firm_ids[code] for _, _, code in chosen
                                if code in plan.firm_ids})
    wanted = {code for _, _, code in chosen if code not in plan.firm_ids}
    # the new firms' names as the package gives them (one pass over its codes)
    sent = ({code: names[index] for index, code in enumerate(firms.codes) if code in wanted}
            if wanted else {})
    lines = []
    for spec, index, code in chosen:
        values = package.table(spec).row(index)
        firm = here.get(plan.firm_ids[code], "") if code in plan.firm_ids else sent.get(code, "")
        lines.append(f"{firm}：{record_words(spec, values)}{_amount(spec, values)}")
    return AdditionWords(new_firms, lines)


def _chosen_records(plan: PackagePlan) -> list[tuple[TableSpec, int, str]]:
    """The new records to name (table, row in the package's table, firm): the first SHOWN of
    firms here, then of new firms; table by table, in the package's order."""
    if not plan.firm_ids:  # a county new here: every record is a new firm's
        return list(islice(_new_records(plan), SHOWN))
    of_firms_here: list[tuple[TableSpec, int, str]] = []
    of_new_firms: list[tuple[TableSpec, int, str]] = []
    for record in _new_records(plan):
        if record[2] in plan.firm_ids:
            of_firms_here.append(record)
            if len(of_firms_here) == SHOWN:
                break
        elif len(of_new_firms) < SHOWN:
            of_new_firms.append(record)
    return (of_firms_here + of_new_firms)[:SHOWN]


def _new_records(plan: PackagePlan) -> Iterator[tuple[TableSpec, int, str]]:
    for spec in RECORD_TABLES:
        codes = plan.package.table(spec).codes if plan.new_records.get(spec.entity) else ()
        for index in plan.new_records.get(spec.entity, ()):
            yield spec, index, codes[index]


def _amount(spec: TableSpec, values: dict) -> str:
    """A measure's amount (20 万元): what a new measure is, beside its kind and year."""
    if spec.entity != "support_measure" or values.get("amount") is None:
        return ""
    return " " + show(values["amount"], "amount", unit="万元")
