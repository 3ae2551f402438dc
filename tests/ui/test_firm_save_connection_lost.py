"""企业档案's 保存 when the server's connection breaks: the officer is told whether the save
was written (before the commit: no; at the commit: cannot be known), that the edits are
still in the window, and that 保存 may be pressed again; pressing it then writes them. It
said only "未保存：与数据库服务器的连接中断了…请稍后重试" (at the commit, 未保存 was not
even known to be true).

A save that did get in at the commit is not written again by the next 保存 (its token is
stored with it): the new 梯度认定 and 扶持措施 were added a second time, a new firm created
twice. Until that 保存 the edit pages are held (greyed), so that what is sent again is what
may have got in."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import text

from tests.server_helpers import CommitCutter, admin
from tiers.queries import profiles
from tiers.storage.connection_faults import CONNECTION_LOST
from tiers.storage.database import open_database
from tiers.storage.faults import ConnectionLost
from ui.enterprise_dialog import EnterpriseDialog
from ui.enterprise_dialog import saving as saving_module
from ui.record_form_dialog import RecordFormDialog

PHONE = "0519-70707070"
ALREADY = "已保存：上一次保存在连接中断前其实已经写入，这次没有再写入"
real_save_profile = saving_module.save_profile


def _add_records(dialog, monkeypatch) -> None:
    """A new 梯度认定 and a new 扶持措施, as typed into their forms."""
    forms = iter([
        {"tier_code": "innovative", "batch_label": "2025年度", "batch_year": "2025",
         "document_number": "常工信〔2025〕9号"},
        {"kind": "资金奖励", "amount": "30", "year": "2025", "name": "技改补助"},
    ])
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: next(forms)))
    dialog.recognition_tab.add_button.click()
    dialog.measure_tab.add_button.click()


def _records(database, firm_id) -> tuple[int, int]:
    with database.session() as check:
        profile = profiles.profile(check, firm_id)
    return len(profile["recognitions"]), len(profile["support_measures"])


def _held(dialog) -> bool:
    """The edit pages greyed (对标预审 and 变更记录 still readable)."""
    pages = (dialog.basic_form, *dialog.record_tabs())
    assert dialog.history_view.isEnabled() and dialog.assessment_tab.isEnabled()
    held = [not page.isEnabled() for page in pages]
    assert len(set(held)) == 1, held
    return held[0]


class CommitsThenLoses:
    """The window's database, whose save commits and then loses the answer."""

    def __init__(self, real) -> None:
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)

    @contextmanager
    def session(self):
        with self.real.session() as session:
            yield session
        raise ConnectionLost(CONNECTION_LOST, at_commit=True)


def _open(qtbot, database, settings, runner, enterprise_factory, session) -> EnterpriseDialog:
    firm = enterprise_factory("常州断线保存有限公司", contact_phone="0519-11111111")
    session.commit()
    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_field("contact_phone", PHONE)
    return dialog


def _phone(database, firm_id) -> str:
    with database.session() as check:
        return profiles.profile(check, firm_id)["contact_phone"]


def _save(qtbot, dialog) -> bool:
    with qtbot.waitSignal(dialog.save_finished, timeout=20_000) as finished:
        dialog.save()
    return finished.args[0]


def _kept_and_saved_again(qtbot, dialog, database, monkeypatch) -> None:
    assert dialog.isVisible() and dialog.has_unsaved_changes()
    assert dialog.basic_values()["contact_phone"] == PHONE
    monkeypatch.setattr(saving_module, "save_profile", real_save_profile)
    assert _save(qtbot, dialog) is True  # 保存 again, the server back
    assert _phone(database, dialog.enterprise_id) == PHONE
    assert not dialog.has_unsaved_changes() and dialog.message.text() == ""


def test_lost_before_the_commit_says_nothing_was_written(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    dialog = _open(qtbot, database, settings, runner, enterprise_factory, session)

    def breaking(session, *args, **kwargs):
        raise ConnectionLost(CONNECTION_LOST, at_commit=False)

    monkeypatch.setattr(saving_module, "save_profile", breaking)
    assert _save(qtbot, dialog) is False
    said = dialog.message.text()
    assert said.startswith("未保存：" + CONNECTION_LOST), said
    assert "没有写入任何修改" in said and "修改仍保留在窗口中" in said and "再按“保存”" in said, said
    assert _phone(database, dialog.enterprise_id) == "0519-11111111"
    _kept_and_saved_again(qtbot, dialog, database, monkeypatch)


def test_lost_at_the_commit_says_it_cannot_be_known(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    """Here the save did take before the answer was lost: 保存 again writes nothing twice
    (not the phone, nor the new 梯度认定 and 扶持措施) and says the first one got in."""
    dialog = _open(qtbot, database, settings, runner, enterprise_factory, session)
    _add_records(dialog, monkeypatch)
    real = dialog.database
    dialog.database = CommitsThenLoses(real)
    assert _save(qtbot, dialog) is False
    dialog.database = real
    said = dialog.message.text()
    assert said.startswith("不确定是否已保存：" + CONNECTION_LOST), said
    assert "无法确定这次保存是否已写入" in said and "修改仍保留在窗口中" in said, said
    assert "再按“保存”" in said and "已写入的不会再写一次" in said and "未保存" not in said, said
    assert _phone(database, dialog.enterprise_id) == PHONE  # it did take
    assert _records(database, dialog.enterprise_id) == (1, 1)
    assert _held(dialog) and dialog.has_unsaved_changes()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Apply).isEnabled()
    assert _save(qtbot, dialog) is True  # 保存 again, the server back
    assert dialog.message.text().startswith(ALREADY), dialog.message.text()
    assert _records(database, dialog.enterprise_id) == (1, 1)  # not added twice
    assert not dialog.has_unsaved_changes() and not _held(dialog)
    assert dialog.recognition_tab.model.rowCount() == 1  # the stored ones, shown
    with database.session() as check:
        changes = check.execute(text(
            "SELECT count(*) FROM change WHERE enterprise_id = :id "
            "AND field = 'contact_phone'"), {"id": dialog.enterprise_id}).scalar()
    assert changes == 1  # written once, not again
    # the next edits are another save: written
    dialog.set_field("contact_phone", "0519-80808080")
    assert _save(qtbot, dialog) is True and dialog.message.text() == ""
    assert _phone(database, dialog.enterprise_id) == "0519-80808080"


def test_lost_at_the_commit_and_not_written_is_written_by_the_next_save(
        qtbot, database, settings, runner, enterprise_factory, session, monkeypatch):
    dialog = _open(qtbot, database, settings, runner, enterprise_factory, session)
    _add_records(dialog, monkeypatch)

    def breaking(session, *args, **kwargs):
        raise ConnectionLost(CONNECTION_LOST, at_commit=True)

    monkeypatch.setattr(saving_module, "save_profile", breaking)
    assert _save(qtbot, dialog) is False
    assert dialog.message.text().startswith("不确定是否已保存：")
    assert _held(dialog)
    # 保存 again lost before its commit: still not known whether the first got in
    monkeypatch.setattr(saving_module, "save_profile", lambda *a, **k: (_ for _ in ()).throw(
        ConnectionLost(CONNECTION_LOST, at_commit=False)))
    assert _save(qtbot, dialog) is False
    assert dialog.message.text().startswith("不确定是否已保存：") and _held(dialog)
    monkeypatch.setattr(saving_module, "save_profile", real_save_profile)
    assert _save(qtbot, dialog) is True and dialog.message.text() == ""
    assert _phone(database, dialog.enterprise_id) == PHONE
    assert _records(database, dialog.enterprise_id) == (1, 1)
    assert not _held(dialog)


def test_a_new_firm_lost_at_the_commit_is_looked_up_before_saving_again(
        qtbot, firm_window, database, settings, runner, monkeypatch, code):
    dialog = firm_window(None)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.set_field("name", "常州断线新建有限公司")
    dialog.set_field("credit_code", code(77))
    assert not dialog.basic_errors()
    _add_records(dialog, monkeypatch)
    real = dialog.database
    dialog.database = CommitsThenLoses(real)
    assert _save(qtbot, dialog) is False
    dialog.database = real
    said = dialog.message.text()
    assert "无法确定这家新企业是否已写入" in said and "已写入的不会再写一次" in said, said
    assert dialog.enterprise_id is None and _held(dialog)
    assert _save(qtbot, dialog) is True
    assert dialog.message.text().startswith(ALREADY), dialog.message.text()
    with database.session() as check:
        firms = check.execute(text("SELECT id FROM enterprise")).scalars().all()
    assert firms == [dialog.enterprise_id]  # created once
    assert _records(database, dialog.enterprise_id) == (1, 1)
    assert dialog.windowTitle().startswith("常州断线新建有限公司")
    assert dialog.export_button is not None  # a saved firm's window


@pytest.mark.server_only
def test_the_server_dropping_the_save_on_the_way(qtbot, database, db_target, settings, runner,
                                                 enterprise_factory, session, monkeypatch):
    """The real thing: the save's own connection is ended by the server while it writes."""
    dialog = _open(qtbot, database, settings, runner, enterprise_factory, session)

    def breaking(session, *args, **kwargs):
        saved = real_save_profile(session, *args, **kwargs)
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        with admin(db_target) as connection:
            connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return saved

    monkeypatch.setattr(saving_module, "save_profile", breaking)
    assert _save(qtbot, dialog) is False
    said = dialog.message.text()
    assert said.startswith("未保存：" + CONNECTION_LOST) and "没有写入任何修改" in said, said
    assert _phone(database, dialog.enterprise_id) == "0519-11111111"
    _kept_and_saved_again(qtbot, dialog, database, monkeypatch)


@pytest.mark.server_only
def test_the_connection_cut_as_the_server_commits(qtbot, database, db_target, settings, runner,
                                                  enterprise_factory, session, monkeypatch):
    """The real thing at the commit: the COMMIT reaches the server and its answer never comes
    back (the line cut by a relay). 保存 again, the line back, writes nothing twice."""
    dialog = _open(qtbot, database, settings, runner, enterprise_factory, session)
    _add_records(dialog, monkeypatch)
    cutter = CommitCutter(db_target)
    cut_line = open_database(cutter.url)
    try:
        real = dialog.database
        dialog.database = cut_line
        cutter.armed.set()
        assert _save(qtbot, dialog) is False
        assert cutter.cut.is_set()
        dialog.database = real
        said = dialog.message.text()
        assert said.startswith("不确定是否已保存：") and "无法确定这次保存是否已写入" in said, said
        assert _phone(database, dialog.enterprise_id) == PHONE  # the server did commit it
        assert _records(database, dialog.enterprise_id) == (1, 1)
        assert _held(dialog)
        assert _save(qtbot, dialog) is True
        assert dialog.message.text().startswith(ALREADY), dialog.message.text()
        assert _records(database, dialog.enterprise_id) == (1, 1)
    finally:
        cut_line.dispose()
        cutter.close()
