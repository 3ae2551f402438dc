"""The 填报单位 the report dialog proposes, and the 发出单位 of 导出采集表, follow the county
the report is for (the firms the forms go to): a county's database holds other counties'
firms from province lists, and proposed 常州市工业和信息化局 for a 溧阳市 report (tester25),
while its package said 溧阳市. A unit the officer typed stays."""

from __future__ import annotations

import pytest

from tests.conftest import make_code
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.collection_dialog import CollectionDialog
from ui.export_dialog import ExportDialog

LIYANG, CITY = "溧阳市工业和信息化局", "常州市工业和信息化局"


@pytest.fixture
def liyang(tmp_path):
    """溧阳's database after a province list: two of its firms, one of 武进区, one of 新北区."""
    database = open_database(tmp_path / "liyang.sqlite3")
    with database.session() as session:
        for serial, county in enumerate(("320481", "320481", "320412", "320411"), start=1):
            enterprises.create(session, {"credit_code": make_code(serial, county),
                                         "county_code": county, "name": f"企业{serial}有限公司"})
    yield database
    database.dispose()


def test_the_report_dialogs_unit_follows_its_county(qtbot, liyang, settings, runner):
    dialog = ExportDialog(liyang, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._counties_and_towns is not None, timeout=10_000)
    assert dialog.unit.text() == CITY  # the whole database: several counties
    dialog.set_filter("county", "溧阳市")
    assert dialog.unit.text() == LIYANG
    dialog.set_filter("county", "武进区")
    assert dialog.unit.text() == "常州市武进区工业和信息化局"
    dialog.set_filter("county", None)
    assert dialog.unit.text() == CITY
    dialog.unit.setText("溧阳市工信局企业科")  # the officer's own: kept
    dialog.set_filter("county", "溧阳市")
    assert dialog.unit.text() == "溧阳市工信局企业科"


def test_the_report_dialog_opened_on_a_county_proposes_its_bureau(qtbot, liyang, settings,
                                                                  runner):
    """Opened from the roster filtered to 溧阳市: its bureau from the start."""
    dialog = ExportDialog(liyang, settings, runner, report="summary",
                          filters={"county": "溧阳市"})
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._counties_and_towns is not None, timeout=10_000)
    assert dialog.unit.text() == LIYANG


def test_the_collection_unit_follows_the_firms_it_goes_to(qtbot, liyang, settings, runner):
    dialog = CollectionDialog(liyang, settings, runner, listed=[1, 2, 3, 4], selected=[1, 2])
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.settled and dialog.unit.text() != "", timeout=10_000)
    assert dialog.firms.currentData() == "selected"
    assert dialog.unit.text() == LIYANG  # 溧阳's two firms
    assert "按所导出企业所在区县推定" in dialog.unit_note.text()
    dialog.firms.setCurrentIndex(dialog.firms.findData("listed"))
    assert dialog.unit.text() == CITY  # the list holds three counties' firms
