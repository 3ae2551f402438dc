"""Recognition lists, support measures, annual figures, CSV encodings, remembered mappings
imported end to end."""

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from importers import ImportRefused, detect, open_source, remember_mapping
from importers.plan import CREATE, UNCHANGED, UNMATCHED, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, undo, write_xlsx
from tiers.model.orm import AnnualFigures, Enterprise, Recognition, SupportMeasure
from tiers.services import enterprises, recognitions


def _national_list(tmp_path):
    return write_xlsx(tmp_path / "list.xlsx", {"第五批小巨人": [
        ["附件"],
        ["第五批专精特新“小巨人”企业名单"],
        ["序号", "企业名称", "统一社会信用代码", "所在地区", "主导产品"],
        [1, "常州恒立液压有限公司", None, "武进区", "液压油缸"],
        [2, "常州全新（集团）有限公司", make_code(52), "武进区", "电机"],
        [3, "浙江外省有限公司", None, "杭州", "阀门"],
        [4, "常州恒力液压有限公司", None, "武进区", None],  # near miss: suggested only
        [5, "常州老名字有限公司", None, None, None],
    ]})


def test_recognition_list_plan_apply_reimport_undo(database, tmp_path):
    with database.session() as session:
        hengli = enterprises.create(session, {"credit_code": make_code(51),
                                              "name": "常州恒立液压有限公司", "county": "武进区"}).id
        renamed = enterprises.create(session, {"credit_code": make_code(53),
                                               "name": "常州新名字有限公司"}).id
        enterprises.add_former_name(session, renamed, "常州老名字有限公司")
    path = _national_list(tmp_path)
    detection = detect(open_source(path))
    assert detection.kind == "recognitions"
    assert (detection.metadata.tier, detection.metadata.level, detection.metadata.batch_label) == (
        "little_giant", "国家级", "第五批")
    rows = by_row(plan_file(database, path))
    assert rows[4].action == UPDATE and rows[4].enterprise_id == hengli
    assert rows[4].changes[0].field == "main_product"
    assert [(r.entity, r.action, r.description) for r in rows[4].records] == [
        ("recognition", "create", "小巨人 第五批")]
    assert rows[5].action == CREATE and rows[5].create_values["name"] == "常州全新（集团）有限公司"
    assert rows[6].action == UNMATCHED and not rows[6].suggestions
    assert rows[7].action == UNMATCHED
    assert [s["enterprise_id"] for s in rows[7].suggestions] == [hengli]
    assert rows[8].action == UPDATE and rows[8].matched_by == "曾用名"

    plan, batch_id = import_file(database, path)
    with database.session() as session:
        recs = session.execute(select(Recognition.enterprise_id, Recognition.tier_code,
                                      Recognition.batch_label, Recognition.valid_until)).all()
        assert len(recs) == 3 and all(r.tier_code == "little_giant" for r in recs)
        assert session.scalar(select(Enterprise.id).where(
            Enterprise.name == "常州恒力液压有限公司")) is None  # never applied silently
    again, second = import_file(database, path)
    assert second is None and again.counts()["updated"] == 0
    undo(database, batch_id)
    with database.session() as session:
        assert session.scalars(select(Recognition)).all() == []
        assert session.get(Enterprise, hengli).main_product == ""
        assert session.scalar(select(Enterprise.id).where(
            Enterprise.credit_code == make_code(52))) is None


def test_recognition_update_field_by_field_and_tier_option(database, tmp_path):
    with database.session() as session:
        ent = enterprises.create(session, {"credit_code": make_code(61), "name": "甲有限公司"}).id
        recognitions.add(session, ent, {"tier_code": "zjtx", "batch_label": "2022年度",
                                        "batch_year": 2022})
    path = write_xlsx(tmp_path / "r.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "认定文号", "认定日期"],
        ["甲有限公司", make_code(61), "苏工信中小〔2022〕600号", "2022-12-20"]]})
    with pytest.raises(ImportRefused, match="梯度层级"):
        plan_file(database, path, kind="recognitions")
    plan = plan_file(database, path, kind="recognitions", tier="省级专精特新", batch_year=2022)
    record = plan.rows[0].records[0]
    assert record.action == UPDATE
    assert [(c.field, c.old, c.new) for c in record.changes] == [
        ("document_number", "", "苏工信中小〔2022〕600号"),
        ("recognized_on", None, dt.date(2022, 12, 20))]


def test_support_measures(database, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(71), "name": "甲有限公司"})
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（元）", "拨付日期"],
        ["甲有限公司", make_code(71), "认定奖励", "小巨人奖励", 500000, "2024.3.1"],
        ["乙有限公司", make_code(72), "认定奖励", "小巨人奖励", 100000, "2024.3.1"],
        ["甲有限公司", make_code(71), "认定奖励", "小巨人奖励", "十万", "2024.3.1"]]})
    rows = by_row(plan_file(database, path))
    assert rows[2].action == UPDATE
    assert rows[2].records[0].values["amount"] == Decimal(50)
    assert rows[2].records[0].values["year"] == 2024
    assert rows[3].action == UNMATCHED  # support rows never create enterprises
    assert rows[4].action == "error" and rows[4].problems[0].column == "E"
    _, batch_id = import_file(database, path)
    _, again = import_file(database, path)
    assert again is None
    with database.session() as session:
        assert session.scalars(select(SupportMeasure.amount)).all() == [Decimal(50)]


def _measures(database):
    with database.session() as session:
        return sorted((m.kind, m.name, m.amount, m.paid_on, m.note)
                      for m in session.scalars(select(SupportMeasure)))


def test_a_corrected_support_sheet_updates_the_amount_instead_of_adding_a_second(
        database, tmp_path):
    """The same sheet sent again with one amount corrected (50 → 60 万元): that measure is
    updated (a warning says so), not a second one added; undo puts 50 back."""
    with database.session() as session:
        for serial in (73, 74):
            enterprises.create(session, {"credit_code": make_code(serial), "name": f"丙{serial}有限公司"})
    header = ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "拨付日期", "备注"]

    def sheet(name, amount, note=None):
        return write_xlsx(tmp_path / name, {"S": [
            header,
            ["丙73有限公司", make_code(73), "认定奖励", "小巨人奖励", amount, "2024.5.20", note],
            ["丙74有限公司", make_code(74), "认定奖励", "小巨人奖励", 30, "2024.5.20", None]]})

    import_file(database, sheet("v1.xlsx", 50))
    corrected = sheet("v2.xlsx", 60, note="更正")
    rows = by_row(plan_file(database, corrected))
    record = rows[2].records[0]
    assert (record.action, record.record_id is not None) == (UPDATE, True)
    assert [(c.field, c.old, c.new) for c in record.changes] == [
        ("amount", Decimal(50), Decimal(60)), ("note", "", "更正")]
    assert any("按本行更正为 60万元" in p.message for p in rows[2].problems)
    assert rows[3].action == UNCHANGED  # the other firm's measure is the same
    _, batch_id = import_file(database, corrected)
    assert _measures(database) == [
        ("认定奖励", "小巨人奖励", Decimal(30), dt.date(2024, 5, 20), ""),
        ("认定奖励", "小巨人奖励", Decimal(60), dt.date(2024, 5, 20), "更正")]
    undo(database, batch_id)
    assert [m[2] for m in _measures(database)] == [Decimal(30), Decimal(50)]


def test_two_payments_of_one_kind_stay_two(database, tmp_path):
    """Two rows of one firm, kind and year with different amounts are two payments: both
    created, both unchanged on a re-import; a third amount with another date is a third
    payment, not a correction; with two recorded, a new amount is added with a warning."""
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(75), "name": "丁有限公司"})
    header = ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "拨付日期", "年度"]
    first = write_xlsx(tmp_path / "a.xlsx", {"S": [
        header,
        ["丁有限公司", make_code(75), "贷款贴息", 12, None, 2024],
        ["丁有限公司", make_code(75), "贷款贴息", 8, None, 2024]]})
    import_file(database, first)
    assert [m[2] for m in _measures(database)] == [Decimal(8), Decimal(12)]
    _, again = import_file(database, first)
    assert again is None
    # the rows in the other order, plus one more of another amount
    second = write_xlsx(tmp_path / "b.xlsx", {"S": [
        header,
        ["丁有限公司", make_code(75), "贷款贴息", 5, None, 2024],
        ["丁有限公司", make_code(75), "贷款贴息", 8, None, 2024],
        ["丁有限公司", make_code(75), "贷款贴息", 12, None, 2024]]})
    rows = by_row(plan_file(database, second))
    assert rows[2].records[0].action == CREATE
    assert any("无法确定是否更正" in p.message for p in rows[2].problems) is False
    assert rows[3].action == rows[4].action == UNCHANGED
    dated = write_xlsx(tmp_path / "c.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "拨付日期"],
        ["丁有限公司", make_code(75), "诊断服务", 3, "2024.3.1"]]})
    import_file(database, dated)
    other_date = write_xlsx(tmp_path / "d.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "拨付日期"],
        ["丁有限公司", make_code(75), "诊断服务", 4, "2024.9.1"]]})
    assert by_row(plan_file(database, other_date))[2].records[0].action == CREATE
    lone = write_xlsx(tmp_path / "e.xlsx", {"S": [
        header, ["丁有限公司", make_code(75), "贷款贴息", 9, None, 2024]]})
    row = by_row(plan_file(database, lone))[2]
    assert row.records[0].action == CREATE
    assert any("无法确定是否更正" in p.message for p in row.problems)


def test_figures_gbk_csv_tab_separated(database, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(81), "name": "甲有限公司"})
    text = ("企业名称\t统一社会信用代码\t年度\t营业收入（万元）\t研发人员\t细分市场占有率\n"
            f"甲有限公司\t{make_code(81)}\t2023\t１，２３４．５\t12人\t12%\n")
    path = tmp_path / "figures.csv"
    path.write_bytes(text.encode("gbk"))
    source = open_source(path)
    assert (source.encoding, source.delimiter) == ("gbk", "\t")
    plan, batch_id = import_file(database, path)
    assert plan.kind == "figures" and plan.rows[0].action == UPDATE
    with database.session() as session:
        row = session.scalars(select(AnnualFigures)).one()
        assert (row.year, row.revenue, row.rd_staff, row.market_share) == (
            2023, Decimal("1234.5"), 12, Decimal(12))


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                          ("gb18030", b"")])
def test_csv_encodings_comma(database, tmp_path, encoding, bom):
    text = f"企业名称,统一社会信用代码,镇街\n“引号”有限公司,{make_code(91)},湖塘镇\n"
    path = tmp_path / "r.csv"
    path.write_bytes(bom + text.encode(encoding))
    plan = plan_file(database, path)
    assert plan.rows[0].action == CREATE
    assert plan.rows[0].create_values["name"] == "“引号”有限公司"


def test_remembered_mapping_per_header_layout(database, tmp_path):
    path = write_xlsx(tmp_path / "m.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "包挂人"], ["甲有限公司", make_code(95), "王丽"]]})
    detection = detect(open_source(path))
    assert 2 not in detection.mapping
    remember_mapping(detection.headers, {**detection.mapping, 2: "contact_person"})
    again = detect(open_source(path))
    assert again.remembered and again.mapping[2] == "contact_person"
    plan = plan_file(database, path)
    assert plan.rows[0].create_values["contact_person"] == "王丽"


def test_unchanged_rows_when_nothing_differs(database, tmp_path):
    path = write_xlsx(tmp_path / "u.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["甲有限公司", make_code(97)]]})
    import_file(database, path)
    plan = plan_file(database, path)
    assert [r.action for r in plan.rows] == [UNCHANGED]


def test_measures_all_dated_are_not_told_to_add_a_date_column(database, tmp_path, capsys):
    """Every row dated (a 兑现明细 with its 兑现日期 column): all 已兑现, said in one line that
    does not ask for a 兑现日期 column it has, rows counted as “11 等行”, and the command line
    names the sheet the line is of (工作表“兑现明细”), not 文件 (tester26)."""
    from ui.cli.main import main

    rows = [["企业名称", "统一社会信用代码", "措施类别", "金额（万元）", "兑现日期"]]
    with database.session() as session:
        for serial in range(60, 70):
            enterprises.create(session, {"credit_code": make_code(serial),
                                         "name": f"己{serial}有限公司"})
            rows.append([f"己{serial}有限公司", make_code(serial), "认定奖励", 10, "2026-11-30"])
    path = write_xlsx(tmp_path / "兑现明细.xlsx", {"兑现明细": rows})
    plan = plan_file(database, path)
    assert [p.message for p in plan.problems if "未写状态" in p.message] == [
        "10 条新增扶持措施未写状态（第 2、3、4、5、6、7、8、9 等行）：有兑现日期的 10 条记为“已兑现”"]
    target = str(database.path) if database.path else database.engine.url.render_as_string(
        hide_password=False)
    assert main(["--db", target, "import", str(path), "--dry-run"]) == 0
    assert "[提示] 工作表“兑现明细”：10 条新增扶持措施未写状态" in capsys.readouterr().out


def test_measures_without_a_status_are_not_taken_for_paid(database, tmp_path):
    """A list of measures with no 状态 column (类别, 项目, 金额, 年度: funds arranged) was
    recorded 已兑现, silently, and counted in the 兑现 totals. A row with a 兑现日期 is
    已兑现; one without is 审核 (not paid yet); the preview says so in one line; a status
    the sheet gives is kept, and a re-import leaves a recorded status alone."""
    with database.session() as session:
        for serial in (81, 82, 83):
            enterprises.create(session, {"credit_code": make_code(serial),
                                         "name": f"戊{serial}有限公司"})
    path = write_xlsx(tmp_path / "funds.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "年度", "拨付日期"],
        ["戊81有限公司", make_code(81), "专项资金", "智改数转", 50, 2026, None],
        ["戊82有限公司", make_code(82), "认定奖励", "小巨人奖励", 30, 2025, "2025.6.1"]]})
    plan = plan_file(database, path)
    notes = [p.message for p in plan.problems if "未写状态" in p.message]
    assert notes == ["2 条新增扶持措施未写状态（第 2、3 行）：有兑现日期的 1 条记为“已兑现”，"
                     "没有兑现日期的 1 条记为“审核”（尚未兑现，不计入兑现金额）；"
                     "如已兑现，请在表中加“状态”或“兑现日期”列"]
    import_file(database, path)
    with database.session() as session:
        status = dict(session.execute(select(SupportMeasure.kind, SupportMeasure.status)).all())
    assert status == {"专项资金": "审核", "认定奖励": "已兑现"}
    # the officer marks the fund paid; the same sheet again changes nothing, says nothing
    with database.session() as session:
        measure = session.scalars(select(SupportMeasure).where(
            SupportMeasure.kind == "专项资金")).one()
        measure.status = "已兑现"
    again = plan_file(database, path)
    assert not [p for p in again.problems if "未写状态" in p.message]
    assert all(row.action == UNCHANGED for row in again.rows)
    # a statusless row that corrects the recorded measure (50 → 60 万元) adds none: no note
    # (it said the measure would be recorded 审核), and the recorded status stays
    corrected = write_xlsx(tmp_path / "corrected.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "年度"],
        ["戊81有限公司", make_code(81), "专项资金", "智改数转", 60, 2026],
        ["戊83有限公司", make_code(83), "专项资金", "智改数转", 5, 2026]]})
    plan = plan_file(database, corrected)
    assert [p.message for p in plan.problems if "未写状态" in p.message] == [
        "1 条新增扶持措施未写状态（第 3 行）：没有兑现日期的 1 条记为“审核”（尚未兑现，不计入兑现金额）；"
        "如已兑现，请在表中加“状态”或“兑现日期”列"]
    import_file(database, corrected)
    with database.session() as session:
        assert sorted(session.execute(select(SupportMeasure.amount, SupportMeasure.status)
                                      .where(SupportMeasure.kind == "专项资金")).all()) == [
            (Decimal(5), "审核"), (Decimal(60), "已兑现")]
    # a sheet that gives the status: taken as given, no note
    stated = write_xlsx(tmp_path / "stated.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "年度", "状态"],
        ["戊83有限公司", make_code(83), "贷款贴息", 8, 2026, "已兑现"]]})
    plan = plan_file(database, stated)
    assert not [p for p in plan.problems if "未写状态" in p.message]
    assert plan.rows[0].records[0].values["status"] == "已兑现"
