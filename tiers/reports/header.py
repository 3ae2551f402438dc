"""A report sheet's header in the bureau layout: one bold, bordered row, or two when some
columns carry a group label (the group merged over its columns, the others over both rows,
merges registered after the cells so that constant-memory mode can write them), and the widths
the header's labels need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tiers.reports.brackets import printed_label
from tiers.reports.cells import Column, display_width


class SheetHeader:
    """The header rows of ReportSheet (a mixin: it writes through the sheet's cells, widths
    and row heights)."""

    def header(self, columns: Sequence[Column], *, first_col: int = 0,
               repeat: bool = True) -> None:
        """One header row, or two when some columns carry a group label."""
        top = self.row_index
        widths = [self.widths[first_col + i] for i in range(len(columns))]
        if any(c.group for c in columns):
            self._grouped_header(columns, first_col, widths)
        else:
            labels = [printed_label(c.label, w, self.closing) for c, w in zip(columns, widths, strict=True)]
            self.fit_height(top, list(zip(labels, widths, strict=True)), minimum=20)
            for offset, label in enumerate(labels):
                self.text(top, first_col + offset, label, self.styles.header)
            self.row_index += 1
        if repeat and self.header_rows is None:
            self.header_rows = (top, self.row_index - 1)

    def _grouped_header(self, columns: Sequence[Column], first_col: int,
                        widths: list[float]) -> None:
        """Two header rows: the group labels over their columns, then the columns' own."""
        # Cells are written row by row and the merges registered afterwards: in
        # constant-memory mode XlsxWriter cannot go back to a row once it moved on,
        # which merge_range over two rows would need.
        sheet, fmt = self.worksheet, self.styles.header
        top = self.row_index
        merges: list[tuple[int, int, int, int]] = []
        group_cells: list[tuple[Any, float]] = []
        offset = 0
        while offset < len(columns):
            column = columns[offset]
            col = first_col + offset
            if column.group is None:  # spans both header rows
                self.text(top, col, printed_label(column.label, widths[offset], self.closing), fmt)
                merges.append((top, col, top + 1, col))
                offset += 1
                continue
            end = offset
            while end + 1 < len(columns) and columns[end + 1].group == column.group:
                end += 1
            # (the merged cell wraps at its columns' width together)
            group = printed_label(column.group, sum(widths[offset:end + 1]),
                                  self.closing)
            self.text(top, col, group, fmt)
            group_cells.append((group, sum(widths[offset:end + 1])))
            for other in range(col + 1, first_col + end + 1):
                sheet.write_blank(top, other, None, fmt)
            if end > offset:
                merges.append((top, col, top, first_col + end))
            offset = end + 1
        self.fit_height(top, group_cells, minimum=20)
        labels = [printed_label(c.label, w, self.closing) for c, w in zip(columns, widths, strict=True)]
        self.fit_height(top + 1, [(label, w) for c, label, w in zip(columns, labels, widths,
                                                                     strict=True)
                                  if c.group is not None], minimum=20)
        for offset, column in enumerate(columns):
            if column.group is not None:
                self.text(top + 1, first_col + offset, labels[offset], fmt)
            else:
                sheet.write_blank(top + 1, first_col + offset, None, fmt)
        self._register_merges(merges)
        self.row_index += 2

    def _register_merges(self, merges: list[tuple[int, int, int, int]]) -> None:
        """Merged ranges over cells already written (XlsxWriter's merge list is what
        merge_range itself fills; the cells' contents and formats are written above)."""
        for first_row, first_col, last_row, last_col in merges:
            self.worksheet.merge.append([first_row, first_col, last_row, last_col])

    def _measure_header(self, columns: Sequence[Column], first_col: int) -> None:
        for offset, column in enumerate(columns):
            index = first_col + offset
            # a long header may wrap onto two lines
            lines = column.label.split("\n")  # a label may say where it breaks
            needed = max(display_width(line) for line in lines) + 1.5
            if needed > 10 and len(lines) == 1:
                needed = max(needed / 2 + 1.5, 8)
            needed = min(needed, column.max_width)
            self.widths[index] = max(self.widths[index], needed)
