"""培育名单's 较上年变化 at 1366×768: the change in a few words that fit the cell (the
conclusion, which condition turned), the whole, one change a line, in the tooltip and in
导出当前列表."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from PySide6.QtCore import Qt

from tests.conftest import make_code
from tiers.services import cultivation, enterprises, figures
from ui.cultivation_view import CultivationView

NEXT_YEAR = dt.date.today().year + 1
WIDTH_AT_1366 = 1230  # the page's width in the main window maximised at 1366×768

pytestmark = pytest.mark.usefixtures("rules_before_2026")


@pytest.fixture(params=["county", "city"])
def view(request, qtbot, database, settings, runner, assess_county):
    """The county's own database, and a city's: a firm of 新北区 with a long name beside
    (the 县区 column shown, the name column wide: 较上年变化 was cut to 237 px)."""
    year, one_short = assess_county["year"], assess_county["one_short"]
    if request.param == "city":
        with database.session() as session:
            far = enterprises.create(session, {
                "credit_code": make_code(900), "name": "常州市新北区精密传感技术科技集团有限公司",
                "county": "新北区", "town": "薛家镇"})
            cultivation.add(session, far.id, {"target_tier": "zjtx",
                                              "target_year": NEXT_YEAR, "officer": "孙敏"})
    with database.session() as session:
        # 乙 met the R&D conditions a year earlier (its score short of data) and is short now
        figures.set_year(session, one_short, year - 1, dict(
            revenue=1900, main_revenue=1700, rd_expense=100, niche_years=3, total_assets=2000,
            total_liabilities=800, employees=100, rd_staff=20, ip_class1=2, ip_class2=3,
            net_profit=150))
        figures.set_year(session, one_short, year - 3, dict(revenue=1700, main_revenue=1500))
        cultivation.add(session, one_short, {"target_tier": "zjtx", "target_year": NEXT_YEAR,
                                             "officer": "王丽"})
    view = CultivationView(database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    view.resize(WIDTH_AT_1366, 600)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):  # the entries, read on the runner
        view.refresh()
    with qtbot.waitSignal(view.overview_task.finished, timeout=20_000):
        pass
    return view


def test_the_change_fits_its_cell_and_names_the_condition(view):
    column = [c.key for c in view.model.columns].index("changes")
    row = next(r for r in range(view.model.rowCount())
               if view.model.record(r)["name"] == "常州乙科技有限公司")
    index = view.model.index(row, column)
    shown = index.data(Qt.DisplayRole)
    assert shown == "缺数据→差一项；研发费用等2项转为不满足；得分38—82→62"
    room = view.table.columnWidth(column) - 12  # the cell's margins
    assert view.table.fontMetrics().horizontalAdvance(shown) <= room
    assert view.table.horizontalScrollBar().maximum() == 0
    tip = index.data(Qt.ToolTipRole)
    assert tip.splitlines()[0] == "结论：缺数据 → 差一项"
    assert any(line.startswith("上年度研发费用") and "满足 → 不满足" in line
               for line in tip.splitlines())
    # a 直通 not taken (缺数据 → 不满足) is no step back: the cell leaves it out, and the
    # whole text (the same walk of the two years) too
    assert not any(line.startswith("直通") for line in tip.splitlines())


def test_the_names_stay_readable(view):
    """The name is what the officer reads the list by: giving way to 较上年变化 it was cut
    to 130 px (常州东图食品机械股…); it keeps 13 characters, the code giving way too."""
    name = [c.key for c in view.model.columns].index("name")
    metrics = view.table.fontMetrics()
    longest = max(metrics.horizontalAdvance(view.model.record(row)["name"])
                  for row in range(view.model.rowCount()))
    least = min(longest, metrics.horizontalAdvance("常州东图食品机械股份有限")) + 6
    assert view.table.columnWidth(name) >= least
    assert view.table.horizontalScrollBar().maximum() == 0


def test_the_export_has_the_whole_change(view, tmp_path, qtbot):
    path = tmp_path / "培育库.xlsx"
    task = view.comforts.export_current_list(str(path))
    if task is not None and not isinstance(task, type(path)):
        with qtbot.waitSignal(task.finished, timeout=20_000):
            pass
    sheet = openpyxl.load_workbook(path).active
    texts = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert any(text.startswith("结论：缺数据 → 差一项；评价得分")
               and "上年度研发费用总额不低于100万元：满足 → 不满足" in text for text in texts)


def test_the_widths_follow_the_window(view, qtbot):
    """Maximised on a wide screen the long columns get their room back; made narrow again
    (on a 1366 screen, or the window restored) they give it up for the change again."""
    table, keys = view.table, [c.key for c in view.model.columns]
    name, changes = keys.index("name"), keys.index("changes")
    view.resize(1780, 600)
    qtbot.waitUntil(lambda: table.columnWidth(name) == view.fitted[name])
    view.resize(WIDTH_AT_1366, 600)
    qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0)
    row = next(r for r in range(view.model.rowCount())
               if view.model.record(r)["name"] == "常州乙科技有限公司")
    shown = view.model.index(row, changes).data(Qt.DisplayRole)
    assert table.fontMetrics().horizontalAdvance(shown) <= table.columnWidth(changes) - 12
