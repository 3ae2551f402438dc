"""导出当前列表: whatever table the officer has on screen — its filters, search, sort and
visible columns — as a workbook in the bureau layout, with a title and a line saying how
the list was filtered. The client passes the rows as it shows them (texts, amounts as
numbers); this module only writes them, beside the target and then moved into place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from tiers import outputs
from tiers.reports import output
from tiers.reports.cells import Column
from tiers.reports.writer import ReportBook, Signature

SAMPLE = 200  # rows measured for the column widths


@dataclass(frozen=True)
class ListColumn:
    """A visible column: its header as shown and whether it holds amounts (万元)."""

    title: str
    money: bool = False


def _cell(value: Any, money: bool) -> Any:
    if money and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def write_current_list(target: str | Path, *, title: str, description: str,
                       columns: Sequence[ListColumn], rows: Sequence[Sequence[Any]],
                       signature: Signature | None = None, only_ours: bool = False,
                       agreed: outputs.FileIdentity | None = None) -> Path:
    """Write ``rows`` under ``columns`` to ``target`` (.xlsx); returns where it was saved.
    A failure leaves no file behind and an existing target untouched. ``only_ours`` (the
    desktop): the target is checked again as the list is moved into place, and another
    file saved under the name meanwhile is refused and kept unless it is Tiers' own
    untouched output; ``agreed``: the file the officer agreed to replace (its
    outputs.file_identity when he was asked), replaced while it is that file unchanged
    (output.move_into_place)."""
    target = output.check_target(Path(target))
    temporary = output.temporary_beside(target)
    finished = False
    try:
        book = ReportBook(str(temporary), report="current_list", signature=signature or Signature(
            filled_on=dt.date.today()), properties={"title": title})
        sheet = book.sheet(title, [Column(c.title, "money" if c.money else "text",
                                          max_width=40) for c in columns])
        cells = [[_cell(value, column.money) for value, column in zip(row, columns, strict=True)]
                 for row in rows]
        sheet.start(title, unit_label="万元" if any(c.money for c in columns) else "",
                    subtitle=description, sample=cells[:SAMPLE])
        for values in cells:
            sheet.row(values)
        book.close()
        output.move_into_place(temporary, target, only_ours=only_ours, agreed=agreed)
        finished = True
    finally:
        if not finished:
            output.discard(temporary)
    return target
