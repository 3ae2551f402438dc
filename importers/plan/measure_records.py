"""Support-measure rows: each matched with the measures its firm has recorded (the same
measure updated, never added twice), and a new amount beside a recorded one of the same kind,
name and year taken as its correction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from importers.errors import Problem
from importers.plan.known import Known, measure_identity
from importers.plan.preview import display_value
from importers.plan.types import (
    CREATE,
    ERROR,
    UPDATE,
    FieldChange,
    PlanRow,
    RecordChange,
    SheetColumns,
    rows_listed,
    same_value,
)
from importers.read.detection import Detection
from tiers.services import measures as measures_service
from tiers.services.errors import ValidationError
from tiers.services.measures import NOT_PAID, PAID
from tiers.text import changes as change_text


class MeasureRecords:
    """The support measures of RecordPlanner (a mixin: it keeps the measures rows claimed
    and the new ones that may correct a recorded one)."""

    # RecordPlanner's (importers.plan.records), read and filled here
    detection: Detection
    known: Known
    measures_claimed: set[int]
    new_measures: list[tuple[PlanRow, RecordChange, set[str], int]]
    measures_assumed: list[tuple[PlanRow, RecordChange, int]]  # status by the date
    where: SheetColumns
    problem: Callable[..., Problem]
    _validation_problems: Callable[..., None]

    def _measure(self, planned: PlanRow, parsed: dict[str, Any], row: int) -> None:
        values = {
            "kind": parsed.get("measure_kind") or parsed.get("measure_name"),
            "name": parsed.get("measure_name") or "",
            "amount": parsed.get("amount"), "paid_on": parsed.get("paid_on"),
            "year": parsed.get("year") or self.detection.metadata.batch_year,
            "implementer": parsed.get("implementer"),
            "implementer_level": parsed.get("implementer_level"),
            "policy_basis": parsed.get("policy_basis"), "status": parsed.get("status"),
            "note": parsed.get("note"),
        }
        try:
            cleaned = measures_service.clean(values)
        except ValidationError as exc:
            self._validation_problems(planned, row, exc, {
                "kind": "measure_kind", "amount": "amount", "year": "year",
                "paid_on": "paid_on", "implementer_level": "implementer_level",
                "status": "status"})
            return
        # a 类别 column's kind not among the known ones: imported (a county's own kind),
        # pointed out once a spelling, at its first row, with the nearest known kinds
        note = measures_service.kind_note(cleaned["kind"]) if parsed.get("measure_kind") else ""
        kind_said = None  # where in the row's problems, to say its category with it
        if note and cleaned["kind"] not in self.kinds_noted:
            self.kinds_noted.add(cleaned["kind"])
            kind_said = len(planned.problems)
            planned.problems.append(self.problem(
                row, "measure_kind", cleaned["kind"],
                note + "（本文件中同样写法的其他行不再逐行提示）", "warning"))
        # none given: clean's by the date (measures_service.status_by_date); an update
        # keeps the recorded status (not given)
        given = {k for k, v in values.items() if v is not None and v != ""}
        description = _measure_description(cleaned)
        if planned.enterprise_id is not None:
            same = [m for m in self.known.measures_of.get(
                        measure_identity(planned.enterprise_id, cleaned), ())
                    if same_value(m["amount"], cleaned["amount"])
                    and m["id"] not in self.measures_claimed]
            if same:  # this measure, already recorded: what the row adds to it, if anything
                existing = same[0]
                self.measures_claimed.add(existing["id"])
                change = _measure_update(existing, cleaned, given, description)
                if change is not None:
                    planned.records.append(change)
                return
        record = RecordChange("support_measure", CREATE, description, values=cleaned)
        planned.records.append(record)
        # a measure added whose amount is not money (融资, 税收, 服务): said once a kind, at
        # its first row, so that nobody expects it in the money totals (fixt29b); in the
        # same sentence as the kind's note when the row has that: “不是常用类别…照此记录”
        # then “类别：税收” read as a contradiction (tester30)
        noted = measures_service.category_note(cleaned["kind"])
        if noted and cleaned["kind"] not in self.categories_noted:
            self.categories_noted.add(cleaned["kind"])
            if kind_said is not None:
                noted = measures_service.kind_note(cleaned["kind"], filed=True)
            said = self.problem(row, "measure_kind", cleaned["kind"],
                                noted + "（本文件中同样写法的其他行不再逐行提示）", "warning")
            if kind_said is None:
                planned.problems.append(said)
            else:
                planned.problems[kind_said] = said
        if "status" not in given:
            self.measures_assumed.append((planned, record, row))
        if planned.enterprise_id is not None:
            self.new_measures.append((planned, record, given, row))

    def assumed_status_note(self) -> list[Problem]:
        """The status given to new measures whose row says none: one line for the preview
        (without it they were all 已兑现, silently, and counted in the 兑现 totals)."""
        paid: list[int] = []
        waiting: list[int] = []
        for planned, record, row in self.measures_assumed:
            # only the measures the import adds: not one a row corrects (correct_measures:
            # the recorded one keeps its status), nor those of rows that write nothing
            if planned.action in (CREATE, UPDATE) and any(r is record for r in planned.records):
                (paid if record.values["status"] == PAID else waiting).append(row)
        if not paid and not waiting:
            return []
        rows = sorted(paid + waiting)
        parts = []
        if paid:
            parts.append(f"有兑现日期的 {len(paid)} 条记为“{PAID}”")
        if waiting:
            parts.append(f"没有兑现日期的 {len(waiting)} 条记为“{NOT_PAID}”（尚未兑现，不计入兑现金额）")
        # what to do only where something was recorded as not paid: with every row dated,
        # “如已兑现，请加兑现日期列” was said to a sheet that had that column (tester26)
        advice = "；如已兑现，请在表中加“状态”或“兑现日期”列" if waiting else ""
        return [Problem(
            self.where.sheet, None, "", None,
            f"{len(rows)} 条新增扶持措施未写状态（{rows_listed(rows, 8)}）：{'，'.join(parts)}"
            + advice, "warning")]

    def correct_measures(self) -> None:
        """A new measure of a firm that has one of the same kind, name and year with another
        amount, which no row of the file is: a corrected sheet (50 → 60 万元), so that one is
        updated instead of a second measure added beside it. Not when the dates or the
        文号 both given differ (two payments), nor when several could be meant."""
        taken: set[int] = set()
        for planned, record, given, row in self.new_measures:
            if planned.action == ERROR or record not in planned.records:
                continue
            values = record.values
            candidates = [
                m for m in self.known.measures_of.get(
                    measure_identity(planned.enterprise_id, values), ())
                if m["id"] not in self.measures_claimed and m["id"] not in taken
                and not ("paid_on" in given and m["paid_on"] is not None
                         and m["paid_on"] != values["paid_on"])
                and not ("policy_basis" in given and m["policy_basis"]
                         and m["policy_basis"] != values["policy_basis"])]
            if len(candidates) != 1:
                if candidates:
                    planned.problems.append(self.problem(
                        row, "amount", values["amount"],
                        f"该企业已有 {len(candidates)} 条{values['year']}年“{values['kind']}”，"
                        "金额都与本行不同，无法确定是否更正其中一条：按新增处理，请核对", "warning"))
                continue
            existing = candidates[0]
            taken.add(existing["id"])
            change = _measure_update(existing, values, given | {"amount"}, record.description)
            index = planned.records.index(record)
            if change is None:
                del planned.records[index]
                continue
            planned.records[index] = change
            planned.problems.append(self.problem(
                row, "amount", values["amount"],
                f"已有同一措施（{existing['year']}年 {existing['kind']}，"
                f"{display_value(existing['amount'])}万元）：按本行更正为 "
                f"{display_value(values['amount'])}万元；如确是另一笔，请在措施名称或兑现日期上区分",
                "warning"))


def _measure_description(values: dict[str, Any]) -> str:
    amount = values["amount"]
    shown = f" {display_value(amount)}万元" if amount is not None else ""
    return f"{values['year']}年 {values['kind']}{shown}"


def _measure_update(existing: dict[str, Any], cleaned: dict[str, Any], given: set[str],
                    description: str) -> RecordChange | None:
    """The fields the row gives that differ from the recorded measure (blanks never
    overwrite), as an update of it; None when there are none."""
    changes = [FieldChange(key, change_text.field_label("support_measure", key),
                           existing[key], cleaned[key])
               for key in measures_service.FIELDS
               if key in given and not same_value(existing[key], cleaned[key])]
    if not changes:
        return None
    return RecordChange("support_measure", UPDATE, description, record_id=existing["id"],
                        values={c.field: c.new for c in changes}, changes=changes)
