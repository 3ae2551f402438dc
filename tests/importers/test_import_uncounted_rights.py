"""A province's list with a county bureau's 开发区 rows (县（市、区） blank or a zone's name,
credit codes registered at the city), imported by an editor on the bureau's server
(tester27 #1: every such row was 不导入, told to write a county a 开发区 does not have).
The bureau's own editor (本单位负责的区县 all his) imports those the unit's one rule places
in the unit; those it cannot place are the unit's 不导入（不属本单位区县） rows, which he may
take in; those it places elsewhere are not his, told why and who may. An editor granted
the firms without a county imports them all. Rights as the server reports them; the
server's own policies are tested in tests/tiers/server/test_uncounted_rights.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from importers import apply_plan, build_plan, detect, drain, open_source
from importers.plan import OTHER_UNIT
from importers.plan import build as plan_build
from tests.conftest import make_code
from tests.importers.helpers import by_row, plan_file, write_xlsx
from tiers.model.orm import Enterprise
from tiers.services import unit as unit_service
from tiers.services.unit import UnitCounties
from tiers.storage.write_rights import WriteRights

WUJIN = "320412"
OWN = WriteRights(counties=frozenset({WUJIN}), role="editor", county_names=("武进区",),
                  unit=UnitCounties(((WUJIN, "武进区"),)))
GRANTED = WriteRights(counties=frozenset({WUJIN, ""}), role="editor",
                      county_names=("武进区", "未填区县的企业"))
ZONE, BLANK, ELSEWHERE = (make_code(n, "320400") for n in (51, 52, 53))


@pytest.fixture
def login(monkeypatch, database):
    with database.session() as session:  # 武进区's bureau
        unit_service.set_unit_counties(session, ["武进区"])

    def use(rights: WriteRights) -> None:
        monkeypatch.setattr(plan_build, "write_rights", lambda _session: rights, raising=False)
    return use


def _province_list(tmp_path):
    return write_xlsx(tmp_path / "2025年度省级专精特新中小企业认定名单.xlsx", {"名单": [
        ["2025年度省级专精特新中小企业认定名单"],
        ["序号", "设区市", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "常州市", "武进区", "常州武进恒通阀门有限公司", make_code(1, WUJIN)],
        [2, "常州市", "武进高新区", "常州武进高新精测有限公司", ZONE],
        [3, "常州市", "", "常州园区未写有限公司", BLANK],
        [4, "常州市", "常州国家高新区", "常州国家高新精工有限公司", ELSEWHERE],
    ]})


def _take_in(database, path) -> int | None:
    """Import with the rows outside the unit taken in (一并导入这些行 / --other-counties)."""
    with database.session() as session:
        plan = drain(build_plan(session, detect(open_source(path)), take_other_counties=True))
        return drain(apply_plan(session, plan)).batch_id


def _codes(database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(Enterprise.credit_code)))


def test_the_bureaus_own_editor_imports_what_the_units_rule_places(database, tmp_path, login):
    login(OWN)
    plan = plan_file(database, _province_list(tmp_path))
    rows = by_row(plan)
    assert [rows[n].action for n in (3, 4, 5, 6)] == ["create", "create", OTHER_UNIT,
                                                      OTHER_UNIT]
    blank = rows[5].problems[-1].message
    assert blank.startswith("未能确定所属区县：信用代码中的登记机关代码 320400 为常州市本级，"
                            "不是县级区划；不属本单位区县（武进区）的企业不导入")
    assert "可一并导入这些行" in blank
    # a zone named by the city (常州国家高新区) may lie in any of its counties, 武进's too:
    # not told, so a new firm of it is the unit's step's, as a blank one (tester28a: 新北区's
    # own zones are all named 常州…, and were refused as certainly another place's)
    elsewhere = rows[6].problems[-1].message
    assert elsewhere.startswith("未能确定所属区县（写作“常州国家高新区”")
    assert "可一并导入这些行" in elsewhere
    # taken in (一并导入这些行 / --other-counties): the rows the rule could not place go in
    assert _take_in(database, _province_list(tmp_path)) is not None
    assert _codes(database) == {make_code(1, WUJIN), ZONE, BLANK, ELSEWHERE}


def test_an_editor_granted_the_uncounted_firms_imports_them_all(database, tmp_path, login):
    login(GRANTED)
    rows = by_row(plan_file(database, _province_list(tmp_path)))
    # the unit's own step still leaves out what it does not place, as for anyone
    assert [rows[n].action for n in (3, 4, 5, 6)] == ["create", "create", OTHER_UNIT, OTHER_UNIT]
    assert _take_in(database, _province_list(tmp_path)) is not None
    assert _codes(database) == {make_code(1, WUJIN), ZONE, BLANK, ELSEWHERE}
