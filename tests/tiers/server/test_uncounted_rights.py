"""The firms without a county code (a county bureau's 开发区 firms) on the server itself
(tester27 #1: only the admin could import or change them; the bureau's editors were told
“没有修改您负责的区县以外企业的权限”). An editor granted them (tiers user set --county
none) writes them, through the services and with plain SQL, and still no other county's;
the bureau's own editor (本单位负责的区县 all his) writes them; one who is neither is
refused, told why and who may; a county's editor on a city's server is neither."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select

from importers.plan import OUTSIDE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, undo, write_xlsx
from tests.tiers.server.conftest import WUJIN, XINBEI
from tiers.errors import InvalidInput, Refused
from tiers.model.orm import Enterprise, Recognition
from tiers.services import enterprises, recognitions
from tiers.services.errors import ValidationError
from tiers.services.unit import set_unit_counties
from tiers.storage.database import open_database
from tiers.storage.faults import DatabaseError
from tiers.storage.server.users import change_user, list_users
from tiers.storage.write_rights import NO_COUNTY_WHO, write_rights

pytestmark = pytest.mark.server_only

CITY_CODE = make_code(41, "320400")  # registered at 常州市: which county is not told


@pytest.fixture
def zone_firm(bureau) -> int:
    """A 常州国家高新区 firm, without a county code, brought in by the admin."""
    database = open_database(bureau.url_of("admin"))
    try:
        with database.session() as session:
            return enterprises.create(session, {"credit_code": CITY_CODE, "county": "",
                                                "name": "常州高新精测有限公司"}).id
    finally:
        database.dispose()


@pytest.fixture
def as_editor(bureau):
    opened = []

    def open_editor():
        database = open_database(bureau.url_of("editor"))
        opened.append(database)
        return database

    yield open_editor
    for database in opened:
        database.dispose()


def _unit(bureau, *divisions: str) -> None:
    database = open_database(bureau.url_of("admin"))
    try:
        with database.session() as session:
            set_unit_counties(session, list(divisions))
    finally:
        database.dispose()


def _notes(bureau, firm: int) -> str:
    with psycopg.connect(bureau.url) as owner:
        return owner.execute("SELECT notes FROM enterprise WHERE id = %s", (firm,)).fetchone()[0]


def test_an_editor_neither_granted_nor_the_bureaus_own_is_refused_saying_who(
        bureau, zone_firm, as_editor):
    editor = as_editor()
    with editor.session() as session:
        assert not write_rights(session).allows(None, "", CITY_CODE)
    with pytest.raises(DatabaseError) as refused, editor.session() as session:
        enterprises.update(session, zone_firm, {"notes": "走访"})
    assert str(refused.value) == f"没有修改县（市、区）未填的企业的权限（{NO_COUNTY_WHO}）"
    with pytest.raises(ValidationError) as entered, editor.session() as session:
        enterprises.create(session, {"credit_code": make_code(42, "320400"), "county": "",
                                     "name": "常州高新新建有限公司"})
    assert "未填县（市、区），您的账号不能修改" in entered.value.fields["county"]
    with bureau.connect_as("editor") as crafted, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        crafted.execute("UPDATE enterprise SET notes = 'x' WHERE county_code IS NULL")
    assert _notes(bureau, zone_firm) == ""


def test_an_editor_granted_the_uncounted_firms_writes_them_and_no_other_county(
        bureau, zone_firm, as_editor, tmp_path):
    changed = change_user(bureau.url, bureau.logins["editor"], counties=[WUJIN, "none"])
    assert changed.counties == ("武进区", "未填区县的企业")
    listed = {user.name: user for user in list_users(bureau.url)}
    assert listed[bureau.logins["editor"]].counties == ("武进区", "未填区县的企业")
    editor = as_editor()
    with editor.session() as session:
        assert write_rights(session).all_uncounted
        enterprises.update(session, zone_firm, {"notes": "走访：扩产"})
        recognitions.add(session, zone_firm, {"tier_code": "创新型", "batch_year": 2025})
        created = enterprises.create(session, {"credit_code": make_code(42, "320400"),
                                               "name": "常州高新新建有限公司"}).id
    assert _notes(bureau, zone_firm) == "走访：扩产"
    with bureau.connect_as("editor") as crafted:  # the server's rule, not only the client's
        assert crafted.execute("UPDATE enterprise SET notes = 'y' WHERE county_code IS NULL"
                               ).rowcount == 2
        crafted.commit()
    # the grant's name inside a sentence is 未填区县, not 未填区县的企业的企业 (review27b)
    with pytest.raises(DatabaseError, match="^没有修改武进区、未填区县以外企业的权限$"), \
            editor.session() as session:
        enterprises.update(session, bureau.xinbei_firm, {"notes": "越权"})
    with editor.session() as session:
        rights = write_rights(session)
    assert rights.mine == "武进区、未填区县"
    assert rights.refusal_for(XINBEI, "新北区") == ("这家企业属于新北区，您的账号只能修改武进区、未填区县的企业"
                                                  "（如需修改，请该区县的同事或管理员修改）")
    assert rights.import_refusal([(XINBEI, "新北区")]) == (
        "其他区县（新北区），不在您负责的范围（武进区、未填区县），不导入")
    # a province's list: its 开发区 rows go in (tiers import --other-counties), 新北区's not
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业认定名单.xlsx", {"名单": [
        ["2025年度省级专精特新中小企业认定名单"],
        ["序号", "设区市", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "常州市", "常州国家高新区", "常州高新精测有限公司", CITY_CODE],
        [2, "常州市", "常州国家高新区", "常州高新另一家有限公司", make_code(43, "320400")],
        [3, "常州市", "新北区", "常州新北智能装备有限公司", make_code(2, XINBEI)],
    ]})
    plan, batch_id = import_file(editor, path)
    rows = by_row(plan)
    assert [rows[n].action for n in (3, 4, 5)] == ["update", "create", OUTSIDE]
    with editor.session() as session:
        held = set(session.scalars(select(Recognition.enterprise_id)
                                   .where(Recognition.import_batch_id == batch_id)))
        new = session.scalar(select(Enterprise.id).where(
            Enterprise.credit_code == make_code(43, "320400")))
    assert held == {zone_firm, new}
    undo(editor, batch_id)  # his batch, his firms: he may mark it undone
    with editor.session() as session:
        assert session.get(Enterprise, new) is None or session.get(Enterprise, new).deleted_at
        assert session.get(Enterprise, created).county_code is None
        # his own firm moved out of every county (to a 开发区) stays within his rights
        enterprises.update(session, bureau.wujin_firm, {"county": "常州国家高新区"})
    with editor.session() as session:
        assert session.get(Enterprise, bureau.wujin_firm).county_code is None


def test_the_bureaus_own_editor_writes_the_units_uncounted_firms(bureau, zone_firm, as_editor):
    """武进区's server with 本单位负责的区县 武进区: its editor of 武进区 is the bureau's own;
    the firm in the database, nothing telling otherwise, is the unit's."""
    _unit(bureau, "武进区")
    editor = as_editor()
    with editor.session() as session:
        rights = write_rights(session)
        assert rights.unit is not None and not rights.all_uncounted
        assert rights.allows(None, "", CITY_CODE)
        assert not rights.allows(None, "溧阳经济开发区", CITY_CODE)  # the rule places it elsewhere
        enterprises.update(session, zone_firm, {"notes": "本局开发区企业"})
    assert _notes(bureau, zone_firm) == "本局开发区企业"


def test_a_countys_editor_on_a_citys_server_is_not_the_bureaus_own(bureau, zone_firm, as_editor):
    _unit(bureau, "常州市")
    editor = as_editor()
    with editor.session() as session:
        assert write_rights(session).unit is None
    with pytest.raises(DatabaseError, match="未填的企业的权限"), editor.session() as session:
        enterprises.update(session, zone_firm, {"notes": "越权"})
    with bureau.connect_as("editor") as crafted, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        crafted.execute("UPDATE enterprise SET notes = 'x' WHERE county_code IS NULL")


def test_the_grant_is_an_editors_only(bureau):
    with pytest.raises(InvalidInput, match="只用于编辑账号"):
        change_user(bureau.url, bureau.logins["viewer"], counties=["none"])
    with psycopg.connect(bureau.url) as owner:
        assert owner.execute("SELECT count(*) FROM tiers_user_county WHERE county_code = ''"
                             ).fetchone()[0] == 0



def test_an_editor_granted_the_uncounted_firms_changes_role_without_retyping_counties(bureau):
    """``tiers user set NAME --role …`` without --county: his counties as they are. The
    stored grant '' was taken for an unknown county code (review27b #1): an editor's
    role could not be changed without retyping his counties."""
    login = bureau.logins["editor"]
    change_user(bureau.url, login, counties=[WUJIN, "none"])
    with pytest.raises(Refused, match=f"用户 {login} 已是编辑，区县：武进区、未填区县的企业，没有需要修改的内容"):
        change_user(bureau.url, login, role="editor")
    made_viewer = change_user(bureau.url, login, role="viewer")  # the grant is an editor's only
    assert (made_viewer.role, made_viewer.counties) == ("viewer", ("武进区",))
    assert made_viewer.note == "“未填区县的企业”的授权只用于编辑账号，改为查看账号后已去掉"
    listed = {user.name: user for user in list_users(bureau.url)}[login]
    assert (listed.role, listed.counties) == ("viewer", ("武进区",))
    made_editor = change_user(bureau.url, login, role="editor")  # 武进区 kept, none not back
    assert (made_editor.role, made_editor.counties, made_editor.note) == ("editor", ("武进区",), "")


def test_an_editor_of_the_uncounted_firms_alone_is_not_made_a_viewer_of_every_county(bureau):
    login = bureau.logins["editor"]
    change_user(bureau.url, login, counties=["none"])
    with pytest.raises(InvalidInput, match="只获授权“未填区县的企业”，这项授权只用于编辑账号；改为查看账号时请用 "
                                           "--county 指定其可查看的区县，或用 --all-counties"):
        change_user(bureau.url, login, role="viewer")
    listed = {user.name: user for user in list_users(bureau.url)}[login]
    assert (listed.role, listed.counties) == ("editor", ("未填区县的企业",))
    assert change_user(bureau.url, login, role="viewer", all_counties=True).counties == ()
