"""Benchmark: 候选企业 opening — from clicking 开始预审 to the ranked list shown — beside its floor.

    .venv/bin/python benchmarks/candidates_open.py [--sizes 10000 100000] [--runs 5]
                                                   [--tier zjtx] [--db FILE …]

For each size a child process builds the demo county (tiers.services.demo.generate) in a
temporary database (or uses the matching --db, one per size), then, ``--runs`` times in the
same loop:
  floor    reading the same rows the ranked list reads (firms, three years of figures, the
           titles held) with the bare DB-API cursor, rows fetched and dropped
  ranked   the core part: ``tiers.assess.ranked_steps`` — the county read as columns, every
           firm's verdict column-wise, the list ranked (no firm assessed in detail)
  open     the real ``CandidatesView`` (offscreen) on the real background runner: 开始预审
           clicked to the ranked list in the table and painted (its ``listed`` signal)
  filled   the same view until every listed firm's detail is filled (informational)
  detailed the whole list with every listed firm's detailed assessment, as ``candidates``
           gives it to ``tiers assess --tier`` and the 拟推荐 report (what the view waited
           for before)
and prints the medians and their ratios to the floor. The aim (issue #17): open < 1 s on
10,000 firms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.assess_all import bare_read, demo_county  # noqa: E402
from tiers import assess
from tiers.progress import drain


def _ranked(database, tier: str, today: dt.date) -> tuple[float, int]:
    start = time.perf_counter()
    with database.session() as session:
        found = drain(assess.ranked_steps(session, tier, today=today))
    return time.perf_counter() - start, len(found.listed())


def _detailed(database, tier: str, today: dt.date) -> float:
    start = time.perf_counter()
    with database.session() as session:
        assess.candidates(session, tier, today=today)
    return time.perf_counter() - start


def _view(view, tier: str) -> tuple[float, float]:
    """(seconds to the ranked list shown, seconds to every detail filled)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    marks: dict[str, float] = {}

    def listed() -> None:
        view.table.viewport().repaint()  # the table painted with its rows, at once
        marks["listed"] = time.perf_counter()

    def finished() -> None:
        marks["finished"] = time.perf_counter()
        loop.quit()

    view.listed.connect(listed)
    view.finished.connect(finished)
    view.select_tier(tier)
    QTimer.singleShot(600_000, loop.quit)
    start = time.perf_counter()
    view.run()
    loop.exec()
    view.listed.disconnect(listed)
    view.finished.disconnect(finished)
    return marks["listed"] - start, marks["finished"] - start


def one_size(enterprises: int, runs: int, db: str | None, tier: str) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app_settings import AppSettings
    from ui.background_runner import BackgroundRunner
    from ui.candidates_view import CandidatesView

    folder = tempfile.TemporaryDirectory()
    database, firms, today = demo_county(enterprises, db, Path(folder.name))
    year = assess.default_year(today)
    app = QApplication.instance() or QApplication([])
    settings = AppSettings(QSettings(str(Path(folder.name) / "settings.ini"),
                                     QSettings.IniFormat))  # not the officer's own
    runner = BackgroundRunner()
    view = CandidatesView(database, settings, runner)
    view.resize(1366, 700)
    view.show()
    app.processEvents()
    result: dict[str, list[float]] = {key: [] for key in
                                      ("floor", "ranked", "open", "filled", "detailed")}
    listed = 0
    for _ in range(runs):
        result["floor"].append(bare_read(database, year))
        seconds, listed = _ranked(database, tier, today)
        result["ranked"].append(seconds)
        opened, filled = _view(view, tier)
        result["open"].append(opened)
        result["filled"].append(filled)
        result["detailed"].append(_detailed(database, tier, today))
    runner.shutdown()
    view.close()
    database.dispose()
    folder.cleanup()
    return {"firms": firms, "listed": listed, "runs": runs,
            **{key: statistics.median(values) for key, values in result.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tier", default="zjtx")
    parser.add_argument("--db", nargs="*", default=[],
                        help="existing databases to use instead of new demos, one per size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child's size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.one, args.runs, args.db[0] if args.db else None,
                                  args.tier), ensure_ascii=False))
        return 0
    print("| 企业数 | 列出 | 下限：裸读同样的数据 | 排名（核心） | 比值 | 打开（点击到列表显示）"
          " | 比值 | 详情全部填好 | 含逐家详情的名单（原做法） | 比值 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for number, size in enumerate(args.sizes):
        # one child per size, so that one size's memory and caches do not favour the next
        command = [sys.executable, __file__, "--one", str(size), "--runs", str(args.runs),
                   "--tier", args.tier]
        if number < len(args.db):
            command += ["--db", args.db[number]]
        out = json.loads(subprocess.run(command, check=True, capture_output=True,
                                        text=True).stdout.splitlines()[-1])
        floor = out["floor"]
        print(f"| {out['firms']} | {out['listed']} | {floor:.2f} 秒 | {out['ranked']:.2f} 秒 | "
              f"{out['ranked'] / floor:.1f}× | {out['open']:.2f} 秒 | "
              f"{out['open'] / floor:.1f}× | {out['filled']:.2f} 秒 | "
              f"{out['detailed']:.2f} 秒 | {out['detailed'] / floor:.1f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
