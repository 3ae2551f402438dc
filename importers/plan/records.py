"""The records a row adds to its firm, per list kind: a recognition, a support measure,
a year's figures; each compared with what the firm has (create, update field by field,
or nothing). Support measures, and the correction of a recorded one's amount, are in
measure_records.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from importers.errors import Problem, column_letter
from importers.plan.known import CHAIN_LEADER, Known, recognition_key
from importers.plan.measure_records import MeasureRecords
from importers.plan.preview import display_value
from importers.plan.types import (
    CREATE,
    UPDATE,
    FieldChange,
    PlanRow,
    RecordChange,
    SheetColumns,
    rows_listed,
    same_value,
)
from importers.read import own_reports
from importers.read.detection import Detection
from tiers.assess.firm import row_doubts
from tiers.model import ladder, reference
from tiers.queries.held_by import held_by
from tiers.reports import list_cells
from tiers.services import figures as figures_service
from tiers.services import recognitions as recognitions_service
from tiers.services.errors import ValidationError
from tiers.text.values import chain_name

UNNAMED_ROLE = "配套企业"  # the report names a firm's chains, not its role on them
UNNAMED_ROLE_NOTE = "梯度培育企业名单只写了所属产业链，未写角色"
# what correcting a misdated 复核 changes besides what the list gives: its year and so its end
_CORRECTED = frozenset(("batch_year", "valid_until", "valid_until_estimated"))
RECOGNITION_EXPLICIT = ("level", "batch_label", "batch_year", "is_review", "is_pending",
                        "review_of_batch",
                        "document_number", "recognized_on", "valid_until", "chain_code", "note",
                        "valid_until_estimated")


class RecordPlanner(MeasureRecords):
    """The records of the rows of one sheet; keeps what spans rows (the measures rows
    claimed, new measures that may correct a recorded one, rows without a year)."""

    def __init__(self, detection: Detection, known: Known, where: SheetColumns,
                 today: dt.date, figure_keys: tuple[str, ...]) -> None:
        self.detection = detection
        self.kind = detection.kind
        self.known = known
        self.where = where
        self.problem = where.problem
        self.today = today
        self.figure_keys = figure_keys
        self.meta_values = self._meta_values()
        self.rows_without_year: list[int] = []  # recognitions whose validity can't be known
        # 复核 rows whose year is the round of the batch they name (the list gives none):
        # (row, tier, batch label, the year read, its 有效期至)
        self.review_years_read: list[tuple[int, str, str, int, dt.date | None]] = []
        # 复核 records misdated to their batch's own year that rows correct: (row, the year
        # recorded, the year read), and the records' ids (one row each)
        self.reviews_corrected: list[tuple[int, int, int]] = []
        self.misdated_claimed: set[int] = set()
        # 复核 rows given (by the officer, the title) the reviewed batch's own year, taken
        # at the round's: (row, the batch reviewed, the year given, the round's year)
        self.review_years_given: list[tuple[int, str, int, int]] = []
        self.kinds_noted: set[str] = set()  # unknown 措施类别 pointed out (once each)
        # 措施类别 not 资金奖补 of the measures added, said once each (not counted as money)
        self.categories_noted: set[str] = set()
        self.measures_claimed: set[int] = set()  # recorded measures a row of the file is
        # new measures for firms that have some: (row, record, fields given, Excel row)
        self.new_measures: list[tuple[PlanRow, RecordChange, set[str], int]] = []
        # new measures given no status: (row, record, Excel row); the note counts those
        # still new at the end (correct_measures makes some corrections of recorded ones)
        self.measures_assumed: list[tuple[PlanRow, RecordChange, int]] = []
        self._of_firm_tier: dict[tuple[int, str], list[dict[str, Any]]] | None = None
        self._leaders: set[tuple[int, str]] | None = None  # firms leading a chain by title
        # a final list's batches (tier, label, year) and the (firm, batch) it names
        self.final_batches: set[tuple] = set()
        self.final_firms: set[tuple] = set()
        # a 公示 list's rows adding a pending recognition to a batch already held (its final
        # list came first): batch (tier, label, year, 复核) → rows
        self.after_final: dict[tuple, list[int]] = {}
        self._held_batches: dict[tuple, int] | None = None

    def _meta_values(self) -> dict[str, Any]:
        meta = self.detection.metadata
        values = {k: v for k, v in (("tier_code", meta.tier), ("level", meta.level),
                                    ("batch_label", meta.batch_label),
                                    ("batch_year", meta.batch_year),
                                    ("is_review", meta.is_review),
                                    ("review_of_batch", meta.review_of_batch)) if v is not None}
        if self.kind == "recognitions":
            values["is_pending"] = meta.pending
        return values

    def add(self, planned: PlanRow, parsed: dict[str, Any],
            figure_years: dict[str, dict[str, Any]], row: int) -> None:
        """The row's records into planned.records. ``figure_years``: figures from columns
        whose header names a year (year → field → value); the row's plain figures join
        it under the row's year."""
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
        explicit = self._recognition_given(planned, parsed, row)
        if explicit is None:
            return
        try:
            cleaned = recognitions_service.clean(dict(explicit))
        except ValidationError as exc:
            self._validation_problems(planned, row, exc, {
                "tier_code": "tier", "chain_code": "chain", "batch_year": "batch_year",
                "recognized_on": "recognized_on", "valid_until": "valid_until", "level": "level"})
            return
        corrected_year = self._review_year_given_misdated(planned, parsed, cleaned, row)
        if corrected_year is not None:
            # a 复核 given its reviewed batch's own year (--year 2020 for 第二批…复核): its
            # round's year instead, said in a note, as a misdated record is corrected
            explicit["batch_year"] = corrected_year
            cleaned = recognitions_service.clean(dict(explicit))
        if cleaned["is_review"] and cleaned["valid_until_estimated"] \
                and cleaned["recognized_on"] is None and planned.enterprise_id is not None:
            # a 复核 list without dates: renewed from where the firm's title ended
            renews = self._renewed_end(planned.enterprise_id, cleaned)
            if renews is not None:
                cleaned = recognitions_service.clean(dict(explicit), renews=renews)
        if "valid_until" in explicit:  # a date the list gives is no longer 推算
            explicit["valid_until_estimated"] = False
        # 复核批次 when neither the list's title (第二批…复核) nor a column names it: the batch
        # of the title renewed, as the bulk 复核 records it (2023年度), or the year the round
        # reviews; a record already holding one keeps it (the officer's, or another list's)
        review_of_filled = cleaned["is_review"] and not cleaned["review_of_batch"]
        if review_of_filled:
            cleaned["review_of_batch"] = recognitions_service.reviewed_batch(
                cleaned["tier_code"], year=cleaned["batch_year"],
                renewed=self._renewed_title(planned.enterprise_id, cleaned))
            explicit["review_of_batch"] = cleaned["review_of_batch"]
        tier = reference.tier(cleaned["tier_code"])
        if cleaned["valid_until"] is None and cleaned["batch_year"] is None and tier.validity_years:
            self.rows_without_year.append(row)
        if (cleaned["is_review"] and cleaned["batch_year"] is not None
                and explicit.get("batch_year") is None and cleaned["recognized_on"] is None):
            self.review_years_read.append((row, cleaned["tier_code"], cleaned["batch_label"],
                                           cleaned["batch_year"], cleaned["valid_until"]))
        description = " ".join(p for p in (tier.short, ladder.batch_shown(
            _batch_with_year(tier, cleaned["batch_label"] or "", cleaned["batch_year"]),
            is_review=bool(cleaned["is_review"])),
            chain_name(cleaned["chain_code"]) if cleaned["tier_code"] == CHAIN_LEADER
            and cleaned["chain_code"] else "") if p)  # (链主 of which chain)
        # 链主 of another chain is another title (recognition_key); the chain compared by
        # its code, however the list writes it (起重机, C05)
        key = recognition_key(planned.enterprise_id, cleaned["tier_code"],
                              cleaned["batch_label"], cleaned["batch_year"],
                              cleaned["chain_code"])
        existing = self._existing(key, cleaned, stated="is_review" in explicit) \
            if planned.enterprise_id else None
        misdated = None
        if existing is None and cleaned["is_review"] and planned.enterprise_id is not None:
            existing = misdated = self._misdated_review(planned.enterprise_id, cleaned)
        if not cleaned["is_pending"]:  # (a 复核 list is another list than the new firms')
            self.final_batches.add((*key[1:4], bool(cleaned["is_review"])))
            if planned.enterprise_id is not None:
                self.final_firms.add(key)
        if existing is None:
            planned.records.append(RecordChange(
                "recognition", CREATE,
                description + ("（公示中）" if cleaned["is_pending"] else ""), values=cleaned))
            batch = (*key[1:4], bool(cleaned["is_review"]))  # a 复核 list is another list
            if cleaned["is_pending"] and self._held_in(batch):
                self.after_final.setdefault(batch, []).append(row)
            if planned.enterprise_id is not None and not cleaned["is_review"]:
                self._still_valid(planned, cleaned, tier, row)
                self._other_chains(planned, cleaned, row)
            return
        if (self.detection.own_report == own_reports.ROSTER and existing["valid_until_estimated"]
                and same_value(existing["valid_until"], cleaned["valid_until"])):
            # the date Tiers 推算 and printed in its own roster, read back: still 推算, not a
            # date a list gives (re-imported into the database that wrote it, every row was
            # “更新 有效期至为推算：是 → 否”: tester26)
            explicit.pop("valid_until_estimated", None)
        if cleaned["is_pending"] and not existing["is_pending"]:
            explicit.pop("is_pending", None)  # a 公示 list never takes back a recognition held
        if review_of_filled and existing["review_of_batch"]:
            explicit.pop("review_of_batch", None)
        # a misdated 复核 takes the year read and what follows from it (its 有效期至)
        given = explicit.keys() | (_CORRECTED if misdated is not None else set())
        changes = [FieldChange(name, _RECOGNITION_LABELS.get(name, name), existing[name],
                               cleaned[name])
                   for name in RECOGNITION_EXPLICIT
                   if name in given and name in cleaned
                   and not same_value(existing[name], cleaned[name])]
        if misdated is not None:
            self.reviews_corrected.append((row, misdated["batch_year"], cleaned["batch_year"]))
        if changes:
            planned.records.append(RecordChange("recognition", UPDATE, description,
                                                record_id=existing["id"],
                                                values={c.field: c.new for c in changes},
                                                changes=changes,
                                                correction=misdated is not None))

    def _existing(self, key: tuple, cleaned: dict[str, Any], *, stated: bool
                  ) -> dict[str, Any] | None:
        """The firm's recognition of the row's batch (tier, label, year) that the row
        updates. A 复核 and the title it renews may share that key (a 复核 recorded at the
        batch's own year), so the record must also be a 复核 when the row is one, and not
        one when the row says it is not: a 复核 list's row never turns the original title
        into a 复核 (tester27b: --year 2020 for 第二批…复核 made the 2020 title a 复核, and
        更正复核年度 then moved it to 2023 — the title was gone). A row that says nothing
        of 复核 (a list without a 复核 title or column) updates the record of its batch as
        before, unless that record is a 复核 misdated to the batch's own year: no 复核 is of
        that year, so the row is the title itself, to be added."""
        existing = self.known.recognitions.get(key)
        review = bool(cleaned["is_review"])
        if existing is None or bool(existing["is_review"]) == review:
            return existing
        same = next((record for record in self._firm_titles(key[0], key[1])
                     if record["batch_label"] == key[2] and record["batch_year"] == key[3]
                     and (key[4] is None or record["chain_code"] == key[4])
                     and bool(record["is_review"]) == review), None)
        if same is not None or stated or self._misdated_year(existing) is not None:
            return same
        return existing

    def _review_year_given_misdated(self, planned: PlanRow, parsed: dict[str, Any],
                                    cleaned: dict[str, Any], row: int) -> int | None:
        """The year of the 复核 round when a 复核 row is given the reviewed batch's own year
        (ladder.misdated_review_year: --year 2020, the wizard's 年度 or a 年度 cell for a
        第二批…复核 list), which no 复核 has: noted (the file's, once; a cell's, at the
        cell) and recorded at the round's year (2023), never as given. None otherwise, or
        when the row gives its 认定日期 (the date says when it was recognised)."""
        if not cleaned["is_review"]:
            return None
        # the batch reviewed: the list's 复核批次 (its title's: 第二批…复核), else the title
        # the row renews, else the row's label when the rule says it is surely the batch
        # reviewed (the firm's own title of that batch and year, or no round that year) —
        # not otherwise: a 复核 may be listed under its round's batch (Tiers's roster
        # prints “第八批（2026年） 复核” for a 2026 复核 of 第五批, and no 复核批次)
        reviewed = cleaned["review_of_batch"] or recognitions_service.reviewed_batch(
            cleaned["tier_code"], year=cleaned["batch_year"],
            renewed=self._renewed_title(planned.enterprise_id, cleaned))
        held = planned.enterprise_id is not None and ladder.holds_batch_title(
            self._firm_titles(planned.enterprise_id, cleaned["tier_code"]), cleaned)
        corrected = ladder.misdated_review_year(
            cleaned["tier_code"], is_review=True, batch_label=cleaned["batch_label"],
            batch_year=cleaned["batch_year"], review_of_batch=reviewed,
            recognized_on=cleaned["recognized_on"], batch_title_held=held)
        if corrected is None:
            return None
        reviewed = reviewed or cleaned["batch_label"]
        given = cleaned["batch_year"]
        if "batch_year" in parsed:  # the row's own 年度 cell
            planned.problems.append(self.problem(
                row, "batch_year", parsed["batch_year"],
                f"年度 {given} 是所复核批次（{reviewed}）本身的年度，复核不会与所复核的认定同年："
                f"按{reviewed}的复核轮次记为 {corrected} 年复核通过，所复核的原认定不改动；"
                "如是另一轮复核，请改正年度", "warning"))
        else:
            self.review_years_given.append((row, reviewed, given, corrected))
        return corrected

    def _misdated_review(self, enterprise_id: int, cleaned: dict[str, Any]
                         ) -> dict[str, Any] | None:
        """The firm's 复核 record of this batch that an import before the 复核-year rule
        recorded at the reviewed batch's own year (第二批 → 2020, ladder.misdated_review_year)
        and whose round is the year this row reads (2023): the row corrects it rather than
        adding a second 复核. Each such record is corrected by one row only."""
        for record in self._firm_titles(enterprise_id, cleaned["tier_code"]):
            if (record["id"] not in self.misdated_claimed and record["is_review"]
                    and (record["batch_label"] or "") == (cleaned["batch_label"] or "")
                    and self._misdated_year(record) == cleaned["batch_year"]):
                self.misdated_claimed.add(record["id"])
                return record
        return None

    def _misdated_year(self, record: dict[str, Any]) -> int | None:
        """``ladder.misdated_review_year`` of a recognition record as the planner reads it,
        told by the firm's titles when it has no 复核批次."""
        return ladder.misdated_review_year(
            record["tier_code"], is_review=bool(record["is_review"]),
            batch_label=record["batch_label"], batch_year=record["batch_year"],
            review_of_batch=record["review_of_batch"], recognized_on=record["recognized_on"],
            batch_title_held=bool(record["is_review"]) and not record["review_of_batch"]
            and ladder.holds_batch_title(
                self._firm_titles(record["enterprise_id"], record["tier_code"]), record))

    def _firm_titles(self, enterprise_id: int, tier_code: str) -> list[dict[str, Any]]:
        if self._of_firm_tier is None:
            self._of_firm_tier = {}
            for record in self.known.recognition_rows:
                self._of_firm_tier.setdefault((record["enterprise_id"], record["tier_code"]),
                                              []).append(record)
        return self._of_firm_tier.get((enterprise_id, tier_code), [])

    def _renewed_title(self, enterprise_id: int | None,
                       cleaned: dict[str, Any]) -> dict[str, Any] | None:
        """The title a 复核 row renews (as recognitions.renewed_end chooses it): the firm's
        latest-ending held title of the tier of an earlier year."""
        if enterprise_id is None:
            return None
        tier_code = cleaned["tier_code"]
        return recognitions_service.renewed_title_among(
            self._firm_titles(enterprise_id, tier_code), tier_code, cleaned["batch_year"])

    def _renewed_end(self, enterprise_id: int, cleaned: dict[str, Any]) -> Any:
        """The end of the title a 复核 row renews (as recognitions.renewed_end reads it)."""
        title = self._renewed_title(enterprise_id, cleaned)
        return title["valid_until"] if title is not None else None

    def _still_valid(self, planned: PlanRow, cleaned: dict[str, Any], tier: Any,
                     row: int) -> None:
        """A new recognition of a tier the firm holds, still valid when the new one is
        given: pointed out (a duplicate under another batch name?), imported anyway. A 复核
        is the next cycle of a valid title by nature: not pointed out. One still 公示中 is
        no title held (ladder.held_condition): a firm left off a batch's final list and on
        the next 公示 applied again, it is not listed twice."""
        given_on = cleaned["recognized_on"] or (
            dt.date(cleaned["batch_year"], 12, 31) if cleaned["batch_year"] else self.today)
        for record in self._firm_titles(planned.enterprise_id, cleaned["tier_code"]):
            until = record["valid_until"]
            if record["is_pending"] or (cleaned["tier_code"] == CHAIN_LEADER
                                        and record["chain_code"] != cleaned["chain_code"]):
                continue  # (链主 of another chain is another title: no repeat of it)
            if record["revoked_on"] is None and (until is None or until > given_on):
                batch = record["batch_label"] or (f"{record['batch_year']}年度"
                                                  if record["batch_year"] else "")
                planned.problems.append(self.problem(
                    row, "tier", tier.name,
                    f"该企业已有仍在有效期内的{tier.name}认定（{batch or '批次未填'}，有效期至"
                    f"{display_value(until) if until else '长期'}），"
                    f"{'这份公示名单又列入了它' if cleaned['is_pending'] else '这是又一项新认定'}"
                    "：请核对是否重复",
                    "warning"))
                return

    def _other_chains(self, planned: PlanRow, cleaned: dict[str, Any], row: int) -> None:
        """A 链主 title of a chain the firm leads none of, while it holds one of another
        chain in the same batch: added beside it (a firm is 链主 of each chain apart), said
        so, since a list correcting the chain would leave the old title standing."""
        if cleaned["tier_code"] != CHAIN_LEADER:
            return
        others = sorted({record["chain_code"] for record in self._firm_titles(
            planned.enterprise_id, CHAIN_LEADER)
            if record["chain_code"] and record["chain_code"] != cleaned["chain_code"]
            and record["revoked_on"] is None
            and (record["batch_label"] or "") == (cleaned["batch_label"] or "")
            and record["batch_year"] == cleaned["batch_year"]})
        if others:
            held = "、".join(chain_name(code) for code in others)
            planned.problems.append(self.problem(
                row, "chain", chain_name(cleaned["chain_code"]),
                f"该企业已是{held}的链主（同一批次），保留不变，本行另增"
                f"{chain_name(cleaned['chain_code'])}的链主认定；如名单是更正原产业链，"
                "请在企业窗口撤销原认定", "warning"))

    def leave_out(self, rows: set[int]) -> None:
        """Rows left out (不导入: another county's firms on an editor's login, another unit's)
        are no longer counted in the notes on years assumed or missing, nor on the 公示 rows
        read after the final list: nothing of theirs is written."""
        self.rows_without_year = [r for r in self.rows_without_year if r not in rows]
        self.review_years_read = [read for read in self.review_years_read
                                  if read[0] not in rows]
        self.reviews_corrected = [read for read in self.reviews_corrected
                                  if read[0] not in rows]
        self.review_years_given = [given for given in self.review_years_given
                                   if given[0] not in rows]
        # nor among the 公示 rows “将记为公示中” after the final list (--take-row 7 wrote
        # row 7 alone, the note said 第 7、9 行: tester28b)
        self.after_final = {batch: kept for batch, listed in self.after_final.items()
                            if (kept := [row for row in listed if row not in rows])}

    def pending_left_out(self, rows: list[PlanRow]) -> None:
        """A final list's rows left out (不导入（不属本单位区县）) whose firm holds the batch's
        recognition 公示中 (imported before the unit was recorded): said on the row, that
        the 公示 is not confirmed and what to do — it is in the list, so not among those
        公示过但不在本认定名单中, and was said nowhere (tester28a). The list's keys are
        indexed by firm once (a province's list of 10,000 firms scanned per left-out row
        took 6.9 s for 9,000 rows)."""
        of_firm: dict[int, list[tuple]] = {}
        for key in self.final_firms:
            of_firm.setdefault(key[0], []).append(key)
        for row in rows:
            if row.enterprise_id is None:
                continue
            for key in sorted(of_firm.get(row.enterprise_id, ()), key=str):
                record = self.known.recognitions.get(key)
                if record is None or not record["is_pending"] or record["revoked_on"]:
                    continue
                shown = ladder.batch_shown(key[2] or "", is_review=bool(record["is_review"]))
                what = " ".join(p for p in (reference.tier(key[1]).short, shown) if p)
                row.problems.append(self.problem(
                    row.row, "name", row.name,
                    f"这家企业的{what}仍为“公示中”，本行不导入就不会确认：确未入选的，"
                    "请在企业档案中删除这条认定；是本单位的企业，请一并导入本行", "warning",
                    hint_field="take_in"))  # (each face says how: design.md)

    def review_year_given_note(self) -> list[Problem]:
        """One note on the 复核 rows given the reviewed batch's own year (the officer's
        --year / 年度, or the title's): recorded at the round's year, and why."""
        given = self.review_years_given
        if not given:
            return []
        _, reviewed, year, corrected = given[0]
        source = "指定的年度" if self.detection.metadata.year_given else "名单的年度"
        rows = [row for row, *_ in given]
        return [Problem(self.where.sheet, None, "", None,
                        f"{source} {year} 是所复核批次（{reviewed}）本身的年度，复核不会与所复核的"
                        f"认定同年：按{reviewed}的复核轮次记为 {corrected} 年复核通过，"
                        f"所复核的原认定不改动（{rows_listed(rows, 5)}，共 {len(rows)} 行）；"
                        "如是另一轮复核，请指定那一年", "warning", "year")]

    def reviews_corrected_note(self) -> list[Problem]:
        """One note on the 复核 records the import corrects rather than adds (ladder.
        misdated_review_year): the officer sees why a 复核 list already imported changes
        records, and that 撤销导入 puts them back."""
        read = self.reviews_corrected
        if not read:
            return []
        years = "、".join(dict.fromkeys(f"{old} → {new}" for _, old, new in read))
        rows = [row for row, *_ in read]
        return [Problem(self.where.sheet, None, "", None,
                        f"更正 {len(rows)} 条复核记录的年度（{years}）：此前导入时记成了所复核批次"
                        "本身的年度（复核不会与认定同年），这次按复核轮次更正，不另增一条"
                        f"（{rows_listed(rows, 5)}）；撤销本次导入即恢复原样", "warning")]

    def _batch_column_means_review(self) -> bool:
        """Whether the column read as 复核批次 says a row is a 复核 pass: its header names
        复核 (复核批次, 被复核批次), or the list's title speaks of 复核. A header such as
        原认定批次 on a list whose title does not may be a new list's earlier title."""
        if self.detection.metadata.is_review is not None:
            return True
        headers = self.detection.headers
        return any("复核" in (headers[i] if i < len(headers) else "")
                   for i, key in self.detection.mapping.items() if key == "review_of_batch")

    def _recognition_given(self, planned: PlanRow, parsed: dict[str, Any], row: int
                           ) -> dict[str, Any] | None:
        """The recognition's fields the list gives (its title, the user, the row's cells);
        None, with the row's error, for a tier it does not know."""
        explicit = dict(self.meta_values)  # changed below: a copy per row
        if "tier" in parsed:
            tier_code = reference.resolve_tier(parsed["tier"]) or reference.tier_in_title(parsed["tier"])
            if tier_code is None:
                planned.error(self.problem(row, "tier", parsed["tier"], f"未知的梯度层级：{parsed['tier']}"))
                return None
            explicit["tier_code"] = tier_code
        for key in ("level", "batch_label", "batch_year", "is_review", "review_of_batch",
                    "document_number", "recognized_on", "valid_until", "note"):
            if key in parsed:
                explicit[key] = parsed[key]
        if parsed.get("review_of_batch") and "is_review" not in parsed:
            if self._batch_column_means_review():
                # a row naming the batch it re-examines is a 复核 pass (a title of 第五批
                # and 第二批复核 together is read as new ones: the 复核批次 column tells
                # them apart)
                explicit["is_review"] = True
            else:
                # 原认定批次/原批次 on a list whose title says nothing of 复核: a new list's
                # earlier title (the 省专精特新 a 小巨人 came from), not a batch re-examined
                explicit.pop("review_of_batch", None)
        if "chain" in parsed:
            explicit["chain_code"] = parsed["chain"]
        if self.detection.own_report == own_reports.ROSTER:
            self._as_the_roster_wrote(planned, explicit, parsed, row)
        if "batch_year" in parsed and "batch_label" not in parsed and (
                not explicit.get("batch_label") or explicit["batch_label"].endswith("年度")):
            explicit["batch_label"] = f"{parsed['batch_year']}年度"
        return explicit

    def _as_the_roster_wrote(self, planned: PlanRow, explicit: dict[str, Any],
                             parsed: dict[str, Any], row: int) -> None:
        """Tiers's own 梯度培育企业名单: 认定批次/年度 as the report wrote it (第五批（2023年）),
        and 所属产业链（链主） naming every chain of the firm, marking those it leads: a
        链主 recognition takes the chain it leads (the one it has, if still listed), and
        the firm's place on the other chains is kept as chain roles."""
        if "batch_label" in parsed:
            explicit["batch_label"], explicit["batch_year"] = list_cells.batch_from_text(
                str(parsed["batch_label"]))
        explicit.pop("chain_code", None)
        chains: list[tuple[str, bool]] = []
        for name, leads in list_cells.chains_from_label(str(parsed.get("chain") or "")):
            code = reference.resolve_chain(name)
            if code is None:
                planned.problems.append(self.problem(row, "chain", name,
                                                     f"未知的产业链：{name}，未导入", "warning"))
            else:
                chains.append((code, leads))
        if explicit.get("tier_code") == CHAIN_LEADER:
            explicit["chain_code"] = self._led_chain(planned.enterprise_id, explicit,
                                                     [code for code, leads in chains if leads])
        self._chain_roles(planned, chains, led_by_title=explicit.get("chain_code"))

    def _led_chain(self, enterprise_id: int | None, explicit: dict[str, Any],
                   led: list[str]) -> str | None:
        """The chain a 链主 row of the roster is the title of: the first chain it marks
        that the firm holds a 链主 title of (this batch) for, else the first it marks."""
        if enterprise_id is not None:
            label, year = explicit.get("batch_label") or "", explicit.get("batch_year")
            for code in led:
                if recognition_key(enterprise_id, CHAIN_LEADER, label, year,
                                   code) in self.known.recognitions:
                    return code
        return led[0] if led else None

    def _chain_roles(self, planned: PlanRow, chains: list[tuple[str, bool]], *,
                     led_by_title: str | None) -> None:
        """A role for each chain the firm has none on: 链主 where the report marks it (unless
        a 链主 recognition already says so), else 配套企业, the report naming no role."""
        enterprise_id = planned.enterprise_id
        for code, leads in chains:
            if enterprise_id is not None and (
                    (enterprise_id, code) in self.known.chain_roles
                    or (leads and (enterprise_id, code) in self._led_by_recognitions())):
                continue
            if leads and code == led_by_title:
                continue
            role = "链主" if leads else UNNAMED_ROLE
            planned.records.append(RecordChange(
                "chain_role", CREATE, f"{chain_name(code)} {role}",
                values={"chain_code": code, "role": role,
                        "note": "" if leads else UNNAMED_ROLE_NOTE}))

    def _led_by_recognitions(self) -> set[tuple[int, str]]:
        if self._leaders is None:
            self._leaders = {(r["enterprise_id"], r["chain_code"])
                             for r in self.known.recognitions.values()
                             if r["tier_code"] == CHAIN_LEADER and r["chain_code"]}
        return self._leaders

    def _figures(self, planned: PlanRow, year: int, values: dict[str, Any], row: int) -> None:
        cleaned = figures_service.ordered(values)  # each column cleaned in parse_columns
        if not 1949 <= year <= self.today.year + 5:
            planned.error(self.problem(row, "year", year, f"年度不合理：{year}"))
            return
        existing = self.known.figures.get((planned.enterprise_id, year)) if planned.enterprise_id else None
        self._doubts(planned, year, cleaned, existing, row)
        description = f"{year}年 年度数据"
        if existing is None:
            planned.records.append(RecordChange("annual_figures", CREATE, description,
                                                values={"year": year, **cleaned}))
            return
        changes = [FieldChange(k, figures_service.LABELS[k], existing[k], v)
                   for k, v in cleaned.items() if not same_value(existing[k], v)]
        if changes:
            planned.records.append(RecordChange("annual_figures", UPDATE, description,
                                                record_id=existing["id"],
                                                values={c.field: c.new for c in changes},
                                                changes=changes))


    def _doubts(self, planned: PlanRow, year: int, given: dict[str, Any],
                existing: dict[str, Any] | None, row: int) -> None:
        """The year's figures as they will be stored (the row's over those recorded) read by
        预审's own rule (firm.row_doubts: 主营业务收入 above 营业收入 …): each doubt the row's
        cells take part in is a warning at its cell, naming the other column, or saying the
        other value is the one recorded. A warning, not a refusal: the form is the firm's
        word, to be checked with it (and 净利润 above 营业收入, 负债 above 资产 happen); 预审
        leaves the year unscored (数据存疑) until it is corrected."""
        doubts = row_doubts({**existing, **given} if existing else given)
        for doubt in doubts:
            if doubt.field not in given and doubt.against not in given:
                continue  # the row does not touch it: a doubt of the figures recorded
            at = doubt.field if doubt.field in given else doubt.against
            other = doubt.against if at == doubt.field else doubt.field
            where = ""
            if other is not None:
                label = figures_service.LABELS[other]
                column = self._figure_column(other, year)
                where = (f"（{label}见 {column} 列）" if other in given and column
                         else f"（{label}为库中已记录的 {year} 年度数据）" if other not in given
                         else "")
            planned.problems.append(Problem(
                self.where.sheet, row, self._figure_column(at, year), given.get(at),
                f"{year}年度{doubt.text}{where}：请与企业核实；"
                "不改正的，对标预审将按“数据存疑”不评估这一年度", "warning"))

    def _figure_column(self, key: str, year: int) -> str:
        """The column a year's figure came from, as Excel names it: the column of that
        field whose header names the year (2024年营业收入), else the field's column."""
        header_years = self.detection.header_years
        for index, field in sorted(self.detection.mapping.items()):
            if field == key and header_years.get(index) == year:
                return column_letter(index)
        index = self.where.columns_of.get(key)
        return column_letter(index) if index is not None else ""

    def not_in_final_list(self) -> list[dict[str, Any]]:
        """The firms still 公示中 in a batch this final list gives, that it does not name:
        dropped between 公示 and the final list, or named in a way not matched. Tiers's own
        名单 report is no batch's final list: it shows what was held when it was exported."""
        if not self.final_batches or self.detection.own_report == own_reports.ROSTER:
            return []
        missing = []
        for key, recognition in self.known.recognitions.items():
            if (recognition["is_pending"]
                    and (*key[1:4], bool(recognition["is_review"])) in self.final_batches
                    and key not in self.final_firms and recognition["revoked_on"] is None):
                firm = self.known.by_id.get(key[0], {})
                missing.append({"enterprise_id": key[0], "name": firm.get("name", ""),
                                "credit_code": firm.get("credit_code", ""),
                                "tier": reference.tier(key[1]).name,
                                "batch_label": key[2], "batch_year": key[3],
                                "is_review": bool(recognition["is_review"]),
                                "recognition_id": recognition["id"]})
        return sorted(missing, key=lambda m: (m["tier"], m["credit_code"] or "", m["name"]))

    def _held_in(self, batch: tuple) -> int:
        """How many firms hold a recognition of this batch (tier, label, year, 复核), 有效."""
        if self._held_batches is None:
            self._held_batches = {}
            for key, record in self.known.recognitions.items():
                if not record["is_pending"] and record["revoked_on"] is None:
                    held = (*key[1:4], bool(record["is_review"]))
                    self._held_batches[held] = self._held_batches.get(held, 0) + 1
        return self._held_batches.get(batch, 0)

    def after_final_note(self, session: Session) -> list[Problem]:
        """A 公示 list read after its final list: the firms it adds were left out of it.
        Said only when a final list was imported: firms confirmed by hand (the 公示 over, no
        final list read) or held some other way (entered by hand, the demo county, a 数据包)
        say nothing of who else the batch left out."""
        notes = []
        for (tier_code, label, year, review), rows in sorted(
                self.after_final.items(), key=lambda item: item[1][0]):
            held = held_by(session, tier_code=tier_code, batch_label=label, batch_year=year,
                           is_review=review)
            if not held.final_list:
                continue
            batch = " ".join(p for p in (reference.tier(tier_code).name,
                                         label or (f"{year}年度" if year else ""),
                                         "复核" if review else "") if p)
            by_hand = f"，另有 {held.by_hand} 家为手工确认" if held.by_hand else ""
            notes.append(Problem(
                self.where.sheet, None, "", None,
                f"{batch}已有 {held.final_list} 家企业认定有效（认定名单已导入{by_hand}）"
                f"，这份公示名单上的 {len(rows)} 家企业"
                f"（第 {'、'.join(map(str, rows[:5]))}{' 等' if len(rows) > 5 else ' '}行）"
                "不在其中，将记为“公示中”：如认定名单已公布，"
                "这些企业多半未入选，这份公示名单可不必导入", "warning"))
        return notes

    def review_year_note(self) -> list[Problem]:
        """复核 rows recorded at the year their batch's 复核 round falls in, the list giving
        none (第二批…复核 → 2023, ladder.review_of_batch_year): said once, so the officer
        sees the year read; and when even that reading leaves the title run out today (a
        later round's list, an old one), asked plainly — never an expired title recorded
        unasked."""
        read = self.review_years_read
        if not read:
            return []
        _, tier_code, label, year, until = read[0]
        first = reference.batch_year(tier_code, label)
        validity = reference.tier(tier_code).validity_years
        how = f"按{label}（{first}年）加有效期 {validity} 年，" if first and validity else ""
        ran_out = [(row, ends) for row, *_, ends in read
                   if ends is not None and ends < self.today]
        rows = [row for row, *_ in (ran_out or read)]
        where = f"{rows_listed(rows, 5)}，共 {len(rows)} 行"
        if ran_out:
            return [Problem(self.where.sheet, None, "", None,
                            f"复核名单未写年度：{how}推定为 {year} 年复核通过，但这样推算的有效期"
                            f"（至 {display_value(ran_out[0][1])}）今天已过（{where}）：名单可能是"
                            "较晚一轮的复核，请核对年度后指定年度", "warning", "year")]
        return [Problem(self.where.sheet, None, "", None,
                        f"复核名单未写年度：{how}推定为 {year} 年复核通过"
                        + (f"、有效期至 {display_value(until)}" if until else "")
                        + f"（{where}）；如不是这一轮复核，请指定年度", "warning", "year")]

    def without_year_note(self) -> list[Problem]:
        """Recognitions whose validity cannot be known without a year: one note."""
        rows = self.rows_without_year
        if not rows:
            return []
        return [Problem(self.where.sheet, None, "", None,
                        f"未给出认定年度，无法推算有效期（{rows_listed(rows, 5)}，共 {len(rows)} 行）"
                        "：请指定年度", "warning", "year")]


_RECOGNITION_LABELS = {"is_pending": "公示中", "level": "认定级别", "batch_label": "认定批次", "batch_year": "认定年度",
                       "is_review": "复核", "review_of_batch": "复核批次",
                       "document_number": "认定文号", "recognized_on": "认定日期",
                       "valid_until": "有效期至", "chain_code": "所属产业链", "note": "备注",
                       "valid_until_estimated": "有效期至为推算"}


def _batch_with_year(tier: reference.Tier, batch: str, year: int | None) -> str:
    """2025年第二批: a batch numbered within its year (every year has a 第二批 of 创新型) with
    the year, which the preview left out (新增 创新型 第二批, tester28a #4); a batch that names
    its year (2024年度) or is numbered across the years (小巨人 第五批) as it is."""
    if year is None or tier.batches or str(year) in batch:
        return batch
    return f"{year}年{batch}"
