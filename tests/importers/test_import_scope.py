"""A province's list imported by a login that may write only some counties' firms: rows of
other counties' firms (by the row's 县区 column, the new firm's credit code, or the existing
firm's county, and the county a row would move it to) are 不导入, said on the row with the
county; the rest go in, in one batch (tester25). The server's own editor logins are tested
in tests/tiers/server/test_editor_imports.py; here the rule and the plan, on either
database, with an editor's rights as the server would report them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from importers.plan import OUTSIDE
from importers.plan import build as plan_build
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import Enterprise, Recognition
from tiers.storage.write_rights import WriteRights
from tiers.text.counts import counts_text

LIYANG, WUJIN = "320481", "320412"
EDITOR = WriteRights(counties=frozenset({LIYANG}), role="editor", county_names=("溧阳市",))


def test_the_rule_names_the_county_or_says_it_cannot_be_told():
    assert EDITOR.import_refusal([(LIYANG, "溧阳市")]) == ""
    assert EDITOR.import_refusal([(WUJIN, "武进区")]) == (
        "其他区县（武进区），不在您负责的范围（溧阳市），不导入")
    # his firm moved to another county is another county's
    assert EDITOR.import_refusal([(LIYANG, "溧阳市"), (WUJIN, "武进区")]).startswith("其他区县（武进区）")
    assert EDITOR.import_refusal([(None, None)]).startswith("未填县（市、区），不导入（")
    assert EDITOR.import_refusal([(None, "天目湖开发区")]).startswith(
        "县（市、区）写作“天目湖开发区”，不是已知的区县，不导入（")
    # a file, an admin: every firm; a viewer's import is refused whole elsewhere
    assert WriteRights().import_refusal([(WUJIN, "武进区"), (None, None)]) == ""
    viewer = WriteRights(counties=frozenset(), may_write=False, role="viewer")
    assert viewer.import_refusal([(WUJIN, "武进区")]) == ""


@pytest.fixture
def as_editor(monkeypatch):
    """The plan asks the login's rights as an editor of 溧阳市 has them on a server."""
    monkeypatch.setattr(plan_build, "write_rights", lambda _session: EDITOR, raising=False)


def _province_list(tmp_path):
    return write_xlsx(tmp_path / "附件1 2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["附件1"], ["2025年度省级专精特新中小企业名单"],
        ["序号", "设区市", "县（市、区）", "企业名称", "统一社会信用代码", "主导产品"],
        [1, "常州市", "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, LIYANG), "精密减速机"],
        [2, "常州市", "武进区", "常州武进恒通阀门有限公司", make_code(2, WUJIN), "阀门"],
        [3, "常州市", "溧阳市", "溧阳市新认定电缆有限公司", make_code(3, LIYANG), "电缆"],
        [4, "常州市", "", "常州武进老企业有限公司", make_code(4, WUJIN), "轴承"],
        [5, "常州市", "", "常州市登记科技有限公司", make_code(5, "320400"), "晶圆"],
    ]})


def test_an_editors_province_list_leaves_out_other_counties(database, tmp_path, as_editor):
    tianmuhu = add_enterprise(database, "溧阳市天目湖精密机械有限公司", 1, county="溧阳市",
                              credit_code=make_code(1, LIYANG))
    old_wujin = add_enterprise(database, "常州武进老企业有限公司", 4, county="武进区",
                               credit_code=make_code(4, WUJIN))
    plan, batch_id = import_file(database, _province_list(tmp_path))
    rows = by_row(plan)
    assert [rows[n].action for n in range(4, 9)] == [
        "update", OUTSIDE, "create", OUTSIDE, OUTSIDE]
    # the row's 县区 column; the existing firm's county (the row says none); a city's code
    assert rows[5].problems[-1].message == "其他区县（武进区），不在您负责的范围（溧阳市），不导入"
    assert (rows[5].problems[-1].column, rows[5].problems[-1].value) == ("C", "武进区")
    assert rows[7].problems[-1].message.startswith("其他区县（武进区）")
    assert rows[8].problems[-1].message.startswith("未填县（市、区），不导入（")
    assert all(not rows[n].records and not rows[n].changes for n in (5, 7, 8))
    assert plan.counts()["outside"] == 3
    assert "不导入（不在负责区县） 3" in counts_text(plan.counts())
    assert batch_id is not None
    with database.session() as session:
        holders = set(session.scalars(select(Recognition.enterprise_id)))
        firms = session.scalar(select(func.count(Enterprise.id)))
        product = session.get(Enterprise, old_wujin).main_product
    assert tianmuhu in holders and old_wujin not in holders and len(holders) == 2
    assert firms == 3 and not product  # only 溧阳's new firm created; 武进's untouched


def test_a_row_moving_his_firm_elsewhere_is_left_out(database, tmp_path, as_editor):
    add_enterprise(database, "溧阳市天目湖精密机械有限公司", 1, county="溧阳市",
                   credit_code=make_code(1, LIYANG))
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区"],
        ["溧阳市天目湖精密机械有限公司", make_code(1, LIYANG), "武进区"],
    ]})
    [row] = plan_file(database, path, kind="roster").rows
    assert row.action == OUTSIDE
    assert row.problems[-1].message.startswith("其他区县（武进区）")


def test_a_file_database_imports_every_county(database, tmp_path):
    """No login limits a file (or an admin): the same list creates and updates all."""
    plan, _batch = import_file(database, _province_list(tmp_path))
    assert "outside" not in plan.counts()
    assert {row.action for row in plan.rows} == {"create"}


def test_a_row_left_out_keeps_only_the_reason(database, tmp_path, as_editor):
    """Another county's row is not this officer's to check: the notes on a 复核 year read
    from the batch count only his rows, and the row left out says only why (review25)."""
    path = write_xlsx(tmp_path / "第二批专精特新“小巨人”企业复核通过名单.xlsx", {"Sheet1": [
        ["第二批专精特新“小巨人”企业复核通过名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, LIYANG)],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, WUJIN)],
    ]})
    plan = plan_file(database, path)
    rows = by_row(plan)
    assert rows[4].action == OUTSIDE
    assert [p.message for p in rows[4].problems] == [
        "其他区县（武进区），不在您负责的范围（溧阳市），不导入"]
    notes = [p.message for p in plan.problems if "复核名单未写年度" in p.message]
    assert notes and all("第 3 行" in n and "4" not in n.split("行")[0] for n in notes), notes


def _firm_named_by_an_old_county_name(database) -> None:
    """溧阳's firm whose county was stored as 溧阳 (the code is 溧阳市's): a list writing
    溧阳市 changes only the name, not the county."""
    add_enterprise(database, "溧阳市天目湖精密机械有限公司", 1, county="溧阳市",
                   credit_code=make_code(1, LIYANG))
    with database.session() as session:
        firm = session.scalars(select(Enterprise)).one()
        firm.county_name = "溧阳"
        session.commit()


def _roster(tmp_path, *rows):
    return write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区"], *map(list, rows)]})


def test_a_county_renamed_under_its_code_stays_his(database, tmp_path, as_editor):
    """Only the county's name changes (溧阳 → 溧阳市, the same code): the firm stays in his
    county, so the row is his to write, not one of 未能确定所属区县 (review26)."""
    _firm_named_by_an_old_county_name(database)
    path = _roster(tmp_path, ["溧阳市天目湖精密机械有限公司", make_code(1, LIYANG), "溧阳市"])
    [row] = plan_file(database, path, kind="roster").rows
    assert row.action == "update"
    assert [(c.field, c.new) for c in row.changes] == [("county_name", "溧阳市")]


@pytest.fixture
def on_a_server(monkeypatch):
    """The plan lists the counties it locks, as it does on a server."""
    monkeypatch.setattr(plan_build, "others_write_meanwhile", lambda _session: True)


def test_the_plan_locks_the_counties_the_scope_reads(database, tmp_path, on_a_server):
    """The counties an import locks on a server are those the login's scope reads of each
    row (one rule, importers.plan.scope.row_counties): a new firm's, an existing firm's
    and the one it moves to. A name changed under the same code locks no other county; a
    firm of a unit without a code (天目湖开发区: stored without one) takes the lock of the
    firms whose county is not known (None), since that is where its changes are counted."""
    _firm_named_by_an_old_county_name(database)
    add_enterprise(database, "常州武进老企业有限公司", 4, credit_code=make_code(4, WUJIN),
                   county="")
    path = _roster(tmp_path,
                   ["溧阳市天目湖精密机械有限公司", make_code(1, LIYANG), "溧阳市"],
                   ["常州武进老企业有限公司", make_code(4, WUJIN), "武进开发区"])
    plan = plan_file(database, path, kind="roster")
    assert [row.action for row in plan.rows] == ["update", "update"]
    assert plan.counties == {LIYANG, None}
    new_firm = _roster(tmp_path, ["天目湖开发区新材料有限公司", make_code(7, LIYANG), "天目湖开发区"],
                       ["武进新认定有限公司", make_code(8, WUJIN), "武进区"])
    plan = plan_file(database, new_firm, kind="roster")
    assert [row.action for row in plan.rows] == ["create", "create"]
    assert plan.counties == {None, WUJIN}
    only_renamed = _roster(tmp_path, ["溧阳市天目湖精密机械有限公司", make_code(1, LIYANG), "溧阳市"])
    assert plan_file(database, only_renamed, kind="roster").counties == {LIYANG}


def test_another_countys_firm_in_the_bin_is_left_out_not_restored(database, tmp_path,
                                                                  as_editor):
    """A firm in the 回收站 of another county (or moved to one, by the row's 县区) is not his:
    不导入 with its county, not “请先恢复再导入” — he may not restore it (tester29). His own
    county's binned firm still says to restore it first."""
    from tiers.services import enterprises

    binned = {}
    for serial, county, code in ((1, "武进区", WUJIN), (3, "溧阳市", LIYANG)):
        binned[serial] = add_enterprise(database, f"回收站{serial}有限公司", serial,
                                        county=county, credit_code=make_code(serial, code))
        with database.session() as session:
            enterprises.soft_delete(session, binned[serial])
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "设区市", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "常州市", "", "回收站1有限公司", make_code(1, WUJIN)],
        [2, "常州市", "溧阳市", "回收站3有限公司", make_code(3, LIYANG)],
    ]})
    rows = by_row(plan_file(database, path))
    assert rows[3].action == OUTSIDE, rows[3].problems
    assert [p.message for p in rows[3].problems] == [
        "其他区县（武进区），不在您负责的范围（溧阳市），不导入"]
    assert rows[4].action == "error"
    assert "在回收站中，请先恢复再导入" in rows[4].problems[-1].message
