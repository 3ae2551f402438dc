"""填报单位 / 报送单位 are remembered per database: the unit typed in the city's database is
not proposed as a county database's sender; a database with none remembered proposes its
counties' bureau (常州市武进区工业和信息化局)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.conftest import make_code
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.collection_dialog import CollectionDialog
from ui.export_dialog import ExportDialog
from ui.package_export_dialog import PackageExportDialog
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def county(tmp_path):
    """A county's own database beside the city's (demo_database): one firm in 武进区."""
    database = open_database(tmp_path / "wujin.sqlite3")
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "name": "常州武进单位有限公司",
                                     "county": "武进区", "town": "湖塘镇"})
    yield database
    database.dispose()


def test_the_citys_unit_is_not_the_countys_sender(qtbot, demo_database, county, settings,
                                                   runner):
    settings.set_organisation_of(demo_database, "常州市工业和信息化局")  # typed at the city
    export = PackageExportDialog(county, settings, runner)
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.counties.count() == 1, timeout=10_000)
    assert export.unit.text() == "常州市武进区工业和信息化局"
    at_city = PackageExportDialog(demo_database, settings, runner)
    qtbot.addWidget(at_city)
    qtbot.waitUntil(lambda: at_city.counties.count() == 3, timeout=10_000)
    assert at_city.unit.text() == "常州市工业和信息化局"


def test_a_unit_typed_in_one_database_stays_with_it(qtbot, demo_database, county, settings,
                                                    runner, tmp_path):
    export = PackageExportDialog(county, settings, runner)
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.counties.count() == 1, timeout=10_000)
    export.unit.setText("武进区工信局企业科")
    export.path.setText(str(tmp_path / "包.zip"))
    with qtbot.waitSignal(export.exported, timeout=30_000):
        export.export_button.click()
    assert settings.organisation_of(county) == "武进区工信局企业科"
    assert settings.organisation_of(demo_database) == ""
    report = ExportDialog(county, settings, runner)
    collection = CollectionDialog(county, settings, runner)
    preferences = SettingsDialog(county, settings, runner)
    for dialog in (report, collection, preferences):
        qtbot.addWidget(dialog)
    assert report.unit.text() == collection.unit.text() == "武进区工信局企业科"
    assert preferences.organisation.text() == "武进区工信局企业科"
    city = PackageExportDialog(demo_database, settings, runner)
    qtbot.addWidget(city)
    qtbot.waitUntil(lambda: city.counties.count() == 3, timeout=10_000)
    # (the demo's three counties, not known to be the city's: none ticked, none proposed)
    assert city.unit.text() == ""
    for row in range(3):
        city.counties.item(row).setCheckState(Qt.Checked)
    # its counties' city, not 武进区's unit (asked of the core on the runner)
    qtbot.waitUntil(lambda: city.unit.text() == "常州市工业和信息化局", timeout=10_000)


def test_the_report_dialog_proposes_the_countys_bureau(qtbot, county, settings, runner):
    dialog = ExportDialog(county, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._counties_and_towns is not None, timeout=10_000)
    assert dialog.unit.text() == "常州市武进区工业和信息化局"


def test_both_dialogs_propose_one_unit_by_the_county_code(qtbot, tmp_path, settings, runner):
    """A database of 徐州's 鼓楼区 (a name 南京 has too): the report dialog went by the
    county's name and proposed nothing, the package dialog by its code proposed 徐州's
    bureau; both now ask tiers.exchange.status.proposed_unit."""
    database = open_database(tmp_path / "gulou.sqlite3")
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1, "320302"),
                                     "name": "徐州鼓楼单位有限公司", "county_code": "320302"})
    try:
        report = ExportDialog(database, settings, runner)
        package = PackageExportDialog(database, settings, runner)
        for dialog in (report, package):
            qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: report._counties_and_towns is not None, timeout=10_000)
        qtbot.waitUntil(lambda: package.counties.count() == 1, timeout=10_000)
        assert report.unit.text() == package.unit.text() == "徐州市鼓楼区工业和信息化局"
    finally:
        database.dispose()


def test_one_bureau_for_the_counties():
    from tiers.model.reference import industry_bureau

    assert industry_bureau(["320412"]) == "常州市武进区工业和信息化局"
    assert industry_bureau(["320412", "320411", "320412"]) == "常州市工业和信息化局"
    assert industry_bureau(["", "320412"]) == "常州市武进区工业和信息化局"
    assert industry_bureau([]) == industry_bureau([""]) == ""
    assert industry_bureau(["320412", "320102"]) == ""  # two cities: no one bureau
    # a database that receives packages is the city's, though it holds one county so far
    assert industry_bureau(["320412"], receives_packages=True) == "常州市工业和信息化局"


def test_a_server_database_s_key_is_its_login_not_the_url_as_written():
    """The same server database reached by URLs written differently (with or without the
    password, the default port or none, a ?password= query) keeps one 填报单位 (review: the
    rendered URL was hashed, and varied with each)."""
    from types import SimpleNamespace

    from sqlalchemy.engine import make_url

    from ui.app_settings import database_key

    def on(url: str):
        return SimpleNamespace(path=None, engine=SimpleNamespace(url=make_url(url)))

    keys = {database_key(on(url)) for url in (
        "postgresql+psycopg://tiers@db.example:5432/tiers",
        "postgresql+psycopg://tiers:secret@db.example/tiers",
        "postgresql+psycopg://tiers@db.example/tiers?password=secret")}
    assert len(keys) == 1
    assert database_key(on("postgresql+psycopg://tiers@db.example/other")) not in keys


def test_a_city_database_with_one_county_s_package_proposes_the_city_s_bureau(
        qtbot, county, settings, runner):
    """The city's database that so far holds only the first county's package proposed that
    county's bureau as the city's 报送单位 / 填报单位 (review): a database that receives
    packages is the city's."""
    from tests.tiers.unit_helpers import record_a_received_package

    with county.session() as session:
        record_a_received_package(session)
        session.commit()
    export = PackageExportDialog(county, settings, runner)
    qtbot.addWidget(export)
    qtbot.waitUntil(lambda: export.counties.count() == 1, timeout=10_000)
    assert export.unit.text() == "常州市工业和信息化局"
    report = ExportDialog(county, settings, runner)
    qtbot.addWidget(report)
    qtbot.waitUntil(lambda: report._counties_and_towns is not None, timeout=10_000)
    assert report.unit.text() == "常州市工业和信息化局"


def test_the_one_unit_of_earlier_releases_goes_to_the_file_it_was_used_with(
        demo_database, county, settings):
    """Earlier releases kept one 填报单位 for all: it is carried over, once, to the database
    file the client used (database/path), and not proposed for another database."""
    settings.settings.setValue("report/organisation", "常州市武进区工业和信息化局")
    settings.database_path = str(county.path)
    assert settings.organisation_of(demo_database) == ""
    assert settings.organisation_of(county) == "常州市武进区工业和信息化局"
    assert not settings.settings.contains("report/organisation")
