"""Rows of one file that name the same firm (and, for lists, the same record): a repeat
with the same content is merged into the first row; one with other content is an error
on both, since the import cannot know which to keep."""

from __future__ import annotations

from typing import Any

from importers.errors import Problem
from importers.plan.known import CHAIN_LEADER
from importers.plan.types import ERROR, UNCHANGED, PlanRow
from tiers.model import reference
from tiers.model.names import name_key


class Duplicates:
    """The first row of each identity in the file, to compare the later ones with."""

    def __init__(self, sheet: str, kind: str, tier: str | None = None) -> None:
        """``tier``: the list's own (its title's, or the officer's), for rows without a
        梯度层级 cell."""
        self.sheet = sheet
        self.kind = kind
        self.tier = tier
        self.first_row_of: dict[tuple, PlanRow] = {}
        self._tier_of: dict[str, str | None] = {}  # a 梯度层级 cell's text → its tier

    def check(self, planned: PlanRow, parsed: dict[str, Any],
              figure_years: dict[str, dict[str, Any]], row: int, signature: Any) -> None:
        """``signature``: the row's parsed values (the dict, or the fast columns' tuple:
        kept for every row, the tuple costs no new memory)."""
        identity: Any = (("id", planned.enterprise_id) if planned.enterprise_id is not None
                         else planned.credit_code or (name_key(planned.name) if planned.name else ""))
        if not identity:
            return
        planned._signature = signature  # compared only when the identity repeats
        if self.kind == "support":
            key: tuple = ("support", identity, tuple(parsed.items()))
        elif self.kind == "recognitions":
            key = ("recognitions", identity, str(parsed.get("tier")), str(parsed.get("batch_label")),
                   str(parsed.get("batch_year")), self._led_chain(parsed))
        elif self.kind == "figures":
            key = ("figures", identity, str(parsed.get("year")), tuple(sorted(figure_years)))
        else:
            key = ("roster", identity)
        first = self.first_row_of.get(key)
        if first is None:
            self.first_row_of[key] = planned
            return
        if first._signature == signature:
            planned.action = UNCHANGED
            planned.changes, planned.records, planned.create_values = [], [], None
            # its warnings are the first row's, reported there
            planned.problems = [p for p in planned.problems if p.severity == "error"]
            planned.problems.append(Problem(self.sheet, row, "", planned.name or planned.credit_code,
                                            f"与第 {first.row} 行重复（内容相同），已合并", "warning"))
            return
        what = (f"是同一家企业（{planned.credit_code}）" if planned.credit_code
                else "企业名称相同")
        planned.error(Problem(self.sheet, row, "", planned.name or planned.credit_code,
                              f"与第 {first.row} 行{what}，但内容不同，请核对后保留一行"))
        if first.action != ERROR or not any("但内容不同" in p.message for p in first.problems):
            first.error(Problem(self.sheet, first.row, "", first.name or first.credit_code,
                                f"与第 {row} 行{what}，但内容不同，请核对后保留一行"))

    def _led_chain(self, parsed: dict[str, Any]) -> str:
        """The chain of a 链主 row, by its code (起重机 and C05 are one chain): a firm is
        链主 of each chain apart, so two rows of two chains are two titles, not a
        conflict; "" for the other tiers' rows (one title a batch, whatever the chain)."""
        if "chain" not in parsed:
            return ""
        text = parsed.get("tier")
        if text is None:
            tier = self.tier
        else:
            text = str(text)
            if text not in self._tier_of:
                self._tier_of[text] = reference.resolve_tier(text) or reference.tier_in_title(text)
            tier = self._tier_of[text]
        if tier != CHAIN_LEADER:
            return ""
        chain = str(parsed["chain"])
        return reference.resolve_chain(chain) or chain
