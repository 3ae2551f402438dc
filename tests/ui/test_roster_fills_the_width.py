"""企业库 at 1920×1080: the columns reach the table's right edge (they ended two-thirds
across, a blank band beside them); the widths the officer chose are kept, also from a
state saved before; at 1366×768 nothing changes."""

from __future__ import annotations

from tests.conftest import make_code
from tiers.services import enterprises
from ui.roster_view import RosterView
from ui.table_reading import visible_columns

PAGE_AT_1920 = (1790, 940)  # the page in the main window maximised at 1920×1080
PAGE_AT_1366 = (1230, 620)


def roster(qtbot, database, settings, size) -> RosterView:
    with database.session() as session:
        for serial, (name, county) in enumerate((("常州甲科技有限公司", "武进区"),
                                                 ("常州乙科技有限公司", "新北区")), start=1):
            enterprises.create(session, {"credit_code": make_code(serial), "name": name,
                                         "county": county, "town": "湖塘镇"})
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


def blank_band(view: RosterView) -> int:
    header = view.table.horizontalHeader()
    return view.table.viewport().width() - header.length()


def test_at_1920_the_columns_reach_the_right_edge(qtbot, database, settings):
    view = roster(qtbot, database, settings, PAGE_AT_1920)
    first = {column: view.table.columnWidth(column) for column in range(8)}
    assert blank_band(view) <= 0
    # the room goes to the last column; the others keep their widths
    assert {column: view.table.columnWidth(column) for column in range(8)} == first


def test_widths_chosen_before_are_kept_and_the_band_filled(qtbot, database, settings):
    old = roster(qtbot, database, settings, PAGE_AT_1920)
    header = old.table.horizontalHeader()
    header.setStretchLastSection(False)  # the header as a state saved before was
    old.table.setColumnWidth(0, 420)
    old.table.setColumnWidth(3, 60)
    settings.set_table_state("roster", header.saveState(), widths_chosen=True)
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.resize(*PAGE_AT_1920)
    view.show()
    qtbot.waitExposed(view)
    assert view.table.columnWidth(0) == 420 and view.table.columnWidth(3) == 60
    assert blank_band(view) <= 0


def test_a_hidden_last_column_leaves_the_next_one_to_fill(qtbot, database, settings):
    view = roster(qtbot, database, settings, PAGE_AT_1920)
    view.set_column_visible(8, False)  # 扶持金额合计
    qtbot.wait(10)
    assert visible_columns(view.table)[-1] == 7
    assert blank_band(view) <= 0


def test_at_1366_the_columns_keep_their_widths(qtbot, database, settings):
    wide = roster(qtbot, database, settings, PAGE_AT_1920)
    natural = [wide.table.columnWidth(column) for column in range(8)]
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.resize(*PAGE_AT_1366)
    view.show()
    qtbot.waitExposed(view)
    assert [view.table.columnWidth(column) for column in range(8)] == natural
    header = view.table.horizontalHeader()
    # the last column keeps its own width: wider than the room left, the table scrolls
    assert view.table.columnWidth(8) >= header.sectionSizeHint(8)
    assert view.table.columnWidth(8) < 300


def test_dragging_the_window_edge_is_no_choice_of_widths(qtbot, database, settings,
                                                         monkeypatch):
    """The stretched last column follows the window's edge as the officer drags it, mouse
    button down: no width chosen, and the columns are fitted to the rows again later."""
    from types import SimpleNamespace

    from PySide6.QtCore import Qt

    from ui.table_comforts import widths_chosen

    view = roster(qtbot, database, settings, PAGE_AT_1366)
    header = view.table.horizontalHeader()
    last = header.logicalIndex(header.count() - 1)
    before = header.sectionSize(last)
    monkeypatch.setattr("ui.table_comforts.QGuiApplication",
                        SimpleNamespace(mouseButtons=lambda: Qt.LeftButton))
    view.resize(*PAGE_AT_1920)  # the window's edge, dragged
    qtbot.waitUntil(lambda: header.sectionSize(last) > before)
    assert not widths_chosen(view.table)
    header.resizeSection(0, header.sectionSize(0) + 40)  # a column's own edge, dragged
    assert widths_chosen(view.table)
