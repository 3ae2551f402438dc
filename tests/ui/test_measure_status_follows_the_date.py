"""扶持措施 entered by hand: its 状态 starts from the core's rule (已兑现 with a 兑现日期, else
审核, as an import without a status), follows the date while the officer has not chosen
a status, and the officer's own choice wins; a saved measure keeps its status."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog

from tiers.queries import profiles
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import measure_fields


def form(qtbot, values) -> RecordFormDialog:
    from tiers.services import measures

    dialog = RecordFormDialog("扶持措施", measure_fields(), values, measures.clean)
    qtbot.addWidget(dialog)
    return dialog


def status(dialog: RecordFormDialog) -> str:
    return dialog.widgets["status"].currentText()


def test_a_new_measure_s_status_follows_its_date_until_the_officer_chooses(qtbot):
    dialog = form(qtbot, {"year": 2026, "kind": "认定奖励"})
    assert status(dialog) == "审核"
    assert not dialog.has_edits()  # the status the rule gave is no edit of the officer's
    dialog.set_value("paid_on", "2026-05-0")  # half typed: not a date yet
    assert status(dialog) == "审核"
    dialog.set_value("paid_on", "2026-05-01")
    assert status(dialog) == "已兑现"
    dialog.set_value("paid_on", "")
    assert status(dialog) == "审核"
    dialog.set_value("status", "申报")  # the officer's choice
    dialog.set_value("paid_on", "2026-05-01")
    assert status(dialog) == "申报"
    dialog.accept()
    assert dialog.result_values["status"] == "申报"


def test_the_rule_s_status_is_what_is_saved(qtbot):
    dialog = form(qtbot, {"year": 2026, "kind": "认定奖励"})
    dialog.set_value("paid_on", "2026-05-01")
    dialog.accept()
    assert dialog.result_values["status"] == "已兑现"
    assert dialog.warnings_shown == {}  # no 已兑现-without-a-date warning on the way


def test_a_saved_measure_keeps_its_status(qtbot):
    dialog = form(qtbot, {"year": 2026, "kind": "认定奖励", "status": "审核",
                          "paid_on": dt.date(2026, 5, 1)})
    assert status(dialog) == "审核"
    dialog.set_value("paid_on", "")
    assert status(dialog) == "审核"


def test_the_enterprise_window_adds_a_measure_by_the_rule(
        qtbot, firm_window, monkeypatch, database, session, enterprise_factory, settings, runner,
        save_and_wait):
    firm = enterprise_factory("常州措施状态有限公司")
    session.commit()
    seen = []

    def typed(dialog: RecordFormDialog) -> int:
        seen.append(status(dialog))
        dialog.set_value("kind", "认定奖励")
        dialog.set_value("amount", "30")
        dialog.accept()
        return QDialog.Accepted

    monkeypatch.setattr(RecordFormDialog, "exec", typed)
    window = firm_window(firm.id)
    window.measure_tab.add()
    assert seen == ["审核"]  # no date: not 已兑现, which counted it as paid
    assert save_and_wait(window)
    with database.session() as check:
        [measure] = profiles.profile(check, firm.id)["support_measures"]
    assert (measure["status"], measure["amount"]) == ("审核", 30)


def test_the_bulk_measure_form_follows_the_same_rule(qtbot):
    """批量操作 → 记录扶持措施 is the same form: it started at 已兑现 too."""
    from tiers.services import bulk
    from ui.bulk_dialogs import action_defaults, action_fields

    dialog = RecordFormDialog("记录扶持措施", action_fields("measure"),
                              action_defaults("measure", "王明"), bulk.ACTIONS["measure"].clean)
    qtbot.addWidget(dialog)
    assert status(dialog) == "审核"
    dialog.set_value("paid_on", "2026-05-01")
    assert status(dialog) == "已兑现"


def test_the_status_hint_is_the_form_s_own_text_translated(qtbot, monkeypatch):
    """The hint of the 状态 while it follows the date is UI text: in ui/record_forms under
    tr(), built from the core's statuses, not a core constant shown untranslated; the
    已兑现-without-a-date warning names the core's status too (review of the twenty-second
    session)."""
    from PySide6.QtCore import QCoreApplication

    from tiers.services import measures
    from ui import record_forms

    assert not hasattr(measures, "STATUS_BY_DATE_HINT")  # no UI text in the core
    [hint] = [f.placeholder for f in measure_fields() if f.key == "status"]
    assert hint == "未选择时按兑现日期：填了兑现日期为“已兑现”，否则为“审核”；可另选"
    asked = []

    def translate(context, text, *args):
        asked.append((context, text))
        return "〔" + text + "〕"

    monkeypatch.setattr(QCoreApplication, "translate", translate)
    monkeypatch.setattr(measures, "PAID", "已拨付")
    monkeypatch.setattr(measures, "NOT_PAID", "待拨付")
    [hint] = [f.placeholder for f in measure_fields() if f.key == "status"]
    assert hint == "〔未选择时按兑现日期：填了兑现日期为“已拨付”，否则为“待拨付”；可另选〕"
    assert ("RecordForms", "未选择时按兑现日期：填了兑现日期为“%1”，否则为“%2”；可另选") in asked
    warn = record_forms._paid_without_date
    assert warn({"status": "已拨付", "paid_on": ""}) == "〔状态为“已拨付”，但未填兑现日期〕"
    assert warn({"status": "已兑现", "paid_on": ""}) == ""
