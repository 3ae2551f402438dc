"""candidate_widths.narrowed, shared by 候选企业 and 培育名单: a hidden column (县区 on a
county's own database) takes no room, so the long texts do not give way for it."""

from __future__ import annotations

from ui.candidate_widths import narrowed
from ui.record_table_model import RecordColumn, record_table
from ui.status_table_model import StatusTableModel


def test_a_hidden_column_takes_no_room(qtbot):
    model = StatusTableModel([RecordColumn("name", "企业名称"), RecordColumn("county", "县区"),
                              RecordColumn("gaps", "差距"), RecordColumn("manual", "核实")])
    table = record_table(model)
    qtbot.addWidget(table)
    table.resize(700, 300)
    table.show()
    qtbot.waitExposed(table)
    room = table.viewport().width() - table.verticalScrollBar().sizeHint().width()
    widths = [200, 150, room - 200 - 160, 160]  # all fit, with 县区 hidden
    table.setColumnHidden(1, True)
    assert narrowed(table, model, widths, narrowest={"gaps": 50}, last_width=160) == widths
    table.setColumnHidden(1, False)  # shown, it takes its room: 差距 gives way
    given = narrowed(table, model, widths, narrowest={"gaps": 50}, last_width=160)
    assert given[2] < widths[2] and given[:2] == widths[:2]
