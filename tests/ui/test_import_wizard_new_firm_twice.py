"""The wizard imports a recognition list naming one new firm on two rows (two tiers): the
firm once, both titles on it (audit28 #2: the import failed with 程序内部错误)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from tiers.model.orm import Enterprise, Recognition
from ui.import_wizard import MAPPING, PREVIEW, RESULT


def test_the_new_firm_is_created_once_with_both_titles(qtbot, database, settings, runner,
                                                       tmp_path, code):
    path = write_xlsx(tmp_path / "认定名单.xlsx", {"名单": [
        ["统一社会信用代码", "企业名称", "县（市、区）", "梯度层级", "认定批次", "认定年度"],
        [code(12), "审计十二号有限公司", "武进区", "省级专精特新中小企业", "2024年度", 2024],
        [code(12), "审计十二号有限公司", "武进区", "创新型中小企业", "2024年度", 2024]]})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    assert wizard.kind.currentData() == "recognitions"
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    counts = wizard.plan.counts()
    assert (counts["created"], counts["updated"], counts["errors"]) == (1, 1, 0)
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert "错误" not in wizard.error.text()
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 1
        assert sorted(session.scalars(select(Recognition.tier_code))) == ["innovative", "zjtx"]
    wizard.close()
