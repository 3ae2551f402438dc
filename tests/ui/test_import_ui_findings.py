"""What a new user met in the import wizard and on 导入记录 (driven under Xvfb), each pinned:
the sheet the wizard preselects, what an undo from 导入记录 tells the officer, the wording of
its question, the recognition-only fields, .txt in the file dialog, a label that fits, and no
traceback for a refused file."""

from __future__ import annotations

import logging

import pytest

from importers import detect, open_source
from tests.importers.helpers import import_file, write_xlsx
from tiers.services import enterprises
from ui.ask import ConfirmDialog, FileDialog
from ui.import_wizard import FILE, MAPPING, PREVIEW, RESULT, SHEET, ImportWizard
from ui.imports_view import ImportsView
from ui.main_window import MainWindow

INSTRUCTIONS = [["填报说明"], ["1. 请按下表填写，金额单位为万元"],
                ["企业名称", "统一社会信用代码", "填写要求"]]  # a header, no data rows


def roster_rows(code, serials=(1, 2, 3)):
    return [["武进区重点企业名录"], ["序号", "企业名称", "统一社会信用代码", "县区"],
            *[[n, f"常州工作表{n}号科技有限公司", code(700 + n), "武进区"] for n in serials]]


def recognition_rows(code):
    return [["第五批专精特新“小巨人”企业名单"], ["序号", "企业名称", "统一社会信用代码", "县区"],
            *[[n, f"常州认定{n}号科技有限公司", code(800 + n), "武进区"] for n in (1, 2, 3)]]


def wait_idle(qtbot, wizard, step):
    qtbot.waitUntil(lambda: (wizard.current_step() == step or bool(wizard.error.text()))
                    and not wizard._busy(), timeout=15_000)
    assert wizard.current_step() == step, wizard.error.text()


def open_wizard(qtbot, database, settings, runner, path, step):
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next_button.click()
    wait_idle(qtbot, wizard, step)
    return wizard


# 1 ---------------------------------------------------------------------------------------
def test_wizard_preselects_the_sheet_the_cli_would_import(qtbot, database, settings, runner,
                                                          tmp_path, code):
    path = write_xlsx(tmp_path / "名录.xlsx", {"填报说明": INSTRUCTIONS,
                                             "武进区": roster_rows(code)})
    assert detect(open_source(path)).sheet == "武进区"  # what `tiers import` picks
    wizard = open_wizard(qtbot, database, settings, runner, path, SHEET)
    assert [wizard.sheets.item(i).text() for i in range(wizard.sheets.count())] == [
        "填报说明", "武进区"]
    assert wizard.sheets.currentItem().text() == "武进区"
    wizard.next_button.click()
    wait_idle(qtbot, wizard, MAPPING)
    assert wizard.detection.sheet == "武进区"
    assert wizard.current_mapping()[1] == "name"
    # the officer may still pick the other sheet, and is told what is wrong with it
    wizard.back_button.click()
    wizard.sheets.setCurrentRow(0)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: bool(wizard.error.text()) and not wizard._busy(), timeout=15_000)
    assert "填报说明" in wizard.error.text() and wizard.current_step() == SHEET
    wizard.close()


def test_no_recognisable_sheet_falls_back_to_the_first(qtbot, database, settings, runner,
                                                       tmp_path):
    path = write_xlsx(tmp_path / "杂表.xlsx", {"甲": [["随便写写"], ["a", "b"]],
                                              "乙": [["x", "y"], [1, 2]]})
    wizard = open_wizard(qtbot, database, settings, runner, path, SHEET)
    assert wizard.sheets.currentRow() == 0
    wizard.next_button.click()
    qtbot.waitUntil(lambda: bool(wizard.error.text()) and not wizard._busy(), timeout=15_000)
    assert "未能识别表头" in wizard.error.text()
    wizard.close()


# 2 and 3 ---------------------------------------------------------------------------------
def test_undo_on_imports_page_reports_what_it_removed_and_kept(
        qtbot, database, settings, runner, tmp_path, code, messages, monkeypatch):
    path = write_xlsx(tmp_path / "小巨人名单.xlsx", {"名单": recognition_rows(code)})
    _plan, batch_id = import_file(database, path, kind="recognitions")
    with database.session() as session:  # the officer corrects one firm after the import
        firm = enterprises.by_code(session, code(801))
        enterprises.update(session, firm.id, {"contact_person": "张三"})
        session.commit()
    questions = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, *a, **k: questions.append(text) or True))
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    assert "企业 3 家 · 当前列表 3 家" in window.count_label.text()
    window.show_page(5)
    window.imports.select_batch(batch_id)
    task = window.imports.undo_selected()
    with qtbot.waitSignal(task.finished, timeout=15_000):
        pass
    # 3: the batch's number, named as the 编号 column names it, with the file
    assert questions and f"撤销导入批次 {batch_id}（小巨人名单.xlsx）" in questions[0]
    assert "第" not in questions[0]
    # 2: the same summary as the wizard's, shown to the officer
    summaries = [text for kind, text in messages if kind == "info"]
    assert len(summaries) == 1, messages
    summary = summaries[0]
    assert summary.startswith(f"已撤销导入批次 {batch_id}：删除 ")
    assert "企业 2 家" in summary
    assert "以下内容导入后被修改过，保留未动：" in summary
    assert "常州认定1号科技有限公司" in summary
    # and the status bar counts the firm that stayed, in the database and in the list
    assert "企业 1 家 · 当前列表 1 家" in window.count_label.text(), window.count_label.text()
    assert window.imports.model.record(0)["undone_at"] is not None
    window.show_page(1)
    assert window.roster.model.rowCount() == 1
    window.close()


def test_undo_of_a_batch_undone_meanwhile_is_a_message_not_a_traceback(
        qtbot, database, settings, runner, tmp_path, code, messages, caplog):
    path = write_xlsx(tmp_path / "名录.xlsx", {"武进区": roster_rows(code)})
    _plan, batch_id = import_file(database, path)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    view.select_batch(batch_id)
    from tests.importers.helpers import undo

    undo(database, batch_id)  # from the CLI, while the page still shows it 有效
    with caplog.at_level(logging.INFO):
        task = view.undo_selected()
        with qtbot.waitSignal(task.finished, timeout=15_000):
            pass
    assert [kind for kind, _text in messages] == ["error"]
    assert "已于" in messages[0][1] and "撤销过" in messages[0][1]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# 4 ---------------------------------------------------------------------------------------
def test_title_fields_only_for_a_recognition_list(qtbot, database, settings, runner, tmp_path,
                                                  code):
    path = write_xlsx(tmp_path / "第五批小巨人.xlsx", {"名单": recognition_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    title_fields = (wizard.tier, wizard.level, wizard.batch_label, wizard.is_review)

    def shown(widget):
        label = wizard.meta_form.labelForField(widget)
        return widget.isVisibleTo(wizard) and (label is None or label.isVisibleTo(wizard))

    assert wizard.kind.currentData() == "recognitions"
    assert wizard.tier.currentData() == "little_giant"
    assert all(shown(w) for w in title_fields) and shown(wizard.batch_year)
    for kind in ("roster", "support", "figures"):
        wizard.kind.setCurrentIndex(wizard.kind.findData(kind))
        assert not any(shown(w) for w in title_fields), kind
        assert shown(wizard.batch_year), kind
        assert wizard.mapping_table.rowCount() == 4
        options = wizard.corrected_detection()
        assert options.kind == kind
    # back and forth: the fields and what they hold come back
    wizard.kind.setCurrentIndex(wizard.kind.findData("recognitions"))
    assert all(shown(w) for w in title_fields)
    assert wizard.tier.currentData() == "little_giant"
    assert wizard.corrected_detection().metadata.tier == "little_giant"
    # a 企业名录 of the same file imports firms, and records no title
    wizard.kind.setCurrentIndex(wizard.kind.findData("roster"))
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert wizard.plan.kind == "roster"
    assert not any(record.entity == "recognition" for row in wizard.plan.rows
                   for record in row.records)
    wizard.close()


def test_a_second_file_of_another_kind_hides_the_title_fields(qtbot, database, settings, runner,
                                                              tmp_path, code):
    recognitions = write_xlsx(tmp_path / "第五批小巨人.xlsx", {"名单": recognition_rows(code)})
    roster = write_xlsx(tmp_path / "名录.xlsx", {"武进区": roster_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, recognitions, MAPPING)
    assert wizard.tier.isVisibleTo(wizard)
    wizard.show_step(FILE)
    wizard.path.setText(str(roster))
    wizard.next_button.click()
    wait_idle(qtbot, wizard, MAPPING)
    assert wizard.kind.currentData() == "roster"
    assert not wizard.tier.isVisibleTo(wizard) and wizard.batch_year.isVisibleTo(wizard)
    wizard.close()


# 5 ---------------------------------------------------------------------------------------
def test_file_dialog_offers_txt_with_the_excel_kinds(qtbot, database, settings, runner,
                                                     monkeypatch):
    asked = []
    monkeypatch.setattr(FileDialog, "open_file", classmethod(
        lambda cls, parent, title, folder, filters: asked.append(filters) or ""))
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.browse()
    first = asked[0].split(";;")[0]
    for pattern in ("*.xlsx", "*.xlsm", "*.xls", "*.csv", "*.txt"):
        assert pattern in first


def test_tab_separated_txt_imports(qtbot, database, settings, runner, tmp_path, code):
    path = tmp_path / "名录.txt"
    lines = ["企业名称\t统一社会信用代码\t县区",
             f"常州文本一号科技有限公司\t{code(901)}\t武进区"]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.current_mapping()[0] == "name"
    wizard.close()


# 6 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", [360, 1100])
def test_result_buttons_show_their_whole_label(qtbot, database, settings, runner, width):
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.show_step(RESULT)
    wizard.resize(width, 400)
    qtbot.waitUntil(lambda: wizard.save_problems_button.isVisible())
    for button in (wizard.save_problems_button, wizard.undo_button):
        metrics = button.fontMetrics()
        needed = max(metrics.horizontalAdvance(button.text()),
                     metrics.boundingRect(button.text()).width())
        # the label and some room on both sides (the style's margins)
        assert button.width() >= needed + 2 * metrics.averageCharWidth(), button.text()
        assert button.minimumWidth() >= needed


# 7 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated zip"])
def test_refused_file_is_told_not_logged_as_a_crash(qtbot, database, settings, runner, tmp_path,
                                                    caplog, content):
    path = tmp_path / "名单.xlsx"
    path.write_bytes(content)
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    assert "名单.xlsx" in wizard.error.text()
    assert wizard.current_step() == FILE
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text


def test_an_unexpected_failure_is_still_logged(qtbot, database, settings, runner, tmp_path,
                                               caplog, monkeypatch):
    import ui.import_wizard.jobs as wizard_module

    def broken(path):
        raise RuntimeError("读取器出错")

    monkeypatch.setattr(wizard_module, "open_source", broken)
    path = tmp_path / "名单.xlsx"
    path.write_bytes(b"whatever")
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    with caplog.at_level(logging.INFO), qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    assert "读取器出错" in wizard.error.text()
    assert "Traceback" in caplog.text and "RuntimeError" in caplog.text


def test_an_error_rows_code_is_shown_as_written(database, tmp_path):
    """The preview's code column of a row whose code is not valid shows what the cell holds
    (it was blank, the bad value only inside the problem text)."""
    from importers import build_plan, drain
    from ui.plan_table_model import PlanTableModel

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["甲科技有限公司", "91320412abc"]]})
    with database.session() as session:
        plan = drain(build_plan(session, detect(open_source(path)).with_options(kind="roster")))
    model = PlanTableModel(plan)
    assert model.data(model.index(0, 3)) == "91320412abc"
    assert model.data(model.index(0, 1)) == "错误"


def test_the_year_read_from_the_title_does_not_pick_one_group(qtbot, database, settings, runner):
    """A title “（2023—2024年）” fills in 年度 2024; left as it is, the wizard imports both
    year groups of the sheet (it used to pass the year on as given, dropping 2023)."""
    from pathlib import Path

    path = Path(__file__).parent.parent / "data" / "figures_two_years_libreoffice.xls"
    with database.session() as session:
        enterprises.create(session, {"credit_code": "91320582070000014E", "name": "甲有限公司"})
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == MAPPING and not wizard._busy(), timeout=15_000)
    assert wizard.batch_year.value() == 2024
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == PREVIEW and not wizard._busy(), timeout=15_000)
    row = next(r for r in wizard.plan.rows if r.credit_code == "91320582070000014E")
    assert [r.description for r in row.records] == ["2023年 年度数据", "2024年 年度数据"]
    # changed by the user, the year counts: only its group
    wizard.back()
    wizard.batch_year.setValue(2023)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == PREVIEW and not wizard._busy(), timeout=15_000)
    row = next(r for r in wizard.plan.rows if r.credit_code == "91320582070000014E")
    assert [r.description for r in row.records] == ["2023年 年度数据"]


def test_a_numbered_batch_shows_its_year(qtbot, database, settings, runner, tmp_path, code):
    path = write_xlsx(tmp_path / "第六批.xlsx", {"S": [
        ["第六批专精特新“小巨人”企业名单"], ["企业名称", "统一社会信用代码"],
        ["甲有限公司", code(1)]]})
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step() == MAPPING and not wizard._busy(), timeout=15_000)
    assert wizard.batch_year.value() == 2024  # as the plan will use it, not “(未知)”
    assert not wizard.corrected_detection().metadata.year_given
