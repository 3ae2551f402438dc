"""The records a list's rows make: a numbered batch's year and validity (and a warning when
a list has no year), 复核 rows from a 类型 column, a support sheet's 文号 as its policy basis."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers import detect, open_source
from importers.plan import CREATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import Recognition, SupportMeasure
from tiers.services import enterprises
from ui.cli.main import main


def test_numbered_batch_gets_its_year_and_validity(database, tmp_path):
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1)],
    ]})
    plan, _ = import_file(database, path)
    assert plan.metadata["batch_year"] == 2023
    assert not any("未给出认定年度" in p.message for p in plan.all_problems())
    with database.session() as session:
        assert session.execute(select(Recognition.batch_label, Recognition.batch_year,
                                      Recognition.valid_until)).one() == (
            "第五批", 2023, dt.date(2026, 12, 31))


def test_list_without_a_year_warns_that_validity_is_unknown(database, tmp_path, capsys, db_target):
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
        ["省级专精特新中小企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", make_code(1)],
        ["乙科技有限公司", make_code(2)],
    ]})
    plan = plan_file(database, path)
    warnings = [p.message for p in plan.problems if "未给出认定年度" in p.message]
    # the library names what is missing; the CLI adds where to give it (as it always read)
    assert warnings == ["未给出认定年度，无法推算有效期（第 3、4 行，共 2 行）：请指定年度"]
    assert [p.hint_field for p in plan.problems if "未给出认定年度" in p.message] == ["year"]
    assert main(["--db", str(db_target), "import", str(path), "--dry-run"]) == 0
    assert ("未给出认定年度，无法推算有效期（第 3、4 行，共 2 行）：请指定年度"
            "（导入向导中的“年度”，命令行用 --year）") in capsys.readouterr().out
    plan = plan_file(database, path, batch_year=2024)
    assert not any("未给出认定年度" in p.message for p in plan.all_problems())
    assert plan.rows[0].records[0].values["valid_until"] == dt.date(2027, 12, 31)


def test_type_column_marks_review_rows(database, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
        ["第六批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码", "类型"],
        ["甲科技有限公司", make_code(1), "新认定"],
        ["乙科技有限公司", make_code(2), "复核通过"],
        ["丙科技有限公司", make_code(3), "制造类"],
    ]})
    rows = by_row(plan_file(database, path))
    assert rows[3].records[0].values["is_review"] is False
    assert rows[4].records[0].values["is_review"] is True
    assert rows[5].action == CREATE and rows[5].records[0].values["is_review"] is False
    assert any("未识别" in p.message for p in rows[5].problems)


def test_a_support_sheets_document_number_is_its_policy_basis(database, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "name": "甲有限公司"})
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "拨付日期", "文号"],
        ["甲有限公司", make_code(1), "奖补资金", 12.5, "2024-03-08", "张财企〔2024〕12号"]]})
    detection = detect(open_source(path))
    assert detection.kind == "support" and detection.mapping[5] == "policy_basis"
    # the same sheet read as a recognition list keeps 文号 as the 认定文号 … and back
    assert detection.with_options(kind="support").mapping[5] == "policy_basis"
    import_file(database, path)
    with database.session() as session:
        assert session.scalar(select(SupportMeasure.policy_basis)) == "张财企〔2024〕12号"
