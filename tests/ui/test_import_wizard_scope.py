"""The import wizard on an editor's login: a province list's rows of other counties read
不导入 in the preview with the reason and the county, are counted apart, and 导入 writes
the rest (it failed whole with one red line naming no row: tester25). The rights are the
editor's as the server reports them; the server's own login is in
tests/tiers/server/test_editor_imports.py."""

from __future__ import annotations

from sqlalchemy import select

from importers.plan import build as plan_build
from tests.conftest import make_code
from tests.importers.helpers import write_xlsx
from tests.ui.test_import_wizard import wait_step
from tiers.model.orm import Enterprise
from tiers.storage.write_rights import WriteRights
from ui.import_wizard import PREVIEW, RESULT, ImportWizard
from ui.plan_table_model import PROBLEMS_COLUMN

EDITOR = WriteRights(counties=frozenset({"320481"}), role="editor", county_names=("溧阳市",))


def test_the_preview_marks_other_counties_and_the_import_writes_the_rest(
        qtbot, database, settings, runner, tmp_path, monkeypatch):
    monkeypatch.setattr(plan_build, "write_rights", lambda _session: EDITOR, raising=False)
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, "320481")],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, "320412")],
    ]})
    wizard = ImportWizard(database, settings, runner, path=str(path))
    qtbot.addWidget(wizard)
    wizard.show()
    for _ in range(4):  # 文件 → 工作表 → 对应列 → 预览, as far as the list needs
        # the button, not _busy(): the job is done on its thread before its end reaches
        # the window and enables 下一步, and waitUntil does not process events while its
        # condition already holds, so a loop on _busy() alone clicked a disabled button
        # for ever (it hung after test_import_wizard_mapping.py)
        qtbot.waitUntil(lambda: wizard.next_button.isEnabled() or bool(wizard.error.text()),
                        timeout=15_000)
        if wizard.current_step() == PREVIEW or wizard.error.text():
            break
        wizard.next_button.click()
    wait_step(qtbot, wizard, PREVIEW)
    assert "新增 1" in wizard.counts.text()
    assert "不导入（不在负责区县） 1" in wizard.counts.text()
    model = wizard.plan_model
    actions = [model.data(model.index(n, 1)) for n in range(model.rowCount())]
    assert actions == ["新增", "不导入"]
    assert model.data(model.index(1, PROBLEMS_COLUMN)) == (
        "B列：其他区县（武进区），不在您负责的范围（溧阳市），不导入")
    wizard.problems_only.setChecked(True)  # the row left out is one to look at
    assert model.rowCount() == 1
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next_button.click()
    wait_step(qtbot, wizard, RESULT)
    assert "不导入（不在负责区县） 1" in wizard.result_text.text()
    assert not wizard.error.text()
    with database.session() as session:
        assert list(session.scalars(select(Enterprise.name))) == ["溧阳市天目湖精密机械有限公司"]
    wizard.close()
