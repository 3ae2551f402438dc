"""The sheet as a whole, before its rows: which mapped columns the kind imports, the
checks that refuse a sheet or warn about its columns (figures without a year, two columns
for one field), an earlier import of the same file, and which rows are no data (footers,
repeated headers, numbering rows)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from importers import columns
from importers import values as parse
from importers.errors import ChoiceMissing, ImportRefused, Problem, column_letter
from importers.plan.types import listed
from importers.read.detection import Detection
from importers.read.header import FIGURE_FIELDS
from tiers.model.orm import ImportBatch
from tiers.text.values import show

_FOOTER = re.compile(r"^(注|说明|备注|附注|合计|总计|小计|共计|填表|填报人|制表|审核|负责人|联系人[:：]|联系电话[:：]|"
                     r"单位负责人|统计负责人|填报日期|日期[:：]|以上|其中)")
# the first characters a footer line can start with: other rows skip the regex
_FOOTER_FIRST = frozenset("注说备附合总小共填制审负联单统日以其")
_COUNT = re.compile(r"^[共计]?\s*[0-9０-９,，]+\s*(家|户|个|项|条|人|万元)?$")


def _effective_mapping(detection: Detection) -> dict[int, str]:
    allowed = {key for key, spec in columns.fields().items() if detection.kind in spec.kinds}
    allowed |= {"name", "credit_code"}
    if detection.kind in ("recognitions", "support", "figures"):
        # such lists may carry some of the roster's columns: fill blanks of new firms
        allowed |= {"county", "town", "main_product", "address", "contact_person",
                    "contact_phone", "legal_representative", "industry"}
    return {i: k for i, k in detection.mapping.items() if k and k in allowed}


def checked_mapping(detection: Detection) -> tuple[dict[int, str], list[Problem]]:
    """The columns the plan reads (field by column index), and the warnings about the
    sheet's columns. Raises ImportRefused when the sheet cannot be imported as its kind."""
    mapping = _effective_mapping(detection)
    mapped = set(mapping.values())
    if not mapped & {"name", "credit_code"}:
        raise ImportRefused("没有映射到“企业名称”或“统一社会信用代码”的列，无法匹配企业。")
    meta = detection.metadata
    if detection.kind == "recognitions" and "tier" not in mapped and meta.tier is None:
        raise ChoiceMissing("未能从标题、工作表名或文件名识别梯度层级（如 小巨人、省级专精特新），"
                            "请指定。", hint_field="tier")
    problems = list(detection.problems)
    problems += _not_the_same(detection, mapping)
    problems += _figures_left_out(detection, mapping)
    mapping = _columns_of_given_year(detection, mapping, problems)
    problems += _shared_columns(detection, mapping)
    mapping = _figures_with_a_year(detection, mapping, problems)
    return mapping, problems


def _sheet_warning(detection: Detection, message: str, value: Any = None,
                   hint_field: str = "") -> Problem:
    return Problem(detection.sheet, None, "", value, message, "warning", hint_field)


def _quoted(header: str) -> str:
    """A header as a message names it: a two-row header's lower label, on one line."""
    return columns.shown_header(header.split("/")[-1])


def _not_the_same(detection: Detection, mapping: dict[int, str]) -> list[Problem]:
    """Columns left out because they only look like a field: 利润总额 is not 净利润."""
    problems = []
    for i, header in enumerate(detection.headers):
        note = columns.not_the_same(header.split("/")[-1]) if i not in mapping else None
        if note:
            problems.append(_sheet_warning(
                detection, f"{column_letter(i)} 列“{_quoted(header)}”未导入：{note}"))
    return problems


def _figures_left_out(detection: Detection, mapping: dict[int, str]) -> list[Problem]:
    """Figure columns the kind does not import (a roster's 营业收入 in a recognition list)."""
    left_out = [i for i, k in detection.mapping.items() if k in FIGURE_FIELDS and i not in mapping]
    if not left_out:
        return []
    named = listed([f"{column_letter(i)} {_quoted(detection.headers[i])}"
                    for i in left_out], 4)
    return [_sheet_warning(detection, f"{named}是年度数据，“{columns.KIND_LABELS[detection.kind]}”"
                                      "不导入这些列；如需导入，请把同一文件按“年度数据”再导入一次")]


def _columns_of_given_year(detection: Detection, mapping: dict[int, str],
                           problems: list[Problem]) -> dict[int, str]:
    """When every figure column names its year (营业收入 2024年 | 2025年), a year the user
    gave picks one of them. (With some columns yearless, the given year is theirs.)"""
    meta, years = detection.metadata, detection.header_years
    figure_columns = {i for i, k in mapping.items() if k in FIGURE_FIELDS}
    yeared = {i for i in figure_columns if i in years}
    if not (meta.year_given and meta.batch_year is not None and yeared
            and yeared == figure_columns):
        return mapping
    mapping = {i: k for i, k in mapping.items() if i not in yeared or years[i] == meta.batch_year}
    all_years = sorted({years[i] for i in yeared})
    if any(k in FIGURE_FIELDS for k in mapping.values()):
        others = [year for year in all_years if year != meta.batch_year]
        if others:
            problems.append(_sheet_warning(
                detection, f"表中还有 {'、'.join(map(str, others))} 年的数据列：按指定的年度只导入 "
                           f"{meta.batch_year} 年的列；如需导入全部年度，请不要指定年度",
                meta.batch_year))
        return mapping
    message = f"表中没有 {meta.batch_year} 年的数据列（有 {'、'.join(map(str, all_years))} 年）"
    if detection.kind == "figures":
        raise ImportRefused(message + "，请检查指定的年度。")
    problems.append(_sheet_warning(detection, message + "，年度数据未导入", meta.batch_year))
    return mapping


def _shared_columns(detection: Detection, mapping: dict[int, str]) -> list[Problem]:
    """营业收入 twice, or a column mapped by hand onto another's field (of the same year)."""
    shared: dict[tuple[str, int | None], list[int]] = {}
    for i, k in sorted(mapping.items()):
        if k in FIGURE_FIELDS:
            shared.setdefault((k, detection.header_years.get(i)), []).append(i)
    problems = []
    for (key, year), indexes in shared.items():
        if len(indexes) > 1:
            named = "、".join(column_letter(i) for i in indexes)
            when = f"（{year}年）" if year is not None else ""
            problems.append(_sheet_warning(
                detection, f"{named} 列都对应“{columns.field_label(key)}”{when}：每行取其中第一个"
                           "有值的列", hint_field="mapping"))
    return problems


def _figures_with_a_year(detection: Detection, mapping: dict[int, str],
                         problems: list[Problem]) -> dict[int, str]:
    """Figure columns need a year: a 年度 column, the title's or the user's, or their
    headers'. Without one a figures list is refused; other lists leave those columns."""
    meta = detection.metadata
    mapped = set(mapping.values())
    yeared = sum(1 for i in mapping if i in detection.header_years)
    figure_columns = {i for i, k in mapping.items() if k in FIGURE_FIELDS}
    year_known = ("year" in mapped or meta.batch_year is not None
                  or yeared == len(figure_columns))
    if figure_columns and not year_known:
        if detection.kind == "figures":
            raise ChoiceMissing("年度数据需要年度：表中没有“年度”列，标题和表头也没写年份，请指定。",
                                hint_field="year")
        problems.append(_sheet_warning(detection, "表中有年度数据列（营业收入等），但未写明年度，"
                                                  "这些列未导入；如需导入请指定年度",
                                       hint_field="year"))
        return {i: k for i, k in mapping.items() if i not in figure_columns}
    if figure_columns and "year" not in mapped and yeared < len(figure_columns):
        problems.append(_sheet_warning(
            detection, f"表中未写年度的数据列（营业收入等）记入 {meta.batch_year} 年"
                       "（取自标题或指定的年度），如不对请指定年度", meta.batch_year))
    return mapping


def previous_import(session: Session, detection: Detection, *, changing: int = 0
                    ) -> list[Problem]:
    """A warning when this file was imported before (and not undone). ``changing``: the
    rows this plan creates or updates all the same (rows linked since, values changed in
    the database since): then it does not say that importing again changes nothing."""
    previous = session.execute(
        select(ImportBatch.id, ImportBatch.created_at, ImportBatch.sheet, ImportBatch.kind)
        .where(ImportBatch.sha256 == detection.source.sha256, ImportBatch.undone_at.is_(None))
        .order_by((ImportBatch.sheet == detection.sheet) & (ImportBatch.kind == detection.kind))
    ).all()
    if not previous:
        return []
    batch_id, at, sheet_name, previous_kind = previous[-1]  # the same sheet and kind first
    if (sheet_name, previous_kind) == (detection.sheet, detection.kind):
        message = (f"此文件已于 {show(at, 'datetime')} 导入过（批次 {batch_id}），"
                   + (f"这次仍有 {changing} 行将新增或更新（如指定关联的行、之后库中改过的值），"
                      "请核对" if changing else "重复导入不会产生变化"))
    else:
        label = columns.KIND_LABELS.get(previous_kind, previous_kind)
        message = (f"此文件的工作表“{sheet_name}”已于 {show(at, 'datetime')} 按“{label}”导入过"
                   f"（批次 {batch_id}）")
    return [_sheet_warning(detection, message)]


class RowSkipper:
    """Which rows are no data: blank, a footer (合计 | 5家, 填表人 …), the header repeated
    (page breaks) or a numbering row (1 2 3 … / 栏次)."""

    def __init__(self, detection: Detection, key_column: int | None) -> None:
        self.key_column = key_column  # the name's column, else the code's
        headers = detection.headers
        self.key_header = (headers[key_column].split("/")[-1].strip()
                           if key_column is not None and key_column < len(headers) else None)
        self.header_keys = [columns.normalise_header(h) for h in detection.headers]

    def skippable(self, cells: list[Any]) -> bool:
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
        return (_is_footer(filled, key_value) or self._repeats_header(cells)
                or _is_numbering(filled))

    def _repeats_header(self, cells: list[Any]) -> bool:
        """The header repeated (page breaks): two cells or more as the header has them."""
        keys = [columns.normalise_header(c) for c in cells]
        return sum(1 for i, k in enumerate(keys) if k and i < len(self.header_keys)
                   and k == self.header_keys[i]) >= 2


def _is_footer(filled: list[Any], key_value: Any) -> bool:
    """A footer line (合计 | 5家, 填表人 …): its first cell, and the key cell, say so."""
    first = parse.text(filled[0]) or ""
    key_text = parse.text(key_value)
    return bool(_FOOTER.match(first)) and (key_text is None or key_text == first
                                           or bool(_FOOTER.match(key_text))
                                           or bool(_COUNT.match(key_text)))  # 合计 | 5家


def _is_numbering(filled: list[Any]) -> bool:
    """A numbering row under the header (1 2 3 … / (1) (2) (3) …)."""
    numbers = [parse.text(c) for c in filled]
    return len(numbers) >= 3 and all(
        (n or "").strip("()（）") == str(i + 1) for i, n in enumerate(numbers))
