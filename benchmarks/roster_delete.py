"""企业库's 删除 and 回收站's 恢复: the time the GUI thread is held, from the click to the new
list painted.

    python benchmarks/roster_delete.py [--db PATH] [--enterprises N] [--runs 5]

On a database of N firms (``tiers demo``; built if smaller), in the main window at
1366 × 768 with 企业库 shown, scrolled to its middle: one firm selected and deleted (the
confirmation answered yes), then, in the 回收站, restored. Timed is the GUI thread's own
work for it, as benchmarks/roster_refresh.py times a refresh: the call, then the handling of
what the background runner sends back (a write's result: ``ui.operations``' callbacks, where
the list was read again; a background read's: ``LatestRead``'s delivery), then a repaint of
the table. Waiting for the runner in between is not counted: the window is live meanwhile.
Beside it: the wall time from the call to the new list painted (the window live), and how
many times the roster was read for it (on the runner, or on the GUI thread). Medians of
--runs, each beside its
floors: a repaint of the table alone (nothing read), and the bare query of the roster's ids
(``roster_ids``, what a re-read on the GUI thread costs at least). Run it with the tree to
measure on PYTHONPATH (before/after a change).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView  # noqa: E402
from roster_refresh import build, roster_window  # noqa: E402

from tiers.queries import roster as queries  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "tiers-bench-100k.sqlite3")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build(args.db, args.enterprises)

    from ui import latest_read, operations
    from ui.app import make_application
    from ui.app_settings import AppSettings
    from ui.ask import ConfirmDialog

    clock = {"spent": 0.0, "depth": 0}

    def timed(original):
        def run(*args, **kwargs):
            clock["depth"] += 1
            begin = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                clock["depth"] -= 1
                if clock["depth"] == 0:  # (a delivery within a callback: counted once)
                    clock["spent"] += time.perf_counter() - begin
        return run

    from ui.enterprise_table_model import EnterpriseTableModel

    reads = {"count": 0}

    def counted(original):
        def run(*args, **kwargs):
            reads["count"] += 1
            return original(*args, **kwargs)
        return run

    EnterpriseTableModel._read_listing = counted(EnterpriseTableModel._read_listing)
    EnterpriseTableModel._requery = counted(EnterpriseTableModel._requery)
    for owner, name in ((operations._Callbacks, "succeeded"),
                        (operations._Callbacks, "finished"),
                        (latest_read.LatestRead, "_read")):
        setattr(owner, name, timed(getattr(owner, name)))

    ConfirmDialog.ask = classmethod(lambda cls, *a, **k: True)
    app = make_application([sys.argv[0]])
    settings_dir = tempfile.mkdtemp(prefix="tiers-bench-settings-")
    settings = AppSettings(QSettings(str(Path(settings_dir) / "s.ini"), QSettings.IniFormat))
    database = open_database(args.db)
    window, settle = roster_window(app, database, settings)
    roster = window.roster
    model, table = roster.model, roster.table

    walls: dict[str, list[float]] = {"删除": [], "恢复": []}
    read_counts: dict[str, list[int]] = {"删除": [], "恢复": []}

    def gui_time(action, name: str) -> float:
        """The GUI thread's ms for ``action`` and the handling of its results."""
        clock["spent"], reads["count"] = 0.0, 0
        start = begin = time.perf_counter()
        action()
        spent = time.perf_counter() - begin
        while not (window.runner.settled and not model.listing_pending
                   and roster.saving is None):
            app.processEvents()
            time.sleep(0.002)
        app.processEvents()
        begin = time.perf_counter()
        table.viewport().repaint()
        end = time.perf_counter()
        walls[name].append((end - start) * 1000)
        read_counts[name].append(reads["count"])
        return (spent + clock["spent"] + end - begin) * 1000

    deletes, restores, repaints, queries_ms, kept = [], [], [], [], []
    for _ in range(args.runs):
        middle = model.rowCount() // 2
        table.scrollTo(model.index(middle - 5, 0), QAbstractItemView.PositionAtTop)
        table.selectRow(middle)
        app.processEvents()
        gone, after = model.ids[middle], model.ids[middle + 1]
        begin = time.perf_counter()
        table.viewport().repaint()  # floor: painting the rows, nothing read
        repaints.append((time.perf_counter() - begin) * 1000)
        begin = time.perf_counter()
        with database.session() as session:  # floor: the bare query of the roster's ids
            queries.roster_ids(session, model.filters, sort="name")
        queries_ms.append((time.perf_counter() - begin) * 1000)
        deletes.append(gui_time(roster.delete_selected, "删除"))
        kept.append(gone not in model.ids and roster.selected_ids() == [after])
        roster.trash.setChecked(True)  # (not timed: the 回收站's own query)
        settle()
        table.selectRow(model.row_of(gone))
        restores.append(gui_time(roster.restore_selected, "恢复"))
        roster.trash.setChecked(False)
        settle()

    def said(times: list[float]) -> str:
        return f"中位数 {statistics.median(times):.0f} ms（{' '.join(f'{t:.0f}' for t in times)}）"

    print(f"企业库：{model.rowCount():,} 家（{args.db}），各 {args.runs} 次，界面线程占用：")
    print(f"删除一家（确认后到新列表画出）：{said(deletes)}")
    print(f"回收站中恢复一家：{said(restores)}")
    for name in walls:
        print(f"{name}：从点击到新列表画出（其间窗口可用）{said(walls[name])}；"
              f"读企业库 {statistics.median(read_counts[name]):.0f} 次")
    print(f"底线：只重画表格 {said(repaints)}；裸查询企业库的编号（roster_ids）{said(queries_ms)}")
    print(f"删除后选中原来下一家：{sum(kept)}/{len(kept)}")
    window.close()
    window.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
