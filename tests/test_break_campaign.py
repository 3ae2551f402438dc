"""The break campaign of issue #14 (benchmarks/break_campaign.py) runs and prints its figures.

The script only counts; what it finds is for the campaign's report, not for this test. Here
it runs once in its reduced mode (one kill of each command, a few hostile files, one pair of
each kind, two exports) so that it keeps working as the code under it changes. The figures
that the fixes already made hold (no corrupt, half-applied or unopenable database after a
kill) are checked too: they must stay 0.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABELS = ["kills run", "corrupt", "half-applied", "unopenable", "backup leftovers (.partial)",
          "hostile files run", "crashes (signal or timeout)", "tracebacks", "writes on refusal",
          "English in the message", "concurrent pairs run", "lost updates",
          "exported xlsx files / cells", "formula cells", "CSV cells (tiers enterprises)",
          "starting with = + - @", "cells with control/bidi/zero-width"]


@pytest.mark.slow
def test_the_quick_campaign_prints_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "break_campaign.py"), "--quick",
         "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    figures = {match["label"].strip(): match["found"] for match in re.finditer(
        r"^(?P<label>[^\d\n]+?)\s+(?P<found>\d+(?: / \d+)?)  ", result.stdout, re.MULTILINE)}
    assert set(LABELS) <= set(figures), result.stdout
    assert figures["kills run"] == "5" and figures["concurrent pairs run"] == "3"
    assert int(figures["hostile files run"]) >= 5
    fixed = ["corrupt", "half-applied", "unopenable", "backup leftovers (.partial)"]
    assert [figures[label] for label in fixed] == ["0"] * len(fixed), result.stdout
