"""The tables work like WPS/Excel: copy with the header, menus, columns remembered, blanks
last, sums of the selection, 导出当前列表, per-column filters (#19)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from tests.conftest import make_code
from tiers.services import enterprises, measures
from ui.main_window import MainWindow
from ui.measures_view import MeasuresView
from ui.roster_view import RosterView
from ui.table_comforts import USER_WIDTHS


@pytest.fixture
def firms(database):
    """Three firms, two with support measures (one of them with no date)."""
    with database.session() as session:
        made = [enterprises.create(session, {"credit_code": code, "name": name,
                                             "county": "武进区", "town": town})
                for code, name, town in ((make_code(1), "常州东方机械有限公司", "湖塘镇"),
                                         (make_code(2), "常州的卢科技有限公司", ""),
                                         (make_code(3), "阿尔法电子有限公司", "牛塘镇"))]
        ids = [firm.id for firm in made]
        measures.add(session, ids[0], {"kind": "资金奖励", "name": "首台套", "amount": "12.5",
                                       "year": 2024, "paid_on": dt.date(2024, 6, 1)})
        measures.add(session, ids[1], {"kind": "资金奖励", "name": "智改数转", "amount": "30",
                                       "year": 2025, "status": "已兑现"})  # no date given
        session.commit()
    return ids




def select(table, rows):
    model = table.model()
    selection = QItemSelection()
    for row in rows:
        selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
    table.selectionModel().select(selection, QItemSelectionModel.ClearAndSelect)


def test_ctrl_c_copies_selected_rows_with_header_as_shown(qtbot, database, settings, firms):
    view = MeasuresView(database, settings=settings)
    qtbot.addWidget(view)
    view.table.setColumnHidden(0, True)  # 年度
    view.table.horizontalHeader().moveSection(6, 2)  # 金额 right after 企业名称
    names = [view.model.record(r)["name"] for r in range(2)]
    select(view.table, [0, 1])
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view.table, Qt.Key_C, Qt.ControlModifier)
    lines = QGuiApplication.clipboard().text().split("\r\n")
    assert lines[0].split("\t")[:3] == ["企业名称", "金额（万元）", "镇街"]
    assert "年度" not in lines[0]
    amounts = {r["name"]: r["amount"] for r in view.model.rows}
    for line, name in zip(lines[1:3], names, strict=True):
        cells = line.split("\t")
        assert cells[0] == name
        assert Decimal(cells[1].replace(",", "")) == amounts[name]
    assert lines[3:] == [""]


def test_copy_credit_codes_and_open_from_the_menu(qtbot, database, settings, firms):
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.table.setCurrentIndex(view.model.index(2, 0))
    select(view.table, [0, 2])
    menu = view.comforts.row_menu()
    texts = [action.text() for action in menu.actions()]
    assert {"复制", "复制信用代码", "打开", "导出当前列表…"} <= set(texts)
    assert "移到回收站" not in texts  # the bulk action (undone as one batch) does that
    assert view.comforts.copy_credit_codes() == "\r\n".join(
        view.model.row(r)["credit_code"] for r in (0, 2))
    opened = []
    view.open_requested.connect(opened.append)
    next(a for a in menu.actions() if a.text() == "打开").trigger()
    assert opened == [view.model.ids[2]]
    # the hook for more actions (bulk actions): asked each time the menu opens
    view.comforts.add_actions(lambda: [])
    assert [a.text() for a in view.comforts.row_menu().actions()] == texts


def test_columns_remembered_across_a_new_main_window(qtbot, database, settings, firms):
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    table = window.roster.table
    header = table.horizontalHeader()
    window.roster.comforts.column_menu(7).actions()[7].trigger()  # hide 所属产业链
    header.moveSection(3, 0)  # 镇街 first
    header.resizeSection(0, 333)
    table.setProperty(USER_WIDTHS, True)  # as dragging it with the mouse does: kept
    table.sortByColumn(6, Qt.DescendingOrder)  # 有效期至
    window.roster.comforts.save_state()
    window.close()
    again = MainWindow(database, settings)
    qtbot.addWidget(again)
    table, header = again.roster.table, again.roster.table.horizontalHeader()
    assert table.isColumnHidden(7)
    assert header.logicalIndex(0) == 3
    assert header.sectionSize(0) == 333
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (6, Qt.DescendingOrder)
    assert again.roster.model.sort_column == 6
    # 恢复默认列
    again.roster.comforts.restore_default_columns()
    assert not table.isColumnHidden(7) and header.logicalIndex(0) == 0
    third = MainWindow(database, settings)
    qtbot.addWidget(third)
    assert not third.roster.table.isColumnHidden(7)


def test_record_tables_sort_blanks_last_and_by_pinyin(qtbot, database, settings, firms):
    view = MeasuresView(database, settings=settings)
    qtbot.addWidget(view)
    keys = [c.key for c in view.model.columns]
    paid = keys.index("paid_on")
    for order in (Qt.AscendingOrder, Qt.DescendingOrder):
        view.table.sortByColumn(paid, order)
        assert view.model.rows[-1]["paid_on"] is None
    view.table.sortByColumn(keys.index("name"), Qt.AscendingOrder)
    assert [r["name"] for r in view.model.rows] == ["常州的卢科技有限公司", "常州东方机械有限公司"]
    view.refresh()  # a refresh keeps the sort
    assert [r["name"] for r in view.model.rows] == ["常州的卢科技有限公司", "常州东方机械有限公司"]


def test_selection_count_and_amount_sum_in_the_status_bar(qtbot, database, settings, firms):
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    window.show_page(3)
    qtbot.waitUntil(lambda: window.measures.model.rowCount() == 2, timeout=10_000)  # runner
    select(window.measures.table, [0, 1])
    assert window.selection_label.text() == "已选 2 行 · 资金奖补合计 42.50 万元"
    assert "当前列表 2 项" in window.count_label.text()
    window.show_page(1)
    select(window.roster.table, [0, 1, 2])
    assert window.selection_label.text() == "已选 3 行 · 已兑现扶持合计 42.50 万元"
    assert "当前列表 3 家" in window.count_label.text()
    window.close()


def test_the_selection_sums_money_apart_from_loans_and_tax(qtbot, database, settings, firms):
    """A loan, a tax deduction or a service is not money paid: the status bar says the
    资金奖补 sum and the others apart (tiers.model.support_categories), as the page's totals
    do; it added them all up as 金额合计 (tester29b)."""
    with database.session() as session:
        for kind, amount in (("专精特新贷", "500"), ("研发费用加计扣除", "101"),
                             ("融资担保（省信保）", "100")):
            measures.add(session, firms[2], {"kind": kind, "name": kind, "amount": amount,
                                             "year": 2025, "status": "已兑现"})
        session.commit()
    window = MainWindow(database, settings)
    qtbot.addWidget(window)
    window.show()
    window.show_page(3)
    qtbot.waitUntil(lambda: window.measures.model.rowCount() == 5, timeout=10_000)
    select(window.measures.table, list(range(5)))
    assert window.selection_label.text() == (
        "已选 5 行 · 资金奖补合计 42.50 万元（另有融资额 600.00、税收优惠额 101.00 万元，不计入）")
    loans = [r for r, row in enumerate(window.measures.model.rows)
             if row["kind"] == "专精特新贷"]
    select(window.measures.table, loans)
    assert window.selection_label.text() == (
        "已选 1 行 · 资金奖补合计 0.00 万元（另有融资额 500.00 万元，不计入）")
    window.close()


def read_rows(path):
    sheet = openpyxl.load_workbook(path).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    return rows[1][0], rows


def test_export_current_list_equals_the_view(qtbot, database, settings, firms, tmp_path,
                                             runner):
    view = MeasuresView(database, settings=settings, runner=runner)
    qtbot.addWidget(view)
    view.search.setText("常州")
    with qtbot.waitSignal(view.loaded, timeout=10_000):  # read on the runner
        view.refresh()
    view.table.setColumnHidden(10, True)  # 政策依据
    view.table.sortByColumn(6, Qt.DescendingOrder)  # 金额
    task = view.comforts.export_current_list(str(tmp_path / "当前.xlsx"))
    with qtbot.waitSignal(task.finished, timeout=15_000):
        pass
    description, rows = read_rows(tmp_path / "当前.xlsx")
    assert "搜索：常州" in description
    # (a label whose ） would start a line in its column is printed with the bracketed part
    # on a new line, 金额\n（万元）: the same label)
    labels = [[v.replace("\n", "") if isinstance(v, str) else v for v in row] for row in rows]
    header = labels.index(["年度", "企业名称", "镇街", "措施类别", "项目名称", "金额（万元）",
                           "兑现日期", "实施单位", "状态"])
    # 县区 (2) is hidden on a county's own database, 政策依据 (10) by the officer
    shown = [[view.model.data(view.model.index(r, c)) or None for c in (0, 1, *range(3, 10))]
             for r in range(view.model.rowCount())]
    got = rows[header + 1:header + 1 + len(shown)]
    assert [row[:5] + row[6:] for row in got] == [row[:5] + row[6:] for row in shown]
    assert [row[5] for row in got] == [30, 12.5]


def test_export_roster_runs_on_the_runner(qtbot, database, settings, firms, tmp_path, runner):
    view = RosterView(database, settings, runner=runner)
    qtbot.addWidget(view)
    view.filters.select(town="湖塘镇")
    view.apply_filters()
    # (the filter's firms are read on the runner: the list the officer exports is shown)
    qtbot.waitUntil(lambda: runner.settled and not view.model.listing_pending, timeout=15_000)
    task = view.comforts.export_current_list(str(tmp_path / "企业库.xlsx"))
    with qtbot.waitSignal(task.finished, timeout=15_000):
        pass
    description, rows = read_rows(tmp_path / "企业库.xlsx")
    assert "镇街：湖塘镇" in description
    names = [row[0] for row in rows if row[0] and row[0].endswith("有限公司")]
    assert names == [view.model.row(r)["name"] for r in range(view.model.rowCount())] == [
        "常州东方机械有限公司"]


def test_column_filter_combines_with_the_page_filters(qtbot, database, settings, firms):
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.comforts.filter_column(0, "常州")
    assert view.model.rowCount() == 2
    view.search.setText("dfjx")  # 东方机械
    view.apply_filters()
    assert view.model.rowCount() == 1
    assert "企业名称含“常州”" in view.comforts.description()
    view.search.setText("")
    view.apply_filters()  # the search box keeps the column filter
    assert view.model.rowCount() == 2
    view.comforts.clear_column_filters()
    assert view.model.rowCount() == 3
    measures_view = MeasuresView(database, settings=settings)
    qtbot.addWidget(measures_view)
    measures_view.comforts.filter_column(5, "智改")  # 项目名称
    assert [r["name"] for r in measures_view.model.rows] == ["常州的卢科技有限公司"]


def test_the_selection_follows_its_rows_when_sorted(qtbot, database, settings, firms):
    view = MeasuresView(database, settings=settings)
    qtbot.addWidget(view)
    qtmodel = view.model
    view.table.sortByColumn(1, Qt.AscendingOrder)
    chosen = qtmodel.record(0)["name"]
    select(view.table, [0])
    view.table.sortByColumn(1, Qt.DescendingOrder)  # it moves to the last row
    rows = sorted({index.row() for index in view.table.selectionModel().selectedRows()})
    assert rows == [1] and [qtmodel.record(r)["name"] for r in rows] == [chosen]


def test_record_model_passes_the_model_tester(qtmodeltester, database, settings, firms):
    view = MeasuresView(database, settings=settings)
    view.model.sort(1, Qt.DescendingOrder)
    view.model.set_column_filter(1, "常州")
    qtmodeltester.check(view.model)


def _roster_shown(qtbot, database, settings, runner):
    """The client with 企业库 shown and its three firms listed: (window, table, comforts)."""
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    window.show_page(1)
    qtbot.waitUntil(lambda: window.roster.model.rowCount() == 3, timeout=10_000)
    return window, window.roster.table, window.roster.comforts


def test_a_large_selection_is_copied_and_summed_on_the_runner(qtbot, database, settings,
                                                               runner, firms, monkeypatch):
    """Ctrl+A on 100,000 firms: the copy, 复制信用代码 and the sums are read on the
    background runner (the window stays usable), with the same text and totals as a small
    selection gives at once; the status bar says what is going on."""
    from ui import large_selection, table_comforts, table_reading

    window, table, comforts = _roster_shown(qtbot, database, settings, runner)
    select(table, [0, 1, 2])
    small_text = comforts.copy()  # at once, on the GUI thread
    small_codes = comforts.copy_credit_codes()
    small_summary = window.selection_label.text()
    assert "已兑现扶持合计 42.50 万元" in small_summary

    monkeypatch.setattr(table_comforts, "ON_RUNNER", 2)
    monkeypatch.setattr(table_reading, "SUM_LIMIT", 2)
    QGuiApplication.clipboard().clear()
    select(table, [0])
    select(table, [0, 1, 2])
    assert window.selection_label.text() == "已选 3 行 · 合计计算中…"
    qtbot.waitUntil(lambda: window.selection_label.text() == small_summary, timeout=10_000)
    task = comforts.copy()
    assert isinstance(task, large_selection.Task)
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == small_text, timeout=10_000)
    qtbot.waitUntil(lambda: "已复制 3 行" in window.selection_label.text(), timeout=10_000)
    task = comforts.copy_credit_codes()
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == small_codes + "\r\n",
                    timeout=10_000)
    # a smaller selection again: summed at once, the pending large one forgotten
    select(table, [0])
    assert window.selection_label.text().startswith("已选 1 行")
    window.close()


def test_an_older_large_copy_never_replaces_a_newer_one(qtbot, database, settings, runner,
                                                        firms, monkeypatch):
    """Ctrl+C on a large selection (read on the runner), then at once Ctrl+C on one row:
    the clipboard keeps the one row when the large copy finishes (found by review: the
    officer would paste the wrong firms)."""
    from ui import table_comforts

    window, table, comforts = _roster_shown(qtbot, database, settings, runner)
    monkeypatch.setattr(table_comforts, "ON_RUNNER", 2)
    select(table, [0, 1, 2])
    task = comforts.copy()  # large: on the runner
    select(table, [0])
    small = comforts.copy()  # small: at once
    assert QGuiApplication.clipboard().text() == small
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.wait(200)  # the task's outcome reaches the GUI thread
    assert QGuiApplication.clipboard().text() == small
    assert "已复制 3 行" not in window.selection_label.text()
    window.close()
