"""培育库 → 候选企业 (ranked on the background runner, cancellable, 加入培育库) and the
培育库 entries with their current 对标预审 and trend, through the real widgets."""

from __future__ import annotations

import datetime as dt
import importlib
import threading

import pytest
from PySide6.QtCore import Qt

from tests.ui.candidates_helpers import candidates_page
from tiers.queries.cultivation import cultivation_entries
from tiers.services import cultivation, figures
from ui import cultivation_view
from ui.ask import OfficerDialog
from ui.cultivation_rows import PENDING
from ui.cultivation_view import CultivationView

NEXT_YEAR = dt.date.today().year + 1
# the module, not the function of the same name that tiers.assess exports
candidates_module = importlib.import_module("tiers.assess.candidates")


@pytest.fixture
def view(qtbot, database, settings, runner, assess_county):
    return candidates_page(qtbot, database, settings, runner)


# worked under the 2022 rules (the 2026 办法 has its own tests: test_assess_tab_2026.py)
pytestmark = pytest.mark.usefixtures("rules_before_2026")

def run(qtbot, candidates, *, tier="zjtx"):
    candidates.select_tier(tier)
    with qtbot.waitSignal(candidates.finished, timeout=20_000):
        task = candidates.run()
        assert task is not None and candidates.running()
        assert not candidates.run_button.isEnabled() and candidates.cancel_button.isEnabled()
    return task


def names(candidates):
    return [candidates.model.record(r)["name"] for r in range(candidates.model.rowCount())]


def test_ranked_list_with_gaps_and_flags(qtbot, qtmodeltester, view, assess_county):
    candidates = view.candidates
    assert candidates.tier.currentData() == "zjtx"
    run(qtbot, candidates)
    assert candidates.run_button.isEnabled() and not candidates.running()
    # 条件均满足 (the 13-indicator score a number from its recorded inputs), then 差一项, then
    # 缺数据;
    # 数据存疑 last; the holder and the two-short firm left out
    assert names(candidates) == ["常州甲科技有限公司", "常州乙科技有限公司", "常州丙科技有限公司",
                                 "常州辛科技有限公司"]
    readiness = [candidates.model.record(r)["readiness"] for r in range(4)]
    assert readiness == ["条件均满足", "差一项", "缺数据", "数据存疑"]
    shown = candidates.model.index(0, 1).data()
    assert shown == "条件均满足（另有1项待核实）"
    short = candidates.model.record(1)
    assert "差 50 万元" in short["gaps"]
    assert "细分市场" in candidates.model.record(2)["missing"]
    assert short["manual"]  # the 需人工核实 items are listed
    assert "研发费用" in candidates.model.record(3)["gaps"]  # the nonsense flag, in words
    colour = candidates.model.index(0, 1).data(Qt.ForegroundRole).color().name()
    assert colour == "#1e7b34"
    summary = candidates.summary.text()
    assert "条件均满足 1 家，待人工核实 0 家，差一项 1 家" in summary
    assert "已认定该梯度或更高 1 家" in summary
    assert "不符合 1 家（未列出）" in summary
    qtmodeltester.check(candidates.model)

    candidates.include_not_ready.setChecked(True)
    run(qtbot, candidates)
    assert "常州丁科技有限公司" in names(candidates)


def test_county_filter(qtbot, view, database, assess_county):
    from tests.conftest import make_code
    from tiers.services import enterprises
    from ui.candidates_view import ALL_COUNTIES
    from ui.county_column import firms_changed

    candidates = view.candidates
    with database.session() as session:
        other = enterprises.create(session, {"credit_code": make_code(900, "320481"),
                                             "name": "溧阳某科技有限公司", "county": "溧阳市"})
        figures.set_year(session, other.id, assess_county["year"], dict(revenue=3000))
    firms_changed(database)  # as the window does after a write that touched firms
    view.refresh()  # the counties are read on the runner
    qtbot.waitUntil(lambda: candidates.county.findData("溧阳市") >= 0, timeout=10_000)
    counties = [candidates.county.itemText(i) for i in range(candidates.county.count())]
    assert counties[0] == ALL_COUNTIES and "武进区" in counties and "溧阳市" in counties
    candidates.include_not_ready.setChecked(True)
    candidates.county.setCurrentIndex(candidates.county.findData("溧阳市"))
    run(qtbot, candidates)
    assert names(candidates) == ["溧阳某科技有限公司"]


def test_cancel_stops_the_run(qtbot, view, monkeypatch):
    candidates = view.candidates
    release = threading.Event()
    real_load = candidates_module.load_county

    def slow_load(*args, **kwargs):
        release.wait(10)  # holds the worker until the test has pressed 取消
        return real_load(*args, **kwargs)

    monkeypatch.setattr(candidates_module, "load_county", slow_load)
    view.show()  # on screen, as the user has it: what shows while it runs is asserted
    qtbot.waitExposed(view)
    before = candidates.model.rowCount()
    with qtbot.waitSignal(candidates.finished, timeout=20_000):
        task = candidates.run()
        with qtbot.waitSignal(task.progress, timeout=10_000):
            pass
        # a busy bar while the county is read, the summary saying it runs, 取消 ready
        assert candidates.progress.isVisible() and candidates.progress.maximum() == 0
        assert candidates.summary.text() == "正在预审……"
        assert candidates.cancel_button.isEnabled() and not candidates.run_button.isEnabled()
        candidates.cancel_button.click()
        assert candidates.summary.text() == "正在取消……"
        release.set()
    assert not candidates.progress.isVisible()
    assert task.was_cancelled
    assert candidates.summary.text() == "已取消预审。"
    assert candidates.model.rowCount() == before
    assert candidates.run_button.isEnabled() and not candidates.cancel_button.isEnabled()


def test_double_click_opens_the_enterprise(qtbot, view, assess_county):
    candidates = view.candidates
    run(qtbot, candidates)
    index = candidates.model.index(1, 2)
    with qtbot.waitSignal(view.open_assessment_requested) as opened:
        candidates.table.doubleClicked.emit(index)
    assert opened.args[0] == assess_county["one_short"]
    assert opened.args[1]["tier"] == candidates.found.tier_code  # on the list's 对标预审


def test_add_to_cultivation_asks_for_the_officer(qtbot, view, database, monkeypatch, messages,
                                                 assess_county):
    candidates = view.candidates
    run(qtbot, candidates)
    asked = []

    def answer(cls, parent, name, tier_name, year, officer=""):
        asked.append((name, tier_name, year))
        return "王丽"

    monkeypatch.setattr(OfficerDialog, "ask", classmethod(answer))
    candidates.table.selectRow(1)
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        candidates.add_button.click()
        assert not candidates.isEnabled()  # written on the runner
    assert finished.args == [True] and candidates.isEnabled()
    assert asked == [("常州乙科技有限公司", "省级专精特新中小企业", NEXT_YEAR)]
    with database.session() as session:
        [entry] = cultivation_entries(session)
    assert entry["enterprise_id"] == assess_county["one_short"]
    assert (entry["target_tier"], entry["target_year"], entry["officer"], entry["status"]) == (
        "zjtx", NEXT_YEAR, "王丽", "培育中")
    assert candidates.model.record(1)["in_cultivation"] == f"已在（{NEXT_YEAR}年）"
    assert view.model.rowCount() == 1  # the 培育名单 shows it at once
    # the same firm, tier and year again: the service's message, nothing written
    candidates.table.selectRow(1)
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        assert candidates.add_selected() is not None
    assert finished.args == [False]
    assert messages[-1][0] == "error" and "已在培育库" in messages[-1][1]
    # cancelling the question writes nothing
    monkeypatch.setattr(OfficerDialog, "ask", classmethod(lambda cls, *a, **k: None))
    candidates.table.selectRow(0)
    assert candidates.add_selected() is None
    with database.session() as session:
        assert len(cultivation_entries(session)) == 1


def test_entries_show_assessment_and_trend_from_the_background(
        qtbot, qtmodeltester, database, settings, runner, assess_county, monkeypatch):
    year = assess_county["year"]
    ready, one_short = assess_county["ready"], assess_county["one_short"]
    with database.session() as session:
        # 甲 was short of R&D a year earlier: progress; 乙 is short now and was not: regress
        figures.set_year(session, ready, year - 1, dict(revenue=1900, main_revenue=1700,
                                                        rd_expense=10, niche_years=3))
        figures.set_year(session, one_short, year - 1, dict(
            revenue=1900, main_revenue=1700, rd_expense=100, niche_years=3, total_assets=2000,
            total_liabilities=800, employees=100, rd_staff=20, ip_class1=2, ip_class2=3,
            net_profit=150))
        figures.set_year(session, ready, year - 3, dict(revenue=1700, main_revenue=1500))
        figures.set_year(session, one_short, year - 3, dict(revenue=1700, main_revenue=1500))
        for firm in (ready, one_short):
            cultivation.add(session, firm, {"target_tier": "zjtx", "target_year": NEXT_YEAR,
                                            "officer": "王丽"})
    threads = []
    real = cultivation_view.cultivation_overview

    def recording(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(cultivation_view, "cultivation_overview", recording)
    view = CultivationView(database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):  # the entries, read on the runner
        view.refresh()
    task = view.overview_task
    assert task is not None
    assert {view.model.record(r)["readiness"] for r in range(2)} == {PENDING}
    with qtbot.waitSignal(task.finished, timeout=20_000):
        pass
    assert threads == [False], "the overview ran on the GUI thread"
    rows = {view.model.record(r)["enterprise_id"]: view.model.record(r) for r in range(2)}
    assert rows[ready]["readiness"] == "条件均满足" and rows[ready]["trend"] == "进步"
    assert rows[one_short]["readiness"] == "差一项" and rows[one_short]["trend"] == "退步"
    assert "研发费用" in rows[one_short]["changes"]
    trend_column = [c.key for c in view.model.columns].index("trend")
    row = next(r for r in range(2) if view.model.record(r)["enterprise_id"] == ready)
    assert view.model.index(row, trend_column).data(Qt.ForegroundRole).color().name() \
        == "#1e7b34"
    qtmodeltester.check(view.model)


def test_a_newer_refresh_supersedes_a_running_overview(qtbot, database, settings, runner,
                                                      assess_county):
    with database.session() as session:
        cultivation.add(session, assess_county["ready"], {"target_tier": "zjtx",
                                                          "target_year": NEXT_YEAR})
    view = CultivationView(database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):  # the entries, read on the runner
        view.refresh()
    first = view.overview_task
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    second = view.overview_task
    assert first is not second and first.cancel_requested
    with qtbot.waitSignal(second.finished, timeout=20_000):
        pass
    assert view.model.record(0)["readiness"] == "条件均满足"
    assert view.overview_task is None


def test_verdict_is_the_readiness_tooltip(qtbot, view):
    candidates = view.candidates
    run(qtbot, candidates)
    tip = candidates.model.index(1, 1).data(Qt.ToolTipRole)
    assert tip.startswith("差一项：上年度研发费用总额不低于100万元")
