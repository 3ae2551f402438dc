"""Reading a 报送模板: which sheet, which header row(s), which columns, where the rows go,
and what Tiers suggests for each column.

The template is opened through the importer's safe reader (size, zip-bomb and encryption
checks), and its header is found as an import's would be (title rows above skipped, a
two-row header joined). The rows for the data are those below the header that hold nothing
but numbers in a 序号 column or formulas; the first row with anything else (合计, 填表说明,
落款) starts the footer, which is moved down as the rows are filled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from importers import columns
from importers.errors import ImportRefused
from importers.read.header import HeaderCandidate, list_header, refuse_too_wide, row_labels
from importers.read.sources import Sheet, open_source
from importers.template import losses as template_losses
from importers.values import is_blank
from tiers.reports import template_rows

_SEQUENCE = re.compile(r"^(序号|编号|No\.?|NO\.?|行号)$")
# import fields whose template field has another name
_FROM_IMPORT = {"batch_label": "batch", "batch_year": "batch", "chain": "chains"}


@dataclass
class TemplateColumn:
    index: int  # 0-based column
    label: str  # the header as the template writes it (two rows as 上/下)
    suggested: str = ""  # a template field key, or "" (left as the template has it)


@dataclass
class TemplateLayout:
    path: Path
    sheet: str
    header_rows: tuple[int, ...]  # 1-based, as Excel shows them
    first_data_row: int  # 1-based
    footer_row: int | None  # 1-based first row of the footer, None when there is none
    columns: list[TemplateColumn] = field(default_factory=list)
    header_labels: list[str] = field(default_factory=list)  # every column's, for the memory
    losses: list[str] = field(default_factory=list)  # what the filled copy cannot keep

    @property
    def empty_rows(self) -> int:
        """Rows the template leaves for data before its footer (0: none)."""
        return (self.footer_row - self.first_data_row) if self.footer_row else 0


def read_layout(path: str | Path) -> TemplateLayout:
    """The layout of the template at ``path``; refused in Chinese when it has no header."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise ImportRefused(f"模板应为 Excel 工作簿（.xlsx）：{path.name}。"
                            "旧版 .xls 模板请先用 WPS 或 Excel 另存为 .xlsx")
    source = open_source(path)
    template_losses.refuse_unreadable(path)
    best = None
    wide: list[tuple[str, HeaderCandidate]] = []  # refused if no other sheet has a list
    for name in source.sheet_names:
        sheet = source.sheet(name)
        candidate = list_header(name, sheet, wide)
        if candidate is not None and (best is None or candidate.score > best[1].score):
            best = (sheet, candidate)
    if best is None:
        refuse_too_wide(wide)
        raise ImportRefused(f"在模板“{path.name}”中找不到表头：应有“企业名称”或"
                            "“统一社会信用代码”一列")
    sheet, candidate = best
    last_header = candidate.rows[-1]
    columns_found = _columns(sheet, candidate.rows, candidate.labels, candidate.mapping)
    first_data = last_header + 1  # 0-based
    footer = _footer(sheet, first_data, {c.index for c in columns_found
                                         if c.suggested == "seq"})
    return TemplateLayout(path, sheet.name, tuple(r + 1 for r in candidate.rows),
                          first_data + 1, None if footer is None else footer + 1,
                          columns_found, list(candidate.labels),
                          template_losses.losses(path))


def _columns(sheet: Sheet, rows: tuple[int, ...], labels: list[str],
             mapping: dict[int, str]) -> list[TemplateColumn]:
    known = template_rows.field_keys()
    recalled = recall(labels)
    lower = row_labels(sheet, rows[-1])
    found = []
    for index, label in enumerate(labels):
        if not label:
            continue
        if recalled is not None:
            key = recalled.get(index, "")
        elif _SEQUENCE.match((lower[index] if index < len(lower) else "") or label):
            key = "seq"
        else:
            key = _FROM_IMPORT.get(mapping.get(index, ""), mapping.get(index, ""))
        found.append(TemplateColumn(index, label, key if key in known else ""))
    return found


def _footer(sheet: Sheet, start: int, sequence_columns: set[int]) -> int | None:
    """The first row at or after ``start`` holding something other than 序号 numbers
    (templates often number their empty rows) — 0-based, or None."""
    for row in range(start, len(sheet.rows)):
        for column, value in enumerate(sheet.rows[row]):
            if is_blank(value):
                continue
            if column in sequence_columns and isinstance(value, int | float):
                continue
            return row
    return None


# --- the officer's mapping, remembered per layout ------------------------------------------

def recall(labels: list[str]) -> dict[int, str] | None:
    """The mapping saved for exactly these headers (template field keys), if any."""
    entry = columns.recall_entry("template", labels)
    if entry is None:
        return None
    known = template_rows.field_keys()
    return {int(i): key for i, key in entry.items()
            if str(i).isdigit() and (key == "" or key in known)}


def remember(layout: TemplateLayout, mapping: dict[int, str]) -> None:
    """Keep the officer's mapping for the next template with the same headers."""
    columns.remember_entry("template", layout.header_labels,
                           {str(i): key for i, key in sorted(mapping.items())})
