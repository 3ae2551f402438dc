"""The plan: for each data row, what the import would do (create / update field by field /
unchanged / unmatched / error) and the problems found. Nothing is written here.

Everything the rows are compared with is loaded once up front (enterprises, former names,
and the kind's records), so 100k rows cost dictionary look-ups, not 100k SELECTs.

Which unmatched rows create an enterprise:
- an enterprise roster (企业名录) is the county's own list: every row with a valid credit code
  and a name creates its firm, wherever the code says it was registered;
- a recognition list (认定名单) is national or provincial and carries other areas' firms: a row
  with a valid code creates its firm only when the code's registering division (positions
  3–8) is in Jiangsu (32…) or the row's county column names a known county; otherwise it is
  left unmatched with a warning naming the province. A row without a code never creates;
- support measures and annual figures only attach to firms already in the database.
A new firm without a county in the file takes the county of its code's registering
division when that is a current Jiangsu county (91320412… → 武进区), with a warning; a
registration by a 设区市 (320400) gives none. A 设区市 written in a county column (常州市)
never replaces a county; the 设区市 column beside it only tells same-named counties apart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from importers import columns
from importers import values as parse
from importers.errors import ImportRefused, Problem, column_letter
from importers.read.detect import FIGURE_FIELDS, Detection
from tiers.model import credit_code, reference
from tiers.model.names import (
    clean_display,
    clean_displays,
    key_of_display,
    keys_of_displays,
    name_key,
)
from tiers.model.orm import (
    AnnualFigures,
    Change,
    Enterprise,
    FormerName,
    ImportBatch,
    Recognition,
    SupportMeasure,
)
from tiers.progress import Progress, paused_gc
from tiers.services import figures as figures_service
from tiers.services import measures as measures_service
from tiers.services import recognitions as recognitions_service
from tiers.services.errors import ValidationError
from tiers.text import changes as change_text

CREATE, UPDATE, UNCHANGED, UNMATCHED, ERROR = "create", "update", "unchanged", "unmatched", "error"
ACTION_LABELS = {CREATE: "新增", UPDATE: "更新", UNCHANGED: "无变化", UNMATCHED: "未匹配",
                 ERROR: "错误"}
PROGRESS_EVERY = 2000

ENTERPRISE_TEXT = ("town", "address", "industry", "main_product", "legal_representative",
                   "contact_person", "contact_phone", "size", "listing_status", "tags",
                   "legacy_code")
ENTERPRISE_COLUMNS = ("name", "county_code", "county_name", "founded_on", "notes",
                      *ENTERPRISE_TEXT)
_LIMITED_TEXT = frozenset(("town", "address", "main_product", "industry", "contact_phone",
                           "contact_person", "legal_representative", "tags", "listing_status"))
RECOGNITION_EXPLICIT = ("level", "batch_label", "batch_year", "is_review", "review_of_batch",
                        "document_number", "recognized_on", "valid_until", "chain_code", "note")
_MISSING = object()
_CACHEABLE = frozenset({str, int, float, dt.date, dt.datetime})  # immutable, hashable
_SKIP = object()  # a blank cell (or one that parses to nothing): never overwrites


class _Failed:
    """A cell that could not be parsed as its column's type (the message to follow the
    column's label), or whose value a service refused (``whole``: the message says it all)."""

    __slots__ = ("message", "whole")

    def __init__(self, message: str, whole: bool = False) -> None:
        self.message = message
        self.whole = whole

def _outcome(parse_cell: Any, *args: Any) -> Any:
    """A parser's result as a parsed column holds it: the value, _SKIP when it gives
    nothing, _Failed with the message when it refuses the cell."""
    try:
        value = parse_cell(*args)
    except parse.ValueProblem as exc:
        return _Failed(str(exc))
    return _SKIP if value is None else value


def _odd(value: Any) -> bool:
    return value is _SKIP or type(value) is _Failed


_FOOTER = re.compile(r"^(注|说明|备注|附注|合计|总计|小计|共计|填表|制表|审核|负责人|联系人[:：]|"
                     r"单位负责人|统计负责人|填报日期|日期[:：]|以上|其中)")
# the first characters a footer line can start with: other rows skip the regex
_FOOTER_FIRST = frozenset("注说备附合总小共填制审负联单统日以其")
_SCIENTIFIC = re.compile(r"^\d\.\d+[eE]\+\d+$")  # 9.13204E+17, as a CSV may hold it
_COUNT = re.compile(r"^[共计]?\s*[0-9０-９,，]+\s*(家|户|个|项|条|人|万元)?$")


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


LINKED = "人工关联"  # PlanRow.matched_by of a row the user linked


@dataclass(slots=True)  # one per data row: no __dict__ each (100k rows)
class PlanRow:
    row: int  # Excel row number
    action: str
    name: str = ""
    credit_code: str = ""  # the valid code, normalised ("" when none or not valid)
    code_as_written: str = ""  # a code that is not valid, as the cell holds it (shown)
    enterprise_id: int | None = None
    matched_by: str = ""  # 信用代码 / 企业名称 / 曾用名
    create_values: dict[str, Any] | None = None  # the new enterprise, when action is create
    changes: list[FieldChange] = field(default_factory=list)  # enterprise fields
    records: list[RecordChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    cells: list[Any] | None = None  # the row as read, kept for rows with problems
    _signature: Any = None  # the row's parsed values (see _duplicates), for duplicates

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def linkable(self) -> bool:
        """Whether the user may say which firm this row is: one the plan left unmatched,
        an error row naming a firm it could not pin down (two of one name), or one the
        user linked already (to change that)."""
        if self.matched_by == LINKED:
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
    snapshot: tuple[int, int]  # (max change id, max enterprise id) when planned
    data_start: int = 0
    links: dict[int, Link] = field(default_factory=dict)  # Excel row → the user's choice
    unused_links: list[int] = field(default_factory=list)  # rows given that are no data row

    def counts(self) -> dict[str, int]:
        result = {"rows": len(self.rows), CREATE: 0, UPDATE: 0, UNCHANGED: 0, UNMATCHED: 0,
                  ERROR: 0}
        for row in self.rows:
            result[row.action] += 1
        return {"rows": result["rows"], "created": result[CREATE], "updated": result[UPDATE],
                "unchanged": result[UNCHANGED], "unmatched": result[UNMATCHED],
                "errors": result[ERROR]}

    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for row in self.rows for p in row.problems)]

    @property
    def writes(self) -> bool:
        return any(row.action in (CREATE, UPDATE) for row in self.rows)

    def mapping_by_header(self) -> dict[str, str]:
        return {f"{column_letter(i)}:{self.headers[i] if i < len(self.headers) else ''}": key
                for i, key in sorted(self.mapping.items()) if key}


# --- preloaded state ------------------------------------------------------------------------

class _Known:
    """The database as the plan sees it, loaded in a few queries."""

    def __init__(self, session: Session, kind: str) -> None:
        table = Enterprise.__table__
        cols = [table.c.id, table.c.credit_code, table.c.name_key, table.c.deleted_at,
                *(table.c[name] for name in ENTERPRISE_COLUMNS)]
        self.by_id: dict[int, dict[str, Any]] = {}
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_former: dict[str, list[int]] = {}
        self.keys_of: dict[int, set[str]] = {}
        # straight from the driver, all rows at once, zipped with the names: SQLAlchemy's
        # row processing (its date parsing above all) was most of this for 100k firms
        names = tuple(column.name for column in cols)
        quoted = ", ".join(f'"{name}"' for name in names)
        rows = session.connection().exec_driver_sql(
            f'SELECT {quoted} FROM "{table.name}"').all()
        founded, deleted = names.index("founded_on"), names.index("deleted_at")
        for row in rows:
            data = dict(zip(names, row, strict=True))
            if row[founded] is not None:
                data["founded_on"] = _date_of(row[founded])
            if row[deleted] is not None:
                data["deleted_at"] = dt.datetime.fromisoformat(row[deleted])
            self.by_id[data["id"]] = data
            self.by_code[data["credit_code"]] = data["id"]
            if data["deleted_at"] is None:
                self.by_name.setdefault(data["name_key"], []).append(data["id"])
        for enterprise_id, key in session.execute(
                select(FormerName.enterprise_id, FormerName.name_key)).all():
            self.keys_of.setdefault(enterprise_id, set()).add(key)
            current = self.by_id.get(enterprise_id)
            if current is not None and current["deleted_at"] is None:
                self.by_former.setdefault(key, []).append(enterprise_id)
        self.recognitions: dict[tuple, dict[str, Any]] = {}
        self.figures: dict[tuple[int, int], dict[str, Any]] = {}
        if kind == "recognitions":
            rec = Recognition.__table__
            result = session.execute(select(rec))
            names = tuple(result.keys())
            for values in result.all():
                row = dict(zip(names, values, strict=True))
                key = (row["enterprise_id"], row["tier_code"], row["batch_label"],
                       row["batch_year"])
                self.recognitions[key] = row
        if kind in ("figures", "roster"):
            fig = AnnualFigures.__table__
            result = session.execute(select(fig))
            names = tuple(result.keys())
            for values in result.all():
                row = dict(zip(names, values, strict=True))
                self.figures[(row["enterprise_id"], row["year"])] = row
        # support measures by (enterprise, kind, name, year): a row with the same amount is
        # that measure; one with another amount may be a correction of it (see
        # _Planner.correct_measures)
        self.measures_of: dict[tuple, list[dict[str, Any]]] = {}
        if kind == "support":
            sm = SupportMeasure.__table__
            result = session.execute(select(sm.c.id, sm.c.enterprise_id, *(
                sm.c[name] for name in measures_service.FIELDS)))
            names = tuple(result.keys())
            for values in result.all():
                row = dict(zip(names, values, strict=True))
                self.measures_of.setdefault(_measure_identity(row["enterprise_id"], row),
                                            []).append(row)
        self.snapshot = (session.scalar(select(func.max(Change.id))) or 0,
                         session.scalar(select(func.max(Enterprise.id))) or 0)
        self._cores: dict[str, list[int]] | None = None

    def cores(self) -> dict[str, list[int]]:
        if self._cores is None:
            self._cores = {}
            for enterprise_id, data in self.by_id.items():
                if data["deleted_at"] is None:
                    self._cores.setdefault(_core(data["name_key"]), []).append(enterprise_id)
        return self._cores


def _date_of(stored: str) -> dt.date:
    """A Date column's text as SQLite stores it (2015-03-08) back to a date."""
    return dt.date.fromisoformat(stored[:10])


def _measure_identity(enterprise_id: int | None, values: dict[str, Any]) -> tuple:
    """A support measure as a firm has it once a year: kind, name (the amount may be
    corrected)."""
    return (enterprise_id, values["kind"] or "", values["name"] or "", values["year"])


@lru_cache(maxsize=1)
def _region_prefixes() -> tuple[str, ...]:
    names = {"江苏省", "江苏", "中国"}
    for division in reference.divisions():
        names.add(division.name)
        if len(division.name) > 2:
            names.add(division.name[:-1])
    return tuple(sorted((name_key(n) for n in names), key=len, reverse=True))


_SUFFIXES = ("股份有限公司", "集团有限公司", "有限责任公司", "有限公司", "股份公司", "集团", "公司", "厂")


def _core(key: str) -> str:
    """A name without its region and company-form words: 常州恒立液压有限公司 → 恒立液压."""
    changed = True
    while changed:
        changed = False
        for prefix in _region_prefixes():
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                key, changed = key[len(prefix):], True
                break
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    return key


@lru_cache(maxsize=4096)
def _county(text: str) -> tuple[str | None, str]:
    return reference.resolve_county(text)


@lru_cache(maxsize=1)
def _cities() -> dict[str, reference.Division]:
    """设区市 and the province by name, with and without 市/省: 常州市, 常州."""
    out: dict[str, reference.Division] = {}
    for item in reference.divisions():
        if item.level in ("设区市", "省") and item.current:
            out[item.name] = item
            out[item.name[:-1]] = item
    return out


@lru_cache(maxsize=4096)
def county_of(text: str | None, city: str | None = None) -> tuple[str | None, str | None]:
    """The county a 县区/地区 cell names, with the 设区市 cell beside it as a tie-breaker:
    (code, name) for a known county; (None, text) for a unit without a code (开发区);
    (None, None) when the cell names no county at all: a 设区市 (常州市) or the province, which
    must never replace a county. 鼓楼区 beside 南京市 → 320106."""
    raw = "".join((text or "").split())
    city_raw = "".join((city or "").split())
    if not raw:
        return None, None
    code, name = _county(raw)
    if code is None and city_raw and city_raw not in raw:
        code, name = _county(city_raw + raw)
        if code is None and city_raw in _cities():
            code, name = _county(_cities()[city_raw].name + raw)
    if code is not None:
        return code, name
    if raw in _cities():
        return None, None
    return None, raw


def county_from_code(code: str) -> tuple[str, str] | None:
    """The county of the registering authority, from positions 3–8 of a credit code
    (91320412… → 320412 武进区), when that is a Jiangsu county (an old code is followed to
    the county that replaced it); None for a 设区市 (320400) or anywhere else."""
    return _county_of_division(code[2:8])


@lru_cache(maxsize=512)
def _county_of_division(division_code: str) -> tuple[str, str] | None:
    division = reference.division(division_code)
    if division is None or division.level != "县级":
        return None
    if division.replaced_by:
        division = reference.division(division.replaced_by) or division
    return division.code, division.name


_PROVINCES = {"11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁",
              "22": "吉林", "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽",
              "35": "福建", "36": "江西", "37": "山东", "41": "河南", "42": "湖北", "43": "湖南",
              "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
              "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏",
              "65": "新疆", "10": "国家市场监管总局"}


def _province_of(code: str) -> str:
    return _PROVINCES.get(code[2:4], "外省")


def change_lines(changes: list[FieldChange]) -> list[tuple[str, Any, Any]]:
    """(label, old, new) to show: the county's code and name as one line, 武进区（320412）."""
    by_field = {c.field: c for c in changes}
    lines: list[tuple[str, Any, Any]] = []
    for change in changes:
        if change.field == "county_name" and "county_code" in by_field:
            continue
        if change.field == "county_code":
            named = by_field.get("county_name")
            old_name = named.old if named else None
            new_name = named.new if named else None
            lines.append((change.label, _county_text(change.old, old_name),
                          _county_text(change.new, new_name)))
            continue
        lines.append((change.label, change.old, change.new))
    return lines


# a new firm's fields the preview leaves out: shown in their own columns, or derived
_NOT_LISTED = frozenset(("name", "credit_code", "name_key", "county_code"))
_LISTED_ORDER = {key: i for i, key in enumerate((
    "county_name", "town", "address", "industry", "main_product", "founded_on", "size",
    "legal_representative", "contact_person", "contact_phone", "listing_status", "tags",
    "legacy_code", "former_name", "notes"))}


def content_lines(row: PlanRow) -> list[str]:
    """What the row writes, as the preview lists it: a new firm's fields (县区 …, 联系电话 …),
    the fields it changes (old → new), the records it adds or updates. Nothing for a row
    that writes nothing (an error, unmatched, or merged into an earlier row)."""
    lines: list[str] = []
    if row.action not in (CREATE, UPDATE):
        return lines
    values = row.create_values or {}
    for key in sorted(values, key=lambda k: _LISTED_ORDER.get(k, len(_LISTED_ORDER))):
        value = values[key]
        if key in _NOT_LISTED or value in (None, ""):
            continue
        if key == "county_name":
            value = _county_text(values.get("county_code"), value)
        label = "曾用名" if key == "former_name" else change_text.field_label("enterprise", key)
        lines.append(f"{label}：{display_value(value)}")
    lines += [f"{label}：{display_value(old)} → {display_value(new)}"
              for label, old, new in change_lines(row.changes)]
    for record in row.records:
        verb = "新增" if record.action == CREATE else "更新"
        text = f"{verb}{'' if record.entity == 'former_name' else ' '}{record.description}"
        if record.entity == "annual_figures" and record.action == CREATE:
            figures = "、".join(f"{change_text.field_label(record.entity, k)} {display_value(v)}"
                               for k, v in record.values.items()
                               if k != "year" and v not in (None, ""))
            text += f"（{figures}）" if figures else ""
        lines.append(text)
    return lines


def display_value(value: Any) -> str:
    """A value as the preview shows it: amounts with no trailing zeros and never in
    scientific notation (89372.9900 → 89372.99, 1E+2 → 100), dates as 2024-03-08, 是/否."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (Decimal, float)):
        try:
            number = Decimal(str(value)).normalize()
        except ArithmeticError:
            return str(value)
        text = format(number, "f")
        return "0" if text in ("-0", "") else text
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _county_text(code: str | None, name: str | None) -> str | None:
    if code and name:
        return f"{name}（{code}）"
    if code:
        division = reference.division(code)
        return f"{division.name}（{code}）" if division else code
    return name or None


# --- the row loop -------------------------------------------------------------------------

def _effective_mapping(detection: Detection) -> dict[int, str]:
    allowed = {key for key, spec in columns.fields().items() if detection.kind in spec.kinds}
    allowed |= {"name", "credit_code"}
    if detection.kind in ("recognitions", "support", "figures"):
        # such lists may carry some of the roster's columns: fill blanks of new firms
        allowed |= {"county", "town", "main_product", "address", "contact_person",
                    "contact_phone", "legal_representative", "industry"}
    return {i: k for i, k in detection.mapping.items() if k and k in allowed}


def build_plan(session: Session, detection: Detection, *, today: dt.date | None = None,
               links: dict[int, Link] | None = None) -> Generator[Progress, None, Plan]:
    """Compare every data row with the database. Yields Progress; returns the Plan.
    ``links`` (Excel row → Link) are the firms the user chose for rows the last plan left
    unmatched: such a row is matched to that firm whatever its name says.
    Raises ImportRefused when the sheet cannot be imported as the kind chosen."""
    today = today or dt.date.today()
    links = dict(links or {})
    kind = detection.kind
    sheet = detection.source.sheet(detection.sheet)
    mapping = _effective_mapping(detection)
    mapped = set(mapping.values())
    if not mapped & {"name", "credit_code"}:
        raise ImportRefused("没有映射到“企业名称”或“统一社会信用代码”的列，无法匹配企业。")
    meta = detection.metadata
    if kind == "recognitions" and "tier" not in mapped and meta.tier is None:
        raise ImportRefused("未能从标题、工作表名或文件名识别梯度层级（如 小巨人、省级专精特新），"
                            "请指定（导入向导中的“梯度层级”，命令行用 --tier）。")
    problems = list(detection.problems)
    left_out = [i for i, k in detection.mapping.items() if k in FIGURE_FIELDS and i not in mapping]
    if left_out:
        listed = _listed([f"{column_letter(i)} {detection.headers[i].split('/')[-1]}"
                          for i in left_out], 4)
        problems.append(Problem(detection.sheet, None, "", None,
                                f"{listed}是年度数据，“{columns.KIND_LABELS[kind]}”不导入这些列；"
                                "如需导入，请把同一文件按“年度数据”再导入一次", "warning"))
    yeared = {i for i, k in mapping.items() if k in FIGURE_FIELDS and i in detection.header_years}
    if (meta.year_given and meta.batch_year is not None and yeared
            and yeared == {i for i, k in mapping.items() if k in FIGURE_FIELDS}):
        # every figure column names its year (营业收入 2024年 | 2025年): a year the user gave
        # picks one of them. (With some columns yearless, the given year is theirs.)
        mapping = {i: k for i, k in mapping.items()
                   if i not in yeared or detection.header_years[i] == meta.batch_year}
        others = sorted({detection.header_years[i] for i in yeared} - {meta.batch_year})
        if others and any(k in FIGURE_FIELDS for k in mapping.values()):
            problems.append(Problem(
                detection.sheet, None, "", meta.batch_year,
                f"表中还有 {'、'.join(map(str, others))} 年的数据列：按指定的年度只导入 "
                f"{meta.batch_year} 年的列；如需导入全部年度，请不要指定年度", "warning"))
        if not any(k in FIGURE_FIELDS for k in mapping.values()):
            found = "、".join(str(y) for y in sorted({detection.header_years[i] for i in yeared}))
            message = f"表中没有 {meta.batch_year} 年的数据列（有 {found} 年）"
            if kind == "figures":
                raise ImportRefused(message + "，请检查指定的年度。")
            problems.append(Problem(detection.sheet, None, "", meta.batch_year,
                                    message + "，年度数据未导入", "warning"))
        mapped = set(mapping.values())
    fields_by_year_column = {i: detection.header_years[i] for i in mapping
                             if i in detection.header_years}
    shared: dict[tuple[str, int | None], list[int]] = {}
    for i, k in sorted(mapping.items()):
        if k in FIGURE_FIELDS:
            shared.setdefault((k, fields_by_year_column.get(i)), []).append(i)
    for (key, year), indexes in shared.items():
        if len(indexes) > 1:  # 营业收入 twice, or a column mapped by hand onto another's field
            listed = "、".join(column_letter(i) for i in indexes)
            when = f"（{year}年）" if year is not None else ""
            problems.append(Problem(
                detection.sheet, None, "", None,
                f"{listed} 列都对应“{columns.field_label(key)}”{when}：每行取其中第一个有值的列，"
                "如不对请在导入向导中改正列的对应", "warning"))
    figure_columns = {i for i, k in mapping.items() if k in FIGURE_FIELDS}
    year_known = ("year" in mapped or meta.batch_year is not None
                  or len(fields_by_year_column) == len(figure_columns))
    if figure_columns and not year_known:
        if kind == "figures":
            raise ImportRefused("年度数据需要年度：表中没有“年度”列，标题和表头也没写年份，请指定（导入向导中的“年度”，命令行用 --year）。")
        problems.append(Problem(detection.sheet, None, "", None,
                                "表中有年度数据列（营业收入等），但未写明年度，这些列未导入；"
                                "如需导入请指定年度（导入向导中的“年度”，命令行用 --year）", "warning"))
        mapping = {i: k for i, k in mapping.items() if i not in figure_columns}
    if (figure_columns & set(mapping) and "year" not in mapped
            and len(fields_by_year_column) < len(figure_columns)):
        problems.append(Problem(detection.sheet, None, "", meta.batch_year,
                                f"表中未写年度的数据列（营业收入等）记入 {meta.batch_year} 年"
                                "（取自标题或指定的年度），如不对请指定年度", "warning"))
    session.flush()
    with paused_gc():  # 100k dicts per table: no collection walking them as they come
        known = _Known(session, kind)
    previous = session.execute(
        select(ImportBatch.id, ImportBatch.created_at, ImportBatch.sheet, ImportBatch.kind)
        .where(ImportBatch.sha256 == detection.source.sha256, ImportBatch.undone_at.is_(None))
        .order_by((ImportBatch.sheet == detection.sheet) & (ImportBatch.kind == kind))
    ).all()
    if previous:
        batch_id, at, sheet_name, previous_kind = previous[-1]  # the same sheet and kind first
        if (sheet_name, previous_kind) == (detection.sheet, kind):
            message = (f"此文件已于 {at:%Y-%m-%d %H:%M} 导入过（批次 {batch_id}），"
                       "重复导入不会产生变化")
        else:
            label = columns.KIND_LABELS.get(previous_kind, previous_kind)
            message = (f"此文件的工作表“{sheet_name}”已于 {at:%Y-%m-%d %H:%M} 按“{label}”导入过"
                       f"（批次 {batch_id}）")
        problems.append(Problem(detection.sheet, None, "", None, message, "warning"))
    planner = _Planner(detection, mapping, known, today, links)
    total = max(len(sheet.rows) - detection.data_start, 0)
    rows: list[PlanRow] = []
    with paused_gc():
        planner.parse_columns(sheet.rows, detection.data_start)
        for offset, index in enumerate(range(detection.data_start, len(sheet.rows))):
            if offset % PROGRESS_EVERY == 0:
                yield Progress("比对", offset, total)
            planned = planner.row(index, sheet.rows[index])
            if planned is not None:
                rows.append(planned)
    planner.correct_measures()
    planner.suggest(rows)
    unused = sorted(set(links) - {row.row for row in rows})
    for row_number in unused:  # a row number that names no data row (the header, a typo)
        del links[row_number]
    if unused:
        listed = "、".join(map(str, unused))
        problems.append(Problem(detection.sheet, None, "", None,
                                f"指定关联的第 {listed} 行不是数据行，未使用：请核对行号", "warning"))
    problems.extend(planner.county_notes())
    problems.extend(planner.month_notes())
    if planner.rows_without_year:
        listed = _listed(planner.rows_without_year, 5)
        problems.append(Problem(detection.sheet, None, "", None,
                                f"未给出认定年度，无法推算有效期（第 {listed} 行，共 "
                                f"{len(planner.rows_without_year)} 行）：请指定年度"
                                "（导入向导中的“年度”，命令行用 --year）",
                                "warning"))
    yield Progress("比对", total, total)
    if not rows:
        raise ImportRefused(f"工作表“{detection.sheet}”在表头之后没有可导入的数据行。")
    batch_year = meta.year  # 第五批 小巨人 → 2023
    metadata = {"tier": meta.tier, "level": meta.level, "batch_label": meta.batch_label,
                "batch_year": batch_year, "is_review": meta.is_review,
                "title": meta.title}
    return Plan(file_name=detection.source.file_name, sha256=detection.source.sha256,
                sheet=detection.sheet, kind=kind, headers=list(detection.headers),
                mapping=dict(mapping), metadata=metadata, rows=rows, problems=problems,
                snapshot=known.snapshot, data_start=detection.data_start, links=links,
                unused_links=unused)


class _Planner:
    def __init__(self, detection: Detection, mapping: dict[int, str], known: _Known,
                 today: dt.date, links: dict[int, Link] | None = None) -> None:
        self.detection = detection
        self.links = links or {}
        self.sheet = detection.sheet
        self.kind = detection.kind
        self.mapping = mapping
        self.known = known
        self.today = today
        self.specs = columns.fields()
        self.columns_of: dict[str, int] = {}
        for index, key in sorted(mapping.items()):
            self.columns_of.setdefault(key, index)
        self.first_row_of: dict[tuple, PlanRow] = {}
        self.header_keys = [columns.normalise_header(h) for h in detection.headers]
        self.header_texts = {i: h.split("/")[-1].strip() for i, h in enumerate(detection.headers)}
        self.sizes = reference.pick_lists()["enterprise_sizes"]
        self.size_of: dict[str, str | None] = {}
        self.counties: dict[tuple[str, str | None], tuple[str | None, str | None]] = {}
        self.start = 0
        self.name_key: str | None = None  # of the row's name, when _match computed it
        self.parsed_columns: list[tuple[int, str, list[Any], Any, str]] = []
        self.name_keys: list[str | None] | None = None  # see parse_columns
        self.codes: list[str | None] | None = None
        self.long_texts = True  # see parse_columns
        # the parsed columns whose key no other column has and that name no year, row by row
        # (fast_rows), and the rest (slow_columns, read cell by cell)
        self.fast_keys: tuple[str, ...] = ()
        self.fast_rows: list[tuple[Any, ...]] = []
        self.slow_columns: list[tuple[int, str, list[Any], Any, str]] = []
        self.blank_rows: set[int] = set()  # offsets with a blank among the fast columns
        self.failed_rows: set[int] = set()  # offsets with a cell that failed to parse
        self.figure_keys: tuple[str, ...] = ()
        self.key_column = self.columns_of.get("name", self.columns_of.get("credit_code"))
        self.key_header = self.header_texts.get(self.key_column)
        # the text fields a row can carry: those mapped, and 原注册号 (an old registration
        # number found in the credit-code column is kept as it)
        self.text_keys = tuple(k for k in ENTERPRISE_TEXT
                               if k in self.columns_of or k == "legacy_code")
        self.city_column = next((i for i, h in enumerate(detection.headers)
                                 if columns.is_city_header(h.split("/")[-1])
                                 or columns.is_city_header(h)), None)
        self.row_city: str | None = None
        self.rows_without_year: list[int] = []  # recognitions whose validity can't be known
        self.counties_inferred: dict[tuple[str, str], list[PlanRow]] = {}
        self.measures_claimed: set[int] = set()  # recorded measures a row of the file is
        # new measures for firms that have some: (row, record, fields given, Excel row)
        self.new_measures: list[tuple[PlanRow, RecordChange, set[str], int]] = []
        # date columns with cells naming a month only (Excel rows), read as its first day
        self.month_only: list[tuple[int, str, list[int]]] = []

    # -- helpers
    def problem(self, row: int, key: str, value: Any, message: str,
                severity: str = "error") -> Problem:
        column = column_letter(self.columns_of[key]) if key in self.columns_of else ""
        return Problem(self.sheet, row, column, value, message, severity)

    def _skippable(self, cells: list[Any]) -> bool:
        name_col = self.key_column
        key_value = cells[name_col] if name_col is not None and name_col < len(cells) else None
        if type(key_value) is str:  # the common case: a row naming its firm
            key_text = key_value.strip()
            if (len(key_text) > 6 and not key_text[0].isdigit()
                    and (key_text[0] not in _FOOTER_FIRST or not _FOOTER.match(key_text))
                    and key_text != self.key_header):
                return False
        filled = [c for c in cells if not parse.is_blank(c)]
        if not filled:
            return True
        first = parse.text(filled[0]) or ""
        key_text = parse.text(key_value)
        if _FOOTER.match(first) and (key_text is None or key_text == first
                                     or _FOOTER.match(key_text)
                                     or _COUNT.match(key_text)):  # 合计 | 5家
            return True
        # the header repeated (page breaks) or a numbering row (1 2 3 … / 栏次)
        keys = [columns.normalise_header(c) for c in cells]
        if sum(1 for i, k in enumerate(keys) if k and i < len(self.header_keys)
               and k == self.header_keys[i]) >= 2:
            return True
        numbers = [parse.text(c) for c in filled]
        return len(numbers) >= 3 and all(
            (n or "").strip("()（）") == str(i + 1) for i, n in enumerate(numbers))

    # -- one row
    def row(self, index: int, cells: list[Any]) -> PlanRow | None:
        if self._skippable(cells):
            return None
        excel_row = index + 1
        planned = PlanRow(row=excel_row, action=UNCHANGED)
        figure_years: dict[str, dict[str, Any]] = {}
        offset = index - self.start
        # the columns read as a whole (see parse_columns): one dict per row, the blanks
        # left out; a row with a cell that failed to parse goes cell by cell below
        columns = self.parsed_columns
        made_key = made_code = None  # the name's key and the valid code, by parse_columns
        signature: Any = None  # what the row reads, to tell a repeated row from a conflict
        if offset in self.failed_rows:
            parsed: dict[str, Any] = {}
        else:
            if self.name_keys is not None:
                made_key = self.name_keys[offset]
            if self.codes is not None:
                made_code = self.codes[offset]
            values = self.fast_rows[offset]
            if offset in self.blank_rows:
                parsed = {k: v for k, v in zip(self.fast_keys, values, strict=True)
                          if v is not _SKIP}
            else:
                parsed = dict(zip(self.fast_keys, values, strict=False))  # one length, by making
            columns = self.slow_columns
            if not columns:  # the fast columns are all it reads: kept instead of the dict
                signature = values
        for column, key, values, year, label in columns:
            value = values[offset]
            if value is _SKIP:
                continue
            if type(value) is _Failed:
                if key == "is_review":  # a 类型 column saying 制造类/创新类: not about 复核
                    planned.problems.append(Problem(
                        self.sheet, excel_row, column_letter(column), cells[column],
                        f"{label}：未识别为“新认定”或“复核”，按名单本身（标题）处理", "warning"))
                    continue
                message = value.message if value.whole else f"{label}：{value.message}"
                planned.error(Problem(self.sheet, excel_row, column_letter(column),
                                      cells[column], message))
                continue
            if year is not None:  # the first column with a value wins, as for the others
                figure_years.setdefault(str(year), {}).setdefault(key, value)
            elif key not in parsed:
                parsed[key] = value
        name = parsed.get("name")
        raw_code = parsed.get("credit_code")
        self.row_city = (parse.text(cells[self.city_column])
                         if self.city_column is not None and self.city_column < len(cells) else None)
        if name is None and raw_code is None:
            distinct = {parse.text(c) for c in cells if not parse.is_blank(c)}
            if len(distinct) <= 1 and not planned.problems:
                return None  # a section line such as “一、南京市”
            planned.error(Problem(self.sheet, excel_row, "", None,
                                  "缺少企业名称和统一社会信用代码，无法确定是哪家企业"))
        planned.name = name or ""
        code = made_code
        if code is None and raw_code is not None:
            try:
                code = credit_code.validate(raw_code)
            except credit_code.CreditCodeError as exc:
                planned.code_as_written = self._code_as_written(cells, raw_code)
                normalised = credit_code.normalise(raw_code)
                if re.fullmatch(r"\d{15}|[0-9A-Z]{8}-?[0-9X]", normalised):
                    parsed.setdefault("legacy_code", normalised)
                    planned.problems.append(self.problem(
                        excel_row, "credit_code", raw_code,
                        "这是旧的工商注册号/组织机构代码，不是统一社会信用代码：已作为“原注册号”，按企业名称匹配",
                        "warning"))
                elif self._code_cell_is_a_number(cells):
                    planned.error(self.problem(
                        excel_row, "credit_code", raw_code,
                        f"统一社会信用代码被表格软件当成了数字（{raw_code}），原来的代码已无法还原："
                        "请把该列设为“文本”格式后重新填写"))
                else:
                    planned.error(self.problem(excel_row, "credit_code", raw_code, str(exc)))
        planned.credit_code = code or ""
        planned.cells = cells  # the sheet's own list: no copy
        if planned.action == ERROR and name is None and code is None:
            return planned
        enterprise_values = self._enterprise_values(parsed, planned, excel_row)
        link = self.links.get(excel_row) if self.links else None
        if link is not None:
            self._link(planned, link, code, name, excel_row)
        else:
            self._match(planned, code, name, excel_row, made_key)
        if planned.enterprise_id is None and planned.action != ERROR:
            can_create = self.kind in ("roster", "recognitions") and code is not None
            if can_create and name is None:
                planned.error(self.problem(excel_row, "credit_code", raw_code,
                                           "库中没有此信用代码的企业，且缺少企业名称，无法新建"))
            elif can_create and self.kind == "recognitions" and code[2:4] != "32" and not (
                    enterprise_values.get("county_code")):
                # a national list carries other provinces' firms: not ours to create
                planned.action = UNMATCHED
                where = _province_of(code)
                planned.problems.append(self.problem(
                    excel_row, "credit_code", code,
                    f"库中没有该企业，信用代码显示登记机关在{where}（第3–8位 {code[2:8]}），"
                    "不是省内企业，不新建", "warning"))
            elif can_create:
                planned.action = CREATE
                planned.create_values = enterprise_values  # made for this row: no copy
                enterprise_values["credit_code"] = code
                if self.name_key is not None:  # computed for the match: apply stores it
                    enterprise_values["name_key"] = self.name_key
                if not enterprise_values.get("county_code") and not enterprise_values.get(
                        "county_name"):
                    self._county_from_code(planned, code, excel_row)
            else:
                planned.action = UNMATCHED
                reason = ("库中没有该企业（未提供信用代码，不会新建）" if code is None
                          else "库中没有该企业；扶持措施和年度数据只关联已有企业，请先导入企业名录")
                planned.problems.append(Problem(self.sheet, excel_row, "", name or code,
                                                reason, "warning"))
        elif planned.enterprise_id is not None and planned.action != ERROR:
            self._enterprise_changes(planned, enterprise_values, excel_row)
        if planned.action in (CREATE, UPDATE, UNCHANGED):
            self._records(planned, parsed, figure_years, excel_row)
        if planned.action == UNCHANGED and (planned.changes or planned.records):
            planned.action = UPDATE
        self._duplicates(planned, parsed, figure_years, excel_row,
                         parsed if signature is None else signature)
        return planned

    def _code_as_written(self, cells: list[Any], raw_code: Any) -> str:
        """The code cell as Excel shows it: a number as 9.13204E+17, not its 18 digits."""
        column = self.columns_of.get("credit_code")
        cell = cells[column] if column is not None and column < len(cells) else raw_code
        if type(cell) is float:
            return f"{cell:.6G}"
        return str(cell if cell is not None else raw_code).strip()

    def _code_cell_is_a_number(self, cells: list[Any]) -> bool:
        """A code saved as a number: Excel keeps 15 digits, and a code such as 9132…4E82
        reads as 9.13E+82. (A 15-digit number is an old registration number, kept.)"""
        column = self.columns_of.get("credit_code")
        cell = cells[column] if column is not None and column < len(cells) else None
        return type(cell) is float or (type(cell) is str and bool(_SCIENTIFIC.match(cell.strip())))

    def _county_from_code(self, planned: PlanRow, code: str, row: int) -> None:
        """A new firm with no county in the file: the registering authority's county from
        its credit code, unless the file's 设区市 column says another city."""
        inferred = county_from_code(code)
        if inferred is None or planned.create_values is None:
            return
        county = reference.division(inferred[0])
        city = _cities().get("".join((self.row_city or "").split()))
        if city is not None and county is not None and city.level == "设区市" and (
                county.parent_code != city.code):
            return
        planned.create_values["county_code"], planned.create_values["county_name"] = inferred
        # one note for the file (listing the rows), not a warning on every row: a roster
        # without a county column has it on all of them, burying the real problems
        self.counties_inferred.setdefault(inferred, []).append(planned)

    def month_notes(self) -> list[Problem]:
        """One note per date column with cells that name a month only (2024年3月)."""
        notes = []
        for column, label, rows in self.month_only:
            listed = _listed(rows, 8)
            notes.append(Problem(
                self.sheet, None, column_letter(column), None,
                f"{label}（{column_letter(column)} 列）有 {len(rows)} 格只写了年月（第 {listed} 行），"
                "按该月1日记录，请核对", "warning"))
        return notes

    def county_notes(self) -> list[Problem]:
        """The counties taken from credit codes, one note each."""
        notes = []
        for (code, name), planned in self.counties_inferred.items():
            rows = [p.row for p in planned if p.action == CREATE and p.create_values
                    and p.create_values.get("county_code") == code]
            if not rows:
                continue
            listed = _listed(rows, 8)
            notes.append(Problem(
                self.sheet, None, "", name,
                f"{len(rows)} 家新企业表中未写县（市、区），按信用代码第3–8位推断为{name}（{code}）"
                f"（第 {listed} 行），请核对", "warning"))
        return notes

    def parse_columns(self, rows: list[list[Any]], start: int) -> None:
        """Parse each mapped column of the data rows at once, before the row loop: a
        column's values are parsed in one tight loop, and columns such as 县区, 镇街, 年度,
        规模 that repeat a few values over 100k rows parse each distinct value once
        (parsed values are immutable, so sharing is safe). Measured: a per-cell call with
        its cache look-up was half of the plan. Each row's value is the parsed value,
        _SKIP for a blank cell, or _Failed with the problem."""
        self.start = start
        data = rows[start:]
        narrowest = min(map(len, data), default=0)
        self.parsed_columns = []
        odd_columns: list[list[Any]] = []  # those with a blank or failed cell
        for column, key in self.mapping.items():
            spec = self.specs[key]
            if column < narrowest:
                raws = list(map(itemgetter(column), data))
            else:
                raws = [cells[column] if column < len(cells) else None for cells in data]
            year = self.detection.header_years.get(column) if key in FIGURE_FIELDS else None
            values, odd = self._parse_column(spec.type, raws, column)
            if key in FIGURE_FIELDS:
                values, odd = self._clean_figures(key, values, odd)
            self.parsed_columns.append((column, key, values, year, spec.label))
            if spec.type == "date" and not {str, float}.isdisjoint(map(type, raws)):
                months = [start + i + 1 for i, raw in enumerate(raws)
                          if type(raw) in (str, float) and parse.is_month_only(raw)]
                if months:
                    self.month_only.append((column, spec.label, months))
            if odd:
                odd_columns.append(values)
        keys = [key for _, key, _, year, _ in self.parsed_columns if year is None]
        fast = [entry for entry in self.parsed_columns
                if entry[3] is None and keys.count(entry[1]) == 1]
        self.slow_columns = [entry for entry in self.parsed_columns if entry not in fast]
        self.fast_keys = tuple(entry[1] for entry in fast)
        self.fast_rows = list(zip(*(entry[2] for entry in fast), strict=True)) if fast else (
            [()] * len(data))
        self.blank_rows, self.failed_rows = set(), set()
        for values in odd_columns:
            odd = [i for i, value in enumerate(values) if value is _SKIP or type(value) is _Failed]
            self.blank_rows.update(i for i in odd if values[i] is _SKIP)
            self.failed_rows.update(i for i in odd if values[i] is not _SKIP)
        self.figure_keys = tuple(dict.fromkeys(k for k in keys if k in FIGURE_FIELDS))
        # whether a text column holds a value too long for its field (else no row checks)
        self.long_texts = any(
            max(map(len, values if set(map(type, values)) <= {str}
                    else [v for v in values if type(v) is str]), default=0) > 300
            for _, key, values, _, _ in self.parsed_columns if key in self.text_keys)
        # for the rows read the fast way, made at once: the matching key of each row's
        # name, and its credit code where valid (None: validate() says what is wrong)
        self.name_keys = self._made(fast, "name", keys_of_displays)
        self.codes = self._made(fast, "credit_code", credit_code.valid_codes)

    @staticmethod
    def _made(fast: list[tuple[int, str, list[Any], Any, str]], key: str,
              make: Callable[[list[str]], list[Any]]) -> list[Any] | None:
        """make() of the fast column of that key, None for a cell that is not text."""
        values = next((entry[2] for entry in fast if entry[1] == key), None)
        if values is None:
            return None
        if set(map(type, values)) <= {str}:
            return make(values)
        texts = [i for i, value in enumerate(values) if type(value) is str]
        made: list[Any] = [None] * len(values)
        for i, value in zip(texts, make([values[i] for i in texts]), strict=True):
            made[i] = value
        return made

    @staticmethod
    def _clean_figures(key: str, values: list[Any], odd: bool) -> tuple[list[Any], bool]:
        """The figures service's checks (bounds, scale) over a parsed column at once; a
        value it refuses becomes _Failed with its message."""
        if odd:
            given = [i for i, value in enumerate(values)
                     if value is not _SKIP and type(value) is not _Failed]
            cleaned, refused = figures_service.clean_column(key, [values[i] for i in given])
            out = list(values)
            for i, value in zip(given, cleaned, strict=True):
                out[i] = value
        else:
            given = None
            out, refused = figures_service.clean_column(key, values)
        for i, message in refused.items():
            out[i if given is None else given[i]] = _Failed(message, whole=True)
        return out, odd or bool(refused)

    def _parse_column(self, kind: str, raws: list[Any], column: int) -> tuple[list[Any], bool]:
        """The column's values, and whether any is _SKIP or _Failed."""
        if kind not in parse.PARSERS and kind != "money":
            # text, name, code: most cells are strings longer than any blank marker, which
            # parse.text would return stripped (the name cleaned); anything else goes the
            # general way below. A column of strings only is stripped and measured with
            # map (in C); a non-string cell makes str.strip raise, and the loop does it.
            strip, name = parse.STRIP, kind == "name"
            sample = raws[:200]
            if sum(1 for raw in sample if type(raw) is not str or len(raw.strip(strip)) <= 6) > len(
                    sample) // 2:  # mostly short values (镇街, 规模, 姓名): each distinct one once
                return self._parse_column_general(kind, raws, column)
            try:
                stripped = list(map(str.strip, raws, repeat(strip)))
            except TypeError:
                stripped = None
            if stripped is not None:
                out = clean_displays(stripped) if name else stripped
                if min(map(len, stripped), default=7) > 6 and max(map(len, out), default=0) <= 2000:
                    return out, False
                general = [i for i, (value, shown) in enumerate(zip(stripped, out, strict=True))
                           if len(value) <= 6 or len(shown) > 2000]
            else:
                out = []
                append = out.append
                general = []
                for position, raw in enumerate(raws):
                    if type(raw) is str:
                        value = raw.strip(strip)
                        if len(value) > 6:
                            if name:
                                value = clean_display(value)
                            if len(value) <= 2000:
                                append(value)
                                continue
                    general.append(position)
                    append(_SKIP)
            odd = False
            if general:
                parsed, odd = self._parse_column_general(kind, [raws[i] for i in general], column)
                for position, value in zip(general, parsed, strict=True):
                    out[position] = value
            return out, odd
        return self._parse_column_general(kind, raws, column)

    def _parse_column_general(self, kind: str, raws: list[Any], column: int
                              ) -> tuple[list[Any], bool]:
        if kind in ("name", "code"):  # a new value on every row: nothing to share
            out = [self._parse_one(kind, raw, column) for raw in raws]
            return out, any(map(_odd, out))
        types = set(map(type, raws))
        if kind == "money" and types == {float}:  # amounts as numbers: most are distinct
            unit = self.detection.units.get(column, Decimal(1))
            plain = parse.money_of_floats(raws, unit)
            if plain is not None:
                return plain, False
            out = [_outcome(parse.money_of_float, raw, unit) for raw in raws]
            return out, any(map(_odd, out))
        if len(types - {type(None)}) == 1 and types <= _CACHEABLE | {type(None)}:
            # one type of cell (and blanks): equal cells are the same value, so a column of
            # a few values (县区, 镇街, 规模, 年度) parses each once and maps the rest in C
            distinct = set(raws)
            if len(distinct) <= 20_000:
                parsed = {raw: self._parse_one(kind, raw, column) for raw in distinct}
                return list(map(parsed.__getitem__, raws)), any(map(_odd, parsed.values()))
        # mixed cell types: equal values of different types (1, 1.0, True) are kept apart
        out = []
        append = out.append
        odd = False  # set when a _SKIP or _Failed is made (a cache hit repeats one made)
        cache: dict[tuple[type, Any], Any] = {}
        texts: dict[str, Any] = {}  # the same, for text cells: no key tuple to build
        cacheable = _CACHEABLE
        for raw in raws:
            raw_type = type(raw)
            if raw_type is str:
                hit = texts.get(raw, _MISSING)
                if hit is not _MISSING:
                    append(hit)
                    continue
            elif raw_type in cacheable:
                hit = cache.get((raw_type, raw), _MISSING)
                if hit is not _MISSING:
                    append(hit)
                    continue
            value = self._parse_one(kind, raw, column)
            if _odd(value):
                odd = True
            if raw_type is str:
                if len(texts) < 20_000:
                    texts[raw] = value
            elif raw_type in cacheable and len(cache) < 20_000:
                cache[(raw_type, raw)] = value
            append(value)
        return out, odd

    def _parse_one(self, kind: str, raw: Any, column: int) -> Any:
        """One cell: its value, _SKIP (blank, or nothing to keep) or _Failed."""
        if raw is None or parse.is_blank(raw):
            return _SKIP
        return _outcome(self._parse, kind, raw, column)

    def _parse(self, kind: str, raw: Any, column: int) -> Any:
        if kind == "money":
            return parse.money(raw, unit=self.detection.units.get(column, Decimal(1)))
        if kind in parse.PARSERS:
            return parse.PARSERS[kind](raw)
        value = parse.text(raw)
        if value is not None and kind == "name":
            value = clean_display(value)
        if value is not None and len(value) > 2000:
            raise parse.ValueProblem(f"内容过长（{len(value)} 字）")
        return value

    def _enterprise_values(self, parsed: dict[str, Any], planned: PlanRow,
                           row: int) -> dict[str, Any]:
        """Non-blank enterprise fields of the row, cleaned as the enterprise service does: a
        new dict, which a created row keeps as its create_values (no copy per row)."""
        # the text fields first: they make most of the dict
        out = {key: parsed[key] for key in self.text_keys if key in parsed}
        if out:
            # text columns parse to str; the checks below only for the odd value
            if "size" in out:
                size = self._size(out["size"])
                if size is None:
                    planned.problems.append(self.problem(
                        row, "size", out.pop("size"),
                        f"企业规模应为{'/'.join(self.sizes)}之一，此项未导入", "warning"))
                else:
                    out["size"] = size
            if self.long_texts and out and max(map(len, out.values())) > 300:
                for key, value in out.items():
                    if len(value) > 300 and key in _LIMITED_TEXT:
                        planned.error(self.problem(row, key, value, "内容过长"))
        name = parsed.get("name")
        if name is not None:
            if len(name) > 200:
                planned.error(self.problem(row, "name", name, "企业名称过长（超过200字）"))
            else:
                out["name"] = name
        if "county" in parsed:
            city = self.row_city
            text = str(parsed["county"])
            found = self.counties.get((text, city))  # a few values over the whole list
            if found is None:
                found = self.counties[text, city] = county_of(text, city)
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

    def _size(self, value: str) -> str | None:
        """企业规模 as the pick-list writes it (中型企业 → 中型), None if it is none of them."""
        found = self.size_of.get(value, _MISSING)
        if found is _MISSING:
            size = value.removesuffix("企业").removesuffix("型") + "型"
            found = self.size_of[value] = size if size in self.sizes else None
        return found

    def _match(self, planned: PlanRow, code: str | None, name: str | None, row: int,
               key: str | None = None) -> None:
        """``key``: the name's key when parse_columns made it."""
        known = self.known
        self.name_key = None
        if code is not None:
            found = known.by_code.get(code)
            if found is not None:
                if known.by_id[found]["deleted_at"] is not None:
                    planned.error(self.problem(row, "credit_code", code,
                                               f"该企业（{known.by_id[found]['name']}）在回收站中，请先恢复再导入"))
                    return
                planned.enterprise_id, planned.matched_by = found, "信用代码"
                stored = known.by_id[found]
                if name is not None and name != stored["name"]:
                    key = key_of_display(name)
                    if key != stored["name_key"] and key not in known.keys_of.get(found, ()):
                        renamed = "（将按名录更名，原名称记为曾用名）" if self.kind == "roster" else ""
                        planned.problems.append(self.problem(
                            row, "name", name,
                            f"名称与库中不一致：文件为“{name}”，库中为“{stored['name']}”{renamed}，"
                            "请核对信用代码", "warning"))
                return
        if name is None:
            return
        key = self.name_key = key_of_display(name) if key is None else key
        by_name = known.by_name.get(key, [])
        formerly = known.by_former.get(key)
        by_former = [i for i in formerly if i not in by_name] if formerly else []
        candidates = by_name or by_former
        if not candidates:
            return
        if len(candidates) > 1:
            listed = "、".join(f"{known.by_id[i]['name']}（{known.by_id[i]['credit_code']}）"
                              for i in candidates[:5])
            planned.error(self.problem(row, "name", name, f"库中有多家企业与此名称相同：{listed}，"
                                                          "请补充信用代码或在预览中指定关联"))
            planned.suggestions = [self._suggestion(i) for i in candidates[:5]]
            return
        found = candidates[0]
        if code is not None:  # same name, another code: two records would claim one firm
            planned.error(self.problem(
                row, "credit_code", code,
                f"库中同名企业“{known.by_id[found]['name']}”的信用代码是 {known.by_id[found]['credit_code']}，"
                f"与本行 {code} 不同，请核对"))
            return
        planned.enterprise_id = found
        planned.matched_by = "企业名称" if by_name else "曾用名"
        if not by_name:
            planned.problems.append(self.problem(
                row, "name", name, f"按曾用名匹配到“{known.by_id[found]['name']}”", "warning"))

    def _link(self, planned: PlanRow, link: Link, code: str | None, name: str | None,
              row: int) -> None:
        """The firm the user chose for this row, when it can be that firm: not when the
        row reads otherwise than when it was linked, nor when it matches another firm by
        itself (a mistyped row number must not move a recognition to another firm)."""
        if link.name and (name or "") != link.name:
            planned.error(Problem(
                self.sheet, row, "", name,
                f"本行的企业名称现在是“{name or '（空）'}”，指定关联时是“{link.name}”"
                "（列的对应改了？）：请重新指定关联"))
            return
        data = self.known.by_id.get(link.enterprise_id)
        if data is None:
            planned.error(Problem(self.sheet, row, "", name or code,
                                  f"指定关联的企业（编号 {link.enterprise_id}）已不在库中，请重新选择"))
            return
        if data["deleted_at"] is not None:
            planned.error(Problem(self.sheet, row, "", name or code,
                                  f"指定关联的企业“{data['name']}”在回收站中，请先恢复再导入"))
            return
        if code is not None and code != data["credit_code"]:
            planned.error(self.problem(
                row, "credit_code", code,
                f"本行的信用代码 {code} 与指定关联的企业“{data['name']}”（{data['credit_code']}）"
                "不同，不能关联：请核对"))
            return
        natural = PlanRow(row=row, action=UNCHANGED)
        self._match(natural, code, name, row)
        self.name_key = None
        if natural.enterprise_id is not None and natural.enterprise_id != link.enterprise_id:
            other = self.known.by_id[natural.enterprise_id]
            planned.error(Problem(
                self.sheet, row, "", name or code,
                f"本行已按{natural.matched_by}匹配到库中的“{other['name']}”（{other['credit_code']}），"
                f"不能再指定关联到“{data['name']}”（{data['credit_code']}）：请核对行号"))
            return
        planned.enterprise_id, planned.matched_by = link.enterprise_id, LINKED
        if link.remember_name and name is not None:
            key = key_of_display(name)
            if key != data["name_key"] and key not in self.known.keys_of.get(
                    link.enterprise_id, ()):
                planned.records.append(RecordChange("former_name", CREATE, f"曾用名 {name}",
                                                    values={"name": name}))

    def _enterprise_changes(self, planned: PlanRow, values: dict[str, Any], row: int) -> None:
        current = self.known.by_id[planned.enterprise_id]
        planned.name = planned.name or current["name"]
        planned.credit_code = current["credit_code"]
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
            planned.changes.append(FieldChange(key, label, old, new))

    # -- the records a row adds
    def _meta_values(self) -> dict[str, Any]:
        meta = self.detection.metadata
        return {k: v for k, v in (("tier_code", meta.tier), ("level", meta.level),
                                  ("batch_label", meta.batch_label),
                                  ("batch_year", meta.batch_year),
                                  ("is_review", meta.is_review),
                                  ("review_of_batch", meta.review_of_batch)) if v is not None}

    def _records(self, planned: PlanRow, parsed: dict[str, Any],
                 figure_years: dict[str, dict[str, Any]], row: int) -> None:
        if self.kind == "recognitions":
            self._recognition(planned, parsed, row)
        elif self.kind == "support":
            self._measure(planned, parsed, row)
        if self.kind in ("roster", "figures"):
            base_year = parsed.get("year") or self.detection.metadata.batch_year
            plain = {k: parsed[k] for k in self.figure_keys if k in parsed}
            if plain and base_year is not None:
                if not figure_years:  # the common case: one year's figures
                    figure_years[str(base_year)] = plain
                    self._figures(planned, int(base_year), plain, row)
                    return
                figure_years.setdefault(str(base_year), {}).update(
                    {k: v for k, v in plain.items()
                     if k not in figure_years.get(str(base_year), {})})
            for year, values in sorted(figure_years.items()):
                self._figures(planned, int(year), values, row)

    def _validation_problems(self, planned: PlanRow, row: int, exc: ValidationError,
                             column_of: dict[str, str]) -> None:
        for key, message in exc.fields.items():
            source_key = column_of.get(key, key)
            planned.error(self.problem(row, source_key, None, message))

    def _recognition(self, planned: PlanRow, parsed: dict[str, Any], row: int) -> None:
        explicit = self._meta_values()
        if "tier" in parsed:
            tier_code = reference.resolve_tier(parsed["tier"]) or reference.tier_in_title(parsed["tier"])
            if tier_code is None:
                planned.error(self.problem(row, "tier", parsed["tier"], f"未知的梯度层级：{parsed['tier']}"))
                return
            explicit["tier_code"] = tier_code
        for key in ("level", "batch_label", "batch_year", "is_review", "document_number",
                    "recognized_on", "valid_until", "note"):
            if key in parsed:
                explicit[key] = parsed[key]
        if "chain" in parsed:
            explicit["chain_code"] = parsed["chain"]
        if "batch_year" in parsed and "batch_label" not in parsed and (
                not explicit.get("batch_label") or explicit["batch_label"].endswith("年度")):
            explicit["batch_label"] = f"{parsed['batch_year']}年度"
        try:
            cleaned = recognitions_service.clean(dict(explicit))
        except ValidationError as exc:
            self._validation_problems(planned, row, exc, {
                "tier_code": "tier", "chain_code": "chain", "batch_year": "batch_year",
                "recognized_on": "recognized_on", "valid_until": "valid_until", "level": "level"})
            return
        tier = reference.tier(cleaned["tier_code"])
        if cleaned["valid_until"] is None and cleaned["batch_year"] is None and tier.validity_years:
            self.rows_without_year.append(row)
        description = " ".join(p for p in (tier.short, cleaned["batch_label"],
                                           "复核" if cleaned["is_review"] else "") if p)
        key = (planned.enterprise_id, cleaned["tier_code"], cleaned["batch_label"],
               cleaned["batch_year"])
        existing = self.known.recognitions.get(key) if planned.enterprise_id else None
        if existing is None:
            planned.records.append(RecordChange("recognition", CREATE, description,
                                                values=cleaned))
            return
        changes = []
        for name in RECOGNITION_EXPLICIT:
            if name in explicit and name in cleaned and not _same(existing[name], cleaned[name]):
                changes.append(FieldChange(name, _RECOGNITION_LABELS.get(name, name),
                                           existing[name], cleaned[name]))
        if changes:
            planned.records.append(RecordChange("recognition", UPDATE, description,
                                                record_id=existing["id"],
                                                values={c.field: c.new for c in changes},
                                                changes=changes))

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
        given = {k for k, v in values.items() if v is not None and v != ""}
        description = _measure_description(cleaned)
        if planned.enterprise_id is not None:
            same = [m for m in self.known.measures_of.get(
                        _measure_identity(planned.enterprise_id, cleaned), ())
                    if _same(m["amount"], cleaned["amount"])
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
        if planned.enterprise_id is not None:
            self.new_measures.append((planned, record, given, row))

    def _figures(self, planned: PlanRow, year: int, values: dict[str, Any], row: int) -> None:
        cleaned = figures_service.ordered(values)  # each column cleaned in parse_columns
        if not 1949 <= year <= self.today.year + 5:
            planned.error(self.problem(row, "year", year, f"年度不合理：{year}"))
            return
        existing = self.known.figures.get((planned.enterprise_id, year)) if planned.enterprise_id else None
        description = f"{year}年 年度数据"
        if existing is None:
            planned.records.append(RecordChange("annual_figures", CREATE, description,
                                                values={"year": year, **cleaned}))
            return
        changes = [FieldChange(k, figures_service.LABELS[k], existing[k], v)
                   for k, v in cleaned.items() if not _same(existing[k], v)]
        if changes:
            planned.records.append(RecordChange("annual_figures", UPDATE, description,
                                                record_id=existing["id"],
                                                values={c.field: c.new for c in changes},
                                                changes=changes))

    # -- duplicates within the file
    def _duplicates(self, planned: PlanRow, parsed: dict[str, Any],
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
                   str(parsed.get("batch_year")))
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

    # -- corrected amounts
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
                    _measure_identity(planned.enterprise_id, values), ())
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

    # -- near misses for rows left unmatched
    def _suggestion(self, enterprise_id: int) -> dict[str, Any]:
        data = self.known.by_id[enterprise_id]
        return {"enterprise_id": enterprise_id, "name": data["name"],
                "credit_code": data["credit_code"], "county_name": data["county_name"]}

    def suggest(self, rows: list[PlanRow]) -> None:
        # a row with a valid code is the firm of that code, which is not in the database:
        # a firm of a similar name is another one
        unmatched = [r for r in rows if r.action == UNMATCHED and r.name and not r.credit_code]
        if not unmatched:
            return
        cores = self.known.cores()
        names = list(cores)
        use_fuzzy = len(names) <= 50_000
        for count, planned in enumerate(unmatched):
            core = _core(name_key(planned.name))
            ids = list(cores.get(core, []))
            if use_fuzzy and count < 300 and len(ids) < 3:
                for close in difflib.get_close_matches(core, names, n=3, cutoff=0.7):
                    ids.extend(i for i in cores[close] if i not in ids)
            planned.suggestions = [self._suggestion(i) for i in ids[:3]]
            if planned.suggestions:
                listed = "、".join(f"{s['name']}（{s['credit_code']}）" for s in planned.suggestions)
                planned.problems.append(Problem(self.sheet, planned.row, "", planned.name,
                                                f"可能是：{listed}（未自动关联，请核对；如是同一家，"
                                                "可在预览中“指定关联”，命令行用 --link）", "warning"))


_RECOGNITION_LABELS = {"level": "认定级别", "batch_label": "认定批次", "batch_year": "认定年度",
                       "is_review": "复核", "review_of_batch": "复核批次",
                       "document_number": "认定文号", "recognized_on": "认定日期",
                       "valid_until": "有效期至", "chain_code": "所属产业链", "note": "备注"}


def _listed(items: list[Any], most: int) -> str:
    """1、2、3 — the first ``most`` of them, then 等 when there are more."""
    return "、".join(map(str, items[:most])) + ("等" if len(items) > most else "")


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
               if key in given and not _same(existing[key], cleaned[key])]
    if not changes:
        return None
    return RecordChange("support_measure", UPDATE, description, record_id=existing["id"],
                        values={c.field: c.new for c in changes}, changes=changes)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, (Decimal, float)) or isinstance(new, (Decimal, float)):
        try:
            return old is not None and new is not None and Decimal(str(old)) == Decimal(str(new))
        except ArithmeticError:
            return False
    if old in (None, "") and new in (None, ""):
        return True
    return old == new
