"""Benchmark: the import preview's row heights — how long fitting the rows to their wrapped
问题 text holds the window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/preview_rows.py [ROWS …]

For each count (default 2,000, the most rows fitted all at once, and 100,000) the real
``PreviewPage`` (offscreen, 1100 × 600) is given a plan of that many rows, a third of them
with a long warning, and the time is printed of: the plan shown and its rows fitted
(``fit_rows``: every row up to WRAPPED_ROWS, else the rows in view), then the median of five
refits after a scroll (``fit_rows_in_view``), and how many rows in view are still cut off
(lower than their text, up to the ROW_LINES cap). The CPU time (the window's thread) is
printed too: on a machine shared with other work it varies far less than the time taken.
Run it with ``PYTHONPATH`` at another checkout to compare (that one's refit is its
``fit_rows`` when it has no ``fit_rows_in_view``)."""

from __future__ import annotations

import statistics
import sys
import time
from types import SimpleNamespace

from PySide6.QtWidgets import QApplication

from importers import PlanRow
from importers.errors import Problem
from ui.import_wizard import preview_page
from ui.import_wizard.preview_page import PreviewPage
from ui.plan_table_model import PROBLEMS_COLUMN

LONG = ("措施类别“融资担保（省信保）”类别：融资，金额不计入资金奖补合计（另列为融资额）"
        "（本文件中同样写法的其他行不再逐行提示）")


def measure(app: QApplication, count: int) -> str:
    rows = [PlanRow(row=n + 2, action="update", name=f"常州第{n}精密机械科技有限公司",
                    problems=[Problem("S", n + 2, "C", "", LONG, "warning")] if n % 3 == 0
                    else []) for n in range(count)]
    page = PreviewPage()
    page.resize(1100, 600)
    page.show()
    for _ in range(10):
        app.processEvents()
    start, cpu = time.perf_counter(), time.thread_time()
    page.plan_model.set_plan(SimpleNamespace(rows=rows))
    page.preview.setColumnWidth(PROBLEMS_COLUMN, 300)
    page.fit_rows()
    app.processEvents()
    shown, cpu = time.perf_counter() - start, time.thread_time() - cpu
    refit = getattr(page, "fit_rows_in_view", page.fit_rows)
    bar, times = page.preview.verticalScrollBar(), []
    for step in range(1, 6):
        bar.setValue(bar.maximum() * step // 6)
        start = time.perf_counter()
        refit()
        times.append(time.perf_counter() - start)
    view = page.preview
    in_view = range(max(view.rowAt(0), 0), view.rowAt(view.viewport().height() - 1) + 1)
    # (a row is no taller than ROW_LINES lines: tallest_row, where the checkout has it)
    tallest = getattr(preview_page, "tallest_row", lambda _view: 1 << 30)(view)
    cut = sum(view.rowHeight(r) < min(view.sizeHintForRow(r), tallest) for r in in_view)
    page.close()
    return (f"{count:,} rows: shown and fitted {shown * 1000:.1f} ms (CPU {cpu * 1000:.1f} ms); "
            f"refit after a scroll "
            f"{statistics.median(times) * 1000:.1f} ms (median of 5); cut off in view {cut}")


def main() -> None:
    app = QApplication.instance() or QApplication([])
    for count in [int(a) for a in sys.argv[1:]] or [2000, 100_000]:
        print(measure(app, count), flush=True)


if __name__ == "__main__":
    main()
