"""产业链 → 加入企业 asks the database nothing on the GUI thread: the form's title named the
firm by reading it again (roster_rows in a session on the GUI thread, a stall on a busy or
distant database); the picker knows the firm it picked and gives its name with its id."""

from __future__ import annotations

import threading

from sqlalchemy import event

from tiers.queries.chains import chain_members
from ui.chains_view import ChainsView
from ui.enterprise_picker_dialog import EnterprisePickerDialog, PickedFirm
from ui.record_form_dialog import RecordFormDialog


def test_assign_reads_nothing_on_the_gui_thread(qtbot, database, settings, runner,
                                                enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州加入链有限公司")
    session.commit()
    view = ChainsView(database, settings, runner=runner)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.select_chain("C14")
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    monkeypatch.setattr(EnterprisePickerDialog, "pick_firm", classmethod(
        lambda cls, *a, **k: PickedFirm(firm.id, "常州加入链有限公司")))
    monkeypatch.setattr(EnterprisePickerDialog, "pick", classmethod(  # (as it was asked)
        lambda cls, *a, **k: firm.id))
    titles = []

    def answer(cls, parent, title, fields, values, *args):
        titles.append(title)
        return {**values, "role": "配套企业", "note": ""}

    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(answer))
    seen: list[str] = []

    def note(_connection, _cursor, statement, *_args) -> None:
        if threading.current_thread() is threading.main_thread():
            seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        with qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
            view.assign()
            assert seen == [], seen  # the pick, the form and the write handed to the runner
    finally:
        event.remove(database.engine, "before_cursor_execute", note)
    assert titles == ["产业链角色 — 常州加入链有限公司"]
    assert finished.args == [True]
    with database.session() as check:
        assert [m["name"] for m in chain_members(check, "C14")] == ["常州加入链有限公司"]


def test_the_picker_gives_the_name_it_showed(qtbot, database, enterprise_factory, session):
    firm = enterprise_factory("常州选中企业有限公司")
    enterprise_factory("常州另一家有限公司")
    session.commit()
    dialog = EnterprisePickerDialog(database)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(dialog.model.row_of(firm.id))
    assert dialog.picked() == PickedFirm(firm.id, "常州选中企业有限公司")
