from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt

from importers.columns import mappings_path
from tiers.queries import roster
from ui.import_wizard import MAPPING, PREVIEW, RESULT, ImportWizard
from ui.plan_table_model import PROBLEMS_COLUMN, PlanTableModel


@pytest.fixture
def roster_file(tmp_path, code):
    path = tmp_path / "武进区企业名录.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "企业名录"
    sheet.append(["2024年武进区重点企业名录"])
    sheet.merge_cells("A1:E1")
    # with its county column: a new firm without one gets the county of its credit code,
    # with a warning, and the preview's “只看有问题的行” would list it too
    sheet.append(["序号", "企业名称", "统一社会信用代码", "所在镇（街道）", "主导产品", "县区"])
    sheet.append([1, "常州导入一号科技有限公司", code(101), "湖塘镇", "液压油缸", "武进区"])
    sheet.append([2, "常州导入二号科技有限公司", code(102), "牛塘镇", "精密齿轮", "武进区"])
    sheet.append([3, "常州导入三号科技有限公司", code(103)[:-1] + "X" if code(103)[-1] != "X"
                  else code(103)[:-1] + "0", "洛阳镇", "传感器", "武进区"])
    book.save(path)
    return path


def wait_step(qtbot, wizard, step):
    qtbot.waitUntil(lambda: (wizard.current_step() == step or bool(wizard.error.text()))
                    and wizard.runner.settled, timeout=15_000)
    assert wizard.current_step() == step, wizard.error.text()


def test_whole_import_with_undo(qtbot, database, settings, runner, roster_file, tmp_path):
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.show()
    assert not wizard.next_button.isEnabled()
    wizard.path.setText(str(roster_file))
    wizard.next_button.click()
    wait_step(qtbot, wizard, MAPPING)  # one sheet: straight to the mapping
    assert wizard.kind.currentData() == "roster"
    mapping = wizard.current_mapping()
    assert mapping[1] == "name" and mapping[2] == "credit_code"
    # the user corrects a column: 主导产品 is not imported this time
    combo = wizard.mapping_combo(4)
    combo.setCurrentIndex(0)
    wizard.next_button.click()
    wait_step(qtbot, wizard, PREVIEW)
    assert wizard.plan.counts()["created"] == 2 and wizard.plan.counts()["errors"] == 1
    assert "新增 2" in wizard.counts.text() and "错误 1" in wizard.counts.text()
    assert wizard.plan_model.rowCount() == 3
    wizard.problems_only.setChecked(True)
    assert wizard.plan_model.rowCount() == 1
    assert "校验" in wizard.plan_model.data(wizard.plan_model.index(0, PROBLEMS_COLUMN)) or \
        wizard.plan_model.data(wizard.plan_model.index(0, PROBLEMS_COLUMN))
    with database.session() as session:  # nothing written by the preview
        assert roster.count(session, roster.RosterFilter()) == 0
    # Enter imports, wherever the focus is: 关闭 is never the default button
    assert wizard.next_button.isDefault() and wizard.next_button.text() == "导入(&I)"
    assert not wizard.close_button.autoDefault() and not wizard.close_button.isDefault()
    wizard.close_button.setFocus()
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        qtbot.keyClick(wizard.close_button, Qt.Key_Return)
    wait_step(qtbot, wizard, RESULT)
    assert wizard.isVisible()
    assert mappings_path().is_file()  # the corrected columns, remembered by the job
    assert wizard.close_button.isDefault() and not wizard.next_button.isDefault()  # Enter closes
    with database.session() as session:
        rows = roster.roster(session, roster.RosterFilter())
    assert [r["name"] for r in rows] == ["常州导入二号科技有限公司", "常州导入一号科技有限公司"] \
        or sorted(r["name"] for r in rows) == ["常州导入一号科技有限公司", "常州导入二号科技有限公司"]
    assert all(r["main_product"] == "" for r in rows)  # the column the user switched off
    problems = tmp_path / "问题行.xlsx"
    with qtbot.waitSignal(wizard.problems_saved, timeout=15_000) as saved:
        assert wizard.save_problems(str(problems)) is not None  # written on the runner
    assert saved.args == [1]
    saved = openpyxl.load_workbook(problems).active
    assert any("常州导入三号科技有限公司" in str(c.value) for row in saved.iter_rows()
               for c in row)
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.undo_button.click()
    with database.session() as session:
        assert roster.count(session, roster.RosterFilter()) == 0
    assert "已撤销" in wizard.result_text.text()
    assert "企业 2 家" in wizard.result_text.text()
    assert "enterprise" not in wizard.result_text.text()
    wizard.close()


def test_refused_file_shows_message(qtbot, database, settings, runner, tmp_path):
    bad = tmp_path / "不是表格.xlsx"
    bad.write_bytes(b"this is not a workbook")
    wizard = ImportWizard(database, settings, runner, path=str(bad))
    qtbot.addWidget(wizard)
    with qtbot.waitSignal(wizard.task_failed, timeout=10_000):
        wizard.next_button.click()
    assert wizard.error.text()
    assert wizard.current_step() == 0


def test_plan_model_passes_modeltester(qtmodeltester, qtbot, database, settings, runner,
                                       roster_file):
    wizard = ImportWizard(database, settings, runner, path=str(roster_file))
    qtbot.addWidget(wizard)
    wizard.next_button.click()
    wait_step(qtbot, wizard, MAPPING)
    wizard.next_button.click()
    wait_step(qtbot, wizard, PREVIEW)
    model = PlanTableModel(wizard.plan)
    qtmodeltester.check(model)
    model.set_problems_only(True)
    qtmodeltester.check(model)


def test_undo_from_imports_view(qtbot, database, settings, runner, roster_file):
    from ui.imports_view import ImportsView

    wizard = ImportWizard(database, settings, runner, path=str(roster_file))
    qtbot.addWidget(wizard)
    wizard.next_button.click()
    wait_step(qtbot, wizard, MAPPING)
    wizard.next_button.click()
    wait_step(qtbot, wizard, PREVIEW)
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next_button.click()
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    view.select_batch(wizard.batch_id)
    with qtbot.waitSignal(view.undone, timeout=15_000):  # asked first, with the counts
        view.undo_selected()
    qtbot.waitUntil(lambda: view.reading.task is None and not view.undoing
                    and view.model.record(0)["undone_at"] is not None, timeout=15_000)
    assert not view.undo_button.isEnabled()  # undone: not offered again
    with database.session() as session:
        assert roster.count(session, roster.RosterFilter()) == 0


def test_the_problem_rows_never_replace_the_list_edited_after_the_preview(
        qtbot, database, settings, runner, roster_file, messages):
    """The wizard recognised the list by its digest alone: saved again in Excel after the
    preview, it was written over with the problem rows (review of round 14)."""
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.path.setText(str(roster_file))
    wizard.next_button.click()
    wait_step(qtbot, wizard, MAPPING)
    wizard.next_button.click()
    wait_step(qtbot, wizard, PREVIEW)
    book = openpyxl.load_workbook(roster_file)  # the officer fixes a row in Excel meanwhile
    book.active["B5"] = "常州导入三号改过科技有限公司"
    book.save(roster_file)
    edited = roster_file.read_bytes()
    task = wizard.save_problems(str(roster_file))
    with qtbot.waitSignal(task.finished, timeout=15_000):
        pass
    assert roster_file.read_bytes() == edited
    assert messages[-1][0] == "error" and "不能保存为正在导入的文件" in messages[-1][1]
    wizard.close()
