"""撤销认定 says, before the officer confirms, that a reason of 数据造假 bars the firm from
applying for three years, by the assessment's own rule (tiers.assess.bar)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from tiers import assess
from tiers.queries import profiles
from tiers.services import recognitions
from ui.enterprise_dialog.revoke_dialog import RevokeDialog

ON = dt.date(2026, 11, 21)


def revoke_dialog(qtbot, tier_code: str = "zjtx", *, is_pending: bool = False,
                  recognized_on: dt.date | None = dt.date(2024, 8, 1)) -> RevokeDialog:
    dialog = RevokeDialog(None, "撤销认定", "撤销原因：", tier_code=tier_code, revoked_on=ON,
                          is_pending=is_pending, recognized_on=recognized_on)
    qtbot.addWidget(dialog)
    return dialog


def test_a_reason_of_false_data_shows_the_bar_until_its_last_day(qtbot):
    dialog = revoke_dialog(qtbot)
    assert dialog.note.isHidden()
    dialog.reason.insert("提供虚假材料")  # (keyClicks aborts on Chinese)
    assert not dialog.note.isHidden()
    assert dialog.note.text() == ("撤销原因涉及数据造假：该企业自撤销之日起三年内"
                                  "（至 2029年11月20日）不得申报。")


def test_no_note_for_another_reason_a_negation_or_a_local_title(qtbot):
    dialog = revoke_dialog(qtbot)
    for reason in ("企业自愿放弃", "经核查不存在数据造假", "未发现虚假材料"):
        dialog.reason.setText(reason)
        assert dialog.note.isHidden(), reason
    dialog.reason.setText("数据造假")
    assert not dialog.note.isHidden()
    dialog.reason.setText("")  # taken back: the note goes with it
    assert dialog.note.isHidden()
    local = revoke_dialog(qtbot, "city_zjtx")
    local.reason.setText("数据造假")
    assert local.note.isHidden()


def test_ok_needs_a_reason(qtbot):
    dialog = revoke_dialog(qtbot)
    ok = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled()
    dialog.reason.setText("   ")
    assert not ok.isEnabled()
    dialog.reason.setText("企业注销")
    assert ok.isEnabled()


def _revoked_for_fraud(monkeypatch, firm_window, firm_id):
    """The firm's first title revoked in its window, the officer typing 数据造假 as the
    reason and reading the note before confirming: (the window, the notes read)."""
    notes: list[str] = []

    def typed(dialog: RevokeDialog) -> int:
        dialog.reason.insert("数据造假")
        notes.append("" if dialog.note.isHidden() else dialog.note.text())
        return QDialog.Accepted

    monkeypatch.setattr(RevokeDialog, "exec", typed)
    window = firm_window(firm_id)
    window.recognition_tab.select_row(0)
    window.revoke_selected()
    return window, notes


def test_the_enterprise_window_warns_of_the_bar_the_assessment_then_applies(
        qtbot, firm_window, monkeypatch, database, session, enterprise_factory, settings, runner,
        save_and_wait):
    firm = enterprise_factory("常州撤销造假有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "level": "省级",
                                        "batch_year": 2024})
    session.commit()
    window, notes = _revoked_for_fraud(monkeypatch, firm_window, firm.id)
    today = dt.date.today()
    until = today.replace(year=today.year + 3) - dt.timedelta(days=1) if (
        today.month, today.day) != (2, 29) else dt.date(today.year + 3, 2, 27)
    assert notes == [f"撤销原因涉及数据造假：该企业自撤销之日起三年内"
                     f"（至 {until.year}年{until.month}月{until.day}日）不得申报。"]
    assert save_and_wait(window)
    with database.session() as check:
        [title] = profiles.profile(check, firm.id)["recognitions"]
        assert title["revoke_reason"] == "数据造假"
        item = assess.assess_enterprise(check, firm.id, "little_giant", today=today)
    assert f"{until:%Y-%m-%d} 前不得申报" in item.verdict


def test_no_note_for_a_title_pending_or_not_started(qtbot):
    """A title 公示中, or entered before its 认定日期, starts no bar (tiers.assess.bar: the
    assessment reads none from it): the dialog promises none."""
    for dialog in (revoke_dialog(qtbot, is_pending=True),
                   revoke_dialog(qtbot, recognized_on=ON + dt.timedelta(days=30))):
        dialog.reason.setText("提供虚假材料，数据造假")
        assert dialog.note.isHidden()
        assert dialog.buttons.button(QDialogButtonBox.Ok).isEnabled()
    started = revoke_dialog(qtbot, recognized_on=ON)
    started.reason.setText("提供虚假材料，数据造假")
    assert not started.note.isHidden()


def test_the_enterprise_window_promises_no_bar_for_a_title_pending(
        qtbot, firm_window, monkeypatch, database, session, enterprise_factory, settings, runner,
        save_and_wait):
    """The window passes the row's own values: a 公示中 title revoked for 造假 is warned of
    nothing, and the assessment then bars nothing (review of the twenty-second session:
    the note promised three years the assessment never applied)."""
    firm = enterprise_factory("常州公示造假有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "level": "省级",
                                        "batch_year": dt.date.today().year,
                                        "is_pending": True})
    session.commit()
    window, notes = _revoked_for_fraud(monkeypatch, firm_window, firm.id)
    assert notes == [""]
    assert save_and_wait(window)
    with database.session() as check:
        [title] = profiles.profile(check, firm.id)["recognitions"]
        assert title["revoke_reason"] == "数据造假" and title["is_pending"]
        item = assess.assess_enterprise(check, firm.id, "zjtx", today=dt.date.today())
    assert "不得申报" not in item.verdict


def test_the_note_names_no_single_measures_for_every_ladder_title(qtbot):
    """The bar fires for every title of the ladder, and domain.md ties the 2026办法 to
    专精特新/小巨人 only (单项冠军 has its own 2023办法, 科技型 its own evaluation): the note
    names no 办法 rather than the wrong one (review of the twenty-second session)."""
    for tier_code in ("tech_sme", "innovative", "zjtx", "little_giant", "single_champion"):
        dialog = revoke_dialog(qtbot, tier_code)
        dialog.reason.setText("数据造假")
        assert not dialog.note.isHidden(), tier_code
        assert "办法" not in dialog.note.text() and "2026" not in dialog.note.text(), tier_code
