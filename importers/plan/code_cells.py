"""A credit-code cell the column parsing did not validate: an old registration number (kept
as 原注册号), a code a spreadsheet turned into a number, or what else is wrong with it."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from importers.errors import Problem
from importers.plan.types import PlanRow
from tiers.model import credit_code

_SCIENTIFIC = re.compile(r"^\d\.\d+[eE]\+\d+$")  # 9.13204E+17, as a CSV may hold it
_OLD_CODE = re.compile(r"\d{15}|[0-9A-Z]{8}-?[0-9X]")  # 工商注册号 / 组织机构代码
ENTERPRISE_CODE = credit_code.ENTERPRISE  # a code's first two characters for an enterprise
_TIER_KINDS = frozenset(("roster", "recognitions"))  # the lists of tiers, not support/figures


class CodeCells:
    """The credit-code cells of the plan's rows (a mixin of the planner: it reads its code
    column and reports through its problem())."""

    # the planner's (importers.plan.build._Planner), read here
    code_column: int | None
    kind: str
    problem: Callable[..., Problem]

    def _code_of_no_enterprise(self, planned: PlanRow, code: str) -> None:
        """A valid code that is not an enterprise's (not 91…): said on the row, imported
        anyway (a 个体工商户 or 社会团体 may carry support measures; the 2nd characters of
        authorities other than 9 come from a third-party table). A support or figures list
        says only an unknown 2nd character: the tiers are not its business."""
        if self.kind in _TIER_KINDS or not credit_code.known_category(code):
            planned.problems.append(self.problem(planned.row, "credit_code", code,
                                                 credit_code.kind_warning(code), "warning"))

    def _credit_code(self, planned: PlanRow, parsed: dict[str, Any], raw_code: Any,
                     cells: list[Any]) -> str | None:
        """The valid code of a code cell the column parsing did not validate, or None with
        the problem: an old registration number (kept as 原注册号), a code Excel turned
        into a number, or what is wrong with it."""
        try:
            return credit_code.validate(raw_code)
        except credit_code.CreditCodeError as exc:
            row = planned.row
            planned.code_as_written = self._code_as_written(cells, raw_code)
            normalised = credit_code.normalise(raw_code)
            if _OLD_CODE.fullmatch(normalised):
                parsed.setdefault("legacy_code", normalised)
                planned.problems.append(self.problem(
                    row, "credit_code", raw_code,
                    "这是旧的工商注册号/组织机构代码，不是统一社会信用代码：已作为“原注册号”，按企业名称匹配",
                    "warning"))
            elif self._code_cell_is_a_number(cells):
                planned.error(self.problem(
                    row, "credit_code", raw_code,
                    f"统一社会信用代码被表格软件当成了数字（{raw_code}），原来的代码已无法还原："
                    "请把该列设为“文本”格式后重新填写"))
            else:
                planned.error(self.problem(row, "credit_code", raw_code, str(exc)))
            return None

    def _code_cell(self, cells: list[Any]) -> Any:
        column = self.code_column
        return cells[column] if column is not None and column < len(cells) else None

    def _code_as_written(self, cells: list[Any], raw_code: Any) -> str:
        """The code cell as Excel shows it: a number as 9.13204E+17, not its 18 digits."""
        cell = self._code_cell(cells) if self.code_column is not None else raw_code
        if type(cell) is float:
            return f"{cell:.6G}"
        return str(cell if cell is not None else raw_code).strip()

    def _code_cell_is_a_number(self, cells: list[Any]) -> bool:
        """A code saved as a number: Excel keeps 15 digits, and a code such as 9132…4E82
        reads as 9.13E+82. (A 15-digit number is an old registration number, kept.)"""
        cell = self._code_cell(cells)
        return type(cell) is float or (type(cell) is str and bool(_SCIENTIFIC.match(cell.strip())))
