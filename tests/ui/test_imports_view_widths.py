"""导入记录 at 1366 × 768: a newer package's 结果 (新增、更新、删除、无变化 with the firms of
each) is read whole, the room to spare going to it rather than to the last column, 状态,
whose 有效 needs little."""

from __future__ import annotations

import datetime as dt
import json

from tiers.model.orm import ImportBatch
from ui.imports_view import RESULT
from ui.main_window import MainWindow

TABLES = ("enterprises", "former_names", "recognitions", "chain_roles", "support_measures",
          "annual_figures", "cultivation_entries")


def _counts(**by_key: dict[str, int]) -> str:
    return json.dumps({key: {table: by_key.get(key, {}).get(table, 0) for table in TABLES}
                       for key in ("created", "updated", "deleted", "unchanged")}
                      | {"conflicts": 0})


def _imports_at_1366(qtbot, database, settings, runner, *, rows: int):
    """The main window at 1366×768 (its task bar aside) on 导入记录, its ``rows`` batches
    read and laid out: (the window, the table)."""
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    window.show_page(window.pages.index(window.imports))
    table = window.imports.table
    qtbot.waitUntil(lambda: table.model().rowCount() == rows, timeout=10_000)
    qtbot.wait(50)  # the layout settles
    return window, table


def test_a_newer_packages_result_is_read_whole_at_1366(qtbot, database, settings, runner):
    with database.session() as session:  # as a newer package of 武进区 records itself
        session.add(ImportBatch(
            file_name="武进区数据包-20261205.zip", sha256="0" * 64, kind="package",
            user="李科员", counts=_counts(
                created={"former_names": 1}, updated={"enterprises": 1},
                deleted={"recognitions": 4},
                unchanged={"enterprises": 214, "recognitions": 269, "chain_roles": 91,
                           "support_measures": 87, "annual_figures": 645,
                           "cultivation_entries": 25}),
            undone_at=dt.datetime(2026, 12, 5, 22, 3), undone_by="李科员"))
        session.commit()
    window, table = _imports_at_1366(qtbot, database, settings, runner, rows=1)
    text = table.model().index(0, RESULT).data()
    assert "删除 4" in text and "无变化" in text, text
    needed = table.fontMetrics().horizontalAdvance(text) + 6  # the cell's own margins
    assert table.columnWidth(RESULT) >= needed, (table.columnWidth(RESULT), needed, text)
    last = table.model().columnCount() - 1  # 状态: 已撤销, whole, and no more
    state = table.model().index(0, last).data()
    assert state == "已撤销"
    assert table.fontMetrics().horizontalAdvance(state) + 6 <= table.columnWidth(last) \
        < table.columnWidth(RESULT)
    assert table.horizontalScrollBar().maximum() == 0  # all in view, nothing off the edge
    window.close()


def test_the_state_names_who_undid_only_when_another_than_the_importer(database):
    """状态's tooltip says who undid a batch when it was not the 操作人 beside it (else said
    twice); the cell says 已撤销."""
    from ui.imports_view import _state, _state_detail

    row = {"undone_at": dt.datetime(2026, 12, 5, 22, 3), "user": "李科员"}
    assert _state_detail({**row, "undone_by": "李科员"}) == "已撤销 2026-12-05 22:03"
    assert _state_detail({**row, "undone_by": "王科长"}) == "已撤销 2026-12-05 22:03（王科长）"
    assert _state({**row, "undone_by": "王科长"}) == "已撤销"
    assert _state({"undone_at": None, "user": "李科员"}) == "有效"


def test_a_package_undone_by_another_fits_at_1366_and_says_who_in_the_tooltip(
        qtbot, database, settings, runner):
    """The tester's 导入记录 at 1366×768: a 数据包 with its 报送单位, undone by zhaoke (not the
    操作人 市局赵科): 状态 “已撤销 2026-12-07 05:30（zhaoke）” needed a sideways scroll
    (tester26). It says 已撤销; when and who in its tooltip; nothing off the edge."""
    from PySide6.QtCore import Qt

    from tiers.model.orm import ExchangePackage

    with database.session() as session:
        for number in range(1, 12):
            batch = ImportBatch(
                file_name=f"溧阳市数据包-{number}.zip", sha256="0" * 64, kind="package",
                user="市局赵科", counts=_counts(
                    updated={"enterprises": 1}, deleted={"recognitions": 1},
                    unchanged={"enterprises": 89, "recognitions": 72, "support_measures": 15,
                               "annual_figures": 153}),
                undone_at=dt.datetime(2026, 12, 7, 5, 30) if number == 5 else None,
                undone_by="zhaoke" if number == 5 else "")
            session.add(batch)
            session.flush()
            session.add(ExchangePackage(
                import_batch_id=batch.id, file_name=batch.file_name, sha256="0" * 64,
                source_unit="常州市金坛区工业和信息化局", package_date=dt.datetime(2026, 12, 7),
                tiers_version="1", counts="{}"))
        session.commit()
    window, table = _imports_at_1366(qtbot, database, settings, runner, rows=11)
    last = table.model().columnCount() - 1
    undone = next(row for row in range(11)
                  if table.model().index(row, last).data() != "有效")
    cell = table.model().index(undone, last)
    assert cell.data() == "已撤销"
    assert cell.data(Qt.ToolTipRole) == "已撤销 2026-12-07 05:30（zhaoke）"
    # 状态 takes no more than its 已撤销 (its 222 pixels here left 结果 “…”, and at the
    # tester's fonts pushed the table past the edge); nothing off the edge
    needed = table.fontMetrics().horizontalAdvance("已撤销") + 6
    assert needed <= table.columnWidth(last) < 2 * needed, table.columnWidth(last)
    assert table.horizontalScrollBar().maximum() == 0
    window.close()
