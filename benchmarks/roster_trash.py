"""企业库's 回收站 box and filter panel: the time the GUI thread is held when the officer ticks
the box (the binned firms listed) and unticks it (the roster again), and when he picks a
filter in the panel (梯度：专精特新中小企业) and clears it (清除筛选: every firm again), from the
click to the new list painted.

    python benchmarks/roster_trash.py [--db PATH] [--enterprises N] [--binned 1000] [--runs 5]

On a database of N firms (``tiers demo``; built if smaller; every N/--binned-th firm moved to
the 回收站 if it holds fewer), in the main window at 1366 × 768 with 企业库 shown. Timed is
the GUI thread's own work: the toggle, then every turn of the event loop until the new list
is in (the runner's delivery, the reset, the paints), then a repaint of the table; the
sleeps between turns, while the runner reads, are not counted (the window is live then).
With it, the longest of those stretches: how long the window did not answer at once.
Beside them: the wall time from the click to the new list painted, the SQL
statements run on the GUI thread, and the floors: a repaint alone (nothing read) and the bare
query of the ids (``roster_ids``, what a read on the GUI thread costs at least; for the
filter, of its firms). Medians of
--runs. Run it with the tree to measure on PYTHONPATH (before/after a change).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QSettings  # noqa: E402
from roster_refresh import build, roster_window  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from tiers.model.orm import Enterprise  # noqa: E402
from tiers.queries import roster as queries  # noqa: E402
from tiers.services import enterprises  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402

FILTER_TIER = "zjtx"  # 梯度：专精特新中小企业, a filter of a few thousand firms in the demo


def fill_the_bin(path: Path, binned: int) -> None:
    """At least ``binned`` firms in the 回收站, spread through the roster."""
    database = open_database(path)
    with database.session() as session:
        present = queries.count(session, queries.RosterFilter(deleted=True))
        if present < binned:
            ids = list(session.scalars(select(Enterprise.id).where(
                Enterprise.deleted_at.is_(None)).order_by(Enterprise.id)))
            step = max(len(ids) // (binned - present), 1)
            for enterprise_id in ids[::step][:binned - present]:
                enterprises.soft_delete(session, enterprise_id, user="benchmark")
            session.commit()
    database.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--binned", type=int, default=1_000)
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "tiers-bench-100k.sqlite3")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build(args.db, args.enterprises)
    fill_the_bin(args.db, args.binned)

    from ui.app import make_application
    from ui.app_settings import AppSettings

    clock = {"statements": 0}
    app = make_application([sys.argv[0]])
    settings_dir = tempfile.mkdtemp(prefix="tiers-bench-settings-")
    settings = AppSettings(QSettings(str(Path(settings_dir) / "s.ini"), QSettings.IniFormat))
    database = open_database(args.db)

    def count(*_args) -> None:
        if threading.current_thread() is threading.main_thread():
            clock["statements"] += 1

    event.listen(database.engine, "before_cursor_execute", count)
    window, settle = roster_window(app, database, settings)
    roster = window.roster
    model, table = roster.model, roster.table
    walls: dict[str, list[float]] = {"勾选回收站": [], "取消回收站": [],
                                     "选择筛选": [], "清除筛选": []}
    held: dict[str, list[float]] = {name: [] for name in walls}
    statements: dict[str, list[int]] = {name: [] for name in walls}
    longest: dict[str, list[float]] = {name: [] for name in walls}
    shown: dict[str, int] = {}

    actions = {"勾选回收站": lambda: roster.trash.setChecked(True),
               "取消回收站": lambda: roster.trash.setChecked(False),
               "选择筛选": lambda: roster.filters.select(tier=FILTER_TIER),
               "清除筛选": roster.filters.clear}

    def toggle(name: str) -> None:
        clock["statements"] = 0
        start = begin = time.perf_counter()
        actions[name]()
        busy = [time.perf_counter() - begin]  # the GUI thread's stretches of work
        while not window.runner.settled or model.listing_pending:
            begin = time.perf_counter()
            app.processEvents()
            busy.append(time.perf_counter() - begin)
            time.sleep(0.002)
        begin = time.perf_counter()
        app.processEvents()
        table.viewport().repaint()
        end = time.perf_counter()
        busy.append(end - begin)
        walls[name].append((end - start) * 1000)
        held[name].append(sum(busy) * 1000)
        longest[name].append(max(busy) * 1000)
        statements[name].append(clock["statements"])
        shown[name] = model.rowCount()

    repaints = []
    floor_filters = {"回收站": queries.RosterFilter(deleted=True),
                     "企业库": queries.RosterFilter(),
                     "筛选": queries.RosterFilter(tier=FILTER_TIER)}
    floors: dict[str, list[float]] = {name: [] for name in floor_filters}
    for _ in range(args.runs):
        begin = time.perf_counter()
        table.viewport().repaint()  # floor: painting the rows, nothing read
        repaints.append((time.perf_counter() - begin) * 1000)
        for name, filters in floor_filters.items():
            begin = time.perf_counter()
            with database.session() as session:  # floor: the bare query of the ids
                queries.roster_ids(session, filters, sort="name")
            floors[name].append((time.perf_counter() - begin) * 1000)
        for name in walls:
            toggle(name)

    def said(times: list[float]) -> str:
        return f"中位数 {statistics.median(times):.0f} ms（{' '.join(f'{t:.0f}' for t in times)}）"

    print(f"企业库 {shown['取消回收站']:,} 家，回收站 {shown['勾选回收站']:,} 家，"
          f"筛选出 {shown['选择筛选']:,} 家（{args.db}），各 {args.runs} 次：")
    for name in walls:
        print(f"{name}：界面线程占用 {said(held[name])}，其中最长一段（窗口不响应）"
              f"{said(longest[name])}；从点击到新列表画出 {said(walls[name])}；"
              f"界面线程上的 SQL 语句 {statistics.median(statements[name]):.0f} 条")
    print(f"底线：只重画表格 {said(repaints)}；裸查询编号（roster_ids）"
          + "，".join(f"{name} {said(times)}" for name, times in floors.items()))
    window.close()
    window.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
