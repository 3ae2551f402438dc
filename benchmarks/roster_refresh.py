"""企业库 after another program's write: the time the GUI thread is held by the refresh.

    python benchmarks/roster_refresh.py [--db PATH] [--enterprises N] [--runs 5]

When another program commits to the open file (the command line's import), the window
refreshes once things are quiet (ui.server_changes). This times, on a database of N firms
(``tiers demo``), with the 企业库 page shown, scrolled to its middle and one firm selected:

- 整个刷新: ``ServerChanges.refresh`` (every page's refresh, the counts, the roster);
- 企业库刷新: ``RosterView.refresh`` alone, sorted by name, under a search (常州), and
  sorted by 当前梯度;

each as the GUI thread's own time: the call itself, then the handling of the results the
background runner sends back (``LatestRead``'s delivery, which every page's background read
uses), then the repaint of the table (the rows on screen built if they are not yet). Waiting
for the runner in between is not counted: the window is live meanwhile. Medians of --runs,
with the number of SQL statements run on the GUI thread.
It also says whether the selected firm and the scroll position were kept.
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

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView  # noqa: E402

from tiers.queries import roster as queries  # noqa: E402
from tiers.services import demo  # noqa: E402
from tiers.storage.database import open_database  # noqa: E402


def build(path: Path, enterprises: int) -> None:
    database = open_database(path)
    with database.session() as session:
        present = queries.count(session, queries.RosterFilter())
        if present < enterprises:
            for _ in demo.generate(session, enterprises=enterprises - present):
                pass
    database.dispose()


class GuiClock:
    """Adds up the GUI thread's time in the calls timed and in the runner's deliveries."""

    def __init__(self, engine) -> None:
        from sqlalchemy import event

        from ui import latest_read

        self.spent, self.statements = 0.0, 0

        def count(*_args) -> None:
            if threading.current_thread() is threading.main_thread():
                self.statements += 1

        event.listen(engine, "before_cursor_execute", count)
        original = latest_read.LatestRead._read
        clock = self

        def timed_read(self, task, found, show):
            begin = time.perf_counter()
            try:
                return original(self, task, found, show)
            finally:
                clock.spent += time.perf_counter() - begin

        latest_read.LatestRead._read = timed_read

    def run(self, app, window, action) -> float:
        self.spent, self.statements = 0.0, 0
        begin = time.perf_counter()
        action()
        self.spent += time.perf_counter() - begin
        while not window.runner.settled:
            app.processEvents()
            time.sleep(0.002)
        app.processEvents()
        begin = time.perf_counter()
        window.roster.table.viewport().repaint()
        self.spent += time.perf_counter() - begin
        return self.spent * 1000


def roster_window(app, database, settings):
    """The main window at 1366 × 768 with 企业库 shown and its first listing in, and a
    settle() that waits until the runner and the roster's listing are done (the delete and
    回收站 harnesses)."""
    from ui.main_window import MainWindow

    window = MainWindow(database, settings)
    window.resize(1366, 768)
    window.show()
    window.show_page(1)  # 企业库
    model = window.roster.model

    def settle() -> None:
        while not window.runner.settled or model.listing_pending:
            app.processEvents()
            time.sleep(0.01)
        app.processEvents()

    while not model.rowCount():
        app.processEvents()
        time.sleep(0.01)
    settle()
    return window, settle

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "tiers-bench-100k.sqlite3")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    build(args.db, args.enterprises)

    from ui.app import make_application
    from ui.app_settings import AppSettings
    from ui.main_window import MainWindow
    from ui.server_changes import ServerChanges

    app = make_application([sys.argv[0]])
    settings_dir = tempfile.mkdtemp(prefix="tiers-bench-settings-")
    settings = AppSettings(QSettings(str(Path(settings_dir) / "s.ini"), QSettings.IniFormat))
    database = open_database(args.db)
    window = MainWindow(database, settings)
    changes = ServerChanges.attach(window)
    window.resize(1366, 768)
    window.show()
    window.show_page(1)  # 企业库
    roster, clock = window.roster, GuiClock(database.engine)
    while not window.runner.settled or not roster.model.rowCount():
        app.processEvents()
        time.sleep(0.01)
    def settle() -> None:
        while not window.runner.settled:
            app.processEvents()
            time.sleep(0.01)

    def search(text: str):
        def set_up() -> None:
            roster.search.setText(text)
            roster.apply_filters()
        return set_up

    def by_tier() -> None:
        roster.search.setText("")
        roster.apply_filters()
        roster.model.sort(4, Qt.DescendingOrder)  # 当前梯度

    # (name, what is on screen first, what is timed)
    cases = [("整个刷新（ServerChanges.refresh），按名称排序", None, changes.refresh),
             ("企业库刷新（RosterView.refresh），按名称排序", None, roster.refresh),
             ("企业库刷新，搜索“常州”", search("常州"), roster.refresh),
             ("企业库刷新，按当前梯度排序", by_tier, roster.refresh)]
    results: dict[str, list[float]] = {name: [] for name, _set_up, _action in cases}
    statements: dict[str, list[int]] = {name: [] for name in results}
    kept, repaints, shown = [], [], {}
    for name, set_up, action in cases:
        if set_up is not None:
            set_up()
            settle()
        shown[name] = roster.model.rowCount()
        middle = shown[name] // 2
        for _ in range(args.runs):
            roster.table.selectRow(middle)
            roster.table.scrollTo(roster.model.index(middle, 0),
                                  QAbstractItemView.PositionAtTop)
            roster.table.viewport().repaint()
            app.processEvents()
            chosen = roster.model.ids[middle]
            begin = time.perf_counter()
            roster.table.viewport().repaint()  # the floor: painting the rows, nothing read
            repaints.append((time.perf_counter() - begin) * 1000)
            results[name].append(clock.run(app, window, action))
            statements[name].append(clock.statements)
            top = roster.table.rowAt(0)
            kept.append((roster.selected_ids() == [chosen],
                         0 <= top < len(roster.model.ids) and roster.model.ids[top] == chosen))
    print(f"企业库：{shown[cases[0][0]]:,} 家（{args.db}），各 {args.runs} 次")
    for name, times in results.items():
        print(f"{name}（{shown[name]:,} 行）：界面线程 中位数 {statistics.median(times):.0f} ms"
              f"（{' '.join(f'{t:.0f}' for t in times)}）；界面线程上的 SQL 语句 "
              f"{statistics.median(statements[name]):.0f} 条")
    print(f"只重画表格（什么也不读）：中位数 {statistics.median(repaints):.0f} ms")
    print(f"刷新后仍选中原企业：{sum(s for s, _ in kept)}/{len(kept)}；"
          f"原企业仍在表格顶端：{sum(t for _, t in kept)}/{len(kept)}")
    changes.stop()
    window.close()
    window.database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
