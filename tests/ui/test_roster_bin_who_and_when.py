"""The 回收站 showed the roster's columns only: who moved a firm there, and when, could be
read only in each firm's 变更记录; and 恢复 said nothing (tester25, problem 10). It lists
移入时间 and 操作人 (hidden on the roster, and not offered there by the column menu); 恢复
says in the status bar which firms came back, and is a batch that 撤销上次批量操作 undoes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from tiers.model.orm import Enterprise
from tiers.services import bulk, enterprises
from ui.main_window import MainWindow
from ui.roster_cells import COLUMNS
from ui.roster_view import RosterView

BIN_AT = [n for n, c in enumerate(COLUMNS) if c.key == "binned_at"][0]
BIN_BY = [n for n, c in enumerate(COLUMNS) if c.key == "binned_by"][0]
CHAINS = [n for n, c in enumerate(COLUMNS) if c.key == "chains"][0]
SUPPORT = [n for n, c in enumerate(COLUMNS) if c.key == "support_total"][0]


def _firms(database, code) -> tuple[int, int, int]:
    with database.session() as session:
        first = enterprises.create(session, {"credit_code": code(1), "name": "溧阳市金峰电缆有限公司",
                                             "county": "溧阳市"}).id
        second = enterprises.create(session, {"credit_code": code(2), "name": "溧阳市南渡轴承有限公司",
                                              "county": "溧阳市"}).id
    with database.session() as session:
        enterprises.soft_delete(session, first, user="liyang02")
    with database.session() as session:
        batch = bulk.apply(session, "trash", [second], {}, user="liyang01").batch_id
    return first, second, batch


def _settled(qtbot, runner, view) -> None:
    qtbot.waitUntil(lambda: runner.settled and not view.model.listing_pending, timeout=10_000)


def _column_titles(view) -> list[str]:
    return [action.text() for action in view.comforts.column_menu().actions()
            if action.isCheckable()]


def _moment(database, firm) -> str:
    with database.session() as session:
        at = session.scalar(select(Enterprise.deleted_at).where(Enterprise.id == firm))
    return f"{at:%Y-%m-%d %H:%M}"


def test_the_bin_lists_who_moved_each_firm_there_and_when(qtbot, database, settings, runner,
                                                          code):
    first, second, batch = _firms(database, code)
    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.resize(1300, 500)
    view.show()
    _settled(qtbot, runner, view)
    assert view.table.isColumnHidden(BIN_AT) and view.table.isColumnHidden(BIN_BY)
    assert "移入时间" not in _column_titles(view) and "操作人" not in _column_titles(view)
    view.trash.setChecked(True)
    _settled(qtbot, runner, view)
    assert not view.table.isColumnHidden(BIN_AT) and not view.table.isColumnHidden(BIN_BY)
    model = view.model
    assert model.headerData(BIN_AT, Qt.Horizontal) == "移入时间"
    assert model.headerData(BIN_BY, Qt.Horizontal) == "操作人"
    cells = {model.enterprise_id(row): (model.index(row, BIN_AT).data(),
                                        model.index(row, BIN_BY).data())
             for row in range(model.rowCount())}
    assert cells == {first: (_moment(database, first), "liyang02"),
                     second: (_moment(database, second), f"liyang01（批量操作 {batch}）")}
    assert {"移入时间", "操作人"} <= set(_column_titles(view))
    # in place of 所属产业链 and 扶持金额合计, right after the name: all shown at 1366
    assert view.table.isColumnHidden(CHAINS) and view.table.isColumnHidden(SUPPORT)
    assert "所属产业链" not in _column_titles(view)
    header = view.table.horizontalHeader()
    assert [header.visualIndex(BIN_AT), header.visualIndex(BIN_BY)] == [1, 2]
    view.resize(1240, 500)  # (the page in the 1366 window: beside the 120 px page list)
    qtbot.waitUntil(lambda: sum(header.sectionSize(n) for n in range(len(COLUMNS))
                                if not header.isSectionHidden(n))
                    <= view.table.viewport().width(), timeout=5_000)
    saved = settings.table_state("roster")
    view.comforts.save_state()  # the 回收站's arrangement is not kept as the officer's
    assert settings.table_state("roster") == saved
    # sorted by 移入时间, newest first; back on the roster the columns and that sort go
    view.table.sortByColumn(BIN_AT, Qt.DescendingOrder)
    assert model.ids == [second, first]
    view.trash.setChecked(False)
    _settled(qtbot, runner, view)
    assert view.table.isColumnHidden(BIN_AT) and view.table.isColumnHidden(BIN_BY)
    assert not view.table.isColumnHidden(CHAINS) and not view.table.isColumnHidden(SUPPORT)
    assert model.sort_column == 0
    view.comforts.restore_default_columns()  # (the defaults: without them on the roster)
    assert view.table.isColumnHidden(BIN_AT)


def test_restore_says_which_firms_and_can_be_undone(qtbot, database, settings, runner, code):
    first, second, _batch = _firms(database, code)
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    view = window.roster
    _settled(qtbot, runner, view)
    view.trash.setChecked(True)
    _settled(qtbot, runner, view)
    view.table.selectAll()
    with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        view.restore_button.click()
    assert finished.args == [True]
    _settled(qtbot, runner, view)
    assert view.model.ids == []
    said = window.statusBar().currentMessage()
    assert said.startswith("已从回收站恢复 2 家企业：")
    assert "溧阳市金峰电缆有限公司" in said and "溧阳市南渡轴承有限公司" in said
    assert "撤销上次批量操作" in said
    with database.session() as session:
        assert session.scalar(select(Enterprise.deleted_at).where(Enterprise.id == first)) \
            is None
    # 撤销上次批量操作: both back in the 回收站
    task = window.bulk.undo_last()
    qtbot.waitUntil(lambda: task.done.is_set(), timeout=15_000)
    _settled(qtbot, runner, view)
    with database.session() as session:
        assert session.scalars(select(Enterprise.id).where(
            Enterprise.deleted_at.is_not(None)).order_by(Enterprise.id)).all() == [first, second]
    assert sorted(view.model.ids) == [first, second]  # the 回收站 shown lists them again
