"""A 选择企业 picker let go is destroyed then and there, not left to Python's cycle collector.

Its search (ui.picker_search) held the dialog (the dialog as its reads' parent, and the
dialog's methods as callbacks), so a picker without a parent that nobody referred to any
more lived on in a reference cycle until the collector happened to run — at whatever
allocation came next. Under pytest (the window-size test shows a picker and ends) that was
inside the picker's own EnterpriseTableModel.data(), reading a block of rows while its table
painted: the collector destroyed the dialog, its table and its model mid-paint, and Qt's
QAbstractItemModel::multiData called the freed model (a segfault, rc 139)."""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tiers.errors import TiersError
from tiers.queries import roster, search
from ui import roster_row_blocks
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.link_dialog import LinkDialog


def refused(_session, *_args, **_kwargs):
    raise TiersError("数据库正忙，请稍后再试")


def shown(qtbot, database, runner) -> EnterprisePickerDialog:
    dialog = EnterprisePickerDialog(database, runner=runner)  # no parent: Python owns it
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: runner.settled and dialog.model.rowCount() > 0, timeout=10_000)
    return dialog


def searched(qtbot, dialog, runner, text: str) -> None:
    dialog.search.setText(text)
    dialog._search()
    qtbot.waitUntil(lambda: runner.settled and not dialog.searching.pending, timeout=10_000)


@pytest.mark.parametrize("how", ["opened", "searched here", "searched on the runner",
                                 "search failed"])
def test_a_picker_let_go_is_destroyed_at_once(qtbot, demo_database, runner, monkeypatch,
                                              how):
    if how != "opened":  # (each kind of search left its callbacks behind)
        if how != "searched here":  # no index: typed searches are read on the runner
            monkeypatch.setattr(search.SearchIndex, "load", staticmethod(refused))
        if how == "search failed":
            listing = roster.roster_ids
            monkeypatch.setattr(roster, "roster_ids", lambda session, filters, **kwargs: (
                refused(session) if filters.search else listing(session, filters, **kwargs)))
    dialog = shown(qtbot, demo_database, runner)
    if how != "opened":
        searched(qtbot, dialog, runner, "常州")
        assert ("未能查找" in dialog.notice.text()) == (how == "search failed")
    destroyed = []
    dialog.destroyed.connect(lambda: destroyed.append(True))
    let_go = weakref.ref(dialog)
    gc.collect()
    gc.disable()  # only its reference count may free it
    try:
        del dialog
        assert let_go() is None, [type(r).__name__ for r in gc.get_referrers(let_go())]
        assert destroyed == [True]
    finally:
        gc.enable()


def test_a_picker_let_go_is_not_collected_while_its_table_paints(qtbot, demo_database,
                                                                 runner, monkeypatch):
    """The collector run where it ran under pytest: in a row read of the picker's paint.
    Before the fix this test crashed the whole process (multiData on the freed model)."""
    dialog = shown(qtbot, demo_database, runner)
    let_go = weakref.ref(dialog)
    read = roster_row_blocks.read_rows
    reads = []

    def collecting(*args, **kwargs):
        reads.append(True)
        gc.collect()  # as an allocation in the read may run it
        return read(*args, **kwargs)

    monkeypatch.setattr(roster_row_blocks, "read_rows", collecting)
    dialog.model.invalidate()  # its rows are read again as the table next paints
    del dialog
    for _ in range(3):
        QApplication.processEvents()
    assert let_go() is None
    assert reads == []  # nothing of it was left to paint


class Row:  # an import's plan row, as 指定关联 reads it
    row, name = 7, "常州某某有限公司"


@pytest.mark.parametrize("answer", [QDialog.Accepted, QDialog.Rejected], ids=["确定", "取消"])
@pytest.mark.parametrize("where", ["page", "指定关联"])
def test_a_picker_closed_is_not_kept_by_the_window_that_opened_it(
        qtbot, demo_database, runner, monkeypatch, where, answer):
    """加入企业 / 加入培育库 (a page's pick) and 指定关联's 查找其他企业: each picker opened
    stayed a hidden child of its window, with every firm's id and the search index over
    them, for as long as that window lived."""
    def exec_(dialog):  # the list in, its first firm picked (or 取消)
        qtbot.waitUntil(lambda: runner.settled and dialog.model.rowCount() > 0,
                        timeout=10_000)
        dialog.table.selectRow(0)
        dialog.done(answer)
        return dialog.result()

    monkeypatch.setattr(EnterprisePickerDialog, "exec", exec_)
    if where == "page":
        window = QWidget()
        qtbot.addWidget(window)
        picked = EnterprisePickerDialog.pick_firm(demo_database, window, runner=runner)
        assert (picked is not None) == (answer == QDialog.Accepted)
    else:
        window = LinkDialog(demo_database, Row(), [], runner=runner)
        qtbot.addWidget(window)
        window.find_other()
        assert (window.link() is not None) == (answer == QDialog.Accepted)
    qtbot.waitUntil(lambda: not window.findChildren(EnterprisePickerDialog), timeout=5_000)
