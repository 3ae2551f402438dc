"""企业档案's 保存 when the server's connection breaks: the officer is told whether the save
was written (before the commit: no; at the commit: cannot be known), that the edits are
still in the window, and that 保存 may be pressed again; pressing it then writes them. It
said only "未保存：与数据库服务器的连接中断了…请稍后重试" (at the commit, 未保存 was not
even known to be true)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import text

from tests.server_helpers import admin
from tiers.queries import profiles
from tiers.storage.connection_faults import CONNECTION_LOST
from tiers.storage.faults import ConnectionLost
from ui.enterprise_dialog import EnterpriseDialog
from ui.enterprise_dialog import saving as saving_module

PHONE = "0519-70707070"
real_save_profile = saving_module.save_profile


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
    (the phone is the same) and ends saved."""
    dialog = _open(qtbot, database, settings, runner, enterprise_factory, session)
    real = dialog.database

    class CommitsThenLoses:
        def __getattr__(self, name):
            return getattr(real, name)

        @contextmanager
        def session(self):
            with real.session() as session:
                yield session
            raise ConnectionLost(CONNECTION_LOST, at_commit=True)

    dialog.database = CommitsThenLoses()
    assert _save(qtbot, dialog) is False
    dialog.database = real
    said = dialog.message.text()
    assert said.startswith("不确定是否已保存：" + CONNECTION_LOST), said
    assert "无法确定这次保存是否已写入" in said and "修改仍保留在窗口中" in said, said
    assert "再按“保存”" in said and "未保存" not in said, said
    assert _phone(database, dialog.enterprise_id) == PHONE  # it did take
    _kept_and_saved_again(qtbot, dialog, database, monkeypatch)
    with database.session() as check:
        changes = check.execute(text(
            "SELECT count(*) FROM change WHERE enterprise_id = :id "
            "AND field = 'contact_phone'"), {"id": dialog.enterprise_id}).scalar()
    assert changes == 1  # written once, not again


def test_a_new_firm_lost_at_the_commit_is_looked_up_before_saving_again(
        qtbot, database, settings, runner, monkeypatch, code):
    dialog = EnterpriseDialog(database, settings, None, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)

    def breaking(session, *args, **kwargs):
        raise ConnectionLost(CONNECTION_LOST, at_commit=True)

    dialog.set_field("name", "常州断线新建有限公司")
    dialog.set_field("credit_code", code(77))
    assert not dialog.basic_errors()
    monkeypatch.setattr(saving_module, "save_profile", breaking)
    assert _save(qtbot, dialog) is False
    said = dialog.message.text()
    assert "无法确定这家新企业是否已写入" in said and "先在企业库中查找这家企业" in said, said


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
