"""导入记录: undoing a batch tells the officer what was removed and what was kept, asks
by the batch's number, and a batch undone meanwhile is a message, not a traceback."""

from __future__ import annotations

import logging

from tests.importers.helpers import import_file, write_xlsx
from tests.ui.wizard_helpers import (
    recognition_rows,
    roster_rows,
)
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from ui.imports_view import ImportsView
from ui.main_window import MainWindow


def test_undo_on_imports_page_reports_what_it_removed_and_kept(
        qtbot, database, settings, runner, tmp_path, code, messages, monkeypatch, questions):
    path = write_xlsx(tmp_path / "小巨人名单.xlsx", {"名单": recognition_rows(code)})
    _plan, batch_id = import_file(database, path, kind="recognitions")
    with database.session() as session:  # the officer corrects one firm after the import
        firm = enterprises.by_code(session, code(801))
        enterprises.update(session, firm.id, {"contact_person": "张三"})
        session.commit()
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.counting is None and window.overview is not None, timeout=10_000)
    assert "企业 3 家 · 当前列表 3 家" in window.count_label.text()
    window.show_page(5)
    qtbot.waitUntil(lambda: window.imports.reading.task is None, timeout=10_000)  # on the runner
    window.imports.select_batch(batch_id)
    window.imports.undo_selected()
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _text in messages), timeout=15_000)
    # the list read again after the undo: the batch shows 已撤销, not offered again
    qtbot.waitUntil(lambda: not window.imports.undoing and window.imports.reading.task is None
                    and window.imports.selected()["undone_at"] is not None, timeout=15_000)
    assert not window.imports.undo_button.isEnabled()
    assert "已于" in window.imports.undo_button.toolTip()
    # 3: the batch's number, named as the 编号 column names it, with the file, and before
    # asking, what it will remove, put back and keep
    assert questions and f"撤销导入批次 {batch_id}（小巨人名单.xlsx）" in questions[0]
    assert "将删除 认定 3 项、企业 2 家" in questions[0] and "1 处予以保留" in questions[0], questions[0]
    assert "第" not in questions[0]
    # 2: the same summary as the wizard's, shown to the officer
    summaries = [text for kind, text in messages if kind == "info"]
    assert len(summaries) == 1, messages
    summary = summaries[0]
    assert summary.startswith(f"已撤销导入批次 {batch_id}：删除 ")
    assert "企业 2 家" in summary
    assert "以下内容导入后被修改过，保留未动：" in summary
    assert "常州认定1号科技有限公司" in summary
    # and the status bar counts the firm that stayed; 当前列表 is the list in view (the
    # one import), and the roster's once the roster is shown
    qtbot.waitUntil(lambda: window.counting is None and window.overview is not None, timeout=10_000)
    assert "企业 1 家 · 当前列表 1 次" in window.count_label.text(), window.count_label.text()
    assert window.imports.model.record(0)["undone_at"] is not None
    window.show_page(1)
    assert window.roster.model.rowCount() == 1
    assert "企业 1 家 · 当前列表 1 家" in window.count_label.text(), window.count_label.text()
    window.close()


def test_undo_of_a_batch_undone_meanwhile_is_a_message_not_a_traceback(
        qtbot, database, settings, runner, tmp_path, code, messages, caplog):
    path = write_xlsx(tmp_path / "名录.xlsx", {"武进区": roster_rows(code)})
    _plan, batch_id = import_file(database, path)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    view.select_batch(batch_id)
    from tests.importers.helpers import undo

    undo(database, batch_id)  # from the CLI, while the page still shows it 有效
    with caplog.at_level(logging.INFO):
        task = view.undo_selected()
        with qtbot.waitSignal(task.finished, timeout=15_000):
            pass
    assert [kind for kind, _text in messages] == ["error"]
    assert "已于" in messages[0][1] and "撤销过" in messages[0][1]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_batch_opens_to_the_firms_it_touched(qtbot, database, settings, runner, tmp_path,
                                               code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"武进区": roster_rows(code)})
    _plan, first = import_file(database, path)
    with database.session() as session:
        names = sorted(f.name for f in session.query(Enterprise))
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    view.select_batch(first)
    dialog = view.show_firms()
    with qtbot.waitSignal(dialog.task.finished, timeout=15_000):
        pass
    rows = dialog.model.rows
    assert sorted(row["name"] for row in rows) == names
    assert {row["what"] for row in rows} == {"新建"}
    assert f"新建 {len(names)} 家" in dialog.summary.text()
    opened = []
    view.open_requested.connect(opened.append)
    dialog.open_row(0)
    assert opened == [rows[0]["enterprise_id"]]
    dialog.close()


def test_a_package_names_its_sender_and_the_columns_fill_the_width_after_a_click(
        qtbot, database, settings, runner, tmp_path, new_target, monkeypatch):
    """导入记录 at 1366 and 1920: 结果 and 状态 cut beside a blank half of the table. The
    page was refreshed while the mouse button that chose it was still down, and the
    widths the program fitted were kept as the officer's own. And a 数据包's sender was
    said only by its file's name."""
    import datetime as dt
    from types import SimpleNamespace

    from PySide6.QtCore import Qt

    from tests.tiers.exchange_helpers import WUJIN, county_database, imported, sent
    from ui.table_comforts import widths_chosen

    county = county_database(new_target("county.sqlite3"), enterprises=20)
    try:
        imported(database, sent(county, tmp_path / "a.zip", WUJIN, dt.datetime(2026, 12, 1)))
    finally:
        county.dispose()
    view = ImportsView(database, settings, runner, load=False)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    monkeypatch.setattr("ui.table_comforts.QGuiApplication",
                        SimpleNamespace(mouseButtons=lambda: Qt.LeftButton))
    view.refresh()  # (the page list's click: the button still down)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    assert not widths_chosen(view.table)
    model = view.model
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    sender = headers.index("报送单位")
    assert model.data(model.index(0, sender)) == "武进区"
    header = view.table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(header.count()))
    assert used >= view.table.viewport().width() - 2  # no blank band: 结果 took the room


def test_a_batch_undone_already_is_not_offered_for_undo(qtbot, database, settings, runner,
                                                         tmp_path, code):
    """撤销这次导入 greyed, saying why, on a batch undone already (a click did nothing) and
    while no batch is selected; offered on a batch in force."""
    from tests.importers.helpers import undo

    _plan, kept = import_file(database, write_xlsx(tmp_path / "名录.xlsx",
                                                   {"武进区": roster_rows(code)}))
    _plan, gone = import_file(database, write_xlsx(tmp_path / "小巨人.xlsx",
                                                   {"名单": recognition_rows(code)}),
                              kind="recognitions")
    undo(database, gone)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    assert view.selected() is None
    assert not view.undo_button.isEnabled() and view.undo_button.toolTip() == "请先选中一次导入"
    view.select_batch(gone)
    assert not view.undo_button.isEnabled()
    assert view.undo_button.toolTip().startswith("这次导入已于 ")
    view.select_batch(kept)
    assert view.undo_button.isEnabled() and view.undo_button.toolTip() == ""
