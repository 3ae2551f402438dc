"""An editor's import on the server that leaves other counties' rows out (不导入, #25),
killed with SIGKILL while it runs (the break campaign of #26): the database holds the state
before (every table's rows as they were) or the whole batch (each of his county's firms,
none of the other's), and the undo of a whole batch still takes every firm out."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tests.tiers.server.conftest import WUJIN, XINBEI
from tiers.model.orm import Enterprise, ImportBatch
from tiers.storage.database import open_database

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from benchmarks.break_fixtures import digest  # noqa: E402

pytestmark = [pytest.mark.server_only, pytest.mark.slow]

FIRMS = 300  # of each county


def _roster(path: Path) -> Path:
    rows = [["企业名称", "统一社会信用代码", "县区", "地址"]]
    for i in range(FIRMS):
        rows.append([f"常州武进强杀{i}号机械有限公司", make_code(5000 + i, WUJIN), "武进区",
                     f"湖塘镇{i}号"])
        rows.append([f"常州新北强杀{i}号装备有限公司", make_code(5000 + i, XINBEI), "新北区",
                     f"三井街道{i}号"])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _cli(url: str, *args: str, log: Path) -> subprocess.Popen:
    with log.open("w") as stderr:  # (a file: a pipe of a killed process stays unclosed)
        return subprocess.Popen([sys.executable, "-m", "ui.cli", "--db", url, *args],
                                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=subprocess.DEVNULL, stderr=stderr)


def _counts(url: str) -> tuple[int, int, list[int]]:
    database = open_database(url)
    try:
        with database.session() as session:
            count = {code: session.scalar(select(func.count(Enterprise.id)).where(
                Enterprise.county_code == code)) for code in (WUJIN, XINBEI)}
            batches = list(session.scalars(select(ImportBatch.id)
                                           .where(ImportBatch.undone_at.is_(None))))
        return count[WUJIN], count[XINBEI], batches
    finally:
        database.dispose()


@pytest.mark.parametrize("share", [0.6, 0.9, 1.05, 1.3])
def test_a_killed_editors_import_is_before_or_whole(bureau, tmp_path, share):
    roster = _roster(tmp_path / "全市名录.csv")
    editor = bureau.url_of("editor")
    since = "2000-01-01"  # moments compared as written (nothing here is read as "<new>")
    started = time.perf_counter()
    log = tmp_path / "stderr.txt"
    dry = _cli(editor, "import", str(roster), "--dry-run", log=log)
    assert dry.wait(timeout=300) == 0, log.read_text()
    planned = time.perf_counter() - started  # reading and planning: most of the import
    before = digest(bureau.url, since)
    wujin, xinbei, batches = _counts(bureau.url)
    process = _cli(editor, "import", str(roster), log=log)
    time.sleep(planned * share)
    killed = process.poll() is None
    if killed:
        os.kill(process.pid, signal.SIGKILL)
    status = process.wait(timeout=300)
    assert killed or status == 0, log.read_text()
    now_wujin, now_xinbei, now_batches = _counts(bureau.url)
    assert now_xinbei == xinbei  # 不导入: never one of them, whatever the moment
    if now_batches == batches:  # nothing got in: every table as it was
        assert digest(bureau.url, since) == before
        return
    [batch] = set(now_batches) - set(batches)  # the whole batch, and its undo works
    assert now_wujin == wujin + FIRMS
    undo = _cli(editor, "undo-import", str(batch), log=log)
    assert undo.wait(timeout=300) == 0, log.read_text()
    assert _counts(bureau.url)[:2] == (wujin, xinbei)
