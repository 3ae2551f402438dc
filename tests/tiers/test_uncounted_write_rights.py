"""Who may change a firm without a county code (a 开发区, a blank county) on a server
(tester27 #1): an editor granted them (tiers user set --county none), and the bureau's own
editor (本单位负责的区县 all his) for those the unit's one rule places in the unit
(UnitCounties.covers_firm); every refusal says why and who may. Here the rights as the
server reports them, on either database; the server's own policies are tested in
tests/tiers/server/test_uncounted_rights.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import Enterprise, SupportMeasure
from tiers.queries.selection_rights import split_by_rights
from tiers.services import bulk, enterprises
from tiers.services.errors import ValidationError
from tiers.services.unit import UnitCounties
from tiers.storage import write_rights
from tiers.storage.write_rights import NO_COUNTY_WHO, WriteRights
from ui.cli.main import main

WUJIN, LIYANG = "320412", "320481"
UNIT = UnitCounties(((WUJIN, "武进区"),))
PLAIN = WriteRights(counties=frozenset({WUJIN}), role="editor", county_names=("武进区",))
GRANTED = WriteRights(counties=frozenset({WUJIN, ""}), role="editor",
                      county_names=("武进区", "未填区县的企业"))
OWN = WriteRights(counties=frozenset({WUJIN}), role="editor", county_names=("武进区",), unit=UNIT)
CITY_CODE = make_code(7, "320400")  # registered at 常州市: which county is not told


def test_an_editor_without_a_grant_may_not_and_is_told_why_and_who():
    assert not PLAIN.allows(None, "常州国家高新区", CITY_CODE)
    assert not PLAIN.allows(None)
    told = PLAIN.refusal_for(None, "常州国家高新区", CITY_CODE)
    assert told == ("这家企业县（市、区）写作“常州国家高新区”，不是已知的区县，您的账号不能修改"
                    f"（{NO_COUNTY_WHO}）")
    assert "管理员" in told and "未填区县的企业" in told
    assert PLAIN.refusal_for(None, None).startswith("这家企业未填县（市、区），")
    # a county's firm is said as before
    assert PLAIN.refusal_for(LIYANG, "溧阳市").startswith("这家企业属于溧阳市，")


def test_a_grant_covers_every_firm_without_a_county_and_nothing_else():
    assert GRANTED.all_uncounted
    assert GRANTED.allows(None, "常州国家高新区", CITY_CODE)
    assert GRANTED.allows(None, "溧阳经济开发区", make_code(3, LIYANG), existing=False)
    assert GRANTED.allows(WUJIN) and not GRANTED.allows(LIYANG)
    assert GRANTED.refusal_for(None, "常州国家高新区", CITY_CODE) == ""


def test_the_bureaus_own_editor_follows_the_units_one_rule():
    """covers_firm, not a second rule: the credit code's county, then the zone's name,
    then being in the database already (a firm the officer enters by hand counts)."""
    for county_name, credit_code, existing, expected in [
        (None, CITY_CODE, True, True),  # in the database, nothing tells: the unit's
        (None, CITY_CODE, False, False),  # new, nothing tells: not taken in
        ("武进高新区", CITY_CODE, False, True),  # a zone of 武进's
        (None, make_code(3, WUJIN), False, True),  # registered in 武进
        (None, make_code(3, LIYANG), True, False),  # registered in 溧阳
        ("溧阳经济开发区", CITY_CODE, True, False),  # a zone of 溧阳's
        # a zone named by the city: in one of its counties, maybe 武进 (tester28a: 新北区's
        # own zones are 常州…): not told, so in the database it is the unit's, new it is not
        ("常州国家高新区", CITY_CODE, True, True),
        ("常州国家高新区", CITY_CODE, False, False),
    ]:
        assert OWN.allows(None, county_name, credit_code, existing=existing) is expected, (
            county_name, credit_code, existing)
        assert UNIT.covers_firm(None, county_name, credit_code, existing=existing) is expected
    told = OWN.refusal_for(None, "常州国家高新区", CITY_CODE, existing=False)
    assert "按信用代码和园区名称也不能认定属于武进区" in told and NO_COUNTY_WHO in told
    assert not OWN.allows(LIYANG)  # his counties stay his counties


def test_an_import_row_says_who_may_not_to_write_the_county_in():
    told = PLAIN.import_refusal([(None, "常州国家高新区")], credit_code=CITY_CODE)
    assert "请在名单中写明县（市、区）" not in told  # impossible for a 开发区 (tester27)
    assert told.startswith("县（市、区）写作“常州国家高新区”，不是已知的区县，不导入")
    assert NO_COUNTY_WHO in told and "请管理员导入这些行" in told
    assert GRANTED.import_refusal([(None, "常州国家高新区")], credit_code=CITY_CODE) == ""
    assert OWN.import_refusal([(None, "武进高新区")], credit_code=CITY_CODE) == ""
    assert OWN.import_refusal([(None, None)], credit_code=CITY_CODE)  # new, untold
    assert OWN.import_refusal([(None, None)], credit_code=CITY_CODE, existing=True) == ""
    # another county's row is said as before
    assert GRANTED.import_refusal([(LIYANG, "溧阳市")]).startswith("其他区县（溧阳市）")


@pytest.fixture
def rights(monkeypatch):
    """The login's rights as the server would report them, for each service that asks."""
    def use(given: WriteRights) -> None:
        monkeypatch.setattr(write_rights, "write_rights", lambda _session: given)
        monkeypatch.setattr(enterprises, "write_rights", lambda _session: given)
        monkeypatch.setattr(bulk, "write_rights", lambda _session: given)
    return use


def test_a_firm_entered_without_a_county_is_refused_at_the_county_saying_who(
        database, rights):
    rights(PLAIN)
    with pytest.raises(ValidationError) as refused, database.session() as session:
        enterprises.create(session, {"credit_code": CITY_CODE, "name": "常州高新精测有限公司",
                                     "town": "常州国家高新区"})
    assert list(refused.value.fields) == ["county"]
    assert refused.value.fields["county"].startswith("这家企业未填县（市、区），您的账号不能修改")
    assert NO_COUNTY_WHO in refused.value.fields["county"]
    with database.session() as session:
        assert session.scalar(select(Enterprise.id)) is None  # nothing written
    for allowed in (GRANTED, OWN):
        rights(allowed)
        with database.session() as session:
            firm = enterprises.create(session, {"credit_code": CITY_CODE, "town": "常州国家高新区",
                                                "name": "常州高新精测有限公司"})
            assert firm.county_code is None
            session.rollback()


def _zone_firms(database) -> list[int]:
    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": code, "name": name, "county": county}).id
               for code, name, county in [
                   (make_code(1), "常州武进本地有限公司", "武进区"),
                   (CITY_CODE, "常州高新精测有限公司", "常州国家高新区"),
                   (make_code(8, "320400"), "常州园区未写有限公司", ""),
               ]]
    with database.session() as session:
        assert [session.get(Enterprise, i).county_code for i in ids] == [WUJIN, None, None]
    return ids


def test_bulk_preview_says_which_are_uncounted_and_who_may(database, rights):
    ids = _zone_firms(database)
    rights(PLAIN)
    with database.session() as session:
        draft = bulk.preview(session, "cultivate", ids, {"target_tier": "小巨人",
                                                         "target_year": 2027})
    assert [item.outside for item in draft.items] == [False, True, True]
    assert [item.uncounted for item in draft.items] == [False, True, True]
    assert "其他县区" not in draft.summary()
    assert "跳过 2 家（其中 2 家未填区县，原因见列表）" in draft.summary()
    assert draft.items[1].skip.startswith("这家企业县（市、区）写作“常州国家高新区”")
    assert NO_COUNTY_WHO in draft.items[2].skip
    rights(OWN)  # in the database, untold by code or name (常州国家高新区 is named by the
    with database.session() as session:  # city, in one of its counties): the unit's
        draft = bulk.preview(session, "cultivate", ids, {"target_tier": "小巨人",
                                                         "target_year": 2027})
    assert [bool(item.skip) for item in draft.items] == [False, False, False]


def test_a_selection_counts_uncounted_firms_apart_from_other_counties(database):
    ids = _zone_firms(database)
    with database.session() as session:
        split = split_by_rights(session, ids, PLAIN)
        granted = split_by_rights(session, ids, GRANTED)
    assert split.allowed == ids[:1] and split.outside == {"未填区县": 2}
    assert split.skip_note() == "所选 3 家中 2 家未填区县、您的账号不能修改（未填区县 2 家），将跳过"
    assert granted.allowed == ids
    with database.session() as session:
        none = split_by_rights(session, ids[1:], PLAIN)
    told = none.none_allowed(PLAIN)
    assert told.startswith("所选 2 家企业都未填区县（未填区县 2 家），您的账号只能修改武进区的企业")
    assert NO_COUNTY_WHO in told


def test_tiers_bulk_exits_2_when_none_may_be_changed_and_says_skips_on_stderr(
        database, db_target, rights, capsys):
    ids = _zone_firms(database)
    rights(PLAIN)
    db = ["--db", str(db_target)]
    measure = ["bulk", "measure", "--kind", "资金", "--name", "专精特新奖励", "--amount", "10",
               "--year", "2025"]
    assert main([*measure, "--codes", CITY_CODE, *db]) == 2
    said = capsys.readouterr()
    assert "跳过：这家企业县（市、区）写作“常州国家高新区”" in said.out
    assert "所给的 1 家企业您的账号都不能修改（1 家未填区县；原因见上），没有修改任何企业" in said.err
    # some his: the rest written, status 0, the skipped said on stderr too
    assert main([*measure, "--codes", make_code(1), CITY_CODE, *db]) == 0
    said = capsys.readouterr()
    assert "注意：记录扶持措施：跳过 1 家未填区县，其余照常（原因见上）" in said.err
    rights(GRANTED)
    assert main([*measure, "--codes", CITY_CODE, *db]) == 0
    assert capsys.readouterr().err == ""
    with database.session() as session:
        assert sorted(session.scalars(select(SupportMeasure.enterprise_id))) == ids[:2]


def test_the_grant_reads_right_inside_a_sentence():
    """The grant's name 未填区县的企业 made “只能修改武进区、未填区县的企业的企业” and the server's
    “没有修改武进区、未填区县的企业以外企业的权限” (review27b #8): said as 未填区县 there."""
    from types import SimpleNamespace

    from tiers.storage.faults import COUNTY_REFUSED, MOVE_REFUSED, explain_permission

    assert GRANTED.mine == "武进区、未填区县"
    assert GRANTED.refusal_for(LIYANG, "溧阳市") == ("这家企业属于溧阳市，您的账号只能修改武进区、未填区县的企业"
                                                  "（如需修改，请该区县的同事或管理员修改）")
    assert GRANTED.import_refusal([(LIYANG, "溧阳市")]) == (
        "其他区县（溧阳市），不在您负责的范围（武进区、未填区县），不导入")

    def refused(primary: str, detail: str, hint: str | None = "320481"):
        return SimpleNamespace(sqlstate="42501", diag=SimpleNamespace(
            message_primary=primary, message_detail=detail, message_hint=hint))

    assert explain_permission(refused(COUNTY_REFUSED, "武进区、未填区县的企业")) == (
        "没有修改武进区、未填区县以外企业的权限")
    assert explain_permission(refused(COUNTY_REFUSED, "武进区")) == "没有修改武进区以外企业的权限"
    assert explain_permission(refused(MOVE_REFUSED, "武进区、未填区县的企业")).startswith(
        "编辑账号不能把企业改到武进区、未填区县以外的区县")
