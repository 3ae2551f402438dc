"""``tiers undo-import`` needs the undo alone: importing it loads neither the rest of the
import pipeline (planner, readers, writer) nor pypinyin's dictionaries (about 0.8 s of a
3 s undo, measured), while ``from importers import …`` still gives every public name."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("importers.plan", "importers.apply", "importers.read.sources", "python_calamine",
         "pypinyin")


def test_the_undo_loads_without_the_pipeline_and_pinyin():
    code = ("import sys, importers.undo\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"


def test_every_public_name_of_the_package_is_still_there():
    import importers

    for name in importers.__all__:
        assert getattr(importers, name) is not None
    assert importers.undo_batch.__module__ == "importers.undo"
