"""A table whose widths the program fits to its rows fits them to the rows it shows now, not
to the rows of the last firm opened: the header state remembered between windows (order,
hidden columns, sort) brought back the fitted widths of the previous firm too, and the
变更记录 of a firm with a 扶持措施 change showed its 对象 as “扶持…”. Widths the user dragged
are kept as before."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tiers.services import enterprises, measures
from ui.enterprise_dialog import EnterpriseDialog
from ui.table_comforts import USER_WIDTHS

OBJECT = 3  # the 对象 column of 变更记录


def open_history(qtbot, database, settings, runner, firm_id) -> EnterpriseDialog:
    dialog = EnterpriseDialog(database, settings, firm_id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 700)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.history_view)
    return dialog


def object_cut_off(dialog: EnterpriseDialog) -> list[str]:
    view = dialog.history_view
    model = view.model()
    metrics = view.fontMetrics()
    width = view.columnWidth(OBJECT)  # (Qt fits a cell with 3 px either side)
    return [text for row in range(model.rowCount())
            if metrics.horizontalAdvance(text := model.index(row, OBJECT).data()) + 6 > width]


def test_the_history_of_the_next_firm_is_fitted_to_its_own_rows(
        qtbot, database, settings, runner, enterprise_factory, session):
    plain = enterprise_factory("常州只改名称有限公司")
    enterprises.update(session, plain.id, {"main_product": "阀门"})
    helped = enterprise_factory("常州有扶持措施有限公司")
    measures.add(session, helped.id, {"kind": "智改数转诊断服务", "name": "技改项目",
                                      "amount": "30.00", "year": 2024})
    session.commit()
    first = open_history(qtbot, database, settings, runner, plain.id)
    assert object_cut_off(first) == []
    first.history_view.comforts.save_state()  # as closing the window does
    first.close()
    second = open_history(qtbot, database, settings, runner, helped.id)
    assert "扶持措施" in [second.history_model.index(r, OBJECT).data()
                          for r in range(second.history_model.rowCount())]
    assert object_cut_off(second) == []


def test_widths_the_user_dragged_are_kept(qtbot, database, settings, runner,
                                          enterprise_factory, session):
    firm = enterprise_factory("常州拖过列宽有限公司")
    enterprises.update(session, firm.id, {"main_product": "阀门"})
    session.commit()
    first = open_history(qtbot, database, settings, runner, firm.id)
    first.history_view.setColumnWidth(OBJECT, 200)
    first.history_view.setProperty(USER_WIDTHS, True)  # (a drag with the mouse sets it)
    first.history_view.comforts.save_state()
    first.close()
    second = open_history(qtbot, database, settings, runner, firm.id)
    assert second.history_view.columnWidth(OBJECT) == 200
    assert second.history_view.horizontalHeader().sortIndicatorOrder() in (
        Qt.AscendingOrder, Qt.DescendingOrder)
