"""A row the plan could not match, linked by the user to a firm (the wizard's 指定关联,
``tiers import --link ROW=CODE``): matched to that firm, recorded with the batch, undone
with it; a link that cannot hold is an error on its row, never a silent match."""

import json

from sqlalchemy import select

from importers import Link
from importers.plan import ERROR, LINKED, UNMATCHED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, undo, write_xlsx
from tiers.model.orm import Change, FormerName, ImportBatch, Recognition
from tiers.services import enterprises
from ui.cli.main import main


def _list(tmp_path):
    return write_xlsx(tmp_path / "第六批.xlsx", {"名单": [
        ["第六批专精特新“小巨人”企业名单"],
        ["序号", "企业名称", "统一社会信用代码", "所在地区"],
        [1, "常州恒力液压有限公司", None, "武进区"],  # a near miss of 恒立
        [2, "常州东方电机有限公司", None, "武进区"],  # two firms of this name
        [3, "常州别的有限公司", make_code(99), "武进区"],  # a code of its own
    ]})


def _firms(database):
    with database.session() as session:
        hengli = enterprises.create(session, {"credit_code": make_code(91),
                                              "name": "常州恒立液压有限公司"}).id
        east = [enterprises.create(session, {"credit_code": make_code(92 + i),
                                             "name": "常州东方电机有限公司"}).id
                for i in range(2)]
    return hengli, east


def test_unmatched_and_ambiguous_rows_offer_the_firms_to_link(database, tmp_path):
    hengli, east = _firms(database)
    rows = by_row(plan_file(database, _list(tmp_path)))
    assert rows[3].action == UNMATCHED
    assert [s["enterprise_id"] for s in rows[3].suggestions] == [hengli]
    assert make_code(91) in rows[3].problems[-1].message  # the code, for --link
    # the library names what may settle it; each face says where (no option named here)
    assert "--link" not in rows[3].problems[-1].message
    assert rows[3].problems[-1].hint_field == "link"
    # two firms of one name: an error, with both offered
    assert rows[4].action == ERROR
    assert sorted(s["enterprise_id"] for s in rows[4].suggestions) == sorted(east)


def test_linked_rows_are_matched_recorded_and_undone(database, tmp_path):
    hengli, east = _firms(database)
    links = {3: Link(hengli), 4: Link(east[1], remember_name=False)}
    plan, batch_id = import_file(database, _list(tmp_path), links=links)
    rows = by_row(plan)
    assert (rows[3].action, rows[3].enterprise_id, rows[3].matched_by) == (UPDATE, hengli, LINKED)
    assert not rows[3].suggestions and not any(p.severity == "error" for p in rows[3].problems)
    assert (rows[4].action, rows[4].enterprise_id) == (UPDATE, east[1])
    with database.session() as session:
        holders = set(session.scalars(select(Recognition.enterprise_id)))
        assert {hengli, east[1]} <= holders and east[0] not in holders
        # no rename, and no 曾用名 unless asked for
        assert enterprises.get(session, hengli).name == "常州恒立液压有限公司"
        assert session.scalars(select(FormerName)).all() == []
        mapping = json.loads(session.get(ImportBatch, batch_id).mapping)
        assert mapping["metadata"]["links"]["3"] == {"enterprise_id": hengli,
                                                     "remember_name": False, "name": ""}
    undo(database, batch_id)
    with database.session() as session:
        assert session.scalars(select(Recognition)).all() == []


def test_remembered_name_matches_the_next_list_by_itself(database, tmp_path):
    hengli, _ = _firms(database)
    plan, batch_id = import_file(database, _list(tmp_path),
                                 links={3: Link(hengli, remember_name=True)})
    record = by_row(plan)[3].records[0]
    assert (record.entity, record.description) == (
        "former_name", "记住的写法 常州恒力液压有限公司（用于匹配，不是曾用名）")
    with database.session() as session:
        assert session.execute(select(FormerName.name, FormerName.is_alias)).all() == [
            ("常州恒力液压有限公司", True)]
        # its 变更记录 line calls it what it is (it read 曾用名)
        from tiers.text import changes as change_text
        logged = session.execute(select(Change.entity, Change.action, Change.new_value,
                                        Change.import_batch_id)
                                 .where(Change.entity == "former_name")).one()._asdict()
        logged["new"] = logged.pop("new_value")
        line = change_text.describe(logged)
        assert (line.entity, line.subject, line.new) == (
            "记住的写法", "常州恒力液压有限公司", "常州恒力液压有限公司")
    # the next list written the same way matches without a link
    later = write_xlsx(tmp_path / "later.xlsx", {"名单": [
        ["2025年度省级专精特新中小企业名单"],
        ["企业名称", "所在地区"], ["常州恒力液压有限公司", "武进区"]]})
    row = plan_file(database, later).rows[0]
    # said as what it is: no 曾用名 of the firm (it was 曾用名 in the preview's 匹配方式)
    assert (row.enterprise_id, row.matched_by) == (hengli, "记住的写法")
    assert [p.message for p in row.problems] == ["按记住的写法匹配到“常州恒立液压有限公司”"]
    undo(database, batch_id)
    with database.session() as session:
        assert session.scalars(select(FormerName)).all() == []
        assert session.scalar(select(Change.id).where(Change.entity == "former_name",
                                                      Change.import_batch_id == batch_id))


def test_links_that_cannot_hold_are_errors(database, tmp_path):
    hengli, east = _firms(database)
    with database.session() as session:
        enterprises.soft_delete(session, east[0])
    rows = by_row(plan_file(database, _list(tmp_path), links={
        3: Link(10_000), 4: Link(east[0]), 5: Link(hengli)}))
    assert rows[3].action == ERROR and "已不在库中" in rows[3].problems[0].message
    assert rows[4].action == ERROR and "回收站" in rows[4].problems[0].message
    # a row with a code of its own is not another firm
    assert rows[5].action == ERROR and "不能关联" in rows[5].problems[0].message
    assert rows[5].enterprise_id is None


def test_cli_link_and_user(database, tmp_path, capsys, db_target):
    hengli, _ = _firms(database)
    db = ["--db", str(db_target)]
    path = _list(tmp_path)
    assert main([*db, "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"可能是：常州恒立液压有限公司（{make_code(91)}）（未自动关联，请核对；如是同一家，" \
           "可在预览中“指定关联”，命令行用 --link）" in out
    assert main([*db, "import", str(path), "--link", f"3={make_code(91).lower()}",
                 "--remember-names", "--user", "王科长", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["updated"] == 1 and data["unmatched"] == 0
    with database.session() as session:
        batch = session.get(ImportBatch, data["batch_id"])
        assert batch.user == "王科长"
        assert session.scalars(select(FormerName.enterprise_id)).all() == [hengli]
    assert main([*db, "undo-import", str(data["batch_id"]), "--user", "李四"]) == 0
    capsys.readouterr()
    with database.session() as session:
        assert session.get(ImportBatch, data["batch_id"]).undone_by == "李四"
    # a bad --link is a one-line message, nothing read or written
    assert main([*db, "import", str(path), "--link", "3"]) == 1
    assert "行号=信用代码" in capsys.readouterr().err
    assert main([*db, "import", str(path), "--link", f"3={make_code(98)}"]) == 1
    assert "找不到" in capsys.readouterr().err


def test_a_link_never_moves_a_row_that_matches_by_itself(database, tmp_path):
    """A mistyped row number: the row names a firm of the database (by code or name), the
    link points at another one. An error on the row, not a recognition moved."""
    hengli, east = _firms(database)
    path = write_xlsx(tmp_path / "l.xlsx", {"名单": [
        ["第六批专精特新“小巨人”企业名单"], ["企业名称", "统一社会信用代码"],
        ["常州恒立液压有限公司", None], [None, make_code(92)]]})
    rows = by_row(plan_file(database, path, links={3: Link(east[0], remember_name=True),
                                                   4: Link(hengli)}))
    assert rows[3].action == ERROR and "已按企业名称匹配到库中的“常州恒立液压有限公司”" in (
        rows[3].problems[0].message)
    assert rows[4].action == ERROR and "不同，不能关联" in rows[4].problems[0].message
    assert all(not r.records for r in rows.values())
    # linked to the firm it matches anyway: fine
    row = plan_file(database, path, links={3: Link(hengli)}).rows[0]
    assert (row.action, row.enterprise_id, row.matched_by) == (UPDATE, hengli, LINKED)


def test_a_link_is_refused_when_the_row_reads_otherwise(database, tmp_path):
    hengli, _ = _firms(database)
    rows = by_row(plan_file(database, _list(tmp_path), links={
        3: Link(hengli, name="江苏常州")}))  # linked while another column was the name
    assert rows[3].action == ERROR and "请重新指定关联" in rows[3].problems[0].message
    row = by_row(plan_file(database, _list(tmp_path), links={
        3: Link(hengli, name="常州恒力液压有限公司")}))[3]
    assert row.matched_by == LINKED


def test_links_to_rows_that_are_no_data_rows_are_reported_and_not_recorded(database, tmp_path):
    hengli, _ = _firms(database)
    plan = plan_file(database, _list(tmp_path), links={2: Link(hengli), 99: Link(hengli)})
    assert plan.unused_links == [2, 99] and plan.links == {}
    assert any("第 2、99 行不是数据行" in p.message for p in plan.problems)
    assert by_row(plan)[3].action == UNMATCHED


def test_which_rows_may_be_linked(database, tmp_path):
    hengli, _ = _firms(database)
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "年度"],
        ["常州恒力液压有限公司", None, "奖补资金", 10, 2024],  # near miss, no code
        ["常州恒力液压有限公司", make_code(99), "奖补资金", 10, 2024],  # a code of its own
        ["常州恒立液压有限公司", None, "奖补资金", 10, 2024]]})  # matched
    rows = by_row(plan_file(database, path, kind="support"))
    assert rows[2].action == UNMATCHED and rows[2].linkable and rows[2].suggestions
    # the firm of that code is not in the database: a similar name is another firm
    assert rows[3].action == UNMATCHED and not rows[3].linkable and not rows[3].suggestions
    assert not any("可能是" in p.message for p in rows[3].problems)
    assert rows[4].action == UPDATE and not rows[4].linkable


def test_cli_refuses_unused_links_and_lone_remember_names(database, tmp_path, capsys, db_target):
    hengli, _ = _firms(database)
    db = ["--db", str(db_target)]
    path = _list(tmp_path)
    before = _counts(database)
    assert main([*db, "import", str(path), "--link", f"2={make_code(91)}"]) == 1
    assert "第 2 行不是“名单”的数据行" in capsys.readouterr().err
    assert main([*db, "import", str(path), "--remember-names"]) == 1
    assert "--link" in capsys.readouterr().err
    assert _counts(database) == before
    # a link to a firm in the recycle bin says so on its row
    with database.session() as session:
        enterprises.soft_delete(session, hengli)
    assert main([*db, "import", str(path), "--link", f"3={make_code(91)}", "--dry-run"]) == 0
    assert "回收站" in capsys.readouterr().out


def _counts(database):
    from tests.importers.helpers import table_counts

    return table_counts(database)


def test_a_remembered_name_is_no_former_name(database, tmp_path):
    """A 简称 linked with the tick (记住这个写法) matched later lists, but was stored as a
    曾用名: printed as 曾用名 in the stamped 企业档案 and sent to the city in the 数据包
    (tester, session 21). It is kept for matching only; a real rename still is a 曾用名."""
    import datetime as dt

    import openpyxl

    from tests.tiers.exchange_helpers import sent
    from tiers.exchange.format import RECORD_TABLES
    from tiers.queries import profiles

    hengli, _ = _firms(database)
    with database.session() as session:
        enterprises.update(session, hengli, {"name": "常州恒立精工有限公司"})  # renamed
        enterprises.update(session, hengli, {"county_code": "320412"})
    import_file(database, _list(tmp_path), links={3: Link(hengli, remember_name=True)})
    with database.session() as session:
        assert sorted(session.execute(select(FormerName.name, FormerName.is_alias))) == [
            ("常州恒力液压有限公司", True), ("常州恒立液压有限公司", False)]
        assert profiles.profile(session, hengli)["former_names"] == ["常州恒立液压有限公司"]
    # still matched by it
    later = write_xlsx(tmp_path / "later.xlsx", {"名单": [
        ["2025年度省级专精特新中小企业名单"],
        ["企业名称", "所在地区"], ["常州恒力液压有限公司", "武进区"]]})
    assert plan_file(database, later).rows[0].enterprise_id == hengli
    # the stamped 企业档案
    report = tmp_path / "档案.xlsx"
    db = ["--db", str(database.path or database.engine.url.render_as_string(False))]
    assert main([*db, "export", "profile", str(report), "--code", make_code(91)]) == 0
    cells = [str(c.value) for row in openpyxl.load_workbook(report).active.iter_rows()
             for c in row if c.value]
    assert "常州恒立液压有限公司" in cells and "常州恒力液压有限公司" not in "".join(cells)
    # the 数据包
    package = sent(database, tmp_path / "武进区.zip", "320412", dt.datetime(2026, 12, 1, 9))
    former = package.table(RECORD_TABLES[0])
    assert list(former.values["name"]) == ["常州恒立液压有限公司"]
    assert "is_alias" not in former.columns


def _alias(session, firm_id, name):
    """What an import link with the tick (记住这个写法) leaves: a name for matching only."""
    from tiers.model.names import clean_display, name_key
    from tiers.model.pinyin import initials

    session.add(FormerName(enterprise_id=firm_id, name=clean_display(name),
                           name_key=name_key(name), pinyin_initials=initials(name),
                           is_alias=True))
    session.flush()


def test_a_remembered_name_the_firm_then_bears_becomes_a_former_name(database):
    """A list wrote the firm's new name before the roster caught up, and the officer linked
    it with the tick: remembered for matching only. The firm then took that name and was
    renamed again: the name is a real 曾用名 now, but the alias flag stuck (review of
    session 21): never in the 档案 nor sent. The rename clears it, logged."""
    from tiers.queries import profiles

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "常州甲有限公司"})
        _alias(session, firm.id, "常州乙科技有限公司")
        enterprises.update(session, firm.id, {"name": "常州乙科技有限公司"})
        enterprises.update(session, firm.id, {"name": "常州丙集团有限公司"})
        assert sorted(session.execute(select(FormerName.name, FormerName.is_alias))) == [
            ("常州乙科技有限公司", False), ("常州甲有限公司", False)]
        assert sorted(profiles.profile(session, firm.id)["former_names"]) == [
            "常州乙科技有限公司", "常州甲有限公司"]
        logged = session.execute(select(Change.field, Change.old_value, Change.new_value)
                                 .where(Change.entity == "former_name",
                                        Change.action == "update")).all()
        assert logged == [("is_alias", "true", "false")]


def test_a_roster_renaming_a_firm_from_a_remembered_name_makes_it_a_former_name(
        database, tmp_path):
    """The same through an import (the roster renames the firm away from the remembered
    name): the alias becomes a 曾用名; undoing the roster makes it an alias again."""
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1),
                                            "name": "常州乙科技有限公司"})
        _alias(session, firm.id, "常州乙科技有限公司")  # (remembered before the rename)
        firm_id = firm.id
    roster = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["常州丙集团有限公司", make_code(1)]]})
    _, batch_id = import_file(database, roster, kind="roster")
    with database.session() as session:
        assert session.execute(select(FormerName.name, FormerName.is_alias)).all() == [
            ("常州乙科技有限公司", False)]
        assert session.execute(select(Change.field, Change.new_value).where(
            Change.entity == "former_name", Change.import_batch_id == batch_id)).all() == [
            ("is_alias", "false")]
    undo(database, batch_id)
    with database.session() as session:
        assert session.execute(select(FormerName.name, FormerName.is_alias)).all() == [
            ("常州乙科技有限公司", True)]
        assert session.get(enterprises.Enterprise, firm_id).name == "常州乙科技有限公司"
