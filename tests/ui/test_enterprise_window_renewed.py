"""The enterprise window's 梯度认定 tab shows a title renewed early as the 档案 does (有效
（已复核）) while it is edited or confirmed, before the window is saved: it recomputed the
status without the core's ``renewed`` flag, and the row turned 即将到期 until saved."""

from __future__ import annotations

import datetime as dt

from tiers.model import ladder
from tiers.services import recognitions
from ui.enterprise_dialog import EnterpriseDialog
from ui.record_form_dialog import RecordFormDialog


def test_a_renewed_title_stays_renewed_while_edited_and_confirmed(
        qtbot, database, settings, runner, save_and_wait, enterprise_factory, session,
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

    dialog = EnterpriseDialog(database, settings, firm.id, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.recognition_tab
    rows = {row["id"]: n for n, row in enumerate(tab.model.rows)}
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

    dialog = EnterpriseDialog(database, settings, listed.id, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.recognition_tab
    rows = {row["id"]: n for n, row in enumerate(tab.model.rows)}
    assert tab.model.rows[rows[waiting.id]]["status"] == ladder.PENDING
    tab.select_row(rows[waiting.id])
    tab.confirm_button.click()
    assert tab.model.rows[rows[waiting.id]]["status"] == ladder.RENEWED_EARLY
