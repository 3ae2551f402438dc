"""企业库's 回收站 box read the roster on the GUI thread: ticking it ran the 回收站's query,
unticking it the base query of every firm (half a second frozen at 100,000 firms), and the
rows on screen were built as they were painted. It now reads both on the runner, as a
refresh does: the old rows stay meanwhile, and so do the buttons that act on them (恢复 is
offered only once the 回收站's firms are shown); a search typed meanwhile supersedes the read
on the runner; a read that fails leaves the rows, the box and the filters as they were."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.roster_helpers import fail_listing_reads, hold, shown_roster, wait_listed
from tiers.queries import roster
from tiers.services import enterprises

FIRMS = 60
BINNED = 5


@pytest.fixture
def view(qtbot, database, settings, runner, session, enterprise_factory):
    firms = [enterprise_factory(f"常州回收{n:03d}科技有限公司") for n in range(FIRMS)]
    session.commit()
    with database.session() as binning:
        for firm in firms[:BINNED]:
            enterprises.soft_delete(binning, firm.id)
    view = shown_roster(qtbot, database, settings, runner, FIRMS - BINNED)
    view.binned = [firm.id for firm in firms[:BINNED]]
    return view


def test_the_bin_is_read_off_the_gui_thread_the_old_rows_acting_meanwhile(
        qtbot, view, runner, gui_statements):
    counted, counting = gui_statements
    model, table = view.model, view.table
    roster_ids = list(model.ids)
    counting[0] = True
    release = hold(runner)
    view.trash.setChecked(True)
    # meanwhile: the roster's rows, and the buttons for them (no 恢复 of a live firm)
    assert model.ids == roster_ids and model.listing_pending
    assert not view.bin_shown and view.delete_button.isVisibleTo(view)
    assert not view.restore_button.isVisibleTo(view) and view.open_button.isEnabled()
    assert view.count_label.text() == "正在读取回收站……"
    release.set()
    wait_listed(qtbot, view, runner)
    table.viewport().repaint()  # the rows on screen were built on the runner too
    assert counted == [], counted
    assert sorted(model.ids) == sorted(view.binned)
    assert view.bin_shown and view.restore_button.isVisibleTo(view)
    assert not view.delete_button.isVisibleTo(view) and not view.open_button.isEnabled()
    assert view.count_label.text() == f"回收站 共 {BINNED} 家"
    # and back: the base query of every firm, not on the GUI thread either
    view.trash.setChecked(False)
    assert sorted(model.ids) == sorted(view.binned)  # (until read)
    wait_listed(qtbot, view, runner)
    table.viewport().repaint()
    counting[0] = False
    assert counted == [], counted
    assert model.ids == roster_ids and not view.bin_shown
    assert view.delete_button.isVisibleTo(view) and not view.restore_button.isVisibleTo(view)


def test_the_delete_key_meanwhile_acts_on_the_rows_shown(qtbot, view, runner, monkeypatch):
    """While the roster is read back, the 回收站's rows are shown: Delete does nothing to
    them (they are binned already), as before the box was unticked."""
    view.trash.setChecked(True)
    wait_listed(qtbot, view, runner)
    asked = []
    monkeypatch.setattr(view, "delete_selected", lambda: asked.append(True))
    release = hold(runner)
    view.trash.setChecked(False)
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key_Delete)
    assert asked == []
    release.set()
    wait_listed(qtbot, view, runner)
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key_Delete)
    assert asked == [True]


def test_a_search_typed_while_the_bin_is_read_supersedes_it_on_the_runner(
        qtbot, view, runner, gui_statements):
    counted, counting = gui_statements
    model = view.model
    release = hold(runner)
    counting[0] = True
    view.trash.setChecked(True)
    view.search.setText("回收003")
    view.apply_filters()
    counting[0] = False
    assert counted == [], counted
    assert model.rowCount() == FIRMS - BINNED  # the old rows meanwhile
    listed = []
    model.modelReset.connect(lambda: listed.append(list(model.ids)))
    release.set()
    wait_listed(qtbot, view, runner)
    assert listed == [[view.binned[3]]]  # only the newer query's listing, in the 回收站
    assert view.bin_shown and "回收站 共 1 家" in view.count_label.text()


def test_a_bin_not_read_leaves_the_rows_the_box_and_the_filters(
        qtbot, view, runner, monkeypatch):
    model = view.model
    roster_ids = list(model.ids)
    original = roster.roster_ids
    fail_listing_reads(monkeypatch, lambda filters: filters.deleted)
    view.trash.setChecked(True)
    wait_listed(qtbot, view, runner)
    assert model.ids == roster_ids
    assert not view.trash.isChecked() and not model.filters.deleted and not view.bin_shown
    assert "数据库暂时无法读取" in view.count_label.text()
    monkeypatch.setattr(roster, "roster_ids", original)
    view.trash.setChecked(True)  # tried again: read now
    wait_listed(qtbot, view, runner)
    assert sorted(model.ids) == sorted(view.binned) and view.bin_shown
