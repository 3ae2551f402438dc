"""The bureau's own officer (本单位负责的区县 all his) on a server: the server's SQL lets
him write every firm without a county code (public.tiers_writes_uncounted), the client
only those the unit's rule places in the unit (WriteRights.allows → covers_firm). Imports,
bulk actions and 数据核查 asked ``allows``; the undo of an import batch and a firm moved in
the firm window did not, so the same officer was refused a 溧阳经济开发区 firm in one place
and allowed it in another (review finding, session 28). Now every one of them asks: an
undo that would change a firm not his is refused whole, naming the firms, nothing
changed; a firm is moved only when he may write it both where it is and where it goes."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from importers import ImportRefused
from importers.undo import plan_undo
from tests.conftest import make_code
from tests.importers.helpers import import_file, undo, write_xlsx
from tests.tiers.server.conftest import WUJIN
from tiers.errors import Refused
from tiers.model.orm import Enterprise, ImportBatch
from tiers.progress import drain
from tiers.services import enterprises
from tiers.services.errors import ValidationError
from tiers.services.unit import set_unit_counties
from tiers.storage.database import open_database
from tiers.storage.write_rights import NO_COUNTY_WHO, write_rights
from ui.cli.common import EXIT_REFUSED
from ui.cli.main import main

pytestmark = pytest.mark.server_only

CITY_CODE = make_code(41, "320400")  # registered at 常州市: which county is not told
OWN_CITY_CODE = make_code(44, "320400")
LIYANG_ZONE = "溧阳经济开发区"  # 溧阳市's: not 武进区's, though it has no county code
ZONE_FIRM = "溧阳开发区精工有限公司"
OWN_FIRM = "常州本局开发区有限公司"
HEADER = ["企业名称", "统一社会信用代码", "县区", "联系电话"]


@pytest.fixture
def open_as(bureau):
    opened = []

    def open_login(who: str):
        database = open_database(bureau.url_of(who))
        opened.append(database)
        return database

    yield open_login
    for database in opened:
        database.dispose()


def _unit(open_as) -> None:
    """武进区's server records 本单位负责的区县 武进区: its editor of 武进区 is the
    bureau's own officer (the server lets him write every firm without a county)."""
    with open_as("admin").session() as session:
        set_unit_counties(session, ["武进区"])


def _roster(tmp_path, *rows) -> object:
    return write_xlsx(tmp_path / "名录.xlsx", {"名录": [HEADER, *rows]})


def _firm(database, credit_code: str) -> Enterprise | None:
    with database.session() as session:
        firm = session.scalar(select(Enterprise).where(Enterprise.credit_code == credit_code))
        if firm is not None:
            session.expunge(firm)
        return firm


def _undone(database, batch_id: int) -> bool:
    with database.session() as session:
        return session.get(ImportBatch, batch_id).undone_at is not None


def test_the_rule_and_the_server_differ_on_a_zone_of_another_county(open_as):
    """What the rest rests on: the server would let him write the 溧阳 zone's firm."""
    _unit(open_as)
    with open_as("editor").session() as session:
        rights = write_rights(session)
        assert rights.unit is not None and not rights.all_uncounted
        assert not rights.allows(None, LIYANG_ZONE, CITY_CODE)
        assert rights.allows(None, "", OWN_CITY_CODE)
        assert session.execute(text("SELECT public.tiers_writes_uncounted()")).scalar_one()


def test_an_undo_touching_a_firm_not_his_is_refused_whole_naming_it(
        bureau, open_as, tmp_path, capsys):
    admin, editor = open_as("admin"), open_as("editor")
    wujin_code = make_code(3, WUJIN)
    _plan, batch_id = import_file(admin, _roster(
        tmp_path, ["常州武进新建有限公司", wujin_code, "武进区", ""],
        [ZONE_FIRM, CITY_CODE, LIYANG_ZONE, ""]))
    assert _firm(admin, CITY_CODE).county_code is None
    _unit(open_as)

    with editor.session() as session:  # 导入记录's preview asks first: refused there
        plan = drain(plan_undo(session, batch_id))
    refusal = plan.refusal()
    assert refusal is not None
    message = str(refusal)
    assert message.startswith(f"不能撤销导入批次 {batch_id}：撤销要改动的企业中有 1 家您的账号不能修改")
    assert f"\n　· {ZONE_FIRM}：县（市、区）写作“{LIYANG_ZONE}”，" in message, message
    assert "常州武进新建有限公司" not in message  # his own firm is not named
    assert NO_COUNTY_WHO in message and "这次没有做任何改动" in message

    with pytest.raises(ImportRefused) as refused:
        undo(editor, batch_id)
    assert str(refused.value) == message
    assert _firm(admin, CITY_CODE) is not None and _firm(admin, wujin_code) is not None
    assert not _undone(admin, batch_id)

    # tiers undo-import says the same, and fails
    assert main(["--db", bureau.url_of("editor"), "undo-import", str(batch_id)]) == EXIT_REFUSED
    said = capsys.readouterr().err
    assert f"不能撤销导入批次 {batch_id}" in said and ZONE_FIRM in said
    assert _firm(admin, CITY_CODE) is not None and not _undone(admin, batch_id)

    undo(admin, batch_id)  # the admin may
    assert _firm(admin, CITY_CODE) is None and _firm(admin, wujin_code) is None


def test_an_undo_of_his_own_firms_and_the_units_uncounted_ones_goes_through(
        open_as, tmp_path):
    admin, editor = open_as("admin"), open_as("editor")
    wujin_code = make_code(4, WUJIN)
    _plan, batch_id = import_file(admin, _roster(
        tmp_path, ["常州武进又一家有限公司", wujin_code, "武进区", ""],
        [OWN_FIRM, OWN_CITY_CODE, "", ""]))
    _unit(open_as)
    undo(editor, batch_id)
    assert _firm(admin, OWN_CITY_CODE) is None and _firm(admin, wujin_code) is None
    assert _undone(admin, batch_id)


def test_an_undo_that_would_move_his_firm_back_to_a_zone_not_his_is_refused(
        open_as, tmp_path):
    """The batch moved the firm from 溧阳经济开发区 into 武进区: it is his now, but the undo
    would put it back where he may not write it."""
    admin, editor = open_as("admin"), open_as("editor")
    with admin.session() as session:
        firm = enterprises.create(session, {"credit_code": CITY_CODE, "name": ZONE_FIRM,
                                            "county": LIYANG_ZONE}).id
    _plan, batch_id = import_file(admin, _roster(
        tmp_path, [ZONE_FIRM, CITY_CODE, "武进区", "0519-1234"]), fill_blanks_only=False)
    assert _firm(admin, CITY_CODE).county_code == WUJIN
    _unit(open_as)
    with pytest.raises(ImportRefused) as refused:
        undo(editor, batch_id)
    message = str(refused.value)
    assert f"\n　· {ZONE_FIRM}：撤销后，县（市、区）写作“{LIYANG_ZONE}”" in message, message
    with admin.session() as session:
        assert session.get(Enterprise, firm).county_code == WUJIN
    assert not _undone(admin, batch_id)


@pytest.fixture
def firms(bureau, open_as) -> dict[str, int]:
    """The admin's firms: 溧阳经济开发区's, the unit's own without a county, and one of 武进区
    registered at the city (its credit code does not place it: 91320412… would, as his)."""
    with open_as("admin").session() as session:
        made = {
            "zone": enterprises.create(session, {"credit_code": CITY_CODE, "name": ZONE_FIRM,
                                                 "county": LIYANG_ZONE}).id,
            "own": enterprises.create(session, {"credit_code": OWN_CITY_CODE, "name": OWN_FIRM,
                                                "county": ""}).id,
            "city": enterprises.create(session, {"credit_code": make_code(46, "320400"),
                                                 "name": "常州武进城区有限公司",
                                                 "county": "武进区"}).id}
    _unit(open_as)
    return made


def _county(open_as, firm: int) -> tuple[str | None, str | None, str]:
    with open_as("admin").session() as session:
        found = session.get(Enterprise, firm)
        return found.county_code, found.county_name, found.credit_code


def test_his_firm_is_not_moved_to_a_zone_not_his(open_as, firms):
    before = _county(open_as, firms["city"])
    with pytest.raises(ValidationError) as moved_out, open_as("editor").session() as session:
        enterprises.update(session, firms["city"], {"county": LIYANG_ZONE})
    told = moved_out.value.fields["county"]
    assert told.startswith(f"改为“{LIYANG_ZONE}”后，这家企业县（市、区）写作“{LIYANG_ZONE}”"), told
    assert "您的账号不能修改" in told and NO_COUNTY_WHO in told
    assert _county(open_as, firms["city"]) == before == (WUJIN, "武进区", make_code(46, "320400"))


def test_the_units_uncounted_firm_is_not_given_a_credit_code_placing_it_elsewhere(
        open_as, firms):
    with pytest.raises(ValidationError) as recoded, open_as("editor").session() as session:
        enterprises.update(session, firms["own"], {"credit_code": make_code(45, "320481")})
    assert "您的账号不能修改" in recoded.value.fields["credit_code"]
    assert _county(open_as, firms["own"])[2] == OWN_CITY_CODE


def test_a_zone_firm_not_his_is_not_moved_into_his_county(open_as, firms):
    with pytest.raises(Refused) as moved_in, open_as("editor").session() as session:
        enterprises.update(session, firms["zone"], {"county": "武进区"})
    assert str(moved_in.value).startswith(f"这家企业县（市、区）写作“{LIYANG_ZONE}”")
    assert _county(open_as, firms["zone"]) == (None, LIYANG_ZONE, CITY_CODE)


def test_moves_he_may_make_go_through(bureau, open_as, firms):
    """The unit's uncounted firm into 武进区, his firms out of every county (one whose
    credit code is 武进区's even to the 溧阳 zone's name: the code places it)."""
    with open_as("editor").session() as session:
        enterprises.update(session, firms["own"], {"county": "武进区"})
        enterprises.update(session, firms["city"], {"county": ""})
        enterprises.update(session, bureau.wujin_firm, {"county": LIYANG_ZONE})
    assert _county(open_as, firms["own"])[0] == WUJIN
    assert _county(open_as, firms["city"])[:2] == (None, "")
    assert _county(open_as, bureau.wujin_firm)[:2] == (None, LIYANG_ZONE)


def test_the_firm_windows_save_of_a_zone_firms_records_alone_is_refused(open_as, firms):
    """No field changed, a 梯度认定 added: the firm as it is must be his all the same (the
    window opens it read-only; a unit set by the admin since the window opened is read
    again at the save)."""
    from tiers.model.orm import Recognition
    from tiers.services.profile import save_profile
    from tiers.services.profile_merge import NEW, RecordEdit

    edit = RecordEdit(NEW, None, {"tier_code": "创新型", "batch_year": 2025})
    with pytest.raises(Refused) as refused, open_as("editor").session() as session:
        save_profile(session, firms["zone"], {}, recognition_edits=[edit])
    assert str(refused.value).startswith(f"这家企业县（市、区）写作“{LIYANG_ZONE}”")
    with open_as("admin").session() as session:
        assert not session.scalars(select(Recognition).where(
            Recognition.enterprise_id == firms["zone"])).all()
    with open_as("editor").session() as session:  # the unit's own: saved
        save_profile(session, firms["own"], {}, recognition_edits=[edit])


def test_the_cultivation_and_chain_pages_ask_too(open_as, firms):
    """培育库's 加入 / 修改 / 移出 and 产业链's 设置角色 / 移出 write a firm's records
    outside its window: a zone firm not his is refused there too, its own words."""
    from tiers.services import chains, cultivation

    editor = open_as("editor")
    for write in (lambda s: cultivation.add(s, firms["zone"], {"target_tier": "专精特新中小企业", "target_year": 2027}),
                  lambda s: chains.set_role(s, firms["zone"], "晶硅光伏", "核心配套")):
        with pytest.raises(Refused, match=f"^这家企业县（市、区）写作“{LIYANG_ZONE}”"), \
                editor.session() as session:
            write(session)
    with open_as("admin").session() as session:  # the admin's, on it: not his to change
        entry = cultivation.add(session, firms["zone"], {"target_tier": "专精特新中小企业", "target_year": 2027}).id
        role = chains.set_role(session, firms["zone"], "晶硅光伏", "核心配套").entity_id
    for write in (lambda s: cultivation.edit(s, entry, {"note": "越权"}),
                  lambda s: cultivation.remove(s, entry), lambda s: chains.remove(s, role)):
        with pytest.raises(Refused), editor.session() as session:
            write(session)
    with editor.session() as session:  # the unit's own firm: his
        cultivation.add(session, firms["own"], {"target_tier": "专精特新中小企业", "target_year": 2027})
        chains.set_role(session, firms["own"], "晶硅光伏", "核心配套")
