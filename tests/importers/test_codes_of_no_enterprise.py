"""The 2nd character of a credit code (机构类别, by the 1st: GB 32100-2015, domain.md §4).

A 9x code other than 91/92/93 (市场监管: 企业, 个体工商户, 农民专业合作社) passed both check
characters and was taken as a new firm (95320412000000019H): it is refused now, saying so.
A valid code that is no enterprise's (92 个体工商户, 1x 机关, 5x 社会组织 …) or whose 2nd
character the third-party table does not know for its authority is imported, with a
warning on the row: the tiers are for 企业法人, but such a unit may carry support measures.
"""

from __future__ import annotations

from importers.plan import CREATE, ERROR, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, by_row, plan_file, write_xlsx
from tiers.model import credit_code
from ui.cli.main import main

MADE_UP = "95320412000000019H"  # both check characters valid, 9 with category 5
SOLE_TRADER = credit_code.make("92320412MA000001")  # 个体工商户
BUREAU = credit_code.make("11320412MA000002")  # 机构编制 · 机关
UNKNOWN = credit_code.make("14320412MA000003")  # 机构编制 has no category 4 in the table


def _roster(tmp_path, codes):
    return write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县（市、区）"],
        *([f"常州{index}号有限公司", code, "武进区"] for index, code in enumerate(codes))]})


def _said(row, severity):
    return [p.message for p in row.problems if p.severity == severity]


def test_a_made_up_market_regulation_code_is_refused(database, tmp_path):
    rows = by_row(plan_file(database, _roster(tmp_path, [make_code(1), MADE_UP]),
                            kind="roster"))
    assert rows[2].action == CREATE and not rows[2].problems
    assert rows[3].action == ERROR
    (said,) = _said(rows[3], "error")
    assert "第2位机构类别代码“5”无效" in said and "第2位应为1、2或3" in said


def test_a_code_of_no_enterprise_is_imported_with_a_warning(database, tmp_path):
    rows = by_row(plan_file(database, _roster(tmp_path, [SOLE_TRADER, BUREAU, UNKNOWN]),
                            kind="roster"))
    assert [rows[n].action for n in (2, 3, 4)] == [CREATE] * 3
    assert not any(_said(rows[n], "error") for n in (2, 3, 4))
    (trader,), (bureau,), (unknown,) = (_said(rows[n], "warning") for n in (2, 3, 4))
    assert trader.startswith("不是企业的代码：") and "个体工商户" in trader
    assert "梯度认定要求企业法人" in trader and SOLE_TRADER in trader
    assert bureau.startswith("不是企业的代码：") and "机关" in bureau
    assert "第2位机构类别代码“4”不在已知的类别中" in unknown and "请核对" in unknown
    assert all(row.problems[0].column == "B" for row in rows.values())


def test_a_firm_already_kept_under_such_a_code_is_said_too(database, tmp_path):
    add_enterprise(database, "常州0号有限公司", 1, credit_code=SOLE_TRADER)
    (row,) = plan_file(database, _roster(tmp_path, [SOLE_TRADER]), kind="roster").rows
    assert row.action in (UPDATE, "unchanged")
    assert any("不是企业的代码" in said for said in _said(row, "warning"))


def test_a_support_list_says_only_an_unknown_category(database, tmp_path):
    """Support measures may go to a 个体工商户: no word of the tiers there; an unknown
    category is still worth a look."""
    for serial, code in enumerate((SOLE_TRADER, UNKNOWN), start=1):
        add_enterprise(database, f"常州{serial}号有限公司", serial, credit_code=code)
    path = write_xlsx(tmp_path / "扶持.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "金额（万元）", "年度"],
        ["常州1号有限公司", SOLE_TRADER, "奖补资金", 10, 2024],
        ["常州2号有限公司", UNKNOWN, "奖补资金", 10, 2024]]})
    rows = by_row(plan_file(database, path, kind="support"))
    assert rows[2].action == UPDATE and rows[3].action == UPDATE
    assert not _said(rows[2], "warning")
    assert any("不在已知的类别中" in said for said in _said(rows[3], "warning"))


def test_the_command_line_shows_them(database, tmp_path, capsys, db_target):
    path = _roster(tmp_path, [MADE_UP, SOLE_TRADER])
    assert main(["--db", str(db_target), "import", str(path), "--kind", "roster",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "[错误] 第2行 B列：统一社会信用代码第2位机构类别代码“5”无效" in out
    assert "[提示] 第3行 B列：不是企业的代码：" in out
