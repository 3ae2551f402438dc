"""Importing 扶持措施 of a kind typed by hand (fixt29b #3): "融资担保费补贴" is 资金奖补 by the
category rule (tiers/model/support_categories.py), yet the hint proposed "相近的有：融资担保…
请改用常用写法" — a kind of 融资, which would take the money out of the money totals. The
hint names only kinds of the kind's own category; and the preview says, once per kind of the
measures it adds that is not 资金奖补, that its amount is not counted as money."""

from __future__ import annotations

from tests.conftest import make_code
from tests.importers.helpers import by_row, plan_file, write_xlsx
from tiers.model import support_categories
from tiers.services import enterprises, measures

NOT_MONEY = "金额不计入资金奖补合计"


def test_the_hint_never_proposes_a_kind_of_another_category():
    assert support_categories.category("融资担保费补贴") == support_categories.MONEY
    note = measures.kind_note("融资担保费补贴")
    assert note and "融资担保" not in note.replace("“融资担保费补贴”", ""), note
    assert all(support_categories.category(k) == support_categories.MONEY
               for k in measures.closest_kinds("融资担保费补贴"))
    # a kind of 融资 typed by hand is still pointed to its own category's kinds
    assert "融资担保" in measures.closest_kinds("融资担保（省信保）")
    # unchanged for the money kinds (tester23)
    assert measures.kind_note("奖励资金").startswith(
        "措施类别“奖励资金”不是常用类别，相近的有：奖补资金、认定奖励")


def test_the_preview_says_once_a_kind_that_its_amount_is_not_money(database, tmp_path):
    with database.session() as session:
        for serial in (5, 6):
            enterprises.create(session, {"credit_code": make_code(serial),
                                         "name": f"常州{serial}有限公司"})
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "年度"],
        ["常州5有限公司", make_code(5), "融资担保费补贴", "担保费补贴", 5, 2026],
        ["常州5有限公司", make_code(5), "融资担保（省信保）", "省信保担保", 500, 2026],
        ["常州6有限公司", make_code(6), "融资担保（省信保）", "省信保担保", 800, 2026],
        ["常州6有限公司", make_code(6), "专精特新贷", "专精特新贷", 1000, 2026],
        ["常州5有限公司", make_code(5), "专精特新贷", "专精特新贷", 3000, 2026],
        ["常州6有限公司", make_code(6), "认定奖励", "小巨人奖励", 50, 2026]]})
    rows = by_row(plan_file(database, path))
    problems = [p for row in rows.values() for p in row.problems]
    said = [(p.row, p.message) for p in problems if NOT_MONEY in p.message]
    assert [row for row, _ in said] == [3, 5], said  # the first row of each, once
    # a kind typed by hand: one sentence with its 不是常用类别 hint (tester30: “类别：融资”
    # after “照此记录” read as a contradiction)
    assert said[0][1].startswith("措施类别“融资担保（省信保）”不是常用类别，相近的有：融资担保")
    assert "照此记录，归入“融资”（金额不计入资金奖补合计，另列为融资额）" in said[0][1]
    assert [p.row for p in problems].count(3) == 1
    assert said[1][1].startswith("措施类别“专精特新贷”归入“融资”，" + NOT_MONEY)
    assert all(p.severity == "warning" for p in problems)
    (hint,) = [p for p in problems if p.row == 2]
    assert "融资担保费补贴" in hint.message and "相近的有：融资担保" not in hint.message
