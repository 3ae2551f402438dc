"""A firm a colleague moved to the 回收站 while the officer edited it: 保存 said only
“未保存：找不到企业（编号 3）” (tester25, problem 4). It says who moved it and when, that
the edits are still in the window and how to get it back; restored, the same edits save.
A firm deleted for good says so, in words of its own."""

from __future__ import annotations

from sqlalchemy import select

from tiers.model.orm import Enterprise
from tiers.services import bulk, enterprises
from tiers.services.profile import FirmBinned, FirmPurged, load, save_profile

NAME = "溧阳市金峰电缆有限公司"


def _firm(database, code) -> int:
    with database.session() as session:
        return enterprises.create(session, {"credit_code": code(1), "name": NAME,
                                            "county": "溧阳市", "address": "昆仑街道"}).id


def test_the_service_names_who_moved_it_and_when(database, code):
    firm = _firm(database, code)
    with database.session() as session:
        base = load(session, firm)
        enterprises.soft_delete(session, firm, user="liyang02")
    with database.session() as session:
        try:
            save_profile(session, firm, {"address": "丰登路8号"}, base=base, user="liyang01")
        except FirmBinned as refused:
            moved = refused
        at = session.scalar(select(Enterprise.deleted_at).where(Enterprise.id == firm))
    assert moved.binned.user == "liyang02"
    assert str(moved) == (f"“{NAME}”已由 liyang02 于 {at:%Y-%m-%d %H:%M} 移入回收站，"
                          "这次没有保存")
    assert "编号" not in str(moved)
    with database.session() as session:  # nothing written
        assert enterprises.get(session, firm, include_deleted=True).address == "昆仑街道"


def test_a_bulk_action_is_named_with_its_batch(database, code):
    firm = _firm(database, code)
    with database.session() as session:
        base = load(session, firm)
        batch = bulk.apply(session, "trash", [firm], {}, user="liyang02").batch_id
    with database.session() as session:
        try:
            save_profile(session, firm, {"address": "丰登路8号"}, base=base)
        except FirmBinned as refused:
            moved = refused
    assert f"已由 liyang02（批量操作 {batch}）于 " in str(moved)


def test_a_firm_deleted_for_good_has_its_own_words(database, code):
    firm = _firm(database, code)
    with database.session() as session:
        base = load(session, firm)
        enterprises.soft_delete(session, firm, user="liyang02")
        enterprises.purge(session, firm, user="lyadmin")
    with database.session() as session:
        try:
            save_profile(session, firm, {"address": "丰登路8号"}, base=base)
        except FirmPurged as refused:
            gone = refused
    assert str(gone).startswith(f"“{NAME}”已由 lyadmin 于 ")
    assert "彻底删除（不在回收站中，无法恢复）" in str(gone)
    assert "回收站" in str(gone) and "编号" not in str(gone)


def test_the_window_says_it_keeps_the_edits_and_saves_them_once_restored(
        qtbot, firm_window, database, settings, runner, code, save_and_wait):
    firm = _firm(database, code)
    window = firm_window(firm)
    window.set_field("address", "昆仑街道丰登路8号")
    with database.session() as session:  # the colleague's 删除
        enterprises.soft_delete(session, firm, user="liyang02")
    notices = []
    window.notice.connect(notices.append)
    assert save_and_wait(window) is False
    text = window.message.text()
    assert text.startswith(f"未保存：“{NAME}”已由 liyang02 于 ")
    assert "您的修改仍保留在窗口中" in text and "勾选“回收站”" in text and "“恢复”" in text
    assert "编号" not in text
    assert notices == [text]
    assert window.basic_form.values()["address"] == "昆仑街道丰登路8号"  # the edits kept
    with database.session() as session:
        enterprises.restore(session, firm, user="liyang02")
    assert save_and_wait(window) is True
    with database.session() as session:
        assert enterprises.get(session, firm).address == "昆仑街道丰登路8号"
    assert window.message.text() == ""


def test_the_window_says_a_firm_deleted_for_good_cannot_be_saved(
        qtbot, firm_window, database, settings, runner, code, save_and_wait):
    firm = _firm(database, code)
    window = firm_window(firm)
    window.set_field("address", "昆仑街道丰登路8号")
    with database.session() as session:
        enterprises.soft_delete(session, firm, user="liyang02")
        enterprises.purge(session, firm, user="lyadmin")
    assert save_and_wait(window) is False
    text = window.message.text()
    assert "彻底删除" in text and "无法再保存到这家企业" in text and "“恢复”" not in text
