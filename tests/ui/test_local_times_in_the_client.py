"""The client shows stored moments (naive UTC) in the machine's local time: 导入记录's
导入时间 and 状态 (已撤销 time), a firm's 变更记录 (时间, and a 删除时间 as a changed
value), the 回收站's 移入时间. Shown as stored, they read 8 hours early in Beijing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from importers.undo import undo_batch
from tests.zones import (
    beijing,  # noqa: F401 (fixture)
    binned_firm,
    in_beijing,
)
from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.progress import drain
from tiers.services import demo, enterprises
from ui.imports_view import ImportsView
from ui.roster_cells import display


def test_imports_window_says_local_times(beijing, qtbot, database, settings, runner):  # noqa: F811
    with database.session() as session:
        list(demo.generate(session, enterprises=5))
    with database.session() as session:
        drain(undo_batch(session, 1, user="张三"))
    with database.session() as session:
        created, undone = session.execute(
            select(ImportBatch.created_at, ImportBatch.undone_at)).one()
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None and view.model.rowCount() == 1,
                    timeout=10_000)
    headers = [view.model.headerData(c, Qt.Horizontal) for c in range(view.model.columnCount())]
    row = {header: view.model.index(0, c).data() for c, header in enumerate(headers)}
    assert row["导入时间"] == in_beijing(created)
    assert row["状态"] == "已撤销"  # when and who in its tooltip
    column = headers.index("状态")
    assert view.model.index(0, column).data(Qt.ToolTipRole) == f"已撤销 {in_beijing(undone)}（张三）"
    view.select_batch(1)
    assert view.undo_button.toolTip() == f"这次导入已于 {in_beijing(undone)} 撤销"


def test_history_and_bin_say_local_times(
        beijing, qtbot, firm_window, database, settings, runner, code):  # noqa: F811
    firm = binned_firm(database, code(1), "常州时区有限公司")
    with database.session() as session:
        binned_at, created_at = session.execute(select(Enterprise.deleted_at, Enterprise.created_at)
                                                .where(Enterprise.id == firm)).one()
        assert display(binned_at) == in_beijing(binned_at)  # the 回收站's 移入时间 cell
        enterprises.restore(session, firm, user="liyang02")
    with database.session() as session:
        moments = session.scalars(select(Change.at).where(Change.enterprise_id == firm)
                                  .order_by(Change.id.desc())).all()
    dialog = firm_window(firm)
    model = dialog.history_model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]
    assert [row[0] for row in rows] == [in_beijing(at) for at in moments]  # newest first
    created = rows[-1]  # the whole record as created: its 创建时间 a moment too
    assert created[2] == "新增" and f"创建时间：{in_beijing(created_at)}；" in created[7], created
