"""The enterprise window's 梯度认定 tab shows a title renewed early as the 档案 does (有效
（已复核）) while it is edited or confirmed, before the window is saved: it recomputed the
status without the core's ``renewed`` flag, and the row turned 即将到期 until saved."""

from __future__ import annotations

import datetime as dt

from tests.ui.firm_window_helpers import column_of, rows_by_id
from tiers.model import ladder
from tiers.services import recognitions
from ui.record_form_dialog import RecordFormDialog


def test_a_renewed_title_stays_renewed_while_edited_and_confirmed(
        qtbot, firm_window, database, settings, runner, save_and_wait, enterprise_factory, session,
        monkeypatch):
    today = dt.date.today()  # the window judges on the real day
    ends = today + dt.timedelta(days=30)
    firm = enterprise_factory("常州提前复核有限公司")
    old = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": ends.year - 3,
                                              "valid_until": ends})
    recognitions.add(session, firm.id, {  # the 复核, in force already
        "tier_code": "zjtx", "batch_year": today.year, "is_review": True,
        "recognized_on": today - dt.timedelta(days=10),
        "valid_until": ends + dt.timedelta(days=3 * 365)})
    listed = enterprise_factory("常州公示后复核有限公司")  # its old title only ever 公示中
    waiting = recognitions.add(session, listed.id, {"tier_code": "zjtx", "is_pending": True,
                                                    "batch_year": ends.year - 3,
                                                    "valid_until": ends})
    recognitions.add(session, listed.id, {
        "tier_code": "zjtx", "batch_year": today.year, "is_review": True,
        "recognized_on": today - dt.timedelta(days=10),
        "valid_until": ends + dt.timedelta(days=3 * 365)})
    session.commit()

    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    rows = rows_by_id(tab)
    assert tab.model.rows[rows[old.id]]["status"] == ladder.RENEWED_EARLY
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: {
        "tier_code": "zjtx", "batch_year": str(ends.year - 3), "valid_until": ends,
        "document_number": "苏工信中小〔2023〕513号"}))
    tab.select_row(rows[old.id])
    tab.edit_selected()
    edited = tab.model.rows[rows[old.id]]
    assert edited["document_number"] == "苏工信中小〔2023〕513号"
    assert edited["status"] == ladder.RENEWED_EARLY
    assert save_and_wait(dialog)

    dialog = firm_window(listed.id)
    tab = dialog.recognition_tab
    rows = rows_by_id(tab)
    assert tab.model.rows[rows[waiting.id]]["status"] == ladder.PENDING
    tab.select_row(rows[waiting.id])
    tab.confirm_button.click()
    assert tab.model.rows[rows[waiting.id]]["status"] == ladder.RENEWED_EARLY


def test_a_lapsed_title_renewed_after_its_end_reads_so_not_red(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session):
    """A new-user tester's finding: a 2020 创新型 title renewed by a 复核 the day after it
    ended read 已到期 in red (as if it needed one), beside the early-renewed 有效（已复核）."""
    from PySide6.QtCore import Qt

    today = dt.date.today()
    # over a year ago: its 复核 round is over (inside it, not renewed, it reads 待复核)
    ended = today - dt.timedelta(days=400)
    firm = enterprise_factory("常州到期后复核有限公司")
    old = recognitions.add(session, firm.id, {"tier_code": "innovative",
                                              "batch_year": ended.year - 3,
                                              "valid_until": ended})
    recognitions.add(session, firm.id, {  # the 复核, the day after the old title ended
        "tier_code": "innovative", "batch_year": ended.year, "is_review": True,
        "recognized_on": ended + dt.timedelta(days=1),
        "valid_until": ended + dt.timedelta(days=3 * 365)})
    lone = enterprise_factory("常州到期未复核有限公司")
    lapsed = recognitions.add(session, lone.id, {"tier_code": "innovative",
                                                 "batch_year": ended.year - 3,
                                                 "valid_until": ended})
    session.commit()

    def shown(firm_id, recognition_id):
        tab = firm_window(firm_id).recognition_tab
        index = tab.model.index(rows_by_id(tab)[recognition_id], column_of(tab, "状态"))
        return index.data(), index.data(Qt.ForegroundRole)

    status, colour = shown(firm.id, old.id)
    assert status == "已到期（已复核）"
    assert colour is None or colour.color().name() != "#b00020"
    status, colour = shown(lone.id, lapsed.id)  # not renewed: still 已到期, in red
    assert status == ladder.EXPIRED and colour is not None and colour.color().name() == "#b00020"


def test_a_title_entered_early_reads_pending_start_while_edited(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session, monkeypatch):
    """A title whose 认定日期 is later than today is 待生效 in the 梯度认定 tab, loaded (with
    the day it starts) and edited before the window is saved — not 有效, while the roster's
    status filter and the dashboard leave it out until it starts."""
    today = dt.date.today()
    starts = today + dt.timedelta(days=20)
    firm = enterprise_factory("常州提前录入有限公司")
    early = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": starts.year,
                                                "recognized_on": starts})
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    rows = rows_by_id(tab)
    assert tab.model.rows[rows[early.id]]["status"] == \
        f"{ladder.NOT_STARTED}（{starts.isoformat()}起）"
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: {
        "tier_code": "zjtx", "batch_year": str(starts.year), "recognized_on": starts,
        "document_number": "苏工信中小〔2026〕1号"}))
    tab.select_row(rows[early.id])
    tab.edit_selected()
    assert tab.model.rows[rows[early.id]]["status"] == ladder.NOT_STARTED
