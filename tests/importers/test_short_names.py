"""A list naming a firm without its company form (常州金嘉减速机 for 常州金嘉减速机有限公司):
when exactly one live firm fits, and the row's county, if any, is that firm's, the row is
offered as that firm (短名 → PlanRow.short_match, marked 按简称匹配), never linked by itself;
two firms that fit, another county, or a row naming a company form are left as they were."""

import json

from importers import Link
from importers.plan import LINKED, SHORT_NAME_TAKEN, UNMATCHED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import ImportBatch
from tiers.services import enterprises


def _firms(database):
    with database.session() as session:
        ids = {name: enterprises.create(session, {"credit_code": make_code(60 + i), "name": name,
                                                  "county_code": county}).id
               for i, (name, county) in enumerate([
                   ("常州金嘉减速机有限公司", "320412"),
                   ("江苏鑫源汽车部件股份有限公司", "320412"),
                   ("常州东方电机有限公司", "320412"),
                   ("常州东方电机股份有限公司", "320411"),
                   ("常州新北精工有限公司", "320411"),
                   ("常州泰峰新材料有限公司", "320412")])}
    return ids


def _list(tmp_path):
    return write_xlsx(tmp_path / "名单.xlsx", {"名单": [
        ["2023年度省级专精特新中小企业名单"],
        ["序号", "企业名称", "所在地区"],
        [1, "常州金嘉减速机", "武进区"],
        [2, "江苏鑫源汽车部件", None],
        [3, "常州东方电机", "武进区"],  # two firms fit: left to the officer
        [4, "常州新北精工", "武进区"],  # the firm is 新北区's: not offered
        [5, "泰峰新材料", "武进区"],  # region left out too: a suggestion only
        [6, "常州金嘉减速机股份有限公司", "武进区"],  # another company form: not a short name
    ]})


def test_a_short_name_of_one_firm_is_offered_never_linked_by_itself(database, tmp_path):
    ids = _firms(database)
    rows = by_row(plan_file(database, _list(tmp_path)))
    assert all(rows[n].action == UNMATCHED and rows[n].enterprise_id is None
               for n in range(3, 9))
    assert rows[3].short_match == ids["常州金嘉减速机有限公司"]
    assert rows[4].short_match == ids["江苏鑫源汽车部件股份有限公司"]
    message = rows[3].problems[-1].message
    assert "按简称匹配" in message and "常州金嘉减速机有限公司" in message
    assert rows[3].problems[-1].hint_field == "short_name"
    assert len(rows[3].problems) == 1  # not also 库中没有该企业
    assert [s["enterprise_id"] for s in rows[3].suggestions] == [ids["常州金嘉减速机有限公司"]]
    for n in (5, 6, 7, 8):
        assert rows[n].short_match is None, n
    # the others keep the usual suggestions, of the county the row writes only: 新北's
    # 常州东方电机股份有限公司 is not offered for a row of 武进区 (tester27b #3)
    offered = {s["enterprise_id"] for s in rows[5].suggestions}
    assert ids["常州东方电机有限公司"] in offered
    assert ids["常州东方电机股份有限公司"] not in offered


def test_taken_short_names_are_links_the_officer_can_drop(database, tmp_path):
    ids = _firms(database)
    path = _list(tmp_path)
    plan = plan_file(database, path)
    links = plan.short_name_links()  # what 采用简称匹配 and --adopt-short-names take
    assert sorted(links) == [3, 4]
    assert links[3] == Link(ids["常州金嘉减速机有限公司"], name="常州金嘉减速机", short_name=True)
    del links[4]  # the officer drops one
    plan, _ = import_file(database, path, links=links)
    rows = by_row(plan)
    assert (rows[3].action, rows[3].enterprise_id, rows[3].matched_by) == (
        UPDATE, ids["常州金嘉减速机有限公司"], SHORT_NAME_TAKEN)
    assert rows[4].action == UNMATCHED and rows[4].enterprise_id is None
    assert plan.short_name_links() == {4: Link(ids["江苏鑫源汽车部件股份有限公司"],
                                               name="江苏鑫源汽车部件", short_name=True)}


def test_a_taken_short_name_still_says_so_after_the_plan_and_in_the_record(database, tmp_path):
    """A row taken by 采用简称匹配 read 人工关联 afterwards, as if the officer had picked the
    firm himself: it keeps saying why (按简称匹配（已采用）), stays a link he can change or
    drop, and the import record keeps which links were taken as short names."""
    ids = _firms(database)
    path = _list(tmp_path)
    links = plan_file(database, path).short_name_links()
    links[7] = Link(ids["常州泰峰新材料有限公司"], name="泰峰新材料")  # one picked by hand
    plan, batch_id = import_file(database, path, links=links)
    rows = by_row(plan)
    assert rows[3].matched_by == rows[4].matched_by == "按简称匹配（已采用）" == SHORT_NAME_TAKEN
    assert rows[7].matched_by == LINKED
    assert all(rows[n].linkable and rows[n].linked for n in (3, 4, 7))
    assert not rows[5].linked
    with database.session() as session:
        mapping = json.loads(session.get(ImportBatch, batch_id).mapping)
    recorded = mapping["metadata"]["links"]
    assert recorded["3"]["short_name"] is True and recorded["4"]["short_name"] is True
    assert "short_name" not in recorded["7"]
