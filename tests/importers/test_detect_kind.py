"""The kind of list a sheet is: a 类型 column does not make a roster a list, a title naming
a tier makes a recognition list even with roster or figure columns, a tier-free title
leaves a roster a roster."""

from __future__ import annotations

from importers import detect, open_source
from importers.plan import CREATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, plan_file, write_xlsx


def test_type_column_does_not_make_a_roster_a_list(database, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "联系人", "类型"],
        ["甲科技有限公司", make_code(1), "王丽", "民营"],
    ]})
    assert detect(open_source(path)).kind == "roster"


def test_titled_list_with_roster_columns_is_a_recognition_list_and_count_footer_skipped(
        database, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", {"2026年第一批": [
        ["2026年度武进区创新型中小企业名单（第一批）", None, None, None, None],
        ["填报单位：武进区工信局", None, None, None, None],
        ["序号", "企业名称", "统一社会信用代码", "所在镇（街道）", "主导产品"],
        [1, "常州甲精工科技有限公司", make_code(31), "湖塘镇", "齿轮"],
        [2, "常州乙智能装备有限公司", make_code(32), "牛塘镇", "机器人"],
        ["合计", "2家", None, None, None],
    ]}, merges={"2026年第一批": [("A1:E1", "2026年度武进区创新型中小企业名单（第一批）"),
                                ("A2:E2", "填报单位：武进区工信局")]})
    plan = plan_file(database, path)
    assert plan.kind == "recognitions"
    assert sorted(by_row(plan)) == [4, 5]  # the 合计 row is not data
    assert all(r.action == CREATE for r in plan.rows)


def test_a_plain_roster_with_a_tier_free_title_stays_a_roster(database, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"Sheet1": [
        ["武进区重点企业名录", None, None],
        ["企业名称", "统一社会信用代码", "所在镇（街道）"],
        ["常州丙科技有限公司", make_code(33), "湖塘镇"],
    ]})
    assert plan_file(database, path).kind == "roster"


def test_a_list_titled_with_a_tier_and_carrying_figures_is_a_recognition_list(tmp_path):
    """“2024年度武进区专精特新中小企业名单” with 镇街, 规模 and 营业收入 columns announces
    recognised firms: it is read as a 认定名单 (it was read as a 企业名录, whose import
    records no title while the wizard showed the tier it had found)."""
    path = write_xlsx(tmp_path / "list.xlsx", {"武进区": [
        ["2024年度常州市武进区专精特新中小企业名单"],
        ["企业名称", "统一社会信用代码", "镇（街道）", "企业规模", "营业收入（万元）"],
        ["甲科技有限公司", make_code(12), "湖塘镇", "小型", 100],
    ]})
    detection = detect(open_source(path))
    assert (detection.kind, detection.metadata.tier, detection.metadata.batch_year) == (
        "recognitions", "zjtx", 2024)


def test_a_signature_line_over_the_name_column_is_no_firm(database, tmp_path):
    """A 落款 row whose 联系电话： lands in the 企业名称 column (a narrow 序号 column holds
    填报人：) is a footer, not a firm called “联系电话：” (tester29)."""
    path = write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["2026年度武进区创新型中小企业名单"],
        ["序号", "企业名称", "统一社会信用代码"],
        [1, "常州甲精工科技有限公司", make_code(41)],
        [2, "常州乙智能装备有限公司", make_code(42)],
        [],
        ["填报人：张敏", "联系电话：0519-86660000", "填报日期：2026年12月7日"],
    ]})
    assert sorted(by_row(plan_file(database, path))) == [3, 4]
