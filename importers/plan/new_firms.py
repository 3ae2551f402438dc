"""A firm not in the database that a list names on several rows (a 省专精特新 and a 创新型
title, 链主 of two chains): created once, by its first row; the later rows add their
records to it. Each row made a new firm of the same credit code before, and the import
failed on the unique code (audit28 #2)."""

from __future__ import annotations

from importers import columns
from importers.errors import Problem
from importers.plan.replan import CODE_MATCH
from importers.plan.types import CREATE, UPDATE, PlanRow, SheetColumns
from tiers.model.names import name_key

# a new firm's values that are no field of its own to compare (derived, or how it matched)
_NOT_COMPARED = frozenset(("credit_code", "name", "name_key", "county_code"))


def created_once(rows: list[PlanRow], where: SheetColumns) -> None:
    """The rows creating a firm whose code an earlier creating row has: made rows of that
    firm (UPDATE, ``created_by`` the earlier row, no values of their own to create). A
    value the first row leaves blank is taken from the later row; one it gives otherwise
    (the name written another way, another 县区) is the first row's, said on the row."""
    first_of: dict[str, PlanRow] = {}
    for row in rows:
        if row.action != CREATE or row.create_values is None:
            continue
        first = first_of.setdefault(row.create_values["credit_code"], row)
        if first is not row:
            _attach(row, first, where)


def _attach(row: PlanRow, first: PlanRow, where: SheetColumns) -> None:
    created, values = first.create_values, row.create_values
    assert created is not None and values is not None
    differ: list[str] = []
    for key, value in values.items():
        if key in _NOT_COMPARED or value in (None, ""):
            continue
        if created.get(key) in (None, "") and key != "county_name":
            created[key] = value
        elif created.get(key) != value:  # (a county: the first row's, as its scope read it)
            differ.append(_label(key))
    name = values.get("name") or ""
    said = (f"与第 {first.row} 行是同一家企业（信用代码相同）：库中没有，由第 {first.row} 行新增一次，"
            "本行的记录记入该企业")
    if name and name_key(name) != created.get("name_key", name_key(created["name"])):
        said += f"；名称与第 {first.row} 行不一致（本行为“{name}”，按“{created['name']}”新建），请核对信用代码"
    if differ:
        said += f"；本行的{'、'.join(differ)}与第 {first.row} 行不同，按第 {first.row} 行的新建"
    row.problems.append(Problem(where.sheet, row.row, "", name or row.credit_code, said,
                                "warning"))
    row.action = UPDATE
    row.created_by = first.row
    row.matched_by = CODE_MATCH
    row.create_values = None


def _label(key: str) -> str:
    if key == "notes":
        return "备注"
    if key == "former_name":
        return "曾用名"
    return columns.field_label("county" if key.startswith("county_") else key)

