"""What a plan is made of: one PlanRow per data row (create / update field by field /
unchanged / unmatched / error), the records it adds, the links the user gave, and the Plan
that holds them. Nothing here reads the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from importers.errors import Problem, column_letter

CREATE, UPDATE, UNCHANGED, UNMATCHED, ERROR = "create", "update", "unchanged", "unmatched", "error"
# a row of a firm the login may not write (another county's, on a server): not imported,
# the reason on the row (importers.plan.scope)
OUTSIDE = "outside"
# a firm outside the counties the database's unit answers for (本单位负责的区县): 不导入
# unless the officer takes such rows in (build_plan's take_other_counties)
OTHER_UNIT = "other_unit"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "无变化", UNMATCHED: "未匹配",
                 ERROR: "错误", OUTSIDE: "不导入",
                 OTHER_UNIT: "不导入（不属本单位区县）"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any


@dataclass(slots=True)
class RecordChange:
    """A record hanging off the enterprise that the row creates or updates."""

    entity: str  # recognition / annual_figures / support_measure / former_name
    action: str  # create / update
    description: str  # 小巨人 第五批 / 2023年 年度数据
    record_id: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    changes: list[FieldChange] = field(default_factory=list)
    # an update that corrects a record written wrong before (a 复核 misdated to the year of
    # the batch it renews): the preview says 更正, not 更新
    correction: bool = False


@dataclass(frozen=True)
class Link:
    """The user's answer for a row the plan could not match (or matched to several firms):
    this row is that enterprise. ``remember_name`` also records the row's name as the
    firm's 曾用名, so that later lists written the same way match by themselves."""

    enterprise_id: int
    remember_name: bool = False
    # the row's name when the user linked it: if the row reads otherwise now (another
    # column mapped as 企业名称), the link is refused rather than applied to other text
    name: str = ""
    # the plan's own offer taken (采用简称匹配, tiers import --adopt-short-names: the one
    # firm the name fits without 有限公司 and the like), not a firm the user picked: the row
    # says so afterwards (SHORT_NAME_TAKEN) and the import record keeps it
    short_name: bool = False


LINKED = "人工关联"  # PlanRow.matched_by of a row the user linked
SHORT_NAME_TAKEN = "按简称匹配（已采用）"  # PlanRow.matched_by of a row linked by its 简称


@dataclass(slots=True)  # one per data row: no __dict__ each (100k rows)
class PlanRow:
    row: int  # Excel row number
    action: str
    name: str = ""
    credit_code: str = ""  # the valid code, normalised ("" when none or not valid)
    code_as_written: str = ""  # a code that is not valid, as the cell holds it (shown)
    enterprise_id: int | None = None
    # 信用代码 / 企业名称 / 曾用名 / 记住的写法 / 人工关联 / 按简称匹配（已采用）
    matched_by: str = ""
    create_values: dict[str, Any] | None = None  # the new enterprise, when action is create
    changes: list[FieldChange] = field(default_factory=list)  # enterprise fields
    records: list[RecordChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    # an unmatched row whose name is one live firm's without 有限公司 and the like (按简称
    # 匹配): that firm, offered to the officer (采用简称匹配), never linked by itself
    short_match: int | None = None
    # the county (code, name) a row the plan left unmatched writes in its 县区 column (None:
    # none written): its suggestions keep to that county, and the unit's rule reads it
    written_county: tuple[str | None, str | None] | None = None
    # the firm in the 回收站 the row's credit code names (an error: restore it first),
    # unless the row is another county's firm, which the unit's step leaves out instead
    binned: int | None = None
    cells: list[Any] | None = None  # the row as read, kept for rows with problems
    # a row of a firm not in the database that an earlier row of the file creates (its
    # Excel row): the row adds its records to that firm (importers.plan.new_firms)
    created_by: int | None = None
    _signature: Any = None  # the row's parsed values (see duplicates.py)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def linked(self) -> bool:
        """Whether the row is the firm it is by the user's link: one he picked (人工关联)
        or the plan's 简称 offer he took (按简称匹配（已采用）)."""
        return self.matched_by in (LINKED, SHORT_NAME_TAKEN)

    @property
    def linkable(self) -> bool:
        """Whether the user may say which firm this row is: one the plan left unmatched,
        an error row naming a firm it could not pin down (two of one name), or one the
        user linked already (to change that)."""
        if self.linked:
            return True
        # a row with a valid code of its own is that firm, which is not in the database
        return self.enterprise_id is None and bool(self.name) and not self.credit_code and (
            self.action == UNMATCHED or (self.action == ERROR and bool(self.suggestions)))

    def error(self, problem: Problem) -> None:
        self.problems.append(problem)
        self.action = ERROR


@dataclass
class Plan:
    file_name: str
    sha256: str
    sheet: str
    kind: str
    headers: list[str]
    mapping: dict[int, str]
    metadata: dict[str, Any]
    rows: list[PlanRow]
    problems: list[Problem]  # about the file as a whole
    snapshot: tuple[int, int, int]  # see importers.plan.known.snapshot
    data_start: int = 0
    links: dict[int, Link] = field(default_factory=dict)  # Excel row → the user's choice
    unused_links: list[int] = field(default_factory=list)  # rows given that are no data row
    # the counties of the firms the plan writes (None: not known): on a server, the apply
    # holds an import lock of each, so that two imports into one county never interleave
    counties: frozenset[str | None] = frozenset()
    # 只补空白: values a firm has are kept (listed in ``overwrites``, not written);
    # else ``overwrites`` are the values the import writes over (importers.plan.overwrites)
    fill_blanks_only: bool = False
    overwrites: list[Any] = field(default_factory=list)
    # a plan the next import of the same file may reuse (importers.plan.replan): the digest
    # of its options ("" when the rows leave notes a reused plan would lose), and the rows
    # whose name differs from their firm's
    replan_key: str = ""
    replan_names: dict[int, str] = field(default_factory=dict)

    # a final list: the firms still 公示中 in its batches that it leaves out (name, code,
    # tier, batch), for the officer to look into; they stay 公示中
    not_in_final_list: list[dict[str, Any]] = field(default_factory=list)
    # 本单位负责的区县 as the database records them ("" when none), the writing rows of
    # firms outside them (left out, or taken in when ``other_counties_taken``), and of
    # these the rows without a credit code nor a firm of their name, which stay 未匹配
    # (not imported) even taken in: only ``other_unit_importable`` are
    unit_names: str = ""
    other_unit_rows: int = 0
    other_unit_unmatched: int = 0
    # of them, the rows of firms in the 回收站 (another county's): an error even taken in
    other_unit_binned: int = 0
    other_counties_taken: bool = False
    # the Excel rows of those firms the officer takes in (一并导入这些行): the import records
    # their firms as the unit's for the lists that come after (tiers.services.unit.taken_in)
    taken_in_rows: frozenset[int] = frozenset()
    # the rows asked to be taken in one by one that are no such row (a mistyped number)
    unused_take_rows: list[int] = field(default_factory=list)

    @property
    def other_unit_importable(self) -> int:
        """The rows outside the unit's counties that 一并导入 (--other-counties) writes."""
        return self.other_unit_rows - self.other_unit_unmatched - self.other_unit_binned

    @property
    def other_unit_binned_note(self) -> str:
        """What of those rows names a firm in the 回收站 (an error even taken in: restore
        it first), in the words both faces add; "" when none, or when those rows were
        taken in one by one (导入此行 / --take-row: the row says it, the line counts the
        rows left out)."""
        if not self.other_unit_binned or not (self.other_counties_taken or any(
                row.action == OTHER_UNIT and row.binned is not None for row in self.rows)):
            return ""
        return f"其中 {self.other_unit_binned:,} 行的企业在回收站中，一并导入也是错误，须先恢复"

    @property
    def other_unit_unmatched_why(self) -> str:
        """Why the ``other_unit_unmatched`` rows stay 未匹配 even taken in, in the words the
        faces both use (the wizard's preview, tiers import)."""
        return "未提供信用代码、库中没有该企业"

    @property
    def taken_as(self) -> str:
        """公示名单 or 认定名单 for a recognition list, else ""."""
        if self.kind != "recognitions":
            return ""
        return "公示名单" if self.metadata.get("pending") else "认定名单"

    def counts(self) -> dict[str, int]:
        result = {"rows": len(self.rows), CREATE: 0, UPDATE: 0, UNCHANGED: 0, UNMATCHED: 0,
                  ERROR: 0, OUTSIDE: 0, OTHER_UNIT: 0}
        for row in self.rows:
            result[row.action] += 1
        counts = {"rows": result["rows"], "created": result[CREATE], "updated": result[UPDATE],
                  "unchanged": result[UNCHANGED], "unmatched": result[UNMATCHED],
                  "errors": result[ERROR]}
        if result[OUTSIDE]:  # only when the login's counties left rows out
            counts["outside"] = result[OUTSIDE]
        if result[OTHER_UNIT]:  # only when the unit's counties left rows out
            counts["other_unit"] = result[OTHER_UNIT]
        return counts

    def short_name_links(self) -> dict[int, Link]:
        """采用简称匹配: a link for each row the plan marks 按简称匹配 (exactly one live firm
        fits its name without 有限公司 and the like, of the row's county if it names one)
        to that firm, the rows linked already aside. The wizard's button and
        ``tiers import --adopt-short-names`` take exactly these; plan again with them."""
        return {row.row: Link(row.short_match, name=row.name, short_name=True)
                for row in self.rows
                if row.short_match is not None and row.row not in self.links}

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for row in self.rows for p in row.problems)]

    @property
    def writes(self) -> bool:
        return any(row.action in (CREATE, UPDATE) for row in self.rows)

    def mapping_by_header(self) -> dict[str, str]:
        return {f"{column_letter(i)}:{self.headers[i] if i < len(self.headers) else ''}": key
                for i, key in sorted(self.mapping.items()) if key}



def listed(items: list[Any], most: int) -> str:
    """1、2、3 — the first ``most`` of them, then 等 when there are more."""
    return "、".join(map(str, items[:most])) + ("等" if len(items) > most else "")


def rows_listed(rows: list[int], most: int) -> str:
    """第 4、5、6 行, or with more than ``most`` 第 4、5、…、11 等行 (it read “11等 行”)."""
    shown = "、".join(map(str, rows[:most]))
    return f"第 {shown} 等行" if len(rows) > most else f"第 {shown} 行"


class SheetColumns:
    """Where a problem is, as Excel shows it: the sheet, and the column of a field."""

    __slots__ = ("columns_of", "sheet")

    def __init__(self, sheet: str, mapping: dict[int, str]) -> None:
        self.sheet = sheet
        self.columns_of: dict[str, int] = {}  # field → its first column
        for index, key in sorted(mapping.items()):
            self.columns_of.setdefault(key, index)

    def problem(self, row: int, key: str, value: Any, message: str,
                severity: str = "error", hint_field: str = "") -> Problem:
        column = column_letter(self.columns_of[key]) if key in self.columns_of else ""
        return Problem(self.sheet, row, column, value, message, severity, hint_field)


def same_value(old: Any, new: Any) -> bool:
    """A recorded value and a row's the same: amounts as decimals (50 and 50.0), blanks alike."""
    if isinstance(old, (Decimal, float)) or isinstance(new, (Decimal, float)):
        try:
            return old is not None and new is not None and Decimal(str(old)) == Decimal(str(new))
        except ArithmeticError:
            return False
    if old in (None, "") and new in (None, ""):
        return True
    return old == new
