"""The export dialog builds the 拟推荐企业名单 form from the registry: only the tiers that can
be assessed, no （全部） for the required tier, the figures year defaulting to 上年度."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox, QSpinBox
from python_calamine import CalamineWorkbook

from tiers import assess
from ui.export_dialog import ExportDialog

# worked under the 2022 rules (the 2026 办法 has its own tests: test_assess_tab_2026.py)
pytestmark = pytest.mark.usefixtures("rules_before_2026")

def test_candidates_form_and_export(qtbot, demo_database, settings, runner, tmp_path):
    dialog = ExportDialog(demo_database, settings, runner, report="candidates")
    qtbot.addWidget(dialog)
    assert dialog.definition().name == "candidates"
    tier = dialog.filter_widgets["tier"]
    assert isinstance(tier, QComboBox)
    assert [tier.itemData(i) for i in range(tier.count())] == list(assess.assessable_tiers())
    year = dialog.filter_widgets["year"]
    assert isinstance(year, QSpinBox) and year.value() == 0
    assert year.specialValueText() == "（上年度）"
    status = dialog.filter_widgets["status"]
    assert status.currentData() == "不含不符合"
    assert dialog.filter_widgets["county"].itemText(0) == "（全部）"
    dialog.set_filter("tier", "zjtx")
    dialog.set_filter("status", "全部")
    request = dialog.request()
    assert (request.tier, request.status, request.year) == ("zjtx", "全部", None)
    target = tmp_path / "拟推荐.xlsx"
    dialog.path.setText(str(target))
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        dialog.export_button.click()
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "常州市拟推荐企业名单（省级专精特新中小企业）"
    with demo_database.session() as session:
        want = assess.candidates_report_rows(session, "zjtx", include_not_ready=True,
                                             include_flagged=True)
    names = [row[3] for row in rows if isinstance(row[0], float)]
    assert names == [row["name"] for row in want]
