"""候选企业 shows the ranked list at once and fills each firm's detail afterwards (issue #17):
the cells say 计算中… until their chunk is assessed on the runner, the rows on screen first;
取消 stops the filling and leaves the list; 加入培育库 works on a row not yet filled; 导出当前列表
computes the details still missing."""

from __future__ import annotations

import datetime as dt
import threading

import openpyxl
import pytest
from PySide6.QtCore import Qt

from tiers import assess
from tiers.assess.candidates import report_row
from tiers.queries.cultivation import cultivation_entries
from ui import candidate_details
from ui.ask import OfficerDialog
from ui.candidate_details import NOT_COMPUTED, PENDING
from ui.candidates_view import CandidatesView

NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture
def held_details(monkeypatch):
    """Each chunk of details waits for ``release``; ``chunks`` records the ids asked for."""
    release, chunks = threading.Event(), []
    real = candidate_details.details

    def waiting(session, found, ids):
        chunks.append(list(ids))
        release.wait(10)
        return real(session, found, ids)

    monkeypatch.setattr(candidate_details, "details", waiting)
    return release, chunks


@pytest.fixture
def view(qtbot, database, settings, runner):
    view = CandidatesView(database, settings, runner)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def start(qtbot, view, tier="zjtx"):
    view.select_tier(tier)
    view.include_not_ready.setChecked(True)
    with qtbot.waitSignal(view.listed, timeout=20_000):
        view.run()


def column(view, key):
    return [c.key for c in view.model.columns].index(key)


def test_the_list_shows_first_then_the_details_fill_in(qtbot, qtmodeltester, view,
                                                      demo_database, held_details,
                                                      monkeypatch):
    release, chunks = held_details
    monkeypatch.setattr(candidate_details, "CHUNK", 10)
    start(qtbot, view)
    rows = view.model.rowCount()
    assert rows > 30  # more rows than fit on screen
    first = view.model.record(0)
    assert first["name"] and first["readiness_text"] and first["gaps"] == PENDING
    assert view.model.index(0, column(view, "missing")).data() == PENDING
    assert view.running() and view.cancel_button.isEnabled()
    assert view.progress.text() == f"详情 0 / {rows:,}"
    qtmodeltester.check(view.model)
    # the officer scrolls to the end: the next chunk is the rows now on screen
    view.table.scrollToBottom()
    shown = {view.model.record(r)["enterprise_id"]
             for r in range(view.table.rowAt(0), view.model.rowCount())}
    with qtbot.waitSignal(view.finished, timeout=30_000):
        release.set()
    assert set(chunks[1]) <= shown
    assert not view.running() and not view.progress.isVisible()
    records = [view.model.record(r) for r in range(rows)]
    assert all(PENDING not in (r["gaps"], r["missing"], r["manual"], r["score"])
               for r in records)
    assert any(r["gaps"] for r in records) and any(r["manual"] for r in records)
    # each row as the full list (``tiers assess --tier``, 拟推荐 reports) gives it
    with demo_database.session() as session:
        full = assess.candidates(session, "zjtx", include_not_ready=True)
    expected = [report_row(item, seq) for seq, item in enumerate(full.ranked + full.flagged,
                                                                  start=1)]
    keys = ("enterprise_id", "name", "readiness_text", "score", "gaps", "missing", "manual",
            "verdict", "current_tier", "town")
    assert [{k: r[k] for k in keys} for r in records] == [{k: r[k] for k in keys}
                                                          for r in expected]
    assert view.model.index(0, 1).data(Qt.ToolTipRole) == records[0]["verdict"]


def test_cancel_while_the_details_fill_keeps_the_list(qtbot, view, demo_database,
                                                     held_details, tmp_path):
    release, chunks = held_details
    start(qtbot, view)
    rows = view.model.rowCount()
    with qtbot.waitSignal(view.finished, timeout=10_000):
        view.cancel_button.click()
    release.set()
    assert view.model.rowCount() == rows  # the ranked list stays
    assert {view.model.record(r)["gaps"] for r in range(rows)} == {NOT_COMPUTED}
    assert "已停止计算详情" in view.summary.text()
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()
    assert not view.progress.isVisible()
    qtbot.waitUntil(lambda: not view.runner.busy, timeout=10_000)
    # the chunk under way when 取消 came is dropped, not shown
    assert {view.model.record(r)["gaps"] for r in range(rows)} == {NOT_COMPUTED}
    # 导出当前列表 computes what was not filled
    task = view.comforts.export_current_list(str(tmp_path / "候选.xlsx"))
    with qtbot.waitSignal(task.finished, timeout=30_000):
        pass
    sheet = openpyxl.load_workbook(tmp_path / "候选.xlsx").active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(cells) if row and row[0] == "序号")
    gaps = cells[header].index("差距（不满足）")
    exported = [row[gaps] for row in cells[header + 1:header + 1 + rows]]
    assert NOT_COMPUTED not in exported and PENDING not in exported
    assert any(exported)


def test_add_a_row_whose_detail_is_not_filled_yet(qtbot, view, database, demo_database,
                                                 held_details, monkeypatch):
    release, _chunks = held_details
    monkeypatch.setattr(OfficerDialog, "ask", classmethod(lambda cls, *a, **k: "王丽"))
    start(qtbot, view)
    row = view.model.rowCount() - 1  # far down: its chunk comes last
    view.table.selectRow(row)
    record = view.model.record(row)
    assert record["gaps"] == PENDING
    with qtbot.waitSignal(view.save_finished, timeout=20_000) as saved:
        view.add_button.click()
        release.set()  # the write waits for the chunk under way, not for the whole list
    assert saved.args == [True]
    with database.session() as session:
        added = [(entry["target_tier"], entry["target_year"], entry["note"])
                 for entry in cultivation_entries(session)
                 if entry["enterprise_id"] == record["enterprise_id"]]
    assert ("zjtx", NEXT_YEAR, f"对标预审：{record['readiness']}") in added
    qtbot.waitUntil(lambda: not view.running(), timeout=30_000)  # the filling went on
    assert view.model.record(row)["gaps"] != PENDING


def test_firms_in_the_cultivation_list_are_marked_when_listed(qtbot, view, database,
                                                             demo_database):
    from tests.conftest import entry_kept

    start(qtbot, view)
    qtbot.waitUntil(lambda: not view.running(), timeout=30_000)
    chosen = view.model.record(2)["enterprise_id"]
    with database.session() as session:
        # two entries of one target: kept from an older version (now refused)
        for tier, year in (("zjtx", NEXT_YEAR + 1), ("zjtx", NEXT_YEAR),
                           ("little_giant", NEXT_YEAR)):
            entry_kept(session, chosen, {"target_tier": tier, "target_year": year})
    start(qtbot, view)
    marks = {view.model.record(r)["enterprise_id"]: view.model.record(r)["in_cultivation"]
             for r in range(view.model.rowCount())}
    assert marks[chosen] == f"已在（{NEXT_YEAR}、{NEXT_YEAR + 1}年）"
    qtbot.waitUntil(lambda: not view.running(), timeout=30_000)


def test_a_failing_detail_stops_the_filling_with_its_message(qtbot, view, demo_database,
                                                            monkeypatch):
    from tiers.errors import StorageError

    def failing(session, found, ids):
        raise StorageError("数据库暂时无法读取")

    monkeypatch.setattr(candidate_details, "details", failing)
    start(qtbot, view)
    rows = view.model.rowCount()
    qtbot.waitUntil(lambda: not view.running(), timeout=20_000)
    assert view.model.rowCount() == rows  # the ranked list stays
    assert "详情计算失败：数据库暂时无法读取" in view.summary.text()
    assert {view.model.record(r)["gaps"] for r in range(rows)} == {NOT_COMPUTED}
    assert view.run_button.isEnabled() and not view.progress.isVisible()
