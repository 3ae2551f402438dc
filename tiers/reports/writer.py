"""The bureau layout of a report sheet, written with XlsxWriter.

Title merged across the table; 填报单位（盖章） on the left and 单位 on the right; a bold,
bordered, filled header (two rows when columns are grouped); thin borders; widths that fit
Chinese text; wrapped long text; 万元 as ``#,##0.00``, counts as integers, dates as
``yyyy-mm-dd``; panes frozen below the header; A4 landscape, one page wide (the archive page: portrait), header rows
repeated, footer 第 &P 页 共 &N 页; 填报人 / 联系电话 / 填报日期 at the end. The cells
themselves (kinds, formats, text safety) are in ``cells``, the header rows in ``header``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from xlsxwriter.worksheet import Worksheet

from tiers.reports import brackets, marker, pages
from tiers.reports.cells import (
    DANGEROUS_START,
    LINE_HEIGHT,
    SAMPLE_ROWS,
    Column,
    Styles,
    as_text,
    cell_writer,
    chinese_date,
    display_width,
    excel_date,
    write_text,
)
from tiers.reports.closing import close_workbook, discard_workbook, new_workbook
from tiers.reports.header import SheetHeader


class ReportBook:
    """One workbook being written. ``target``: a path or a binary file object; ``report``:
    the workbook's code in its marker (``tiers.reports.marker``)."""

    def __init__(self, target: str | IO[bytes], *, report: str, constant_memory: bool = False,
                 signature: Signature | None = None, properties: dict[str, str] | None = None
                 ) -> None:
        self.constant_memory = constant_memory
        self.workbook = new_workbook(target, {
            "constant_memory": constant_memory,
            "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "default_date_format": "yyyy-mm-dd",
        })
        if properties:
            self.workbook.set_properties(properties)
        marker.mark(self.workbook, report)  # so that an import knows a file Tiers wrote
        self.styles = Styles(self.workbook)
        self.signature = signature or Signature()
        self.sheets: list[ReportSheet] = []

    def sheet(self, name: str, columns: Sequence[Column]) -> ReportSheet:
        sheet = ReportSheet(self, _sheet_name(name, [s.name for s in self.sheets]), columns)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.finish()
        close_workbook(self.workbook)

    def abandon(self) -> None:
        """Give up without writing the file (cancel, error): close and delete the row
        files XlsxWriter keeps in constant-memory mode."""
        discard_workbook(self.workbook)


@dataclass(frozen=True)
class Signature:
    unit: str = ""  # 填报单位
    filled_by: str = ""  # 填报人
    phone: str = ""
    filled_on: dt.date | None = None


def _sheet_name(title: str, taken: list[str]) -> str:
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'")[:31] or "报表"
    candidate, number = name, 2
    while candidate in taken:
        suffix = f"({number})"
        candidate, number = name[:31 - len(suffix)] + suffix, number + 1
    return candidate


class ReportSheet(SheetHeader):
    """A sheet in the bureau layout. Write top to bottom: ``start`` (title, unit line,
    header; fixes the column widths from a sample of rows), rows and total rows; ``finish``
    (signature, print settings) is called by the book. Rows are written in order, so the
    sheet works in constant-memory mode too. Rows whose text wraps get an explicit height
    (spreadsheet programs do not grow rows on opening a file)."""

    def __init__(self, book: ReportBook, name: str, columns: Sequence[Column]) -> None:
        self.book = book
        self.name = name
        self.columns = list(columns)
        self.styles = book.styles
        self.worksheet: Worksheet = book.workbook.add_worksheet(name)
        self.row_index = 0
        self.header_rows: tuple[int, int] | None = None
        self.first_data_row: int | None = None
        self.data_rows = 0
        self.autofilter = False
        self.table_end: int | None = None  # the table's last row, when notes follow it
        self.pages_tall = 0  # 0: as many pages as needed; 1: the whole sheet on one page
        self.portrait = False  # tables are landscape; a one-firm archive page is portrait
        self.widths = [c.min_width for c in self.columns]
        self.heights = array("d")  # each row's height, to break the printed pages (pages)
        self._wrapping = [c.kind in ("text", "center") for c in self.columns]
        # what may not start a wrapped line (``brackets``; set before ``start``)
        self.closing: frozenset[str] = brackets.CLOSING
        self._unsettled: set[int] = set()  # columns no width kept the sample's brackets in
        self._finished = False
        self._writers = [self._make_writer(c.kind, total=False) for c in self.columns]
        self._plan: list[tuple[int, int, Any, Any, float]] | None = None  # set when widths are
        sheet = self.worksheet
        self._raw_writers = (getattr(sheet, "_write_string", sheet.write_string),
                             getattr(sheet, "_write_number", sheet.write_number),
                             getattr(sheet, "_write_blank", sheet.write_blank))
        self._total_writers = [self._make_writer(c.kind, total=True) for c in self.columns]

    @property
    def last_col(self) -> int:
        return len(self.columns) - 1

    # --- cells --------------------------------------------------------------------------

    def _make_writer(self, kind: str, *, total: bool) -> Callable[[int, int, Any], None]:
        return cell_writer(self.worksheet, self.styles, kind, total=total)

    def cell(self, row: int, col: int, value: Any, kind: str = "text", *,
             total: bool = False) -> None:
        """One cell in the table's styles (used by free-form sheets such as 企业档案)."""
        self._make_writer(kind, total=total)(row, col, value)

    def merge_text(self, row: int, first_col: int, last_col: int, text: str, fmt) -> None:
        if first_col != last_col:
            self.worksheet.merge_range(row, first_col, row, last_col, "", fmt)
        self.text(row, first_col, str(text), fmt)

    def text(self, row: int, col: int, text: str, fmt: Any) -> None:
        """A title, unit line or header cell: never a formula, whatever the text."""
        write_text(self.worksheet, self.styles, row, col, text, fmt)

    # --- widths and heights ---------------------------------------------------------------

    def measure(self, rows: Sequence[Sequence[Any]]) -> None:
        """Widen columns to fit these rows (up to each column's maximum; longer text wraps)."""
        widths = self.widths
        for values in rows:
            for index, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    width = 10.5
                elif isinstance(value, (Decimal, float)):
                    width = len(f"{value:,.2f}") + 0.5
                elif isinstance(value, int) and not isinstance(value, bool):
                    width = len(f"{value:,}") + 0.5
                else:
                    width = max(display_width(part) for part in as_text(value).split("\n"))
                width = min(width + 1.5, self.columns[index].max_width)
                if width > widths[index]:
                    widths[index] = width

    def set_widths(self) -> None:
        self._plan = None  # the row plan carries the widths
        for col, width in enumerate(self.widths):
            self.worksheet.set_column(col, col, round(width, 1))

    def _lines(self, text: str, width: float) -> int:
        usable = max(width - 0.5, 1.0)
        if len(text) * 1.85 <= usable and "\n" not in text:
            return 1
        return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))

    def fit_height(self, row: int, cells: Sequence[tuple[Any, float]], *,
                   minimum: float | None = None) -> None:
        """Give the row the height its wrapped texts need (``cells``: text, width)."""
        lines = 1
        for value, width in cells:
            if value is None or value == "" or isinstance(value, (int, float, Decimal, dt.date)):
                continue
            lines = max(lines, self._lines(as_text(value), width))
        height = lines * LINE_HEIGHT + 3
        self.set_height(row, max(height, minimum or 0))  # (one line's too: see row)

    def set_height(self, row: int, height: float) -> None:
        """The row's height in points (written, and kept for breaking the pages)."""
        self.worksheet.set_row(row, height)
        heights = self.heights
        if row >= len(heights):
            heights.extend([pages.DEFAULT_HEIGHT] * (row + 1 - len(heights)))
        heights[row] = height

    def span_width(self, first_col: int, last_col: int) -> float:
        return sum(self.widths[first_col:last_col + 1])

    # --- layout -------------------------------------------------------------------------

    def start(self, title: str, *, unit_label: str, subtitle: str = "",
              sample: Sequence[Sequence[Any]] = ()) -> None:
        """Title, the 填报单位 / 单位 line and the header. ``sample``: the first rows (as
        they will be passed to ``row``), to size the columns."""
        self.measure(sample)
        self._measure_header(self.columns, 0)
        self._keep_brackets(sample)
        self.set_widths()
        styles = self.styles
        self.set_height(0, 32)
        self.merge_text(0, 0, self.last_col, title, styles.title)
        self.row_index = 1
        if subtitle:
            self.merge_text(1, 0, self.last_col, subtitle, styles.subtitle)
            self.row_index = 2
        self.unit_line(unit_label)
        self.header(self.columns)
        self.first_data_row = self.row_index
        self.worksheet.freeze_panes(self.row_index, 0)

    def _keep_brackets(self, sample: Sequence[Sequence[Any]]) -> None:
        """Widths at which no wrapped line of a sampled cell starts with a closing bracket
        (``brackets``; the header's labels: ``header``)."""
        for col, column in enumerate(self.columns):
            if not self._wrapping[col]:
                continue
            texts = [row[col] for row in sample if isinstance(row[col], str)]
            self.widths[col] = brackets.settled_width(texts, self.widths[col],
                                                      column.min_width, self.closing)
            if brackets.strands(texts, self.widths[col], self.closing):
                self._unsettled.add(col)

    def unit_line(self, unit_label: str) -> None:
        row = self.row_index
        signature = self.book.signature
        right_span = min(3, max(1, len(self.columns) // 3))
        left_last = max(0, self.last_col - right_span)
        self.set_height(row, 22)
        self.merge_text(row, 0, left_last, f"填报单位（盖章）：{signature.unit}",
                        self.styles.line_left)
        if unit_label:
            self.merge_text(row, left_last + 1, self.last_col, f"单位：{unit_label}",
                            self.styles.line_right)
        self.row_index += 1

    def _row_plan(self) -> list[tuple[int, int, Any, Any, float]]:
        """Per column: (index, kind code, format, quoted format, wrap width)."""
        plan = []
        for col, column in enumerate(self.columns):
            code = {"text": _TEXT, "center": _TEXT, "date": _DATE}.get(column.kind, _NUMBER)
            plan.append((col, code, self.styles.body[column.kind],
                         self.styles.body_quoted.get(column.kind), self.widths[col] - 0.5))
        return plan

    def row(self, values: Sequence[Any]) -> Sequence[Any]:
        """A data row; ``values`` follow the columns. Returns them as written (a text that
        would put a closing bracket at a line's start broken before it: ``brackets.kept``;
        ``values`` itself when none is). The hot path of 100k-row reports, so the cell
        writing is inlined here (the same rules as ``_make_writer``)."""
        plan = self._plan
        if plan is None:
            plan = self._plan = self._row_plan()
        row = self.row_index
        write_string, write_number, write_blank = self._raw_writers
        lines = 1
        written = values
        closing, unsettled = self.closing, self._unsettled
        for col, code, fmt, quoted, usable in plan:
            value = values[col]
            if value is None or value == "":
                write_blank(row, col, None, fmt)
            elif code == _TEXT:
                if type(value) is not str:
                    value = as_text(value)
                # display_width(text) <= 1.85 * len(text): most cells need no measuring.
                # A long text's brackets are kept in the cell, in every row: no width keeps
                # them all; a short one's by its column's width, set on the sampled rows
                # (checking every row's would cost a 100,000-firm roster a third more time)
                # (and all of a column no width could keep the sample's in)
                if (len(value) * 1.85 > usable * (0.9 if col in unsettled else 1.8)
                        or "\n" in value) and not closing.isdisjoint(value):
                    kept = brackets.kept(value, usable + 0.5, closing,
                                         long_only=col not in unsettled)
                    if kept is not value:
                        if written is values:
                            written = list(values)
                        written[col] = value = kept
                write_string(row, col, value, quoted if value[:1] in _DANGEROUS else fmt)
                if len(value) * 1.85 > usable or "\n" in value:
                    lines = max(lines, self._lines(value, usable + 0.5))
            elif code == _DATE and isinstance(value, dt.date):
                write_number(row, col, excel_date(value), fmt)
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                write_number(row, col, float(value), fmt)
            else:
                self._writers[col](row, col, value)
        # every row its height, one line's too: rows left to the program came out cramped
        # against the borders in LibreOffice's print (its default row height ignored), below
        # rows given two lines' (tester26: a roster's rows 1–19 tall, from 20 on squeezed)
        self.set_height(row, lines * LINE_HEIGHT + 3)
        self.row_index += 1
        self.data_rows += 1
        if self.data_rows % 5000 == 0 and self.book.constant_memory:
            self._forget_written_rows()
        return written

    def _forget_written_rows(self) -> None:
        """Keep memory flat in constant-memory mode: XlsxWriter keeps the height of every
        row it was given (for placing images, which reports have none of) after the row
        is written out. Rows before the current one are already on disk."""
        done = self.row_index - 2
        for table_name in ("row_info", "row_sizes"):
            table = getattr(self.worksheet, table_name, None)
            if isinstance(table, dict):
                for key in [k for k in table if k < done]:
                    del table[key]

    def total_row(self, values: Sequence[Any], *, label: str, label_span: int = 1) -> None:
        """A 小计 / 合计 row: ``label`` merged over the first ``label_span`` columns, then
        the values of the remaining columns (computed numbers, never formulas)."""
        row = self.row_index
        cells = [(label, self.span_width(0, label_span - 1))]
        cells += [(v, self.widths[label_span + i]) for i, v in enumerate(values)]
        self.fit_height(row, cells)
        self.merge_text(row, 0, label_span - 1, label, self.styles.total["center"])
        for col in range(label_span, len(self.columns)):
            self._total_writers[col](row, col, values[col - label_span])
        self.row_index += 1

    def empty_row(self, text: str = "（无符合条件的记录）") -> None:
        self.set_height(self.row_index, 24)
        self.merge_text(self.row_index, 0, self.last_col, text, self.styles.empty)
        self.row_index += 1

    def note(self, text: str) -> None:
        """A 注： line below the table, across its width, wrapped."""
        row = self.row_index
        if self.table_end is None:  # the autofilter stops above the notes
            self.table_end = row - 1
        width = self.span_width(0, self.last_col)
        text = brackets.kept(text, width, self.closing)  # (…（不在“差距 / ”列中逐行重复）)
        self.fit_height(row, [(text, width)], minimum=20)
        self.merge_text(row, 0, self.last_col, text, self.styles.note)
        self.row_index += 1

    def use_autofilter(self) -> None:
        self.autofilter = True

    def signature_lines(self) -> None:
        signature = self.book.signature
        filled_on = signature.filled_on or dt.date.today()
        parts = [f"填报人：{signature.filled_by}", f"联系电话：{signature.phone}",
                 f"填报日期：{chinese_date(filled_on)}"]
        row = self.row_index + 1
        self.set_height(row, 24)
        for first, last, text in signature_spans(self.widths, parts):
            self.merge_text(row, first, last, text, self.styles.line_left)
        self.row_index = row + 1

    # --- the end --------------------------------------------------------------------------

    def finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        sheet = self.worksheet
        last_data_row = self.row_index - 1 if self.table_end is None else self.table_end
        tail_start = last_data_row + 1  # the 注, else the gap above the 落款
        if self.autofilter and self.header_rows and last_data_row > self.header_rows[1]:
            sheet.autofilter(self.header_rows[1], 0, last_data_row, self.last_col)
        self.signature_lines()
        sheet.set_paper(9)  # A4
        if self.portrait:
            sheet.set_portrait()
        else:
            sheet.set_landscape()
        sheet.fit_to_pages(1, self.pages_tall)
        sheet.center_horizontally()
        # side margins as narrow as office printers print (wide tables print larger)
        sheet.set_margins(**MARGINS)
        sheet.set_footer("&C第 &P 页 共 &N 页", {"margin": 0.3})
        if self.header_rows:
            sheet.repeat_rows(*self.header_rows)
        sheet.print_area(0, 0, self.row_index - 1, self.last_col)
        if self.pages_tall == 0 and self.first_data_row is not None:
            self._keep_the_tail(tail_start)

    def _keep_the_tail(self, tail_start: int) -> None:
        """Manual page breaks where a program would print the 注 and 落款 on a page of
        their own (``pages``)."""
        heights = list(self.heights)
        heights += [pages.DEFAULT_HEIGHT] * (self.row_index - len(heights))
        margins = (MARGINS["left"], MARGINS["right"], MARGINS["top"], MARGINS["bottom"])
        breaks = pages.kept_breaks(
            heights[:self.row_index], page=pages.printable(self.portrait, margins),
            widths=[round(w, 1) for w in self.widths], header_rows=self.header_rows,
            tail_start=tail_start, first_data_row=self.first_data_row)
        if breaks:
            self.worksheet.set_h_pagebreaks(breaks)


MARGINS = {"left": 0.25, "right": 0.25, "top": 0.6, "bottom": 0.7}  # inches
SIGNATURE_GAP = "　" * 4  # between 落款 texts that share a cell


def signature_spans(widths: Sequence[float], parts: Sequence[str]
                    ) -> list[tuple[int, int, str]]:
    """Where the 落款 texts go: (first column, last column, text). Each in a third of the
    table's columns, as wide tables have them; when a third is too narrow for its text (the
    已满足条件明细 sheet: a third of its four columns was the 序号 column alone, and
    填报人：张敏 printed as 填报人：), the columns are split where each text has room,
    as near the thirds of the table's width as may be; failing that, texts share a cell."""
    count = len(widths)
    total = sum(widths)

    def room(text: str) -> float:  # 11 points, the body's measure is 10
        return display_width(text) * 1.1 + 1

    def fits(bounds: Sequence[int], texts: Sequence[str]) -> bool:
        return all(sum(widths[bounds[i]:bounds[i + 1]]) >= room(text)
                   for i, text in enumerate(texts))

    bounds = [round(count * i / len(parts)) for i in range(len(parts) + 1)]
    if len(set(bounds)) == len(bounds) and fits(bounds, parts):
        return [(bounds[i], bounds[i + 1] - 1, text) for i, text in enumerate(parts)]
    groupings = [list(parts), [parts[0], SIGNATURE_GAP.join(parts[1:])]]
    for texts in groupings:
        cuts = len(texts) - 1
        best: tuple[float, list[int]] | None = None
        for inner in itertools.combinations(range(1, count), cuts):
            bounds = [0, *inner, count]
            if not fits(bounds, texts):
                continue
            miss = sum(abs(sum(widths[:bounds[i]]) - total * i / len(texts))
                       for i in range(1, len(texts)))
            if best is None or miss < best[0]:
                best = (miss, bounds)
        if best is not None:
            bounds = best[1]
            return [(bounds[i], bounds[i + 1] - 1, text) for i, text in enumerate(texts)]
    return [(0, count - 1, SIGNATURE_GAP.join(parts))]


_TEXT, _NUMBER, _DATE = 0, 1, 2
_DANGEROUS = frozenset(DANGEROUS_START)


def peek(rows: Iterator[Any], count: int = SAMPLE_ROWS) -> tuple[list[Any], Iterator[Any]]:
    """The first ``count`` rows (to size the columns) and an iterator over all rows."""
    sample = list(itertools.islice(rows, count))
    return sample, itertools.chain(sample, rows)
