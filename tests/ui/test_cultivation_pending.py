"""A firm 公示中 seen where an officer looks: the 培育名单's 当前预审 cell says 公示中（不再推荐）
in the roster's purple (not only its tooltip), and so does 导出当前列表 (a firm holding its
target: 已认定, plain); the firm's own 对标预审 for the next tier up says its prerequisite is
公示中, not missing."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt

from tests.conftest import entry_kept
from tests.ui.test_candidates_pending import _publicised
from ui.cultivation_view import CultivationView
from ui.roster_cells import PENDING_COLOUR

NEXT_YEAR = dt.date.today().year + 1

pytestmark = pytest.mark.usefixtures("rules_before_2026")


@pytest.fixture
def publicised(database, assess_county):
    with database.session() as session:
        firm_id = _publicised(session, assess_county["year"])
        for enterprise_id in (firm_id, assess_county["ready"], assess_county["holder"]):
            # the holder's entry from before its recognition (the service refuses it now)
            entry_kept(session, enterprise_id, {"target_tier": "zjtx",
                                                     "target_year": NEXT_YEAR,
                                                     "officer": "王丽"})
        session.commit()
    return firm_id


@pytest.fixture
def view(qtbot, database, settings, runner, publicised):
    view = CultivationView(database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    with qtbot.waitSignal(view.overview_task.finished, timeout=20_000):
        pass
    return view


def _cell(view, name):
    column = [c.key for c in view.model.columns].index("readiness")
    row = next(r for r in range(view.model.rowCount())
               if view.model.record(r)["name"] == name)
    return view.model.index(row, column)


def test_the_conclusion_cell_says_publicised(view):
    cell = _cell(view, "常州公示科技有限公司")
    assert cell.data(Qt.DisplayRole) == "公示中（不再推荐）"
    assert cell.data(Qt.ForegroundRole).color().name() == PENDING_COLOUR.name()
    assert cell.data(Qt.ToolTipRole).startswith(
        "已在省级专精特新中小企业公示名单中（公示中，待正式认定），不再推荐；")
    assert _cell(view, "常州甲科技有限公司").data(Qt.DisplayRole) == "条件均满足"


def test_the_export_says_publicised(view, tmp_path, qtbot):
    path = tmp_path / "培育库.xlsx"
    task = view.comforts.export_current_list(str(path))
    if task is not None and not isinstance(task, type(path)):
        with qtbot.waitSignal(task.finished, timeout=20_000):
            pass
    rows = [[cell.value for cell in row] for row in openpyxl.load_workbook(path).active
            .iter_rows()]
    [row] = [row for row in rows if "常州公示科技有限公司" in row]
    assert "公示中（不再推荐）" in row
    [row] = [row for row in rows if "常州戊科技有限公司" in row]
    assert "已认定" in row


def test_a_firm_holding_its_target_reads_recognised(view):
    # 常州戊 holds 专精特新, its 培育 target: 已认定, plain, not its figures' group
    cell = _cell(view, "常州戊科技有限公司")
    assert cell.data(Qt.DisplayRole) == "已认定"
    assert cell.data(Qt.ForegroundRole) is None
    assert cell.data(Qt.ToolTipRole).startswith("已是省级专精特新中小企业（有效期内）；")


def test_the_next_tier_says_the_prerequisite_is_publicised(
        qtbot, firm_window, database, settings, runner, publicised, assess_county):
    dialog = firm_window(publicised)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)  # (read on the runner)
    tab.select_tier("little_giant")
    model = tab.model
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    gaps = {index.data(): model.index(index.row(), 3).data() for index in rows}
    year = assess_county["year"] + 1
    assert gaps["须先取得省级专精特新中小企业称号"] == (
        f"已在省级专精特新中小企业{year}年度公示名单中，正式名单公布后方可申报")
