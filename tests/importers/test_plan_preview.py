"""What the preview shows of a plan: amounts old and new formatted alike, what a new firm
will hold, nothing for a row that writes nothing, and a note naming the kind a file was
imported as before."""

from __future__ import annotations

from decimal import Decimal

from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, plan_file, write_xlsx
from ui.cli.main import main


def test_old_and_new_amounts_are_formatted_alike(database, tmp_path, capsys, db_target):
    from importers.plan import display_value

    assert display_value(Decimal("89372.9900")) == "89372.99"
    assert display_value(Decimal("12345.6")) == "12345.6"
    assert display_value(Decimal("100.0000")) == "100"
    assert display_value(Decimal("1E+2")) == "100"
    enterprise_id = add_enterprise(database, "甲科技有限公司", 1)
    with database.session() as session:
        from tiers.services import figures
        figures.set_year(session, enterprise_id, 2024, {"revenue": Decimal("89372.99")})
    path = write_xlsx(tmp_path / "数据.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "年度", "营业收入（万元）"],
        ["甲科技有限公司", make_code(1), 2024, 12345.6],
    ]})
    assert main(["--db", str(db_target), "import", str(path), "--dry-run"]) == 0
    assert "营业收入：89372.99 → 12345.6" in capsys.readouterr().out


def test_the_preview_lists_what_a_new_firm_will_hold(database, tmp_path):
    """A 新增 row showed nothing in 将写入的内容: now the firm's fields and its figures."""
    from importers.plan import content_lines

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "镇街", "联系电话", "营业收入（万元）", "年度"],
        ["甲科技有限公司", make_code(13, "320412"), "湖塘镇", "13800000000", 1234.5, 2024],
    ]})
    (row,) = plan_file(database, path, kind="roster").rows
    assert content_lines(row) == [
        "县（市、区）：武进区（320412）", "镇街/园区：湖塘镇", "联系电话：13800000000",
        "新增 2024年 年度数据（营业收入 1234.5）"]


def test_a_row_that_writes_nothing_lists_nothing_to_write(database, tmp_path):
    from importers.plan import content_lines

    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "镇街", "营业收入（万元）", "年度"],
        ["甲科技有限公司", "ABC123", "湖塘镇", 100, 2024],
    ]})
    (row,) = plan_file(database, path, kind="roster").rows
    assert row.action == "error" and content_lines(row) == []


def test_the_file_imported_before_note_names_the_kind_when_it_differs(database, tmp_path):
    path = write_xlsx(tmp_path / "2024年度专精特新中小企业名单.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", "年度"],
        ["甲科技有限公司", make_code(11), 100, 2024],
    ]})
    import_file(database, path, kind="roster")
    again = plan_file(database, path, kind="roster")
    assert any("重复导入不会产生变化" in p.message for p in again.problems)
    other = plan_file(database, path, kind="recognitions", tier="省级专精特新")
    notes = [p.message for p in other.problems if "导入过" in p.message]
    assert notes and "按“企业名录”导入过" in notes[0] and "不会产生变化" not in notes[0]
    # and the figure columns a recognition list leaves out are named
    assert any("C 营业收入" in p.message and "年度数据" in p.message for p in other.problems)


def test_a_final_list_says_the_recognition_it_confirms(database, tmp_path):
    """A final list after its 公示 list showed 更新 小巨人 第五批 and nothing of what it
    changed: the recognition goes from 公示中 to 有效."""
    from importers.plan import content_lines

    header = ["序号", "企业名称", "统一社会信用代码"]
    firm = [1, "常州公示1号科技有限公司", make_code(901)]
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于第五批专精特新“小巨人”企业名单的公示"], header, firm]}))
    final = write_xlsx(tmp_path / "名单.xlsx", {"名单": [
        ["第五批专精特新“小巨人”企业名单"], header, firm]})
    (row,) = plan_file(database, final).rows
    assert content_lines(row) == ["更新 小巨人 第五批（公示中 → 有效）"]


def test_the_file_imported_before_note_does_not_promise_no_change_when_rows_change(
        database, tmp_path):
    """A recognition list imported with a row left unmatched (有限公司 in the list, 有限责任
    公司 in the database); planned again with that row linked, the preview read “此文件已于…
    导入过，重复导入不会产生变化” above a row to be updated (the officer's walk)."""
    from importers import Link

    enterprise_id = add_enterprise(database, "常州博远智能装备有限责任公司", 1)
    add_enterprise(database, "常州华创新材料有限公司", 2)
    path = write_xlsx(tmp_path / "2025年度省级专精特新中小企业名单.xlsx", {"公告名单": [
        ["2025年度江苏省省级专精特新中小企业名单"],
        ["序号", "企业名称"],
        [1, "常州华创新材料有限公司"],
        [2, "常州博远智能装备有限公司"],
    ]})
    first, _batch = import_file(database, path)
    assert [row.action for row in first.rows] == ["update", "unmatched"]
    again = plan_file(database, path, links={4: Link(enterprise_id)})
    assert [row.action for row in again.rows] == ["unchanged", "update"]
    notes = [p.message for p in again.problems if "导入过" in p.message]
    assert notes and "不会产生变化" not in notes[0] and "1 行将新增或更新" in notes[0]
    unchanged = plan_file(database, path)  # nothing linked: it would indeed change nothing
    assert any("重复导入不会产生变化" in p.message for p in unchanged.problems)


def test_a_batch_named_within_its_year_says_the_year(database, tmp_path):
    """2025年常州市第二批创新型中小企业名单 showed 新增 创新型 第二批: every year has a 第二批
    of 创新型 (tester28a #4). A batch that names its year (2024年度) or a 小巨人 batch (第五批:
    numbered across the years) stays as it was."""
    from importers.plan import content_lines

    path = write_xlsx(tmp_path / "2025年常州市第二批创新型中小企业名单.xlsx", {"S": [
        ["2025年常州市第二批创新型中小企业名单"], ["序号", "企业名称", "统一社会信用代码", "所在县区"],
        [1, "甲科技有限公司", make_code(21, "320411"), "新北区"]]})
    (row,) = plan_file(database, path).rows
    assert content_lines(row)[-1] == "新增 创新型 2025年第二批"
    path = write_xlsx(tmp_path / "2024年度创新型中小企业名单.xlsx", {"S": [
        ["2024年度创新型中小企业名单"], ["序号", "企业名称", "统一社会信用代码", "所在县区"],
        [1, "乙科技有限公司", make_code(22, "320411"), "新北区"]]})
    (row,) = plan_file(database, path).rows
    assert content_lines(row)[-1] == "新增 创新型 2024年度"
