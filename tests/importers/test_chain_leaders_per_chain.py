"""A firm is 链主 of a specific chain (domain §1.4): a 链主 list of a second chain adds a
second title, never overwrites the first; the chain is compared by its code, however the
list writes it (audit28 #1)."""

from sqlalchemy import select

from importers.plan import CREATE, ERROR, UNCHANGED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, undo
from tiers.model.orm import Recognition
from tiers.services import enterprises

HEADER = "统一社会信用代码,企业名称,县（市、区）,梯度层级,认定批次,认定年度,所属产业链\n"
FIRM = "审计七号有限公司"


def _csv(tmp_path, name, *chains, code=None):
    code = code or make_code(74)
    body = "".join(f"{code},{FIRM},武进区,链主企业,,2025,{chain}\n" for chain in chains)
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _titles(database):
    with database.session() as session:
        return sorted(session.execute(select(
            Recognition.enterprise_id, Recognition.batch_label, Recognition.batch_year,
            Recognition.chain_code).where(Recognition.tier_code == "chain_leader")).all())


def _firm(database):
    with database.session() as session:
        return enterprises.create(session, {"credit_code": make_code(74), "name": FIRM,
                                            "county": "武进区"}).id


def test_a_second_chains_list_adds_a_title_and_keeps_the_first(database, tmp_path):
    firm = _firm(database)
    import_file(database, _csv(tmp_path, "c1.csv", "起重机"), kind="recognitions")
    assert [t.chain_code for t in _titles(database)] == ["C05"]
    plan = plan_file(database, _csv(tmp_path, "c2.csv", "挖掘机"), kind="recognitions")
    row = plan.rows[0]
    assert row.action == UPDATE and row.enterprise_id == firm
    assert [(r.entity, r.action) for r in row.records] == [("recognition", CREATE)]
    assert row.records[0].values["chain_code"] == "C08"
    assert not [p for p in row.problems if "仍在有效期内" in p.message]  # not a repeat
    assert row.records[0].description == "链主 2025年度 挖掘机"
    # added beside the first, said so (a list correcting the chain leaves the old one)
    assert [p.message for p in row.problems if "另增" in p.message] == [
        "该企业已是起重机的链主（同一批次），保留不变，本行另增挖掘机的链主认定；"
        "如名单是更正原产业链，请在企业窗口撤销原认定"]
    _plan, batch = import_file(database, _csv(tmp_path, "c2.csv", "挖掘机"), kind="recognitions")
    assert [t.chain_code for t in _titles(database)] == ["C05", "C08"]
    undo(database, batch)  # the second chain's title only
    assert [t.chain_code for t in _titles(database)] == ["C05"]


def test_the_same_chain_written_otherwise_is_the_same_title(database, tmp_path):
    _firm(database)
    import_file(database, _csv(tmp_path, "c1.csv", "起重机"), kind="recognitions")
    for written in ("C05", "起重机产业链"):
        plan = plan_file(database, _csv(tmp_path, "again.csv", written), kind="recognitions")
        assert plan.rows[0].action == UNCHANGED and not plan.rows[0].records, written
    assert [t.chain_code for t in _titles(database)] == ["C05"]


def test_one_list_naming_a_firm_for_two_chains_adds_both(database, tmp_path):
    _firm(database)
    path = _csv(tmp_path, "both.csv", "起重机", "挖掘机")
    rows = by_row(plan_file(database, path, kind="recognitions"))
    assert [rows[r].action for r in (2, 3)] == [UPDATE, UPDATE]
    assert not [p for r in (2, 3) for p in rows[r].problems if "内容不同" in p.message]
    import_file(database, path, kind="recognitions")
    assert [t.chain_code for t in _titles(database)] == ["C05", "C08"]


def test_a_new_firm_listed_for_two_chains_is_created_once_with_both(database, tmp_path):
    path = _csv(tmp_path, "both.csv", "起重机", "挖掘机")
    import_file(database, path, kind="recognitions")
    titles = _titles(database)
    assert [t.chain_code for t in titles] == ["C05", "C08"]
    assert titles[0].enterprise_id == titles[1].enterprise_id


def test_one_chain_twice_written_two_ways_is_never_two_titles(database, tmp_path):
    _firm(database)
    rows = by_row(plan_file(database, _csv(tmp_path, "twice.csv", "起重机", "C05"),
                            kind="recognitions"))
    # the same title twice (the rows differ only in how they write the chain): one record
    # at most, the rows refused as differing rather than a second 起重机 title added
    created = [r for row in rows.values() if row.action in (CREATE, UPDATE)
               for r in row.records if r.action == CREATE]
    assert len(created) <= 1
    assert rows[3].action in (UNCHANGED, ERROR)


def test_a_chain_leader_row_without_a_chain_is_still_refused(database, tmp_path):
    _firm(database)
    plan = plan_file(database, _csv(tmp_path, "none.csv", ""), kind="recognitions")
    assert plan.rows[0].action == ERROR
    assert any("须注明所属产业链" in p.message for p in plan.rows[0].problems)
