"""Enterprise rosters: shapes, the plan row by row, apply, idempotence, undo."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from importers import detect, open_source
from importers.plan import CREATE, ERROR, UNCHANGED, UNMATCHED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, table_counts, undo, write_xlsx
from tiers.model.orm import AnnualFigures, Change, Enterprise, FormerName
from tiers.services import enterprises
from tiers.storage import database as tiers_db


def _existing(database, **values):
    with database.session() as session:
        data = {"credit_code": make_code(1), "name": "常州恒立液压有限公司", "county": "武进区",
                "town": "湖塘镇", "contact_phone": "0519-1111", **values}
        return enterprises.create(session, data).id


def _roster(tmp_path, rows, name="roster.xlsx", **kwargs):
    header = ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "镇（街道）", "联系电话",
              "成立日期", "营业收入（万元）", "年度"]
    return write_xlsx(tmp_path / name, {"企业名录": [header, *rows]}, **kwargs)


def test_plan_row_by_row_then_apply_idempotent_and_undo(database, tmp_path):
    existing = _existing(database)
    path = _roster(tmp_path, [
        # unchanged but for blanks: blank cells never overwrite
        [1, "常州恒立液压有限公司", make_code(1), "武进区", "-", None, None, None, None],
        [2, " 常州新材(常州)有限公司\u3000", make_code(2).lower(), "常州市武进区", "湖塘镇",
         "+86-519-8888", "2015年3月8日", "12.5万元", 2023],
        [3, "坏代码有限公司", "91320412MA00000X9Z", "武进区", None, None, None, None, None],
        [4, "无代码新企业有限公司", None, "武进区", None, None, None, None, None],
        [5, "日期错误有限公司", make_code(5), None, None, None, "2015/2/30", None, None],
    ])
    plan = plan_file(database, path)
    rows = by_row(plan)
    assert plan.kind == "roster" and plan.sheet == "企业名录"
    assert rows[2].action == UNCHANGED and rows[2].enterprise_id == existing
    assert rows[3].action == CREATE
    assert rows[3].create_values["name"] == "常州新材（常州）有限公司"
    assert rows[3].create_values["credit_code"] == make_code(2)
    assert rows[3].create_values["county_code"] == "320412"
    assert rows[3].create_values["contact_phone"] == "+86-519-8888"
    assert rows[3].create_values["founded_on"] == dt.date(2015, 3, 8)
    assert [r.values["revenue"] for r in rows[3].records] == [Decimal("12.5")]
    assert rows[4].action == ERROR
    assert rows[4].problems[0].column == "C" and "统一社会信用代码" in rows[4].problems[0].message
    assert rows[5].action == UNMATCHED  # no code: a roster row without one creates nothing
    assert rows[6].action == ERROR and rows[6].problems[0].column == "G"
    assert rows[6].problems[0].value == "2015/2/30"
    assert plan.counts() == {"rows": 5, "created": 1, "updated": 0, "unchanged": 1,
                             "unmatched": 1, "errors": 2}

    before = table_counts(database)
    plan, batch_id = import_file(database, path)
    assert batch_id is not None
    with database.session() as session:
        created = session.scalar(select(Enterprise).where(Enterprise.credit_code == make_code(2)))
        assert created.import_batch_id == batch_id and created.town == "湖塘镇"
        figures = session.scalars(select(AnnualFigures)).all()
        assert [(f.year, f.revenue) for f in figures] == [(2023, Decimal("12.5"))]
        kept = session.get(Enterprise, existing)
        assert kept.town == "湖塘镇" and kept.contact_phone == "0519-1111"

    after_first = table_counts(database)
    again, second_batch = import_file(database, path)
    assert second_batch is None  # re-importing the same file changes nothing
    assert table_counts(database) == after_first
    assert again.counts()["created"] == 0 and again.counts()["unchanged"] == 2
    assert any("导入过" in p.message for p in again.problems)

    result = undo(database, batch_id)
    assert result.removed["enterprise"] == 1
    counts = table_counts(database)
    assert {k: counts[k] for k in ("enterprise", "annual_figures", "recognition")} == {
        k: before[k] for k in ("enterprise", "annual_figures", "recognition")}


def test_update_field_by_field_and_undo_keeps_later_edits(database, tmp_path):
    existing = _existing(database, address="旧地址")
    path = write_xlsx(tmp_path / "u.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "镇街", "地址", "联系电话", "曾用名"],
        ["常州恒立液压股份有限公司", make_code(1), "牛塘镇", "新地址", "0519-2222", "恒立油缸厂"],
    ]})
    plan = plan_file(database, path)
    row = plan.rows[0]
    assert row.action == UPDATE and row.matched_by == "信用代码"
    assert {(c.field, c.old, c.new) for c in row.changes} == {
        ("name", "常州恒立液压有限公司", "常州恒立液压股份有限公司"), ("town", "湖塘镇", "牛塘镇"),
        ("address", "旧地址", "新地址"), ("contact_phone", "0519-1111", "0519-2222")}
    assert [r.entity for r in row.records] == ["former_name"]
    _, batch_id = import_file(database, path)
    with database.session() as session:
        ent = session.get(Enterprise, existing)
        assert (ent.name, ent.town) == ("常州恒立液压股份有限公司", "牛塘镇")
        formers = set(session.scalars(select(FormerName.name)))
        assert formers == {"常州恒立液压有限公司", "恒立油缸厂"}
        assert session.scalar(select(Change.id).where(Change.import_batch_id == batch_id))
        # an officer corrects the address after the import
        enterprises.update(session, existing, {"address": "人工更正的地址"})
    result = undo(database, batch_id)
    with database.session() as session:
        ent = session.get(Enterprise, existing)
        assert ent.name == "常州恒立液压有限公司" and ent.name_key == "常州恒立液压有限公司"
        assert ent.town == "湖塘镇" and ent.contact_phone == "0519-1111"
        assert ent.address == "人工更正的地址"  # edited since: kept
        assert set(session.scalars(select(FormerName.name))) == set()
    assert [k["field"] for k in result.kept] == ["address"]
    assert result.restored == 3
    with pytest.raises(Exception, match="撤销过"):
        undo(database, batch_id)


def test_match_by_name_and_former_name(database, tmp_path):
    existing = _existing(database)
    with database.session() as session:
        enterprises.add_former_name(session, existing, "武进恒立油缸厂")
    path = write_xlsx(tmp_path / "n.xlsx", {"S": [
        ["企业名称", "镇街"], ["常州恒立液压有限公司", "湖塘镇"]]})
    rows = by_row(plan_file(database, path))
    assert rows[2].matched_by == "企业名称" and rows[2].action == UNCHANGED
    path = write_xlsx(tmp_path / "f.xlsx", {"S": [["企业名称", "镇街"], ["武进恒立油缸厂", "洛阳镇"]]})
    rows = by_row(plan_file(database, path))
    assert rows[2].matched_by == "曾用名" and rows[2].action == UPDATE
    assert [(c.field, c.new) for c in rows[2].changes] == [("town", "洛阳镇")]


def test_two_rows_for_one_enterprise_with_different_values_conflict(database, tmp_path):
    _existing(database)
    path = write_xlsx(tmp_path / "n.xlsx", {"S": [
        ["企业名称", "镇街"], ["常州恒立液压有限公司", "湖塘镇"], ["常州恒立液压有限公司", "洛阳镇"]]})
    rows = by_row(plan_file(database, path))
    assert rows[2].action == ERROR and rows[3].action == ERROR
    assert "第 3 行" in rows[2].problems[-1].message


def test_duplicate_codes_merged_when_identical_conflict_otherwise(database, tmp_path):
    path = write_xlsx(tmp_path / "d.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "镇街"],
        ["甲有限公司", make_code(11), "湖塘镇"],
        ["甲有限公司", make_code(11), "湖塘镇"],
        ["乙有限公司", make_code(12), "湖塘镇"],
        ["乙有限公司", make_code(12), "牛塘镇"],
    ]})
    rows = by_row(plan_file(database, path))
    assert rows[2].action == CREATE
    assert rows[3].action == UNCHANGED and "与第 2 行重复" in rows[3].problems[0].message
    assert rows[4].action == ERROR and "第 5 行" in rows[4].problems[-1].message
    assert rows[5].action == ERROR and "第 4 行" in rows[5].problems[-1].message
    _, batch_id = import_file(database, path)
    with database.session() as session:
        assert session.scalars(select(Enterprise.name)).all() == ["甲有限公司"]


def test_title_rows_two_row_header_merged_cells_footer_formula_hidden(database, tmp_path):
    header_top = ["序号", "企业基本信息", None, "设区市", "联系方式", "营业收入（万元）"]
    header_low = [None, "企业名称", "统一社会信用代码", None, "联系电话", None]
    rows = [
        [1, "常州甲有限公司", make_code(21), "常州市", "=HYPERLINK(\"tel:1\",\"1\")", None],
        [2, "常州乙有限公司", make_code(22), None, "@SUM(1)", None],
        [None, None, None, None, None, None],
        ["合计", None, None, None, None, 30],
        ["注：排名不分先后", None, None, None, None, None],
    ]
    path = write_xlsx(
        tmp_path / "shape.xlsx",
        {"填报说明": [["填报说明：请如实填写"], ["1. 金额单位为万元"]],
         "Sheet2": [["附件1"], ["2023年度企业名录"], header_top, header_low, *rows]},
        merges={"Sheet2": [("A3:A4", "序号"), ("B3:C3", "企业基本信息"), ("D3:D4", "设区市"),
                           ("F3:F4", "营业收入（万元）"), ("D5:D6", "常州市")]},
        formulas={"Sheet2": [("F5", "=10+2.5", 12.5), ("F6", "=F5*2", 25)]},
        hidden_columns={"Sheet2": [4]})
    detection = detect(open_source(path))
    assert detection.sheet == "Sheet2"
    # the vertical merges fill row 4, so it names every column by itself
    assert detection.header_row_numbers()[-1] == 4 and detection.data_start == 4
    assert detection.metadata.batch_year == 2023
    assert {k: i for i, k in detection.mapping.items() if k} == {
        "name": 1, "credit_code": 2, "contact_phone": 4, "revenue": 5}
    plan, batch_id = import_file(database, path)
    assert [r.row for r in plan.rows] == [5, 6]  # blank, 合计 and 注 rows are not data
    with database.session() as session:
        phones = dict(session.execute(select(Enterprise.name, Enterprise.contact_phone)).all())
        assert phones == {"常州甲有限公司": "=HYPERLINK(\"tel:1\",\"1\")",
                          "常州乙有限公司": "@SUM(1)"}
        revenue = sorted(session.scalars(select(AnnualFigures.revenue)))
        assert revenue == [Decimal("12.5"), Decimal(25)]  # formulas: the computed value


def test_two_row_header_without_merges(database, tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", {"S": [
        ["企业信息", None, "联系人", "2023年数据"],
        ["企业名称", "统一社会信用代码", None, "营业收入（万元）"],
        ["甲有限公司", make_code(41), "王丽", 100]]})
    detection = detect(open_source(path))
    assert detection.header_row_numbers() == [1, 2]
    assert detection.headers == ["企业信息/企业名称", "统一社会信用代码", "联系人",
                                 "2023年数据/营业收入（万元）"]
    assert detection.mapping == {0: "name", 1: "credit_code", 2: "contact_person", 3: "revenue"}


def test_headers_with_year_in_them(database, tmp_path):
    path = write_xlsx(tmp_path / "y.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "2022年营业收入（万元）", "2023年营业收入（万元）", "研发费用（元）"],
        ["甲有限公司", make_code(31), "1,000", "1.2亿", 50000],
    ]})
    plan = plan_file(database, path, batch_year=2023, kind="roster")
    figures = {r.description: r.values for r in plan.rows[0].records}
    assert figures["2022年 年度数据"] == {"year": 2022, "revenue": Decimal(1000)}
    assert figures["2023年 年度数据"] == {"year": 2023, "revenue": Decimal(12000),
                                       "rd_expense": Decimal(5)}


def test_a_year_group_over_the_figures_beats_the_title_year(database, tmp_path):
    """“2024年度…名单” as the title, and “2023年主要经济指标” merged over 营业收入 | 研发费用
    (the figures of the year before, as such lists carry them): the figures are 2023's."""
    rows = [
        ["2024年度常州市武进区专精特新中小企业名单"],
        ["序号", "企业基本信息", None, "2023年主要经济指标", None],
        [None, "企业名称", "统一社会信用代码", "营业收入（万元）", "研发费用（万元）"],
        [1, "常州恒达机械有限公司", make_code(401), 12345.6, 456.7],
    ]
    path = write_xlsx(tmp_path / "list.xlsx", {"武进区": rows},
                      merges={"武进区": [("A1:E1", rows[0][0]), ("A2:A3", "序号"),
                                        ("B2:C2", "企业基本信息"), ("D2:E2", "2023年主要经济指标")]})
    plan = plan_file(database, path, kind="roster")
    record = plan.rows[0].records[0]
    assert record.values["year"] == 2023
    assert record.values["revenue"] == Decimal("12345.6")
    assert not any("记入 2024 年" in p.message for p in plan.problems)


def test_legacy_xls_saved_by_libreoffice(database, tmp_path):
    from tests.importers.helpers import DATA

    plan, batch_id = import_file(database, DATA / "legacy_roster.xls", kind="roster")
    assert [r.action for r in plan.rows] == [CREATE, CREATE, CREATE]
    with database.session() as session:
        rows = session.execute(select(Enterprise.name, Enterprise.main_product)
                               .order_by(Enterprise.id)).all()
    assert rows[0] == ("常州旧版甲精密机械有限公司", "精密齿轮")
    assert len(rows) == 3


def test_created_records_are_in_the_audit_trail_and_history(database, tmp_path):
    """Each record an import creates has its own Change row (action create, the batch),
    enterprises' before their figures', and the enterprise's 变更记录 starts there."""
    from tiers.queries import history
    from tiers.text.changes import describe

    path = _roster(tmp_path, [[i, f"常州{i}号机械有限公司", make_code(100 + i), "武进区", "湖塘镇",
                               None, None, 100 + i, 2024] for i in range(1, 4)])
    _, batch = import_file(database, path)
    with database.session() as session:
        created = session.execute(select(Change.entity, Change.entity_id, Change.enterprise_id,
                                         Change.new_value)
                                  .where(Change.import_batch_id == batch,
                                         Change.action == "create")
                                  .order_by(Change.id)).all()
        firms = session.execute(select(Enterprise.id, Enterprise.name, Enterprise.credit_code)
                                .order_by(Enterprise.id)).all()
        figures = session.execute(select(AnnualFigures.id, AnnualFigures.enterprise_id)
                                  .order_by(AnnualFigures.id)).all()
        # each says which record it was (not a copy of all its values)
        assert [c[:3] for c in created] == [*(("enterprise", i, i) for i, _, _ in firms),
                                            *(("annual_figures", f, e) for f, e in figures)]
        assert [json.loads(c[3]) for c in created] == [
            *({"name": name, "credit_code": code} for _, name, code in firms),
            *({"year": 2024} for _ in figures)]
        changes = history.history(session, firms[0][0])
    assert [(h["entity"], h["action"]) for h in changes] == [("annual_figures", "create"),
                                                             ("enterprise", "create")]
    enterprise_line, figures_line = describe(changes[-1]), describe(changes[0])
    assert enterprise_line.new == (f"由导入批次 {batch} 新建：企业名称：常州1号机械有限公司；"
                                   f"统一社会信用代码：{firms[0][2]}")
    assert (figures_line.subject, figures_line.new) == ("2024年",
                                                        f"由导入批次 {batch} 新建：年度：2024")


@pytest.mark.sqlite_only  # SQLite's indexes and checkpoint: tests/importers/test_bulk_postgres.py
def test_bulk_import_rebuilds_indexes_and_a_cancel_keeps_them(database, tmp_path, monkeypatch):
    """Above REBUILD_INDEXES_FROM rows the secondary indexes are dropped and built again in
    the same transaction: after the import, and after a cancelled one, they are all there."""
    from importers import apply as apply_module
    from tiers.progress import Cancelled, drain
    from tiers.storage import bulk_sqlite

    def indexes():
        with database.session() as session:
            return set(session.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index'").scalars())

    before = indexes()
    assert "ix_enterprise_name_key" in before and "ix_change_entity" in before
    monkeypatch.setattr(bulk_sqlite, "REBUILD_INDEXES_FROM", 1)
    monkeypatch.setattr(bulk_sqlite, "LARGE_WRITE", 1)  # and the checkpoint afterwards
    checkpoints: list[str] = []
    monkeypatch.setattr(tiers_db, "_checkpoint", checkpoints.append)
    dropped: list[str] = []
    original_drop = bulk_sqlite.SqliteBulkWriter.drop_secondary_indexes

    def spy(self, table, *, adding):
        original_drop(self, table, adding=adding)
        dropped.extend(self.dropped)

    monkeypatch.setattr(bulk_sqlite.SqliteBulkWriter, "drop_secondary_indexes", spy)
    rows = [[i, f"常州{i}号机械有限公司", make_code(200 + i), "武进区", "湖塘镇", None, None,
             100 + i, 2024] for i in range(1, 6)]
    plan = plan_file(database, _roster(tmp_path, rows, name="a.xlsx"))
    # cancelled after the first progress report
    with pytest.raises(Cancelled), database.session() as session:
        drain(apply_module.apply_plan(session, plan), lambda progress: True)
    assert any("ix_enterprise_name_key" in sql for _, sql in dropped)  # it did drop them
    assert indexes() == before
    assert table_counts(database)["enterprise"] == 0
    assert checkpoints == []  # nothing was committed: nothing to copy
    _, batch = import_file(database, _roster(tmp_path, rows, name="b.xlsx"))
    assert indexes() == before
    assert checkpoints == [str(database.path)]
    with database.session() as session:
        found = session.scalars(select(Enterprise.id).where(
            Enterprise.name_key == "常州3号机械有限公司")).all()
        assert len(found) == 1
        check = session.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
        assert check == "ok"


def test_a_sheet_named_enterprise_roster_with_only_figures_is_a_roster(database, tmp_path):
    """名称 | 代码 | 营业收入 | 年度 alone reads as annual figures, but a sheet (or title, or
    file) that calls itself 企业名录 is the county's roster: its new firms are created."""
    header = ["企业名称", "统一社会信用代码", "营业收入（万元）", "年度"]
    rows = [["常州恒信精密机械有限公司", make_code(301), 5230.5, 2024]]
    roster = write_xlsx(tmp_path / "a.xlsx", {"企业名录": [header, *rows]})
    figures = write_xlsx(tmp_path / "b.xlsx", {"Sheet1": [header, *rows]})
    plan = plan_file(database, roster)
    assert plan.kind == "roster" and plan.rows[0].action == CREATE
    assert plan_file(database, figures).kind == "figures"
