"""Building the plan: every data row of the sheet compared with the database, in one
pass over columns parsed at once. Nothing is written here.

Which unmatched rows create an enterprise:
- an enterprise roster (企业名录) is the county's own list: every row with a valid credit code
  and a name creates its firm, wherever the code says it was registered;
- a recognition list (认定名单) is national or provincial and carries other areas' firms: a row
  with a valid code creates its firm only when the code's registering division (positions
  3–8) is in Jiangsu (32…) or the row's county column names a known county; otherwise it is
  left unmatched with a warning naming the province. A row without a code never creates;
- support measures and annual figures only attach to firms already in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Iterable
from typing import Any

from sqlalchemy.orm import Session

from importers import columns
from importers import values as parse
from importers.errors import ImportRefused, Problem, column_letter
from importers.plan import replan
from importers.plan.cells import SKIP, Failed, ParsedColumns
from importers.plan.code_cells import ENTERPRISE_CODE, CodeCells
from importers.plan.counties import InferredCounties, province_of
from importers.plan.duplicates import Duplicates
from importers.plan.enterprise_fields import EnterpriseFields
from importers.plan.known import ENTERPRISE_TEXT, Known
from importers.plan.matching import Matcher
from importers.plan.new_firms import created_once
from importers.plan.overwrites import Overwrite, default_fill_blanks_only
from importers.plan.records import RecordPlanner
from importers.plan.reference_cells import reference_warnings
from importers.plan.scope import (
    leave_out_of_scope,
    leave_out_of_unit,
    row_counties,
    rows_outside_unit,
)
from importers.plan.sheet import RowSkipper, checked_mapping, previous_import
from importers.plan.types import (
    CREATE,
    ERROR,
    OTHER_UNIT,
    OUTSIDE,
    UNCHANGED,
    UNMATCHED,
    UPDATE,
    Link,
    Plan,
    PlanRow,
    SheetColumns,
)
from importers.read.detection import Detection
from tiers.model import reference
from tiers.model.names import key_of_display
from tiers.progress import Progress, paused_gc
from tiers.services.unit import taken_in, unit_counties
from tiers.storage.import_locks import others_write_meanwhile
from tiers.storage.write_rights import write_rights

PROGRESS_EVERY = 2000


def build_plan(session: Session, detection: Detection, *, today: dt.date | None = None,
               links: dict[int, Link] | None = None, fill_blanks_only: bool | None = None,
               take_other_counties: bool = False, take_rows: Iterable[int] = ()
               ) -> Generator[Progress, None, Plan]:
    """Compare every data row with the database. Yields Progress; returns the Plan.
    ``links`` (Excel row → Link) are the firms the user chose for rows the last plan left
    unmatched: such a row is matched to that firm whatever its name says.
    ``fill_blanks_only`` (只补空白; None: the list kind's default) keeps every value a firm
    already has; the plan lists them either way (``Plan.overwrites``).
    ``take_other_counties``: the rows of firms outside the counties the database's unit
    answers for (本单位负责的区县, when recorded) are imported too, not left out;
    ``take_rows`` (Excel rows): only these of them (the wizard's 导入此行, tiers import
    --take-row), the others left out.
    Raises ImportRefused when the sheet cannot be imported as the kind chosen."""
    links = dict(links or {})
    take_rows = frozenset(take_rows)
    if fill_blanks_only is None:
        fill_blanks_only = default_fill_blanks_only(detection.kind)
    mapping, problems = checked_mapping(detection)
    today = today or dt.date.today()
    session.flush()
    unit = unit_counties(session)
    key = replan.options_key(detection, mapping, fill_blanks_only=fill_blanks_only, today=today,
                             unit=(unit.codes, take_other_counties, sorted(take_rows)))
    if not links:  # a file a batch wrote, in the state it left: no row to compare
        reused = replan.reused_plan(session, detection, mapping, key,
                                    problems + previous_import(session, detection),
                                    fill_blanks_only=fill_blanks_only)
        if reused is not None:
            yield Progress("比对", len(reused.rows), len(reused.rows))
            return reused
    with paused_gc():  # 100k dicts per table: no collection walking them as they come
        known = Known(session, detection.kind)
    planner = _Planner(detection, mapping, known, today, links)
    planner.fill_blanks_only = fill_blanks_only
    rows = yield from planner.plan_rows()
    # another county's firms on an editor's login: 不导入, said per row, before the counts
    left = leave_out_of_scope(rows, known.by_id, write_rights(session), planner.where,
                              planner.overwrites)
    # firms outside the counties the database's own unit answers for: 不导入 too, unless
    # the officer takes them in (a county's laptop importing a province's list), now or by
    # an earlier import (its 公示 taken in, the final list confirms it: tester28a)
    taken = taken_in(session) if unit.is_set else frozenset()
    outside = rows_outside_unit(rows, known.by_id, unit, taken)
    other_unit = len(outside)
    # of them, those without a credit code nor a firm of their name: 未匹配 even taken in
    other_unmatched = sum(row.action == UNMATCHED for row in outside)
    # and those of firms in the 回收站: an error (restore it first) even taken in
    other_binned = sum(row.action == ERROR for row in outside)
    if not take_other_counties:
        left += leave_out_of_unit(rows, known.by_id, unit, planner.where, planner.overwrites,
                                  taken, keep=take_rows)
    if left:
        planner.records.leave_out({row.row for row in rows
                                   if row.action in (OUTSIDE, OTHER_UNIT)})
        planner.records.pending_left_out([row for row in rows if row.action == OTHER_UNIT])
    # a new firm on several rows (two tiers): created by the first of those imported
    created_once(rows, planner.where)
    problems += previous_import(  # the note on an earlier import, once the rows are known
        session, detection, changing=sum(row.action in (CREATE, UPDATE) for row in rows))
    unused = sorted(set(links) - {row.row for row in rows})
    for row_number in unused:  # a row number that names no data row (the header, a typo)
        del links[row_number]
    if unused:
        problems.append(Problem(detection.sheet, None, "", None,
                                f"指定关联的第 {'、'.join(map(str, unused))} 行不是数据行，未使用："
                                "请核对行号", "warning"))
    problems += planner.counties.notes()  # of created firms: matched on the next import
    notes = [*planner.cells.month_notes(detection.sheet),
             *planner.cells.invisible_notes(detection.sheet),
             *planner.records.without_year_note(),
             *planner.records.review_year_note(),
             *planner.records.review_year_given_note(),
             *planner.records.reviews_corrected_note(),
             *planner.records.assumed_status_note(),
             *planner.records.after_final_note(session),
             *reference_warnings(detection, rows, known)]
    problems += notes
    total = planner.total
    yield Progress("比对", total, total)
    if not rows:
        raise ImportRefused(f"工作表“{detection.sheet}”在表头之后没有可导入的数据行。")
    meta = detection.metadata
    metadata = {"tier": meta.tier, "level": meta.level, "batch_label": meta.batch_label,
                "batch_year": meta.year,  # 第五批 小巨人 → 2023
                "is_review": meta.is_review, "title": meta.title}
    if detection.kind == "recognitions":
        metadata["pending"] = meta.pending
    if detection.own_report:  # Tiers's own 名单: no final list (tiers.queries.held_by)
        metadata["own_report"] = detection.own_report
    return Plan(file_name=detection.source.file_name, sha256=detection.source.sha256,
                sheet=detection.sheet, kind=detection.kind, headers=list(detection.headers),
                mapping=dict(mapping), metadata=metadata, rows=rows, problems=problems,
                snapshot=known.snapshot, data_start=detection.data_start, links=links,
                unused_links=unused, fill_blanks_only=fill_blanks_only,
                overwrites=planner.overwrites,
                not_in_final_list=planner.records.not_in_final_list(),
                unit_names=unit.names, other_unit_rows=other_unit,
                other_unit_unmatched=other_unmatched, other_unit_binned=other_binned,
                other_counties_taken=take_other_counties and other_unit > 0,
                taken_in_rows=frozenset(row.row for row in outside
                                        if row.action in (CREATE, UPDATE)
                                        and (take_other_counties or row.row in take_rows)),
                unused_take_rows=sorted(take_rows - {row.row for row in outside}),
                replan_key="" if notes or links else key,
                replan_names=replan.names_read(rows, known.by_id) if not (notes or links)
                else {},
                # only a server's imports lock their counties (on SQLite the write lock
                # holds everyone off), so only there are they worth a pass over the rows
                counties=_counties(rows, known) if others_write_meanwhile(session)
                else frozenset())


def _counties(rows: list[PlanRow], known: Known) -> frozenset[str | None]:
    """The counties the plan writes into, by their codes: of the firms it creates, of those
    it changes or adds records to (and the county a firm is moved to), as the login's scope
    reads them (``row_counties``). A firm of a unit without a code (开发区) is stored
    without one, so it takes the lock of the firms whose county is not known (None)."""
    return frozenset(code for row in rows if row.action in (CREATE, UPDATE)
                     for code, _name in row_counties(row, known.by_id))


class _Planner(CodeCells, EnterpriseFields):
    """The rows of one sheet. What spans rows lives in the parts (cells, matcher, records,
    duplicates, counties); what one row needs is passed as arguments, never kept here."""

    def __init__(self, detection: Detection, mapping: dict[int, str], known: Known,
                 today: dt.date, links: dict[int, Link]) -> None:
        self.detection = detection
        self.sheet_rows = detection.source.sheet(detection.sheet).rows
        self.total = max(len(self.sheet_rows) - detection.data_start, 0)
        self.links = links
        self.sheet = detection.sheet
        self.kind = detection.kind
        self.known = known
        self.today = today
        self.where = SheetColumns(detection.sheet, mapping)
        self.problem = self.where.problem
        columns_of = self.where.columns_of
        self.code_column = columns_of.get("credit_code")
        self.skipper = RowSkipper(detection, columns_of.get("name", self.code_column))
        # the text fields a row can carry: those mapped, and 原注册号 (an old registration
        # number found in the credit-code column is kept as it)
        self.text_keys = tuple(k for k in ENTERPRISE_TEXT
                               if k in columns_of or k == "legacy_code")
        self.cells = ParsedColumns(detection, mapping, columns.fields(), self.text_keys)
        self.city_column = next((i for i, h in enumerate(detection.headers)
                                 if columns.is_city_header(h.split("/")[-1])
                                 or columns.is_city_header(h)), None)
        self.sizes = reference.pick_lists()["enterprise_sizes"]
        self.size_of: dict[str, str | None] = {}
        self.county_found: dict[tuple[str, str | None], tuple[str | None, str | None]] = {}
        self.matcher = Matcher(known, self.where, self.kind)
        self.duplicates = Duplicates(self.sheet, self.kind, detection.metadata.tier)
        self.counties = InferredCounties(self.where)
        self.records: RecordPlanner  # once the columns are parsed (it needs figure_keys)
        self.fill_blanks_only = False  # 只补空白: values a firm has are listed, not changed
        self.overwrites: list[Overwrite] = []

    def plan_rows(self) -> Generator[Progress, None, list[PlanRow]]:
        """Every data row planned, then what needs them all (corrected measures,
        suggestions for rows left unmatched)."""
        rows: list[PlanRow] = []
        sheet_rows, start, total = self.sheet_rows, self.detection.data_start, self.total
        with paused_gc():
            self.cells.parse(sheet_rows, start)
            self.records = RecordPlanner(self.detection, self.known, self.where, self.today,
                                         self.cells.figure_keys)
            for offset, index in enumerate(range(start, len(sheet_rows))):
                if offset % PROGRESS_EVERY == 0:
                    yield Progress("比对", offset, total)
                planned = self.row(index, sheet_rows[index])
                if planned is not None:
                    rows.append(planned)
        self.records.correct_measures()
        self.matcher.suggest(rows)
        return rows

    # -- one row
    def row(self, index: int, cells: list[Any]) -> PlanRow | None:
        """The plan of one sheet row; None for a row that is no data."""
        if self.skipper.skippable(cells):
            return None
        excel_row = index + 1
        planned = PlanRow(row=excel_row, action=UNCHANGED)
        parsed, figure_years, made_key, made_code, signature = self._values(
            index - self.cells.start, cells, planned)
        name = parsed.get("name")
        raw_code = parsed.get("credit_code")
        if name is None and raw_code is None and self._names_no_firm(planned, cells):
            return None
        planned.name = name or ""
        code = made_code
        if code is None and raw_code is not None:
            code = self._credit_code(planned, parsed, raw_code, cells)
        planned.credit_code = code or ""
        if code is not None and code[:2] != ENTERPRISE_CODE:  # 92 个体工商户, 1x 机关 …
            self._code_of_no_enterprise(planned, code)
        planned.cells = cells  # the sheet's own list: no copy
        if planned.action == ERROR and name is None and code is None:
            return planned
        city_column = self.city_column
        city = (parse.text(cells[city_column])
                if city_column is not None and city_column < len(cells) else None)
        self._match_and_compare(planned, parsed, name=name, code=code, raw_code=raw_code,
                                made_key=made_key, city=city)
        if planned.action in (CREATE, UPDATE, UNCHANGED):
            self.records.add(planned, parsed, figure_years, excel_row)
        if planned.action == UNCHANGED and (planned.changes or planned.records):
            planned.action = UPDATE
        self.duplicates.check(planned, parsed, figure_years, excel_row,
                              parsed if signature is None else signature)
        return planned

    def _names_no_firm(self, planned: PlanRow, cells: list[Any]) -> bool:
        """A row with neither name nor code: True for a section line such as “一、南京市”
        (skipped), else an error of the row."""
        distinct = {parse.text(c) for c in cells if not parse.is_blank(c)}
        if len(distinct) <= 1 and not planned.problems:
            return True
        planned.error(Problem(self.sheet, planned.row, "", None,
                              "缺少企业名称和统一社会信用代码，无法确定是哪家企业"))
        return False

    def _match_and_compare(self, planned: PlanRow, parsed: dict[str, Any], *,
                           name: str | None, code: str | None, raw_code: Any,
                           made_key: str | None, city: str | None) -> None:
        """The firm the row is (by the user's link, else by code or name), and what the row
        changes of it, or whether it creates one."""
        enterprise_values = self._enterprise_values(parsed, planned, planned.row, city)
        link = self.links.get(planned.row) if self.links else None
        key = None  # the name's key, when the match computed it
        if link is not None:
            self.matcher.link(planned, link, code, name, planned.row)
        else:
            key = self.matcher.match(planned, code, name, planned.row, made_key)
        if planned.action == ERROR:
            if planned.binned is not None:  # whether it is the unit's reads the row's county
                written = (enterprise_values.get("county_code"),
                           enterprise_values.get("county_name"))
                planned.written_county = written if any(written) else None
            return
        if planned.enterprise_id is None:
            self._not_in_database(planned, enterprise_values, name=name, code=code,
                                  raw_code=raw_code, key=key, city=city)
        else:
            self._enterprise_changes(planned, enterprise_values, planned.row)

    def _values(self, offset: int, cells: list[Any], planned: PlanRow
                ) -> tuple[dict[str, Any], dict[str, dict[str, Any]], str | None, str | None, Any]:
        """The row's parsed values (field → value, blanks left out), its figures of columns
        that name a year (year → field → value), the name's key and the valid code when
        the column parsing made them, and what the row reads (to tell a repeated row from
        a conflict; None: the dict). A cell that failed to parse is a problem of the row."""
        sheet = self.cells
        # the columns read as a whole: one dict per row, the blanks left out; a row with
        # a cell that failed to parse goes cell by cell below
        slow_columns = sheet.parsed_columns
        made_key = made_code = signature = None
        if offset in sheet.failed_rows:
            parsed: dict[str, Any] = {}
        else:
            if sheet.name_keys is not None:
                made_key = sheet.name_keys[offset]
            if sheet.codes is not None:
                made_code = sheet.codes[offset]
            values = sheet.fast_rows[offset]
            if offset in sheet.blank_rows:
                parsed = {k: v for k, v in zip(sheet.fast_keys, values, strict=True)
                          if v is not SKIP}
            else:
                parsed = dict(zip(sheet.fast_keys, values, strict=False))  # one length, by making
            slow_columns = sheet.slow_columns
            if not slow_columns:  # the fast columns are all it reads: kept instead of the dict
                signature = values
        figure_years: dict[str, dict[str, Any]] = {}
        for column, key, values, year, label in slow_columns:
            value = values[offset]
            if value is SKIP:
                continue
            if type(value) is Failed:
                self._failed_cell(planned, value, column, key, label, cells)
            elif year is not None:  # the first column with a value wins, as for the others
                figure_years.setdefault(str(year), {}).setdefault(key, value)
            elif key not in parsed:
                parsed[key] = value
        return parsed, figure_years, made_key, made_code, signature

    def _failed_cell(self, planned: PlanRow, failed: Failed, column: int, key: str, label: str,
                     cells: list[Any]) -> None:
        where = (self.sheet, planned.row, column_letter(column), cells[column])
        if key == "is_review":  # a 类型 column saying 制造类/创新类: not about 复核
            planned.problems.append(Problem(
                *where, f"{label}：未识别为“新认定”或“复核”，按名单本身（标题）处理", "warning"))
            return
        planned.error(Problem(*where, failed.message if failed.whole
                              else f"{label}：{failed.message}"))


    def _not_in_database(self, planned: PlanRow, enterprise_values: dict[str, Any], *,
                         name: str | None, code: str | None, raw_code: Any, key: str | None,
                         city: str | None) -> None:
        """A row no firm in the database is: it creates one, or is left unmatched.
        ``key``: the name's key if the match made it (stored with a new firm)."""
        row = planned.row
        can_create = self.kind in ("roster", "recognitions") and code is not None
        if can_create and name is None:
            planned.error(self.problem(row, "credit_code", raw_code,
                                       "库中没有此信用代码的企业，且缺少企业名称，无法新建"))
        elif can_create and self.kind == "recognitions" and code[2:4] != "32" and not (
                enterprise_values.get("county_code")):
            # a national list carries other provinces' firms: not ours to create
            planned.action = UNMATCHED
            planned.problems.append(self.problem(
                row, "credit_code", code,
                f"库中没有该企业，信用代码显示登记机关在{province_of(code)}（第3–8位 {code[2:8]}），"
                "不是省内企业，不新建", "warning"))
        elif can_create:
            planned.action = CREATE
            planned.create_values = enterprise_values  # made for this row: no copy
            enterprise_values["credit_code"] = code
            if key is not None:  # computed for the match: apply stores it
                enterprise_values["name_key"] = key
            if not enterprise_values.get("county_code") and not enterprise_values.get(
                    "county_name"):
                self.counties.infer(planned, code, city)
        else:
            planned.action = UNMATCHED
            written = (enterprise_values.get("county_code"), enterprise_values.get("county_name"))
            if any(written):
                planned.written_county = written
            # (a short name of one firm says so instead: 按简称匹配)
            if code is None and name is not None and self.matcher.short_name(
                    planned, key if key is not None else key_of_display(name)):
                return
            reason = ("库中没有该企业（未提供信用代码，不会新建）" if code is None
                      else "库中没有该企业；扶持措施和年度数据只关联已有企业，请先导入企业名录")
            planned.problems.append(Problem(self.sheet, row, "", name or code, reason, "warning"))
