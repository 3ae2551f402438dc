"""``Detection``: everything guessed about one sheet, and the copy the user's corrections
make of it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from importers import columns
from importers.errors import ImportRefused, Problem, column_letter
from importers.read.metadata import BOTH_LISTS, Metadata
from importers.read.sources import Source
from importers.values import unit_of_header
from tiers.model import reference

# the columns the officer chose by hand, by the kind chosen when he did: {kind: {column:
# field key, None for 不导入}} (Detection.mapping_of_kind)
Edits = Mapping[str, Mapping[int, str | None]]


@dataclass(frozen=True)
class Detection:
    """Everything guessed about one sheet; the wizard shows it and lets the user correct it
    with ``with_options`` before the plan is built."""

    source: Source
    sheet: str
    header_rows: tuple[int, ...]  # 0-based row indexes of the header (1 or 2 rows)
    data_start: int  # 0-based index of the first row after the header
    headers: list[str]  # one label per column (two-row headers joined "上/下")
    mapping: dict[int, str]  # column index → field key ("" = known but not stored)
    header_years: dict[int, int]  # "2023年营业收入" → {col: 2023}
    units: dict[int, Decimal]  # money columns: what one plain number is worth in 万元
    kind: str
    metadata: Metadata
    remembered: bool = False
    problems: list[Problem] = field(default_factory=list)
    collection_year: int | None = None  # a Tiers 采集表: mapped by its marker, no mapping step
    # a 采集表's grey 上一年度 columns (index → field): not imported, but read for figures a
    # firm typed there (importers.plan.reference_cells)
    reference_columns: dict[int, str] = field(default_factory=dict)
    # what those columns printed, per credit code (field → figure, None: blank); None for a
    # 采集表 written before the marker kept it (compared with the database instead)
    printed_references: Mapping[str, Mapping[str, Decimal | None]] | None = None
    own_report: str | None = None  # the code of the Tiers report this sheet is, if it is one
    # the columns as the headers name them, before a remembered mapping (None: ``mapping``)
    matched: dict[int, str] | None = None
    # the kind the remembered mapping is of (a mapping saved without its kind: the one
    # detected with it)
    remembered_as: str | None = None

    @property
    def file_name(self) -> str:
        return self.source.file_name

    def header_row_numbers(self) -> list[int]:
        """As Excel shows them (1-based)."""
        return [r + 1 for r in self.header_rows]

    def column_table(self) -> list[dict[str, Any]]:
        """For the preview: one entry per column with its letter, header (on one line:
        ``columns.shown_header``) and mapped field."""
        return [
            {"column": column_letter(i), "index": i, "header": columns.shown_header(header),
             "field": self.mapping.get(i), "label": columns.field_label(self.mapping[i])
             if self.mapping.get(i) else ""}
            for i, header in enumerate(self.headers)
        ]

    def with_options(self, *, kind: str | None = None, mapping: dict[int, str | None] | None = None,
                     tier: str | None = None, level: str | None = None,
                     batch_label: str | None = None, batch_year: int | None = None,
                     is_review: bool | None = None, pending: bool | None = None,
                     edited: Edits | None = None) -> Detection:
        """A copy with the user's corrections (``pending``: taken as a 公示 list, or as the
        final list; ``edited``: the columns chosen by hand before ``kind`` was chosen, see
        ``mapping_of_kind``). Raises ImportRefused for values it cannot use."""
        changes: dict[str, Any] = {}
        if kind is not None:
            changes.update(self._kind_changes(kind, keep_mapping=mapping is not None,
                                              edited=edited))
        if mapping is not None:
            changes.update(self._mapping_changes(mapping))
        meta = _metadata_given(tier=tier, level=level, batch_label=batch_label,
                               batch_year=batch_year, is_review=is_review,
                               batch_known=bool(self.metadata.batch_label))
        if pending is not None:
            meta["pending"] = pending
        problems = list(self.problems)
        if meta.get("is_review"):  # the officer took it as a 复核 list: not 按新认定导入
            problems = [p for p in problems if not p.message.startswith(BOTH_LISTS)]
        if "tier" in meta:
            problems += self._settle_given_tier(meta, tier, level_given=level is not None)
        _check_tier_level(meta.get("tier", self.metadata.tier),
                          meta.get("level", self.metadata.level))
        if meta:
            changes["metadata"] = dataclasses.replace(self.metadata, **meta)
        if len(problems) != len(self.problems):
            changes["problems"] = problems
        return dataclasses.replace(self, **changes)

    def _kind_changes(self, kind: str, *, keep_mapping: bool,
                      edited: Edits | None = None) -> dict[str, Any]:
        if kind not in columns.KINDS:
            raise ImportRefused(f"未知的导入类别：{kind}（可选 {'、'.join(columns.KINDS)}）")
        changes: dict[str, Any] = {"kind": kind}
        if keep_mapping:
            return changes
        if kind != self.kind or edited:  # another kind's columns are not this one's
            mapping, saved = self.mapping_of_kind(kind, edited=edited)
            changes.update(self._mapping_changes(mapping))
            changes["remembered"] = saved
        elif not self.remembered:
            changes["mapping"] = columns.fit_to_kind(self.mapping, kind)
        return changes

    def mapping_of_kind(self, kind: str, *,
                        edited: Edits | None = None) -> tuple[dict[int, str], bool]:
        """(the columns as a list of ``kind`` reads them, whether they are the mapping
        saved for it): the one the officer saved for this header layout imported as that
        kind, else the headers matched again (``columns.fit_to_kind``). Never the saved
        columns of another kind, where this kind's columns were 不导入.

        ``edited``: the columns the officer chose by hand, by the kind chosen when he did
        ({kind: {column: field, None 不导入}}): laid over those, his choices are not thrown
        away by a switch of the kind. Those made under ``kind`` all come back (switched and
        back, 实施单位 stays 不导入); those made under another kind when their field is one
        of ``kind``'s (联系人 chosen under 扶持措施 stays when 企业名录 is chosen); a 不导入
        or another kind's field was about that kind's columns."""
        base, saved = self._columns_of_kind(kind)
        if not edited:
            return base, saved
        fields = columns.fields()
        laid = dict(base)
        others = [edits for made_under, edits in edited.items() if made_under != kind]
        for edits in others:
            for index, key in edits.items():
                if key in fields and kind in fields[key].kinds:
                    laid[index] = key
        for index, key in edited.get(kind, {}).items():
            laid[index] = key or columns.IGNORE
        return laid, saved

    def _columns_of_kind(self, kind: str) -> tuple[dict[int, str], bool]:
        if kind == self.kind:  # (what was detected for it)
            if self.remembered:
                return dict(self.mapping), True
            return columns.fit_to_kind(self.mapping, kind), False
        saved = columns.recall_mapping(self.headers, kind)
        if saved is None and kind == self.remembered_as:  # saved before kinds were kept
            saved = columns.recall_mapping(self.headers)
        if saved is not None:
            return saved, True
        matched = self.matched if self.matched is not None else self.mapping
        return columns.fit_to_kind(matched, kind), False

    def _mapping_changes(self, mapping: dict[int, str | None]) -> dict[str, Any]:
        known = columns.fields()
        new_mapping = {}
        for index, key in mapping.items():
            if key and key not in known:
                raise ImportRefused(f"未知的字段：{key}")
            if key is not None:
                new_mapping[index] = key
        units = {i: unit_of_header(self.headers[i]) if i < len(self.headers) else Decimal(1)
                 for i in new_mapping}
        return {"mapping": new_mapping, "units": units}

    def _settle_given_tier(self, meta: dict[str, Any], tier: str | None, *,
                           level_given: bool) -> list[Problem]:
        """A tier the user gave over the title's: a warning when they differ, and the tier's
        own level unless the user gave one too (the title's level belonged to its own tier)."""
        given = reference.tier(meta["tier"])
        problems = []
        if self.metadata.tier and self.metadata.tier != meta["tier"]:
            named = reference.tier(self.metadata.tier).name
            problems.append(Problem(self.sheet, None, "", tier,
                                    f"标题写的是“{named}”，按指定的“{given.name}”导入，请确认",
                                    "warning"))
        if not level_given and self.metadata.level not in given.levels:
            meta["level"] = given.level
        return problems


def _metadata_given(*, tier: str | None, level: str | None, batch_label: str | None,
                    batch_year: int | None, is_review: bool | None,
                    batch_known: bool) -> dict[str, Any]:
    """The metadata fields the user gave, checked. Raises ImportRefused for an unknown tier
    or level."""
    meta: dict[str, Any] = {}
    if tier is not None:
        code = reference.resolve_tier(tier) or reference.tier_in_title(tier)
        if code is None:
            names = "、".join(t.short for t in reference.tiers())
            raise ImportRefused(f"未知的梯度层级：{tier}（可选 {names}）")
        meta["tier"] = code
    if level is not None:
        if level not in reference.LEVELS:
            raise ImportRefused(f"认定级别应为{'、'.join(reference.LEVELS)}之一：{level}")
        meta["level"] = level
    if batch_label is not None:
        meta["batch_label"] = batch_label.strip()
    if batch_year is not None:
        meta["batch_year"] = batch_year
        meta["year_given"] = True
        if batch_label is None and not batch_known:
            meta["batch_label"] = f"{batch_year}年度"
    if is_review is not None:
        meta["is_review"] = is_review
    return meta


def _check_tier_level(tier: str | None, level: str | None) -> None:
    """Refuses a level the tier is never recognised at (专精特新 小巨人 at 县级)."""
    if not (tier and level):
        return
    allowed = reference.tier(tier).levels
    if allowed and level not in allowed:
        raise ImportRefused(
            f"{reference.tier(tier).name}的认定级别只能是{'、'.join(allowed)}，"
            f"不能是{level}，请检查指定的梯度层级和级别。")
