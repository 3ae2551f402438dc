"""Cells read into a firm's values on the plan: the town of a list's new firm, an unknown
企业规模 as a warning, a credit code saved as a number, amounts with a currency sign and
month-only dates in a support sheet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from importers.plan import CREATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, plan_file, write_xlsx
from tiers.services import enterprises


def test_a_new_firm_from_a_list_keeps_its_town(database, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", {"S": [
        ["2024年度创新型中小企业名单"], ["企业名称", "统一社会信用代码", "所在镇（区）"],
        ["甲有限公司", make_code(1), "锦丰镇"]]})
    row = by_row(plan_file(database, path))[3]
    assert row.create_values["town"] == "锦丰镇"


def test_an_unknown_size_alone_is_a_warning_not_a_crash(database, tmp_path):
    """A row whose only text field is an unknown 企业规模 (规上) is planned with a warning."""
    path = write_xlsx(tmp_path / "size.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码", "企业规模"],
        ["常州示例机械有限公司", make_code(1), "中型"],
        ["常州示例电子有限公司", make_code(2), "规上"],
    ]})
    plan = plan_file(database, path)
    assert [row.action for row in plan.rows] == [CREATE, CREATE]
    assert plan.rows[0].create_values["size"] == "中型"
    assert "size" not in plan.rows[1].create_values
    assert any("企业规模应为" in p.message for p in plan.rows[1].problems)


def test_a_credit_code_saved_as_a_number_says_so(database, tmp_path):
    """A code Excel or LibreOffice turned into a number (9.13E+17, or 9132…4E82 read as
    9.13E+82): the message says what happened and what to do, not only "应为18位"."""
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["甲科技有限公司", 9.13204123305083e+17],
        ["乙科技有限公司", "9.1320412243014E+82"],
        ["丙科技有限公司", "91320412ABC"],
    ]})
    rows = by_row(plan_file(database, path, kind="roster"))
    for number in (2, 3):
        assert rows[number].action == "error"
        assert any("当成了数字" in p.message and p.column == "B" for p in rows[number].problems)
    assert not any("当成了数字" in p.message for p in rows[4].problems)
    # the preview's code column shows the cell as the spreadsheet does, not blank
    assert [rows[n].code_as_written for n in (2, 3, 4)] == [
        "9.13204E+17", "9.1320412243014E+82", "91320412ABC"]
    assert all(rows[n].credit_code == "" for n in (2, 3, 4))


def test_a_support_sheet_reads_amounts_with_a_currency_sign_and_month_only_dates(database, tmp_path):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(71), "name": "甲有限公司"})
        enterprises.create(session, {"credit_code": make_code(72), "name": "乙有限公司"})
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（元）", "拨付日期"],
        ["甲有限公司", make_code(71), "认定奖励", "小巨人奖励", "￥125,000", "2024年3月8号"],
        ["乙有限公司", make_code(72), "认定奖励", "小巨人奖励", "¥100,000", "2024年3月"]]})
    rows = by_row(plan_file(database, path))
    measure = rows[2].records[0].values
    assert (measure["amount"], measure["paid_on"]) == (Decimal("12.5"), dt.date(2024, 3, 8))
    # the month alone: imported as the 1st, with one note naming the column and rows
    assert rows[3].records[0].values["paid_on"] == dt.date(2024, 3, 1)
    plan = plan_file(database, path)
    note = next(p for p in plan.problems if "只写了年月" in p.message)
    assert note.column == "F" and "第 3 行" in note.message and note.severity == "warning"
