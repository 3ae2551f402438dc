"""Recognising a 采集表 that comes back filled: by its hidden marker sheet (written by
``tiers.reports.collection_book``), not by its header words, so it needs no mapping step.

Columns are mapped by the field codes the marker lists: the firm's name and credit code
to match it, this year's inputs as figures of the marker's year; last year's reference
columns and 序号/县区/镇街 are left out (the reference columns are still read, for figures
typed there by mistake: importers.plan.reference_cells). A header that is no longer where the marker says
(a column inserted or deleted after the sheet's protection was lifted) refuses the file
rather than reading one figure as another.
"""

from __future__ import annotations

from decimal import Decimal

from importers import columns
from importers.errors import ImportRefused, column_letter
from importers.read.detection import Detection
from importers.read.header import has_data
from importers.read.metadata import Metadata
from importers.read.sources import Source
from importers.values import unit_of_header
from tiers.reports import collection_marker as marker

READ_ROLES = (marker.IDENTITY, marker.INPUT)


def _text(value: object) -> str:
    return "".join(str(value).split()) if value is not None else ""


def _marker_of(source: Source) -> marker.Marker | None:
    if marker.SHEET_NAME not in source.sheet_names:
        return None
    try:
        return marker.read(source.sheet(marker.SHEET_NAME).rows)
    except marker.MarkerError as exc:
        raise ImportRefused(f"“{source.file_name}”：{exc}") from exc


def recognise(source: Source, sheet: str | None = None) -> Detection | None:
    """The 采集表's detection, or None when the file is not one (or another sheet was
    asked for). Raises ImportRefused for a damaged or altered 采集表."""
    found = _marker_of(source)
    if found is None or (sheet is not None and sheet != found.data_sheet):
        return None
    name = found.data_sheet
    if name not in source.sheet_names:
        raise ImportRefused(f"“{source.file_name}”是 Tiers 的采集表，但其中的工作表“{name}”"
                            "已被删除或改名，请改回原名再导入。")
    data = source.sheet(name)
    header_row = found.header_row
    # one line per header (the sheet puts units on a line of their own)
    headers = [columns.shown_header(data.cell(header_row, col) or "")
               for col in range(max((c.index for c in found.columns), default=-1) + 1)]
    for column in found.columns:
        if column.role in READ_ROLES and _text(headers[column.index]) != _text(column.header):
            raise ImportRefused(
                f"采集表“{name}”第 {header_row + 1} 行 {column_letter(column.index)} 列的表头应为"
                f"“{columns.shown_header(column.header)}”，现在是“{headers[column.index]}”："
                "表格的列被改动过，"
                "无法确定各列的含义。请在原采集表中填写后再导入。")
    data_start = header_row + 1
    if not has_data(data, data_start):
        raise ImportRefused(f"采集表“{name}”中没有企业行。")
    mapping = {c.index: c.field for c in found.columns if c.role in READ_ROLES}
    inputs = [c.index for c in found.columns if c.role == marker.INPUT]
    units = {i: unit_of_header(headers[i]) if i in inputs else Decimal(1) for i in mapping}
    return Detection(source=source, sheet=name, header_rows=(header_row,),
                     data_start=data_start, headers=headers, mapping=mapping,
                     header_years=dict.fromkeys(inputs, found.year), units=units,
                     kind="figures", metadata=Metadata(batch_year=found.year,
                                                       title=f"{found.year}年度数据采集表"),
                     collection_year=found.year,
                     reference_columns={c.index: c.field for c in found.columns
                                        if c.role == marker.REFERENCE},
                     printed_references=found.printed)
