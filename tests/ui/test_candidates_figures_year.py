"""After the year turns, before the firms report 上年度's figures: 候选企业 is judged on the
last year reported and says so, the officer may pick another year (a combo of the years with
figures, reached with Alt+Y), and 培育库 and the firm's own 对标预审 say which year they used."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from PySide6.QtCore import Qt
from sqlalchemy import select

from tests.ui.candidates_helpers import candidates_in_window, candidates_page
from tiers.model.orm import CultivationEntry
from tiers.progress import drain
from tiers.services import demo

NOTE = "2026 年度数据尚未录入，按 2025 年度数据预审"


@pytest.fixture
def january(database):
    """A demo made on 2026-12-06 (figures up to 2025), looked at on 2027-01-15."""
    with database.session() as session:
        drain(demo.generate(session, enterprises=150, seed=20261121,
                            today=dt.date(2026, 12, 6)))
        session.commit()
    with time_machine.travel(dt.datetime(2027, 1, 15, 2, 0, tzinfo=dt.UTC), tick=True):
        yield


def run(qtbot, candidates):
    with qtbot.waitSignal(candidates.finished, timeout=30_000):
        assert candidates.run() is not None


def test_candidates_say_the_year_and_let_the_officer_pick_another(qtbot, database, settings,
                                                                  runner, january):
    view = candidates_page(qtbot, database, settings, runner)
    view.show()
    candidates = view.candidates
    candidates.select_tier("zjtx")
    qtbot.waitUntil(lambda: candidates.year.count() > 1, timeout=10_000)
    years = [candidates.year.itemData(i) for i in range(1, candidates.year.count())]
    assert years[0] == 2025 and 2026 not in years and years == sorted(years, reverse=True)
    assert candidates.year.chosen() is None  # 按数据
    run(qtbot, candidates)
    assert "（2025年度数据，" in candidates.summary.text()
    assert candidates.year.note.isVisibleTo(view)
    assert NOTE in candidates.year.note.text()
    assert candidates.year.itemText(0) == "按数据：2025年度"
    # 导出当前列表 names the year in its title (and file name)
    assert candidates.comforts.title == "候选企业（省级专精特新中小企业，2025年度数据）"
    listed = candidates.model.rowCount()
    assert 0 < listed <= 150 // 4  # not nearly every firm 缺数据

    # the picker: keyboard-reachable through its label's Alt+Y
    candidates.run_button.setFocus()
    qtbot.keyClick(candidates, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    assert candidates.year.hasFocus()
    candidates.year.setCurrentIndex(candidates.year.findData(2024))
    run(qtbot, candidates)
    assert "（2024年度数据，" in candidates.summary.text()
    assert not candidates.year.note.isVisibleTo(view)
    assert candidates.year.chosen() == 2024

    # 培育库's 当前预审 says the year too
    qtbot.waitUntil(lambda: view.overview_ready, timeout=30_000)
    assert NOTE in view.count.text()


def test_the_firms_own_assessment_says_which_year(qtbot, firm_window, database, settings, runner,
                                                  january):
    with database.session() as session:
        firm_id = session.scalar(select(CultivationEntry.enterprise_id).limit(1))
    dialog = firm_window(firm_id)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    assert f"数据年度：2025年度（{NOTE}）" in tab.rule_label.text()


def test_a_year_picked_carries_into_the_firms_window(qtbot, database, settings, runner,
                                                     january):
    window, candidates = candidates_in_window(qtbot, database, settings, runner)
    candidates.select_tier("zjtx")
    qtbot.waitUntil(lambda: candidates.year.findData(2024) > 0, timeout=10_000)
    # (a firm listed on either year: the same row is opened on both)
    run(qtbot, candidates)
    on_data = {candidates.model.record(r)["enterprise_id"]
               for r in range(candidates.model.rowCount())}
    candidates.year.setCurrentIndex(candidates.year.findData(2024))
    run(qtbot, candidates)
    assert candidates.model.rowCount() > 0
    first = next(r for r in range(candidates.model.rowCount())
                 if candidates.model.record(r)["enterprise_id"] in on_data)
    candidates.open_row(first)
    firm_id = candidates.model.record(first)["enterprise_id"]
    dialog = window.enterprise_dialogs[firm_id]
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # read on the runner
    # not 2025, and not 上年度: the year picked, said so
    assert "数据年度：2024年度（候选企业中选定）　" in tab.rule_label.text()
    assert {item.figures_year for item in tab.assessments} == {2024}
    # back on 按数据, the same row opens the window (still open) on the data's year again
    candidates.year.setCurrentIndex(0)
    run(qtbot, candidates)
    row = next(r for r in range(candidates.model.rowCount())
               if candidates.model.record(r)["enterprise_id"] == firm_id)
    candidates.open_row(row)
    assert window.enterprise_dialogs[firm_id] is dialog
    qtbot.waitUntil(lambda: tab.ready and {i.figures_year for i in tab.assessments}
                    == {2025}, timeout=10_000)
    assert f"数据年度：2025年度（{NOTE}）" in tab.rule_label.text()
    assert "候选企业中选定" not in tab.rule_label.text()
    window.close()
