"""企业库's filter panel queried on the GUI thread: each choice (梯度, 县区, 状态 …) ran the
filtered query of every firm there (a third of a second frozen at 100,000 firms), and so did
the dashboard's click that opens the roster filtered. Both are now read on the runner, as the
回收站 box is: the old rows stay meanwhile with 正在筛选…… in the count's place; a search
typed meanwhile supersedes the read; a read that fails leaves the rows and shows the panel's
choices as they were."""

from __future__ import annotations

import pytest

from tests.ui.roster_helpers import fail_listing_reads, hold, shown_roster, wait_listed
from tiers.model import ladder
from tiers.queries import roster
from tiers.services import recognitions

FIRMS = 40
GIANTS = 6  # 小巨人 among them


@pytest.fixture
def view(qtbot, database, settings, runner, session, enterprise_factory):
    firms = [enterprise_factory(f"常州筛选{n:03d}科技有限公司") for n in range(FIRMS)]
    for firm in firms[:GIANTS]:
        recognitions.add(session, firm.id, {"tier_code": "little_giant", "batch_label": "第六批"})
    session.commit()
    view = shown_roster(qtbot, database, settings, runner, FIRMS)
    view.giants = sorted(firm.id for firm in firms[:GIANTS])
    return view


def test_a_filter_is_read_off_the_gui_thread_the_old_rows_shown_meanwhile(
        qtbot, view, runner, gui_statements):
    counted, counting = gui_statements
    model, table = view.model, view.table
    everyone = list(model.ids)
    counting[0] = True
    release = hold(runner)
    view.filters.select(tier="little_giant")
    assert model.ids == everyone and model.listing_pending  # the old rows meanwhile
    assert view.count_label.text() == "正在筛选……"
    release.set()
    wait_listed(qtbot, view, runner)
    table.viewport().repaint()  # the rows on screen were built on the runner too
    assert sorted(model.ids) == view.giants
    assert view.count_label.text() == f"共 {GIANTS} 家（已筛选）"
    # cleared: the base query of every firm, not on the GUI thread either
    view.filters.clear()
    wait_listed(qtbot, view, runner)
    table.viewport().repaint()
    counting[0] = False
    assert counted == [], counted
    assert model.ids == everyone and view.count_label.text() == f"共 {FIRMS} 家"


def test_the_dashboards_filtered_roster_is_read_off_the_gui_thread(
        qtbot, view, runner, gui_statements):
    counted, counting = gui_statements
    counting[0] = True
    view.show_filtered(tier="little_giant", status=ladder.VALID)
    assert view.model.rowCount() == FIRMS  # (until read)
    wait_listed(qtbot, view, runner)
    view.table.viewport().repaint()
    counting[0] = False
    assert counted == [], counted
    assert sorted(view.model.ids) == view.giants


def test_a_search_typed_while_a_filter_is_read_supersedes_it(qtbot, view, runner):
    model = view.model
    release = hold(runner)
    view.filters.select(tier="little_giant")
    view.search.setText("筛选003")
    view.apply_filters()
    listed = []
    model.modelReset.connect(lambda: listed.append(list(model.ids)))
    release.set()
    wait_listed(qtbot, view, runner)
    assert listed == [[view.giants[3]]]  # only the newer query's, with the filter


def test_a_filter_not_read_leaves_the_rows_and_the_panel(qtbot, view, runner, monkeypatch):
    model, panel = view.model, view.filters
    everyone = list(model.ids)
    original = roster.roster_ids
    fail_listing_reads(monkeypatch, lambda filters: filters.tier)
    panel.select(tier="little_giant")
    wait_listed(qtbot, view, runner)
    assert model.ids == everyone and model.filters.tier is None
    assert panel.tier.currentData() is None and not panel.is_active()
    assert "数据库暂时无法读取" in view.count_label.text()
    monkeypatch.setattr(roster, "roster_ids", original)
    panel.select(tier="little_giant")  # tried again: read now
    wait_listed(qtbot, view, runner)
    assert sorted(model.ids) == view.giants and panel.tier.currentData() == "little_giant"
