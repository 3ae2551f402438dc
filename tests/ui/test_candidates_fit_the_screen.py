"""候选企业 at 1366×768: every column in view without scrolling sideways (the long 差距 and
缺少数据 give way, their whole text in the tooltip); at 1920×1080 the widths are as before."""

from __future__ import annotations

import pytest

from ui.candidate_widths import FIXED_WIDTHS
from ui.candidates_view import CandidatesView

# the table's width in the main window maximised on each screen (the page list beside it)
WIDTH_AT_1366 = 1230
WIDTH_AT_1920 = 1780


@pytest.fixture
def shown(qtbot, demo_database, settings, runner):
    def show(width: int) -> CandidatesView:
        view = CandidatesView(demo_database, settings, runner)
        qtbot.addWidget(view)
        view.resize(width, 600)
        view.show()
        qtbot.waitExposed(view)
        view.select_tier("zjtx")
        with qtbot.waitSignal(view.finished, timeout=60_000):
            view.run()
        return view
    return show


def column(view, key):
    return [c.key for c in view.model.columns].index(key)


def test_every_column_fits_at_1366(shown):
    view = shown(WIDTH_AT_1366)
    table = view.table
    assert view.model.rowCount() > 0
    last = view.model.columnCount() - 1
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(last) >= 150  # 需人工核实: a few words too
    gaps = column(view, "gaps")
    assert table.columnWidth(gaps) < FIXED_WIDTHS["gaps"]
    assert table.columnWidth(gaps) >= 120  # still a few words of the first gap
    short = next(r for r in range(view.model.rowCount()) if view.model.record(r)["gaps"])
    assert view.model.index(short, gaps).data(0x03) == view.model.record(short)["gaps"]


def test_the_wide_screen_keeps_its_widths(shown):
    view = shown(WIDTH_AT_1920)
    assert view.table.columnWidth(column(view, "gaps")) == FIXED_WIDTHS["gaps"]
    assert view.table.columnWidth(column(view, "missing")) == FIXED_WIDTHS["missing"]
    assert view.table.horizontalScrollBar().maximum() == 0
