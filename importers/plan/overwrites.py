"""Values an import would write over what a firm already has (主导产品, 联系人, 电话, 地址 …):
said before the import ("将改写 37 家企业的 52 个已有值"), listed old → new, and withheld
when the officer chooses 只补空白 (fill only blank fields), the default for recognition
lists (a 公示 list's 联系人 is the applicant's, not the bureau's contact)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from importers.plan.preview import change_lines, display_value
from importers.plan.types import FieldChange

COUNTY_FIELDS = ("county_code", "county_name")


def default_fill_blanks_only(kind: str) -> bool:
    """只补空白 unless the officer says otherwise: for recognition lists."""
    return kind == "recognitions"


@dataclass(frozen=True, slots=True)
class Overwrite:
    """The non-blank values of one firm a row would change (written or withheld)."""

    row: int  # Excel row
    enterprise_id: int
    name: str
    credit_code: str
    changes: tuple[FieldChange, ...]

    def lines(self) -> list[tuple[str, Any, Any]]:
        return change_lines(list(self.changes))


def had_value(field: str, current: dict[str, Any]) -> bool:
    """Whether the firm has a value there now; the county is one value (code and name: a
    开发区 without a code has a name only)."""
    if field in COUNTY_FIELDS:
        return bool(current.get("county_code") or current.get("county_name"))
    return current.get(field) not in (None, "")


def counted(overwrites: list[Overwrite]) -> tuple[int, int]:
    """(firms, values), the county counting as one value."""
    firms = {o.enterprise_id for o in overwrites}
    return len(firms), sum(len(o.lines()) for o in overwrites)


def summary(overwrites: list[Overwrite], *, fill_blanks_only: bool) -> str:
    """The preview's line: what happens to the values firms already have; "" when none."""
    firms, values = counted(overwrites)
    if not values:
        return ""
    if fill_blanks_only:
        return f"只补空白：{firms:,} 家企业的 {values:,} 个已有值保持不变（选“全部更新”才改写）"
    return f"将改写 {firms:,} 家企业的 {values:,} 个已有值"


def detail_rows(overwrites: list[Overwrite]) -> list[tuple[int, str, str, str, str, str]]:
    """(row, firm, credit code, field, old, new) one line per value, for the list."""
    return [(o.row, o.name, o.credit_code, label, display_value(old), display_value(new))
            for o in overwrites for label, old, new in o.lines()]
