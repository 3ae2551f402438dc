"""填写上级模板 in the client (#19): pick the template, check the columns, fill."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "importers"))
from test_template_fill import make_template  # noqa: E402

from ui.main_window import MainWindow  # noqa: E402


@pytest.fixture(autouse=True)
def own_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("TIERS_IMPORT_MAPPINGS", str(tmp_path / "mappings.json"))


def test_fill_a_template_from_the_main_window(qtbot, demo_database, settings, runner,
                                              tmp_path):
    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    window.show_page(1)
    window.roster.filters.select(tier="zjtx")
    window.roster.apply_filters()
    dialog = window.open_template_dialog()
    assert "梯度：省级专精特新中小企业" in dialog.scope.text()
    template = make_template(tmp_path / "省厅模板.xlsx")
    with qtbot.waitSignal(dialog.read, timeout=20_000):
        dialog.open_template(str(template))
    assert "表头在第 3 行" in dialog.found.text()
    assert dialog.mapping()[1] == "name"
    dialog.set_column("研发费用（万元）", "rd_expense")
    assert dialog.target.text().endswith("省厅模板（已填写）.xlsx")
    with qtbot.waitSignal(dialog.filled, timeout=30_000):
        dialog.fill_button.click()
    sheet = openpyxl.load_workbook(dialog.target.text())["报送表"]
    names = [sheet.cell(row=r, column=2).value for r in range(4, sheet.max_row)]
    with demo_database.session() as session:
        from tiers.queries import roster
        held = roster.count(session, roster.RosterFilter(tier="zjtx"))
    assert len([n for n in names if n and n != "合计"]) == held
    # the officer's choice is remembered for the same layout
    again = window.open_template_dialog()
    with qtbot.waitSignal(again.read, timeout=20_000):
        again.open_template(str(template))
    assert again.mapping()[5] == "rd_expense"


def test_a_file_without_a_header_is_refused_in_chinese(qtbot, demo_database, settings,
                                                       runner, tmp_path):
    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    dialog = window.open_template_dialog()
    blank = tmp_path / "空白.xlsx"
    openpyxl.Workbook().save(blank)
    with qtbot.waitSignal(dialog.failed, timeout=20_000):
        dialog.open_template(str(blank))
    assert "找不到表头" in dialog.status.text() and not dialog.fill_button.isEnabled()


def test_what_the_filled_copy_cannot_keep_is_said_on_reading(qtbot, demo_database, settings,
                                                             runner, tmp_path):
    from test_template_losses import _with_dropdown

    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    dialog = window.open_template_dialog()
    with qtbot.waitSignal(dialog.read, timeout=20_000):
        dialog.open_template(str(_with_dropdown(make_template(tmp_path / "省厅模板.xlsx"))))
    assert dialog.status.text().endswith(
        "\n注意：模板中的引用其他工作表的下拉列表（数据有效性）在填好的文件中不能保留（模板本身不变）；"
        "如需要，请在填好的文件中补上。")
