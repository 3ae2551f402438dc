"""The import wizard after 导入 did not go through, and its keys on the preview:

- the database changed since the preview (生成预览之后数据库已有变化…请重新生成预览): a
  visible 重新预览(&R) makes the new preview (it took 上一步 then 下一步), and 导入 waits
  for it;
- the server's connection broke during the import: said that nothing was written, and
  导入 may be pressed again (the import checks the plan again);
- Enter on a preview row links it, as a double-click does; Enter in the preview's tables is
  never 导入 (a key meant for a row wrote the whole list)."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from tests.server_helpers import admin
from tests.ui.wizard_helpers import wait_idle
from tiers.services import enterprises
from tiers.storage.connection_faults import CONNECTION_LOST
from tiers.storage.faults import ConnectionLost
from ui.import_wizard import PREVIEW, ImportWizard
from ui.import_wizard import jobs as wizard_jobs
from ui.link_dialog import LinkDialog


@pytest.fixture
def roster_list(tmp_path, code):
    path = tmp_path / "武进区企业名录.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["武进区重点企业名录"])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "县区"])
    for number in (1, 2, 3):
        sheet.append([number, f"常州重试{number}号科技有限公司", code(300 + number), "武进区"])
    book.save(path)
    return path


def _firms(database) -> int:
    with database.session() as session:
        return session.execute(text("SELECT count(*) FROM enterprise")).scalar()


def _to_preview(qtbot, database, settings, runner, path) -> ImportWizard:
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.runner.settled and wizard.current_step() >= 2, timeout=15_000)
    if wizard.current_step() != PREVIEW:
        wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert wizard.plan.writes and wizard.next_button.isEnabled()
    return wizard


def _import_refused(qtbot, wizard) -> str:
    with qtbot.waitSignal(wizard.task_failed, timeout=15_000) as failed:
        wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.runner.settled, timeout=15_000)
    assert wizard.current_step() == PREVIEW
    return failed.args[0]


def _import(qtbot, wizard, database, firms: int) -> None:
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next_button.click()
    assert _firms(database) == firms


def test_after_the_database_changed_a_visible_replan_button_makes_the_new_preview(
        qtbot, database, settings, runner, roster_list, code):
    wizard = _to_preview(qtbot, database, settings, runner, roster_list)
    assert wizard.replan_button.isVisible() and wizard.replan_button.text() == "重新预览(&R)"
    with database.session() as session:  # a colleague saves a firm meanwhile
        enterprises.create(session, {"credit_code": code(390), "county": "武进区",
                                     "name": "常州同事新建有限公司"})
    said = _import_refused(qtbot, wizard)
    assert "生成预览之后数据库已有变化" in said and said == wizard.error.text()
    assert _firms(database) == 1  # nothing of the list written
    # 导入 waits for a new preview; 重新预览 is there, Enter's button, and focused
    assert not wizard.next_button.isEnabled()
    assert wizard.replan_button.isVisible() and wizard.replan_button.isEnabled()
    assert wizard.replan_button.isDefault() and not wizard.next_button.isDefault()
    before = wizard.plan
    qtbot.keyClick(wizard, Qt.Key_R, Qt.AltModifier)  # its letter
    qtbot.waitUntil(lambda: wizard.plan is not before and wizard.runner.settled, timeout=15_000)
    assert wizard.current_step() == PREVIEW and wizard.error.text() == ""
    assert wizard.next_button.isEnabled() and wizard.next_button.isDefault()
    assert not wizard.replan_button.isDefault()
    _import(qtbot, wizard, database, 4)
    assert not wizard.replan_button.isVisible()  # (on the result step: nothing to preview)


@pytest.mark.parametrize("at_commit", [False, True])
def test_a_lost_connection_says_nothing_was_written_and_import_goes_again(
        qtbot, database, settings, runner, roster_list, monkeypatch, at_commit):
    wizard = _to_preview(qtbot, database, settings, runner, roster_list)
    real = wizard_jobs.apply

    def breaking(database_, plan, user):
        yield from ()
        raise ConnectionLost(CONNECTION_LOST, at_commit=at_commit)

    monkeypatch.setattr(wizard_jobs, "apply", breaking)
    said = _import_refused(qtbot, wizard)
    assert said.startswith(CONNECTION_LOST) and "再按“导入”" in said, said
    assert ("无法确定这次导入是否已写入" if at_commit else "没有写入任何数据") in said, said
    assert _firms(database) == 0
    assert wizard.next_button.isEnabled() and wizard.next_button.isDefault()
    monkeypatch.setattr(wizard_jobs, "apply", real)
    _import(qtbot, wizard, database, 3)


@pytest.mark.server_only
def test_the_server_dropping_the_import_on_the_way(qtbot, database, db_target, settings,
                                                   runner, roster_list, monkeypatch):
    from importers import apply_plan as real_apply

    wizard = _to_preview(qtbot, database, settings, runner, roster_list)

    def breaking(session, plan, **kwargs):
        steps = real_apply(session, plan, **kwargs)
        yield next(steps)
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        with admin(db_target) as connection:
            connection.execute("SELECT pg_terminate_backend(%s)", (pid,))
        return (yield from steps)

    monkeypatch.setattr(wizard_jobs, "apply_plan", breaking)
    said = _import_refused(qtbot, wizard)
    assert said.startswith(CONNECTION_LOST) and "没有写入任何数据" in said, said
    assert _firms(database) == 0
    monkeypatch.setattr(wizard_jobs, "apply_plan", real_apply)
    _import(qtbot, wizard, database, 3)


def test_enter_on_a_preview_row_links_it_and_never_imports(
        qtbot, database, settings, runner, tmp_path, code, monkeypatch):
    from tests.importers.helpers import write_xlsx

    with database.session() as session:  # a firm whose 主导产品 the list would change
        enterprises.create(session, {"credit_code": code(1), "name": "常州改写甲有限公司",
                                     "county": "武进区", "main_product": "齿轮"})
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "主导产品", "县区"],
        ["常州改写甲有限公司", code(1), "减速机", "武进区"],
        ["常州新增乙有限公司", code(2), "轴承", "武进区"],
        ["常州改写甲有線公司", "", "", "武进区"],  # no code, the name mistyped: to link
    ]})
    wizard = _to_preview(qtbot, database, settings, runner, path)
    asked: list[int] = []
    monkeypatch.setattr(LinkDialog, "choose", classmethod(
        lambda cls, database_, row, *a, **k: asked.append(row.row)))  # (closed: no link)
    wizard.preview.setFocus()
    for position in range(wizard.plan_model.rowCount()):
        wizard.preview.setCurrentIndex(wizard.plan_model.index(position, 0))
        row = wizard.current_plan_row()
        before = len(asked)
        qtbot.keyClick(wizard.preview, Qt.Key_Return)
        # a row that can be linked is linked (the question asked), as with a double-click
        assert asked[before:] == ([row.row] if row.linkable else [])
    assert len(asked) == 1, asked
    page = wizard.preview_page
    page.tabs.setCurrentWidget(page.overwrite_list)
    assert page.overwrite_list.rowCount() == 1 and page.overwrite_list.isEnabled()
    page.overwrite_list.setFocus()
    page.overwrite_list.selectRow(0)
    qtbot.keyClick(page.overwrite_list, Qt.Key_Return)
    qtbot.wait(100)
    assert not wizard._busy() and wizard.current_step() == PREVIEW and wizard.batch_id is None
    assert _firms(database) == 1
    # Enter elsewhere on the step is still 导入 (the default button's key, as on every step)
    wizard.problems_only.setFocus()
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        qtbot.keyClick(wizard.problems_only, Qt.Key_Return)
    assert _firms(database) == 2
