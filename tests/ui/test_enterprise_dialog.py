from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.firm_window_helpers import rows_by_id
from tiers.model.orm import Enterprise
from tiers.queries import profiles, roster
from ui.ask import ConfirmDialog
from ui.enterprise_dialog import EnterpriseDialog
from ui.enterprise_dialog.revoke_dialog import RevokeDialog
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import measure_fields, recognition_fields


def _count(database) -> int:
    with database.session() as session:
        return roster.count(session, roster.RosterFilter())


def test_create_enterprise_through_the_form(qtbot, database, settings, runner, code):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.Save)
    assert not save.isEnabled()  # name and code still empty
    dialog.set_field("credit_code", code(5).lower())
    dialog.set_field("name", "  常州新建科技有限公司 ")
    dialog.set_field("county", "武进区")
    dialog.set_field("town", "湖塘镇")
    dialog.set_field("founded_on", "2015/3/8")
    assert save.isEnabled()
    with qtbot.waitSignal(dialog.saved) as saved:
        save.click()
    with database.session() as session:
        firm = session.get(Enterprise, saved.args[0])
        assert (firm.name, firm.credit_code, firm.county_code) == (
            "常州新建科技有限公司", code(5), "320412")
        assert firm.founded_on == dt.date(2015, 3, 8)


def test_a_made_up_market_regulation_code_is_rejected_as_you_type(qtbot, database, settings,
                                                                  runner, save_and_wait):
    """95…: both check characters valid, but 市场监管 (9) has categories 1–3 only."""
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.set_field("name", "常州校验测试有限公司")
    dialog.set_field("credit_code", "95320412000000019H")
    error = dialog.field_errors["credit_code"]
    assert not error.isHidden() and "第2位应为1、2或3" in error.text()
    assert save_and_wait(dialog) is False
    assert _count(database) == 0


def test_invalid_credit_code_is_rejected_as_you_type(qtbot, database, settings, runner,
                                                     save_and_wait, code):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.set_field("name", "常州校验测试有限公司")
    wrong = code(6)[:-1] + ("0" if code(6)[-1] != "0" else "1")
    dialog.set_field("credit_code", wrong)
    error = dialog.field_errors["credit_code"]
    assert not error.isHidden() and "校验" in error.text()
    assert not dialog.buttons.button(QDialogButtonBox.Save).isEnabled()
    assert save_and_wait(dialog) is False
    assert _count(database) == 0
    dialog.set_field("credit_code", code(6))
    assert error.isHidden()
    assert dialog.buttons.button(QDialogButtonBox.Save).isEnabled()


def test_duplicate_code_message_and_nothing_written(qtbot, database, settings, runner,
                                                    save_and_wait,
                                                    enterprise_factory, session, code):
    enterprise_factory("常州已有的有限公司", credit_code=code(9))
    session.commit()
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.set_field("credit_code", code(9))
    dialog.set_field("name", "常州重复代码有限公司")
    assert save_and_wait(dialog) is False
    assert "已属于" in dialog.field_errors["credit_code"].text()
    assert _count(database) == 1


def test_edit_with_recognition_and_measure_written_only_on_save(
        qtbot, firm_window, database, settings, runner, save_and_wait, enterprise_factory, session,
        monkeypatch):
    firm = enterprise_factory("常州编辑测试有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    assert dialog.windowTitle().startswith("常州编辑测试有限公司")
    dialog.set_field("main_product", "液压油缸")
    forms = iter([
        {"tier_code": "little_giant", "batch_label": "第五批", "batch_year": "2023",
         "recognized_on": dt.date(2023, 7, 1), "document_number": "工信厅企业函〔2023〕1号"},
        {"kind": "认定奖励", "amount": "50", "year": "2024", "name": "小巨人奖励"},
    ])
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: next(forms)))
    dialog.recognition_tab.add_button.click()
    dialog.measure_tab.add_button.click()
    assert dialog.recognition_tab.model.rowCount() == 1
    assert dialog.recognition_tab.model.data(dialog.recognition_tab.model.index(0, 0)) == \
        "专精特新“小巨人”企业" or dialog.recognition_tab.model.rowCount() == 1
    assert dialog.has_unsaved_changes() and dialog.windowTitle().count("*") == 1
    with database.session() as check:  # nothing written yet
        profile = profiles.profile(check, firm.id)
        assert profile["recognitions"] == [] and profile["main_product"] == ""
    assert save_and_wait(dialog)
    with database.session() as check:
        profile = profiles.profile(check, firm.id)
    assert profile["main_product"] == "液压油缸"
    assert [r["tier_code"] for r in profile["recognitions"]] == ["little_giant"]
    assert profile["recognitions"][0]["valid_until"] == dt.date(2026, 6, 30)
    assert profile["support_measures"][0]["amount"] == Decimal("50")
    assert not dialog.has_unsaved_changes()
    history_fields = {r["field"] for r in dialog.history_rows}
    assert "main_product" in history_fields
    assert {r["entity"] for r in dialog.history_rows} >= {"recognition", "support_measure"}


def test_revoke_and_delete_recognition(
        qtbot, firm_window, database, settings, runner, save_and_wait, enterprise_factory, session,
        monkeypatch):
    from tiers.services import recognitions

    firm = enterprise_factory("常州撤销测试有限公司")
    kept = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2023})
    dropped = recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2022})
    session.commit()
    dialog = firm_window(firm.id)
    tab = dialog.recognition_tab
    # 科技型中小企业 are numbered by their 入库编号: the column says both
    headers = [tab.model.headerData(c, Qt.Horizontal) for c in range(tab.model.columnCount())]
    assert "文号/入库编号" in headers and "文号" not in headers
    rows = rows_by_id(tab)
    monkeypatch.setattr(RevokeDialog, "ask", classmethod(lambda cls, *a, **k: "主动放弃"))
    tab.select_row(rows[kept.id])
    tab.revoke_button.click()
    tab.select_row(rows[dropped.id])
    tab.delete_button.click()
    assert tab.model.rowCount() == 1
    assert save_and_wait(dialog)
    with database.session() as check:
        profile = profiles.profile(check, firm.id)
    assert [(r["id"], r["status"], r["revoke_reason"]) for r in profile["recognitions"]] == [
        (kept.id, "已撤销", "主动放弃")]


def test_failed_save_writes_nothing(qtbot, firm_window, database, settings, runner, save_and_wait,
                                    enterprise_factory, session,
                                    monkeypatch):
    firm = enterprise_factory("常州回滚测试有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    dialog.set_field("address", "新地址")
    # a chain role naming a chain that does not exist: the service refuses it at save time
    dialog.chain_tab.rows.append({"id": None, "_state": "new", "_original": {},
                                  "_values": {"chain_code": "C99", "role": "链主"}})
    assert save_and_wait(dialog) is False
    assert "C99" in dialog.message.text()
    with database.session() as check:
        assert profiles.profile(check, firm.id)["address"] == ""


def test_leaving_with_unsaved_edits_asks(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州离开测试有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    dialog.show()
    dialog.set_field("address", "未保存的地址")
    asked = []
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(
        lambda cls, *a: asked.append(1) or "cancel"))
    dialog.reject()
    assert asked and dialog.isVisible()
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(lambda cls, *a: "save"))
    with qtbot.waitSignal(dialog.save_finished, timeout=10_000):
        dialog.reject()  # saves on the runner, then closes
    assert not dialog.isVisible()
    with database.session() as check:
        assert profiles.profile(check, firm.id)["address"] == "未保存的地址"


def test_record_form_validates_with_the_service(qtbot):
    from tiers.services import measures, recognitions

    form = RecordFormDialog("扶持措施", measure_fields(), {}, measures.clean)
    qtbot.addWidget(form)
    form.set_value("kind", "认定奖励")
    form.set_value("amount", "很多")
    form.accept()
    assert form.result_values is None
    assert "数字" in form.errors["amount"].text()
    form.set_value("amount", "30.5")
    form.set_value("year", "2024")
    form.accept()
    assert form.result_values["amount"] == "30.5"
    recognition = RecordFormDialog("梯度认定", recognition_fields(), {}, recognitions.clean)
    qtbot.addWidget(recognition)
    recognition.set_value("tier_code", "chain_leader")
    recognition.set_value("recognized_on", "2024年5月1日")
    recognition.accept()
    assert "产业链" in recognition.errors["chain_code"].text()
    recognition.set_value("chain_code", "C14")
    recognition.accept()
    assert recognition.result_values["recognized_on"] == dt.date(2024, 5, 1)


def test_figures_and_chain_role_from_the_enterprise(qtbot, firm_window, database, settings, runner,
                                                    save_and_wait,
                                                    enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州年度数据有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    forms = iter([{"year": "2024", "revenue": "12,000.5", "employees": "86", "note": ""},
                  {"chain_code": "C14", "role": "核心配套", "note": ""}])
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(lambda cls, *a, **k: next(forms)))
    dialog.figures_tab.add_button.click()
    dialog.chain_tab.add_button.click()
    assert save_and_wait(dialog)
    with database.session() as check:
        profile = profiles.profile(check, firm.id)
    assert profile["figures"][0]["year"] == 2024
    assert profile["figures"][0]["revenue"] == Decimal("12000.5")
    assert profile["figures"][0]["employees"] == 86
    assert [(c["chain_code"], c["role"]) for c in profile["chains"]] == [("C14", "核心配套")]
    # edit the measure list: delete what was never saved leaves nothing pending
    dialog.measure_tab.rows.append({"id": None, "_state": "new", "_original": {},
                                    "_values": {"kind": "其他", "year": 2024}})
    dialog.measure_tab.refresh()
    dialog.measure_tab.select_row(0)
    dialog.measure_tab.delete_button.click()
    assert not dialog.has_unsaved_changes()


def test_ui_holds_no_sql():
    """No module of the faces imports SQLAlchemy to run a query (a type-only import of
    Session under TYPE_CHECKING names a parameter's type and runs nothing)."""
    import ast
    from pathlib import Path

    import ui

    def sql_imports(tree: ast.AST) -> list[str]:
        found = []
        for node in ast.iter_child_nodes(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                         else [alias.name for alias in node.names])
                found += [name for name in names if name.startswith("sqlalchemy")]
            found += sql_imports(node)
        return found

    offenders = [path.name for path in Path(ui.__file__).parent.rglob("*.py")
                 if sql_imports(ast.parse(path.read_text(encoding="utf-8")))
                 or "text(\"SELECT" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_history_tab_reads_in_chinese_and_names_the_revoked_recognition(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session):
    from tiers.services import measures, recognitions

    firm = enterprise_factory("常州变更记录有限公司")
    recognition = recognitions.add(session, firm.id, {"tier_code": "zjtx", "level": "省级",
                                                      "batch_year": 2024})
    measures.add(session, firm.id, {"kind": "奖励资金", "name": "技改项目", "amount": "30.00",
                                    "year": 2024})
    session.flush()
    recognitions.revoke(session, recognition.id, reason="复核未通过")
    session.commit()
    dialog = firm_window(firm.id)
    model = dialog.history_model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]
    headers = [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())]
    assert headers[:6] == ["时间", "操作人", "操作", "对象", "记录", "字段"]
    text = "\n".join("|".join(row) for row in rows)
    for internal in ("enterprise_id", "zjtx", "tier_code", "issuer", "recognition",
                     "support_measure"):
        assert internal not in text
    revoke = next(row for row in rows if row[5] == "撤销日期")
    assert revoke[2:5] == ["撤销", "认定", "省级专精特新中小企业 2024年度"]
    measure = next(row for row in rows if row[3] == "扶持措施")
    assert "项目名称：技改项目" in measure[7] and "金额（万元）：30" in measure[7]


def test_new_form_quiet_until_typed_focus_and_ctrl_s(qtbot, database, settings, runner, code):
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.focusWidget() is dialog.inputs["credit_code"]
    assert all(label.isHidden() for label in dialog.field_errors.values())
    assert not dialog.buttons.button(QDialogButtonBox.Save).isEnabled()
    qtbot.keyClicks(dialog.inputs["credit_code"], "123")
    assert not dialog.field_errors["credit_code"].isHidden()
    assert dialog.field_errors["name"].isHidden()  # not touched yet
    dialog.inputs["credit_code"].clear()
    qtbot.keyClicks(dialog.inputs["credit_code"], code(77))
    qtbot.keyClick(dialog.inputs["credit_code"], Qt.Key_S, Qt.ControlModifier)  # no name yet
    assert not dialog.field_errors["name"].isHidden()
    assert _count(database) == 0
    dialog.set_field("name", "常州快捷键有限公司")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.inputs["name"], Qt.Key_S, Qt.ControlModifier)
    assert _count(database) == 1


def test_existing_firm_focus_on_name(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session):
    firm = enterprise_factory("常州焦点有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.inputs["name"]


def test_unsaved_prompt_offers_no_save_when_the_form_is_invalid(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session, monkeypatch):
    firm = enterprise_factory("常州提示有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    asked = []

    def unsaved(cls, parent, text, *, can_save=True):
        asked.append((text, can_save))
        return "cancel"

    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(unsaved))
    dialog.set_field("main_product", "齿轮")
    dialog.reject()
    assert asked[-1][1] is True
    dialog.set_field("name", "")
    dialog.reject()
    text, can_save = asked[-1]
    assert can_save is False and "企业名称不能为空" in text
    assert dialog.has_unsaved_changes()  # cancel kept the edits


def test_revoke_dialog_names_the_recognition(
        qtbot, firm_window, database, settings, runner, enterprise_factory, session, monkeypatch):
    from tiers.services import recognitions

    firm = enterprise_factory("常州撤销提示有限公司")
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "level": "省级",
                                        "batch_year": 2024})
    session.commit()
    dialog = firm_window(firm.id)
    labels = []
    monkeypatch.setattr(RevokeDialog, "ask", classmethod(
        lambda cls, parent, title, label, **_k: labels.append(label)))
    dialog.recognition_tab.select_row(0)
    dialog.revoke_selected()
    assert "常州撤销提示有限公司" in labels[0]
    assert "省级专精特新中小企业 2024年度" in labels[0]


def test_measure_form_inline_amount_error_and_paid_warning(qtbot):
    from tiers.services import measures

    form = RecordFormDialog("扶持措施", measure_fields(), {"year": 2024, "status": "已兑现",
                                                          "kind": "奖励资金"}, measures.clean)
    qtbot.addWidget(form)
    assert all(label.isHidden() for label in form.errors.values())
    form.set_value("amount", "十万")
    assert not form.errors["amount"].isHidden()
    assert "金额" in form.errors["amount"].text()
    form.set_value("amount", "10")
    assert form.errors["amount"].isHidden()
    # 已兑现 without 兑现日期: a warning, and the first OK only shows it
    assert "兑现日期" in form.errors["paid_on"].text() and not form.errors["paid_on"].isHidden()
    form.set_value("paid_on", "2024-06-01")
    assert form.errors["paid_on"].isHidden()
    form.accept()
    assert form.result_values["paid_on"] == dt.date(2024, 6, 1)


def test_measure_paid_warning_does_not_block(qtbot):
    from tiers.services import measures

    form = RecordFormDialog("扶持措施", measure_fields(), {"year": 2024, "status": "已兑现",
                                                          "kind": "奖励资金"}, measures.clean)
    qtbot.addWidget(form)
    form.accept()  # shows the warning first
    assert form.result_values is None and "兑现日期" in form.errors["paid_on"].text()
    form.accept()  # the user has seen it
    assert form.result_values is not None and form.result_values["paid_on"] is None


def test_saving_runs_in_the_background_and_says_so(qtbot, firm_window, database, settings, runner,
                                                   enterprise_factory, session):
    import threading

    firm = enterprise_factory("常州后台保存有限公司")
    session.commit()
    dialog = firm_window(firm.id)
    dialog.show()
    release = threading.Event()
    runner.submit("占住后台", lambda _task: release.wait(10))  # an import still running
    dialog.set_field("address", "常州市武进区湖塘镇")
    with qtbot.waitSignal(dialog.save_finished, timeout=10_000) as finished:
        dialog.buttons.button(QDialogButtonBox.Save).click()
        # the window waits without freezing: it says so and takes no edits or clicks
        assert dialog.message.text() == "正在保存…"
        assert not any(button.isEnabled() for button in dialog.buttons.buttons())
        assert not dialog.tabs.isEnabled()
        dialog.reject()  # Esc meanwhile: the save decides
        assert dialog.isVisible()
        release.set()
    assert finished.args == [True] and not dialog.isVisible()
    with database.session() as check:
        assert profiles.profile(check, firm.id)["address"] == "常州市武进区湖塘镇"


def test_measure_form_warns_of_an_unknown_kind_and_saves_it(qtbot):
    from tiers.services import measures

    form = RecordFormDialog("扶持措施", measure_fields(), {}, measures.clean)
    qtbot.addWidget(form)
    form.set_value("kind", "奖励资金")
    form.set_value("year", "2026")
    # said while typing, under the field, as the form's other warnings are
    assert form.current_warnings()["kind"] == measures.kind_note("奖励资金")
    assert form.errors["kind"].text() == "⚠ " + measures.kind_note("奖励资金")
    assert "相近的有：奖补资金" in form.errors["kind"].text()
    form.accept()  # a county's own kind: kept as written
    assert form.result_values["kind"] == "奖励资金"
    form.set_value("kind", "奖补资金")
    assert "kind" not in form.current_warnings()
