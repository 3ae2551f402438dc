"""企业库 at 1920×1080: the columns reach the table's right edge (they ended two-thirds
across, a blank band beside them), the room going to the firm's name (扶持金额合计, the last
column, stretched over 380 px with its amounts at the far right); the widths the officer
chose are kept, also from a state saved before; at 1366×768 the long columns give way, so
that none is off to the right."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.conftest import make_code
from tests.ui.roster_helpers import roster_at
from tiers.services import enterprises
from ui.roster_view import RosterView
from ui.table_comforts import USER_WIDTHS
from ui.table_reading import visible_columns

PAGE_AT_1920 = (1790, 940)  # the page in the main window maximised at 1920×1080
PAGE_AT_1366 = (1230, 620)


def roster(qtbot, database, settings, size) -> RosterView:
    """Two firms, and the page over them at ``size``."""
    with database.session() as session:
        for serial, (name, county) in enumerate((("常州甲科技有限公司", "武进区"),
                                                 ("常州乙科技有限公司", "新北区")), start=1):
            enterprises.create(session, {"credit_code": make_code(serial), "name": name,
                                         "county": county, "town": "湖塘镇"})
    return roster_at(qtbot, database, settings, size)


def blank_band(view: RosterView) -> int:
    header = view.table.horizontalHeader()
    return view.table.viewport().width() - header.length()


def test_at_1920_the_columns_reach_the_right_edge(qtbot, database, settings):
    view = roster(qtbot, database, settings, PAGE_AT_1920)
    first = {column: view.table.columnWidth(column) for column in range(8)}
    assert blank_band(view) <= 0
    # the room goes to the name; the others keep their widths
    assert {column: view.table.columnWidth(column) for column in range(8)} == first
    assert view.table.columnWidth(8) < 300  # 扶持金额合计 beside the rest, not far right
    header = view.table.horizontalHeader()
    assert view.table.columnWidth(8) == max(header.sectionSizeHint(8), view.fill.natural[8])
    assert first[0] > view.fill.natural[0]


def test_widths_chosen_before_are_kept_and_the_band_filled(qtbot, database, settings):
    old = roster(qtbot, database, settings, PAGE_AT_1920)
    header = old.table.horizontalHeader()
    header.setStretchLastSection(False)  # the header as a state saved before was
    old.table.setColumnWidth(0, 420)
    old.table.setColumnWidth(3, 60)
    settings.set_table_state("roster", header.saveState(), widths_chosen=True)
    view = roster_at(qtbot, database, settings, PAGE_AT_1920)
    assert view.table.columnWidth(0) == 420 and view.table.columnWidth(3) == 60
    assert blank_band(view) <= 0


def test_a_hidden_last_column_leaves_the_next_one_to_fill(qtbot, database, settings):
    view = roster(qtbot, database, settings, PAGE_AT_1920)
    view.set_column_visible(8, False)  # 扶持金额合计
    qtbot.wait(10)
    assert visible_columns(view.table)[-1] == 7
    assert blank_band(view) <= 0


def test_at_1366_every_column_shows_without_scrolling_sideways(qtbot, database, settings):
    """The desk testers at 1366×768: 扶持金额合计 and 所属产业链 were off to the right. The
    long columns give way (elided, the whole in the tooltip), the name keeping 10
    characters and the code whole; at 1920 the others keep their own widths."""
    wide = roster(qtbot, database, settings, PAGE_AT_1920)
    natural = [wide.table.columnWidth(column) for column in range(1, 8)]
    view = roster_at(qtbot, database, settings, PAGE_AT_1366)
    table, header = view.table, view.table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width(), timeout=3000)
    assert table.horizontalScrollBar().maximum() == 0
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance("常州市武进区精密机") + 12
    assert table.columnWidth(1) >= 150 and table.columnWidth(0) < wide.table.columnWidth(0)
    narrower = [column for column in range(1, 8) if table.columnWidth(column) < natural[column - 1]]
    # (a title wider than its column wraps, not cut: tests/ui/test_roster_titles_whole_1366.py)
    assert narrower and header.textElideMode() == Qt.ElideNone
    # the title under its short wording (已兑现扶持（万元）), the whole one in its tooltip
    assert view.model.headerData(8, Qt.Horizontal, Qt.ToolTipRole).startswith(
        "扶持金额合计（已兑现，万元）")
    # a width the officer drags is theirs: kept as the window changes
    table.setProperty(USER_WIDTHS, True)
    table.setColumnWidth(7, 260)
    view.resize(PAGE_AT_1366[0] - 20, PAGE_AT_1366[1])
    qtbot.wait(20)
    assert table.columnWidth(7) == 260


def test_dragging_the_window_edge_is_no_choice_of_widths(qtbot, database, settings,
                                                         monkeypatch):
    """The column given the room to spare (the name) follows the window's edge as the
    officer drags it, mouse button down: no width chosen, and the columns are fitted to the
    rows again later."""
    from types import SimpleNamespace

    from PySide6.QtCore import Qt

    from ui.table_comforts import widths_chosen

    view = roster(qtbot, database, settings, PAGE_AT_1366)
    header = view.table.horizontalHeader()
    before = header.sectionSize(0)  # the firm's name, given the room to spare
    monkeypatch.setattr("ui.table_comforts.QGuiApplication",
                        SimpleNamespace(mouseButtons=lambda: Qt.LeftButton))
    view.resize(*PAGE_AT_1920)  # the window's edge, dragged
    qtbot.waitUntil(lambda: header.sectionSize(0) > before)
    assert not widths_chosen(view.table)
    header.resizeSection(0, header.sectionSize(0) + 40)  # a column's own edge, dragged
    assert widths_chosen(view.table)


def test_at_1366_the_bin_and_a_filtered_list_keep_names_and_titles_whole(qtbot, database,
                                                                        settings):
    """tester26b at 1366: the 回收站 cut names and 有效期至 and scrolled sideways beside an
    empty, wide 当前梯度; the filtered list cut names too, and 扶持金额合… its title.
    当前梯度 and 所属产业链 are as wide as the rows on screen need, the name keeps a common
    firm's whole name, every title shows whole."""
    name = "常州博立汽车部件科技有限公司"
    with database.session() as session:
        for serial in range(1, 4):
            enterprises.create(session, {"credit_code": make_code(serial),
                                         "name": name.replace("博立", f"博立{serial}")[:14],
                                         "county": "武进区", "town": "湖塘镇"})
        enterprises.create(session, {"credit_code": make_code(9), "name": name,
                                     "county": "武进区", "town": "南夏墅街道"})
        enterprises.soft_delete(session, enterprises.by_code(session, make_code(9)).id)
    view = roster_at(qtbot, database, settings, PAGE_AT_1366)
    table, header = view.table, view.table.horizontalHeader()
    tier = 4
    qtbot.waitUntil(lambda: header.sectionSize(tier) == header.sectionSizeHint(tier),
                    timeout=3000)  # no firm holds a tier: its title's width
    assert header.sectionSize(8) >= header.sectionSizeHint(8)  # 已兑现扶持（万元） whole
    assert header.sectionSize(7) <= header.sectionSizeHint(7)  # no chain: 所属产业链 narrow
    assert table.horizontalScrollBar().maximum() == 0
    whole = table.fontMetrics().horizontalAdvance(name) + 12
    assert header.sectionSize(0) >= whole
    view.trash.setChecked(True)
    qtbot.waitUntil(lambda: view.bin_shown and view.model.rowCount() == 1, timeout=5000)
    qtbot.wait(50)
    assert table.horizontalScrollBar().maximum() == 0
    assert header.sectionSize(0) >= whole
    assert header.sectionSize(tier) == header.sectionSizeHint(tier)
    valid_until = 6
    assert header.sectionSize(valid_until) >= header.sectionSizeHint(valid_until)
