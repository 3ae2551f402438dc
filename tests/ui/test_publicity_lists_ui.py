"""公示 lists in the client: the wizard says which of the two a list was taken as and lets
the officer change it, the result names who a final list left out, and the enterprise
window confirms a recognition 公示中 (issue #16)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from tests.importers.helpers import import_file, write_xlsx
from tests.ui.wizard_helpers import open_wizard, wait_idle
from tiers.model import ladder
from tiers.model.orm import Recognition
from tiers.queries import profiles
from ui.import_wizard import MAPPING, PREVIEW, RESULT
from ui.roster_view import RosterView

HEADER = ["序号", "企业名称", "统一社会信用代码"]


def _rows(code, numbers):
    return [[n, f"常州公示{n}号科技有限公司", code(900 + n)] for n in numbers]


def _pending(database) -> list[bool]:
    with database.session() as session:
        return [bool(p) for p in session.scalars(
            select(Recognition.is_pending).order_by(Recognition.enterprise_id))]


def test_the_wizard_takes_a_publicity_list_as_such_unless_told(qtbot, database, settings,
                                                               runner, tmp_path, code):
    path = write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于第五批专精特新“小巨人”企业名单的公示"], HEADER, *_rows(code, (1, 2, 3))]})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    standing = wizard.mapping_page.standing
    assert standing.isVisibleTo(wizard) and standing.currentData() is True
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert "按公示名单导入" in wizard.preview_page.standing.text()
    wizard.show_step(MAPPING)  # the officer knows better: it is the final list
    standing.setCurrentIndex(standing.findData(False))
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert wizard.preview_page.standing.text().startswith("按认定名单导入")
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert _pending(database) == [False] * 3
    wizard.close()


def test_the_result_names_who_the_final_list_left_out(qtbot, database, settings, runner,
                                                      tmp_path, code):
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于第五批专精特新“小巨人”企业名单的公示"], HEADER, *_rows(code, (1, 2, 3))]}))
    final = write_xlsx(tmp_path / "名单.xlsx", {"名单": [
        ["第五批专精特新“小巨人”企业名单"], HEADER, *_rows(code, (1, 2))]})
    wizard = open_wizard(qtbot, database, settings, runner, final, MAPPING)
    wizard.next_button.click()
    wait_idle(qtbot, wizard, PREVIEW)
    assert "不在本认定名单中的企业 1 家" in wizard.preview_page.standing.text()
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        wizard.next_button.click()
    wait_idle(qtbot, wizard, RESULT)
    assert "常州公示3号科技有限公司" in wizard.result_text.text()
    assert _pending(database) == [False, False, True]
    wizard.close()


def test_the_enterprise_window_confirms_a_recognition(
        qtbot, firm_window, database, settings, runner, save_and_wait, tmp_path, code):
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于2026年第八批专精特新“小巨人”企业名单的公示"], HEADER, *_rows(code, (1,))]}))
    dialog = firm_window(1)
    tab = dialog.recognition_tab
    assert [row["status"] for row in tab.model.rows] == [ladder.PENDING]
    tab.select_row(0)
    tab.confirm_button.click()
    assert tab.model.rows[0]["status"] == ladder.VALID
    assert save_and_wait(dialog)
    with database.session() as session:
        assert [r["status"] for r in profiles.profile(session, 1)["recognitions"]] == [
            ladder.VALID]
    assert _pending(database) == [False]


def test_the_roster_filters_and_shows_firms_in_publicity(qtbot, database, settings, tmp_path,
                                                         code):
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于2026年第八批专精特新“小巨人”企业名单的公示"], HEADER, *_rows(code, (1, 2))]}))
    import_file(database, write_xlsx(tmp_path / "名录.xlsx", {"名录": [
        ["企业名录"], ["企业名称", "统一社会信用代码"], ["常州别的科技有限公司", code(990)]]}))
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 3
    view.filters.select(status=ladder.PENDING)
    assert view.model.rowCount() == 2
    assert {view.model.row(r)["status"] for r in range(2)} == {"公示中：小巨人"}


def test_the_rosters_current_tier_column_says_what_a_firm_is_in_publicity_for(
        qtbot, database, settings, tmp_path, code):
    """Filtered by 公示中, the roster listed the firms with an empty 当前梯度 and nothing
    else on screen saying why they were there (only a tooltip over 有效期至)."""
    from ui.enterprise_table_model import COLUMNS

    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于2026年第八批专精特新“小巨人”企业名单的公示"], HEADER, *_rows(code, (1,))]}))
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    tier = [c.key for c in COLUMNS].index("tier")
    cell = view.model.index(0, tier)
    assert cell.data() == "（公示中：小巨人）"
    assert cell.data(Qt.ForegroundRole) is not None
    assert cell.data(Qt.ToolTipRole) == "（公示中：小巨人）"  # when the column is narrow
