"""A row's enterprise fields: cleaned as the enterprise service does (county, 企业规模,
成立日期, lengths), and what they change of the firm the row matched (only-blank filling and
the values overwritten listed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from importers import columns
from importers.errors import Problem
from importers.plan.cells import ParsedColumns
from importers.plan.counties import county_of
from importers.plan.known import Known
from importers.plan.overwrites import Overwrite, had_value
from importers.plan.types import CREATE, FieldChange, PlanRow, RecordChange
from tiers.model.names import name_key

_LIMITED_TEXT = frozenset(("town", "address", "main_product", "industry", "contact_phone",
                           "contact_person", "legal_representative", "tags", "listing_status"))
_MISSING = object()


class EnterpriseFields:
    """The enterprise values of the plan's rows (a mixin of the planner: it uses the
    planner's county and size look-ups, made once per sheet, and adds to its overwrites)."""

    # the planner's (importers.plan.build._Planner), read here (and the look-ups filled)
    kind: str
    known: Known
    today: dt.date
    cells: ParsedColumns
    text_keys: tuple[str, ...]
    sizes: tuple[str, ...]
    size_of: dict[str, str | None]
    county_found: dict[tuple[str, str | None], tuple[str | None, str | None]]
    fill_blanks_only: bool
    overwrites: list[Overwrite]
    problem: Callable[..., Problem]

    def _enterprise_values(self, parsed: dict[str, Any], planned: PlanRow, row: int,
                           city: str | None) -> dict[str, Any]:
        """Non-blank enterprise fields of the row, cleaned as the enterprise service does: a
        new dict, which a created row keeps as its create_values (no copy per row)."""
        # the text fields first: they make most of the dict
        out = {key: parsed[key] for key in self.text_keys if key in parsed}
        if out:
            self._check_texts(out, planned, row)
        name = parsed.get("name")
        if name is not None:
            if len(name) > 200:
                planned.error(self.problem(row, "name", name, "企业名称过长（超过200字）"))
            else:
                out["name"] = name
        if "county" in parsed:
            text = str(parsed["county"])
            found = self.county_found.get((text, city))  # a few values over the whole list
            if found is None:
                found = self.county_found[text, city] = county_of(text, city)
            code, county_name = found
            if county_name is not None:  # a 设区市 alone names no county: never stored
                out["county_code"], out["county_name"] = code, county_name
        if "founded_on" in parsed:
            founded = parsed["founded_on"]
            if founded > self.today:
                planned.error(self.problem(row, "founded_on", founded, "成立日期不能晚于今天"))
            else:
                out["founded_on"] = founded
        if self.kind == "roster" and "note" in parsed:
            out["notes"] = str(parsed["note"])
        if "former_name" in parsed:
            out["former_name"] = parsed["former_name"]
        return out

    def _check_texts(self, out: dict[str, str], planned: PlanRow, row: int) -> None:
        """The odd text value: a 企业规模 not in the pick-list (left out), one too long.
        (Text columns parse to str.)"""
        if "size" in out:
            size = self._size(out["size"])
            if size is None:
                planned.problems.append(self.problem(
                    row, "size", out.pop("size"),
                    f"企业规模应为{'/'.join(self.sizes)}之一，此项未导入", "warning"))
            else:
                out["size"] = size
        if self.cells.long_texts and out and max(map(len, out.values())) > 300:
            for key, value in out.items():
                if len(value) > 300 and key in _LIMITED_TEXT:
                    planned.error(self.problem(row, key, value, "内容过长"))

    def _size(self, value: str) -> str | None:
        """企业规模 as the pick-list writes it (中型企业 → 中型), None if it is none of them."""
        found = self.size_of.get(value, _MISSING)
        if found is _MISSING:
            size = value.removesuffix("企业").removesuffix("型") + "型"
            found = self.size_of[value] = size if size in self.sizes else None
        return found

    def _enterprise_changes(self, planned: PlanRow, values: dict[str, Any], row: int) -> None:
        current = self.known.by_id[planned.enterprise_id]
        planned.name = planned.name or current["name"]
        planned.credit_code = current["credit_code"]
        overwritten: list[FieldChange] = []
        for key, new in values.items():
            if key == "former_name":
                former_key = name_key(new)
                if former_key != current["name_key"] and former_key not in self.known.keys_of.get(
                        planned.enterprise_id, set()):
                    planned.records.append(RecordChange("former_name", CREATE, f"曾用名 {new}",
                                                        values={"name": new}))
                continue
            if key == "name" and (self.kind != "roster" or planned.matched_by != "信用代码"):
                continue  # only a roster matched by code renames; a list may use an old name
            if key in ("county_code", "county_name") and values.get("county_code") is None and (
                    current["county_code"] or current["county_name"]):
                continue  # a unit without a code (开发区) fills a blank county, never replaces one
            old = current.get(key)
            if old == new or (old in (None, "") and new in (None, "")):
                continue
            label = columns.field_label("county" if key.startswith("county_") else key)
            if key == "notes":
                label = "备注"
            change = FieldChange(key, label, old, new)
            if had_value(key, current):
                overwritten.append(change)
                if self.fill_blanks_only:
                    continue
            planned.changes.append(change)
        self._check_town_of_county(planned, values, current, row)
        if overwritten:
            self.overwrites.append(Overwrite(row, planned.enterprise_id, planned.name,
                                             planned.credit_code, tuple(overwritten)))

    def _check_town_of_county(self, planned: PlanRow, values: dict[str, Any],
                              current: dict[str, Any], row: int) -> None:
        """A row that moves its firm to another county keeps no town of the old one: the
        row is refused, as the enterprise window's save is (enterprises.update)."""
        moved = next((c for c in planned.changes if c.field == "county_name"), None)
        town = values.get("town") or current["town"] or ""
        if moved is None or not town or not moved.new:
            return
        counties = dict(self.known.town_counties(town))
        if current["town"] == town and current["county_name"]:
            counties[current["county_name"]] = counties.get(current["county_name"], 0)
            home = current["county_name"]
        else:
            home = max(counties, key=lambda name: (counties[name], name), default=None)
        if home is None or home == moved.new or counties.get(moved.new, 0) > 0:
            return
        planned.error(self.problem(
            row, "town" if "town" in values else "county", values.get("town") or values.get(
                "county_name"),
            f"镇街“{town}”属于{home}，不属于{moved.new}：县区改为{moved.new}时，请同时把镇街"
            f"改为{moved.new}的镇街或清空（此行未导入）"))
