"""Detecting a list in a workbook: pick the sheet whose header means most, then put its
header, column mapping, list metadata and kind together as a ``Detection``."""

from __future__ import annotations

from importers import columns
from importers.errors import ImportRefused, Problem, SheetRefused
from importers.read import collection, own_reports
from importers.read.detection import Detection
from importers.read.extent import unvalued_in_data, unvalued_refused
from importers.read.header import (
    HeaderCandidate,
    describe_unknown,
    has_data,
    list_header,
    refuse_too_wide,
)
from importers.read.kind import guess_kind
from importers.read.metadata import Metadata, metadata_from_texts, title_lines
from importers.read.sources import Sheet, Source
from importers.values import is_blank, unit_of_header


def _holds_anything(sheet: Sheet) -> bool:
    return any(any(not is_blank(v) for v in row) for row in sheet.rows)


def _sheet_score(source: Source, name: str, sheet: Sheet, candidate: HeaderCandidate) -> int:
    """How much a sheet's header means, less for a hidden sheet, one with no data under its
    header, or a 填报说明 sheet."""
    score = candidate.score + (0 if source.is_visible(name) else -100)
    if not has_data(sheet, candidate.rows[-1] + 1):
        score -= 50
    if "说明" in name:
        score -= 20
    return score


def _choose_sheet(source: Source, names: list[str]) -> tuple[str, HeaderCandidate]:
    """The sheet among ``names`` with the best header. Raises ImportRefused when none has
    one, saying what the first non-empty sheet holds instead."""
    choice: tuple[int, str, HeaderCandidate] | None = None
    first_unknown = ""
    wide: list[tuple[str, HeaderCandidate]] = []
    for name in names:
        current = source.sheet(name)
        candidate = list_header(name, current, wide)
        if candidate is None:  # (a too wide one is refused below, before this is said)
            if not first_unknown and _holds_anything(current):
                first_unknown = f"工作表“{name}”{describe_unknown(current)}"
            continue
        score = _sheet_score(source, name, current, candidate)
        if choice is None or score > choice[0]:
            choice = (score, name, candidate)
    if choice is not None:
        return choice[1], choice[2]
    refuse_too_wide(wide)
    for name in names:  # a Tiers report with no firm list (汇总表, 产业链企业分布表)
        own_reports.refuse_unless_a_list(own_reports.from_layout(source.sheet(name)))
    if not any(_holds_anything(source.sheet(n)) for n in names):
        raise SheetRefused(f"“{source.file_name}”中没有任何内容（工作表都是空的）。")
    raise SheetRefused(
        "未能识别表头：前 25 行中找不到“企业名称”或“统一社会信用代码”等可识别的列"
        f"{('，' + first_unknown) if first_unknown else ''}。"
        "请确认选对了文件和工作表，或把表头改成常用的写法（如 企业名称、统一社会信用代码）。")


def other_lists(source: Source, chosen: str) -> list[str]:
    """The visible sheets besides ``chosen`` that hold a list too (a header detect()
    recognises, with data rows under it). Meant for after detect() chose the sheet itself:
    it has read every sheet then (the source keeps them), so this scores the first rows of
    each again and reads nothing. A 说明 sheet is left out, as detect() passes it over."""
    others = []
    for name in source.sheet_names:
        if name == chosen or not source.is_visible(name) or "说明" in name:
            continue
        try:
            sheet = source.sheet(name)
        except ImportRefused:
            continue
        candidate = list_header(name, sheet, [])  # a too wide sheet is no list to mention
        if candidate is not None and has_data(sheet, candidate.rows[-1] + 1):
            others.append(name)
    return others


def detect(source: Source, sheet: str | None = None) -> Detection:
    """Pick the sheet (the one whose header means most, skipping 填报说明), find its header,
    map its columns, guess the kind and read the title. Raises SheetRefused (an ImportRefused)
    when no sheet has a header with 企业名称 or 统一社会信用代码, or the sheet has no data
    rows, or is a Tiers report that is no list. A Tiers
    采集表 is recognised by its hidden marker and mapped by field code."""
    recognised = collection.recognise(source, sheet)
    if recognised is not None:
        return recognised
    if sheet is not None:
        names = [sheet]
        source.sheet(sheet)  # refuses an unknown name with the list of sheets
    else:
        names = source.sheet_names
        if not names:
            raise ImportRefused(f"“{source.file_name}”中没有工作表。")
    own_reports.refuse_unless_a_list(own_reports.from_marker(source))
    name, candidate = _choose_sheet(source, names)
    current = source.sheet(name)
    own_report = own_reports.identify(source, current)
    own_reports.refuse_unless_a_list(own_report)
    data_start = candidate.rows[-1] + 1
    # (a template's layout may have them: only an import is refused)
    unvalued = unvalued_in_data(current.unvalued, data_start + 1)
    if unvalued:
        raise unvalued_refused(name, unvalued, read_as=source.unvalued_read_as)
    if not has_data(current, data_start):
        # a row merged across the columns above the data (a title in the header's words)
        # makes the data row a second header row: say both rows, or the officer sees data
        first, last = candidate.rows[0] + 1, candidate.rows[-1] + 1
        shown = f"第 {first} 行" if first == last else f"第 {first}–{last} 行"
        raise SheetRefused(
            f"工作表“{name}”只有表头（{shown}），没有数据行。")
    remembered = columns.recall_mapping(candidate.labels)
    mapping = dict(candidate.mapping) if remembered is None else remembered
    units = {i: unit_of_header(candidate.labels[i]) for i in mapping if i < len(candidate.labels)}
    texts = title_lines(current, candidate.rows[0]) + [name, source.path.stem]
    metadata, warnings = metadata_from_texts(texts)
    if own_report == own_reports.ROSTER:
        # each row gives its own tier, batch and year: the title and the 统计截止 date
        # describe the export, not a list
        metadata, warnings = Metadata(title=texts[0]), []
        kind = "recognitions"
    else:
        # the kind the remembered columns were imported as: they are that kind's (a 扶持措施
        # list imported as 企业名录 has its measure columns saved 不导入)
        kind = columns.recalled_kind(candidate.labels) if remembered is not None else None
        kind = kind or guess_kind({k for k in mapping.values() if k}, metadata, texts,
                                  headers=candidate.labels)
    if remembered is None:  # what the user chose is kept as chosen
        mapping = columns.fit_to_kind(mapping, kind)
    problems = [Problem(sheet=name, row=candidate.rows[0] + 1, column="", value=None,
                        message=w, severity="warning") for w in warnings]
    return Detection(source=source, sheet=name, header_rows=candidate.rows, data_start=data_start,
                     headers=candidate.labels, mapping=mapping, header_years=candidate.years,
                     units=units, kind=kind, metadata=metadata,
                     remembered=remembered is not None, problems=problems,
                     own_report=own_report, matched=dict(candidate.mapping),
                     remembered_as=kind if remembered is not None else None)
