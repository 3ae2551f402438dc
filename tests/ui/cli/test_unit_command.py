"""tiers unit sets the counties the database's unit answers for; tiers import then leaves the
other counties' firms out (counted apart, each with its county) unless --other-counties;
tiers import of the 复核 list corrects a misdated 复核 as 更正 in its dry run."""

import json

from tests.conftest import make_code
from tests.importers.helpers import table_counts, write_xlsx
from ui.cli.main import main

LIYANG, WUJIN = "320481", "320412"


def _province_list(tmp_path):
    return write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, LIYANG)],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, WUJIN)],
    ]})


def test_unit_set_shown_and_cleared(database, db_target, capsys):
    db = ["--db", str(db_target)]
    assert main([*db, "unit"]) == 0
    assert "本单位负责的区县：未设定" in capsys.readouterr().out
    assert main([*db, "unit", "--set", "溧阳市"]) == 0
    out = capsys.readouterr().out
    assert "本单位负责的区县：溧阳市（320481）" in out
    assert "导出数据包默认为这些区县" in out  # it decides more than imports (review26 #10)
    assert "最近一次修改：" in out and "本单位负责的区县：未设定 → 溧阳市）" in out  # (#13)
    assert main([*db, "unit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "divisions": [{"code": "320481", "name": "溧阳市"}]}
    assert main([*db, "unit", "--set", "天目湖开发区"]) != 0  # refused, nothing changed
    assert "不是已知的县（市、区）或设区市" in capsys.readouterr().err
    assert main([*db, "unit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["divisions"][0]["code"] == "320481"
    assert main([*db, "unit", "--clear"]) == 0
    assert "已取消" in capsys.readouterr().out


def test_import_leaves_other_counties_out_unless_asked(database, db_target, tmp_path, capsys):
    db = ["--db", str(db_target)]
    assert main([*db, "unit", "--set", "溧阳市"]) == 0
    path = _province_list(tmp_path)
    capsys.readouterr()
    assert main([*db, "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "不导入（不属本单位区县）1" in out
    assert "第4行 [不导入（不属本单位区县）] 常州武进恒通阀门有限公司" in out
    assert "不属本单位区县（武进区；本单位：溧阳市），不导入" in out
    assert "加 --other-counties" in out
    assert main([*db, "import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["created"], data["other_unit"]) == (1, 1)
    assert table_counts(database)["enterprise"] == 1
    assert main([*db, "import", str(path), "--other-counties", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["created"], data["other_unit"]) == (1, 0)
    assert table_counts(database)["enterprise"] == 2


def _dry_run(capsys, db, path, *flags):
    """What ``tiers import PATH --dry-run`` prints (exit 0 asserted)."""
    assert main([*db, "import", str(path), *flags, "--dry-run"]) == 0
    return capsys.readouterr().out


def test_the_rows_without_a_code_are_not_said_to_be_taken_in(database, db_target, tmp_path,
                                                            capsys):
    """--other-counties imports only what can be written: a row of another county without a
    credit code nor a firm of its name stays 未匹配, and the text says how many and why."""
    db = ["--db", str(db_target)]
    assert main([*db, "unit", "--set", "溧阳市"]) == 0
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, LIYANG)],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, WUJIN)],
        [3, "武进区", "常州武进未报代码有限公司", ""],
    ]})
    capsys.readouterr()
    out = _dry_run(capsys, db, path)
    assert ("本单位负责的区县为溧阳市：不属这些区县的 2 行不导入（如要一并导入，加 --other-counties，"
            "或逐行加 --take-row 行号）；其中 1 行未提供信用代码、库中没有该企业，一并导入也是“未匹配”，"
            "不会新建") in out  # (the wizard's sentence, tidy29)
    out = _dry_run(capsys, db, path, "--other-counties")
    assert ("本单位负责的区县为溧阳市：不属这些区县的 2 行中 1 行一并导入（--other-counties）；"
            "另 1 行未提供信用代码、库中没有该企业，为“未匹配”，不导入"
            "（可用 --link 行号=信用代码 指定关联）") in out
    assert "的 2 行一并导入" not in out
    only = write_xlsx(tmp_path / "名单2.xlsx", {"Sheet1": [  # none of them can be written
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, LIYANG)],
        [2, "武进区", "常州武进未报代码有限公司", ""],
    ]})
    out = _dry_run(capsys, db, only)
    assert ("本单位负责的区县为溧阳市：不属这些区县的 1 行不导入（如要一并导入，加 --other-counties，"
            "或逐行加 --take-row 行号）；这 1 行都未提供信用代码、库中没有该企业，一并列入也是“未匹配”，"
            "不会新建") in out
    out = _dry_run(capsys, db, only, "--other-counties")
    assert ("本单位负责的区县为溧阳市：不属这些区县的 1 行都未提供信用代码、库中没有该企业，"
            "为“未匹配”，不导入（可用 --link 行号=信用代码 指定关联）") in out
    assert "一并导入" not in out


def test_one_row_taken_in_by_its_number(database, db_target, tmp_path, capsys):
    """--take-row 4: that row of another county goes in, as the wizard's 导入此行 takes it;
    a number of no such row is refused, nothing written (tester28a #2)."""
    db = ["--db", str(db_target)]
    assert main([*db, "unit", "--set", "溧阳市"]) == 0
    path = _province_list(tmp_path)
    capsys.readouterr()
    assert main([*db, "import", str(path), "--dry-run"]) == 0
    assert "或逐行加 --take-row 行号" in capsys.readouterr().out
    assert main([*db, "import", str(path), "--take-row", "3"]) != 0
    assert "--take-row 的第 3 行不是不属本单位区县的行" in capsys.readouterr().err
    assert table_counts(database)["enterprise"] == 0
    assert main([*db, "import", str(path), "--take-row", "4"]) == 0
    out = capsys.readouterr().out
    assert "本单位负责的区县为溧阳市：不属这些区县的 1 行导入（--take-row：第 4 行）" in out
    assert table_counts(database)["enterprise"] == 2


def test_a_misdated_review_is_corrected_in_the_dry_run(database, db_target, tmp_path, capsys):
    from tiers.services import enterprises, recognitions

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "甲有限公司"})
        recognitions.add(session, firm.id, {"tier_code": "little_giant", "batch_label": "第二批",
                                            "batch_year": 2020, "is_review": True})
    path = write_xlsx(tmp_path / "复核.xlsx", {"S": [
        ["第二批专精特新“小巨人”企业复核通过名单"], ["序号", "企业名称", "统一社会信用代码"],
        [1, "甲有限公司", make_code(1)]]})
    assert main(["--db", str(db_target), "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "更正 小巨人 第二批（复核）（认定年度：2020 → 2023" in out
    assert "更正 1 条复核记录的年度（2020 → 2023）" in out


def test_the_help_says_what_the_unit_decides(capsys):
    """Imports, the package export's counties and the proposed 报送单位 (review26 #10)."""
    import pytest

    with pytest.raises(SystemExit):
        main(["unit", "--help"])
    out = "".join(capsys.readouterr().out.split())
    assert "tierspackageexport默认导出这些区县" in out and "报送单位" in out


def test_a_row_taken_by_its_number_is_not_counted_among_the_rest(database, db_target,
                                                                   tmp_path, capsys):
    """--take-row beside rows without a code: the line counts the rest without the row taken
    and says what of the rest stays 未匹配, as the wizard does (small29 #3)."""
    db = ["--db", str(db_target)]
    assert main([*db, "unit", "--set", "溧阳市"]) == 0
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["2025年度省级专精特新中小企业名单"],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "溧阳市", "溧阳市天目湖精密机械有限公司", make_code(1, LIYANG)],
        [2, "武进区", "常州武进恒通阀门有限公司", make_code(2, WUJIN)],
        [3, "武进区", "常州武进兴达电机有限公司", make_code(3, WUJIN)],
        [4, "武进区", "常州武进未报代码有限公司", ""],
    ]})
    capsys.readouterr()
    assert main([*db, "import", str(path), "--take-row", "4", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert ("本单位负责的区县为溧阳市：不属这些区县的 3 行中 1 行导入（--take-row：第 4 行），"
            "其余 2 行不导入（如要一并导入，加 --other-counties，或逐行加 --take-row 行号）；"
            "其中 1 行未提供信用代码、库中没有该企业，一并导入也是“未匹配”，不会新建") in out, out
