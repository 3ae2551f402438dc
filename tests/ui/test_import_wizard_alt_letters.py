"""The import wizard's buttons have the letters every Windows wizard has: Alt+N 下一步,
Alt+B 上一步, Alt+I 导入; the 年度 field, which had N, has another (Alt+N went to it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.importers.helpers import write_xlsx
from tests.ui.wizard_helpers import open_wizard, recognition_rows, wait_idle
from ui.import_wizard.steps import MAPPING, PREVIEW


def _alt(qtbot, wizard, key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or wizard, key, Qt.AltModifier)


def test_alt_n_b_i_go_next_back_and_import(qtbot, database, settings, runner, tmp_path, code):
    path = write_xlsx(tmp_path / "小巨人名单.xlsx", {"名单": recognition_rows(code)})
    wizard = open_wizard(qtbot, database, settings, runner, path, MAPPING)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5_000)
    year_label = wizard.mapping_page.meta_form.labelForField(wizard.batch_year)
    assert "(&N)" not in year_label.text() and "(&" in year_label.text()
    assert wizard.back_button.text() == "< 上一步(&B)"
    assert wizard.next_button.text() == "下一步(&N) >"
    _alt(qtbot, wizard, Qt.Key_N)
    wait_idle(qtbot, wizard, PREVIEW)
    assert wizard.next_button.text() == "导入(&I)"
    _alt(qtbot, wizard, Qt.Key_B)
    wait_idle(qtbot, wizard, MAPPING)
    _alt(qtbot, wizard, Qt.Key_N)
    wait_idle(qtbot, wizard, PREVIEW)
    with qtbot.waitSignal(wizard.imported, timeout=15_000):
        _alt(qtbot, wizard, Qt.Key_I)
