"""培育库's figures-year note is said for all the entries' counties, naming those behind —
not one entry's county's note. On a city where 新北区 lacks 2026 figures and 武进区 has them,
the count line read "当前预审：2026 年度数据尚未录入，按 2025 年度数据预审" (the first
entry's, a 新北 firm) as if every entry were judged on 2025; ``tiers assess --cultivation``
printed the same. Now both say the candidate lists' sentence (``YearPlan.summary``), and each
firm's own note is in its 当前预审 tooltip."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from PySide6.QtCore import Qt
from sqlalchemy import select

from tests.tiers.test_figures_year_counties import BEHIND, LOOKED, make_demo, report_2026
from tiers import assess
from tiers.model.orm import CultivationEntry, Enterprise
from ui.cli.main import main
from ui.cultivation_view import CultivationView

OWN = "2026 年度数据尚未录入，按 2025 年度数据预审"  # 新北区's own note


@pytest.fixture
def two_paces(database):
    """新北区 behind (its firm first in the list: target 2027), two 武进区 firms on 2026."""
    with database.session() as session:
        make_demo(session)
        report_2026(session, ("天宁区", "武进区"))
        for entry in session.scalars(select(CultivationEntry)):  # the demo's own
            session.delete(entry)
        session.flush()
        for county, count, target in (("新北区", 1, 2027), ("武进区", 2, 2028)):
            for firm in session.scalars(select(Enterprise.id)
                                        .where(Enterprise.county_name == county)
                                        .order_by(Enterprise.id).limit(count)):
                session.add(CultivationEntry(enterprise_id=firm, target_tier="innovative",
                                             target_year=target))
        session.commit()
    return database


@pytest.fixture
def looked():
    with time_machine.travel(dt.datetime(2027, 1, 10, 2, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_the_overview_names_the_counties_behind(two_paces, looked):
    with two_paces.session() as session:
        overview = assess.cultivation_overview(session, today=LOOKED)
    assert [s.county for s in overview] == ["新北区", "武进区", "武进区"]
    assert overview[0].current.year_note == OWN  # each firm's own note kept
    assert overview.figures.year == 2026
    assert overview.year_note == BEHIND


def test_the_count_line_and_tooltips(qtbot, two_paces, settings, runner, looked):
    view = CultivationView(two_paces, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    with qtbot.waitSignal(view.overview_task.finished, timeout=60_000):
        pass
    assert view.count.text() == f"共 3 家　当前预审：{BEHIND}"
    column = [c.key for c in view.model.columns].index("readiness")
    tips = {view.model.record(r)["county"]: view.model.index(r, column).data(Qt.ToolTipRole)
            for r in range(view.model.rowCount())}
    assert tips["新北区"].endswith("\n" + OWN)
    assert "尚未录入" not in tips["武进区"]


def test_the_command_line_says_it_too(two_paces, db_target, capsys, looked):
    two_paces.dispose()
    assert main(["--db", str(db_target), "assess", "--cultivation"]) == 0
    err = capsys.readouterr().err
    assert f"注：{BEHIND}。" in err
    assert OWN + "。" not in err
