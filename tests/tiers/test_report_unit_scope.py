"""With 本单位负责的区县 recorded, a report is of the unit by default (tester28a, 严重): the
unit's counties' firms and the firms without a county the unit's rule places in it
(UnitCounties.covers_firm: a 开发区 named by the unit's place), titled for the unit; the other
counties' firms (a city's list imported before the unit was set brought 溧阳's in) are left
out, said, and taken in on asking (--county all). 新北区's 汇总表 counted a 溧阳 firm in its
totals, and choosing 新北区 dropped its own 开发区's firm. One rule
(tiers.queries.unit_scope) for every report, the CLI, the dialog and the 工作台."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import TODAY, make_code
from tiers import reports
from tiers.progress import drain
from tiers.queries import dashboard, unit_scope
from tiers.reports import ReportRequest
from tiers.services import enterprises, recognitions
from tiers.services.unit import set_unit_counties

XINBEI, LIYANG, CITY, WUXI = "320411", "320481", "320400", "320200"
OWN, ZONE, OTHER, CITY_ZONE = ("新北精工有限公司", "新北高新区材料有限公司", "溧阳电池有限公司",
                               "无锡高新区装备有限公司")


def _firm(session, serial, name, registered, **where):
    firm = enterprises.create(session, {"credit_code": make_code(serial, registered),
                                        "name": name, **where})
    recognitions.add(session, firm.id, {"tier_code": "创新型", "batch_year": TODAY.year,
                                        "recognized_on": TODAY - dt.timedelta(days=30),
                                        "valid_until": TODAY + dt.timedelta(days=60)})
    return firm


@pytest.fixture
def xinbei(session):
    """新北区's laptop: its own firm, a firm of its 开发区 without a county code (the unit's
    by the rule), a 溧阳 firm a city list brought in, and a firm of another city's 开发区 that the
    rule places elsewhere (a zone named by 常州 itself tells nothing: a firm of it already
    here is 新北区's, as the import takes it, tester28a)."""
    _firm(session, 1, OWN, XINBEI, county_code=XINBEI)
    zone = _firm(session, 2, ZONE, CITY, county="新北高新区")
    _firm(session, 3, OTHER, LIYANG, county_code=LIYANG)
    city_zone = _firm(session, 4, CITY_ZONE, WUXI, county="无锡高新区")
    assert zone.county_code is None and city_zone.county_code is None
    set_unit_counties(session, ["新北区"])
    session.flush()
    return session


def _export(session, tmp_path: Path, name: str, **filters) -> list[list]:
    target = tmp_path / f"{name}-{len(list(tmp_path.iterdir()))}.xlsx"
    drain(reports.export_steps(session, name, target,
                               ReportRequest(**filters, filled_on=TODAY, today=TODAY)))
    return CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()


def _names(rows: list[list]) -> set[str]:
    return {cell for row in rows for cell in row if cell in (OWN, ZONE, OTHER, CITY_ZONE)}


def test_the_summary_counts_the_units_firms_and_is_titled_for_it(xinbei, tmp_path):
    rows = _export(xinbei, tmp_path, "summary")
    assert str(rows[0][0]).startswith("新北区")
    total = next(row for row in rows if row[0] == "合计")
    # 科技型中小企业's four columns, then 创新型: 累计 2 (新北区's and its 开发区's)
    assert total[6] == 2
    assert not any("溧阳" in str(cell) for row in rows for cell in row)


@pytest.mark.parametrize("name", ["roster", "expiring"])
def test_a_list_holds_the_unit_and_its_zone_not_the_other_county(xinbei, tmp_path, name):
    assert _names(_export(xinbei, tmp_path, name)) == {OWN, ZONE}


def test_choosing_the_units_county_keeps_its_zones_firm(xinbei, tmp_path):
    assert _names(_export(xinbei, tmp_path, "roster", county="新北区")) == {OWN, ZONE}
    assert _names(_export(xinbei, tmp_path, "roster", county=XINBEI)) == {OWN, ZONE}
    # （未填区县）: the unit's firms without a county
    assert _names(_export(xinbei, tmp_path, "roster", county="none")) == {ZONE}


def test_other_counties_on_asking(xinbei, tmp_path):
    assert _names(_export(xinbei, tmp_path, "roster", county="all")) == {
        OWN, ZONE, OTHER, CITY_ZONE}
    rows = _export(xinbei, tmp_path, "roster", county="溧阳市")
    assert _names(rows) == {OTHER} and str(rows[0][0]).startswith("溧阳市")


def test_what_the_default_leaves_out_is_said(xinbei):
    note = unit_scope.left_out(xinbei)
    assert note is not None
    assert note.others == [("溧阳市", 1)] and note.uncovered == 1
    assert note.text == ("本单位负责的区县为新北区：报表默认只含新北区的企业及按规则属于本单位的未填区县企业，"
                         "未含溧阳市 1 家、不能认定属于本单位的未填区县企业 1 家")


def test_no_unit_no_change(session, tmp_path):
    _firm(session, 1, OWN, XINBEI, county_code=XINBEI)
    _firm(session, 3, OTHER, LIYANG, county_code=LIYANG)
    assert unit_scope.left_out(session) is None
    assert _names(_export(session, tmp_path, "roster")) == {OWN, OTHER}


def test_the_dashboard_counts_the_unit(xinbei):
    assert dashboard.overview(xinbei, today=TODAY)["enterprises"] == 2
    assert dashboard.overview(xinbei, today=TODAY, county="all")["enterprises"] == 4
    assert dashboard.tier_totals(xinbei, today=TODAY)["innovative"] == 2


def test_a_zone_named_by_the_city_already_here_is_the_units(xinbei, tmp_path):
    """tester28a: 常州滨江经济开发区 is 新北区's own zone, named by the city around it; the rule
    cannot tell (it might be another of 常州's counties'), so a firm of it in the database is
    the unit's in the reports as it is in the imports (UnitCounties.covers_firm, existing)."""
    _firm(xinbei, 5, "常州滨江化工有限公司", CITY, county="常州滨江经济开发区")
    xinbei.flush()
    rows = _export(xinbei, tmp_path, "roster")
    assert "常州滨江化工有限公司" in {cell for row in rows for cell in row}
