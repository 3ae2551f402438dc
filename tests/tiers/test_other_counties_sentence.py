"""The sentence about the rows outside 本单位负责的区县 (tidy29 #3): the wizard's preview and
tiers import built it apart, the same case analysis twice; one sentence in the core
(tiers.text.unit_counties), each face giving only its own ways of taking the rows in."""

from __future__ import annotations

from types import SimpleNamespace

from tiers.text.unit_counties import OtherCountiesWays, importable_left, other_counties_sentence

WHY = "未提供信用代码、库中没有该企业"
WIZARD = OtherCountiesWays(left_out="（各行“问题”中写明所属区县）", row_taken="导入此行",
                           all_taken="", link="（可指定关联）")
CLI = OtherCountiesWays(left_out="（如要一并导入，加 --other-counties，或逐行加 --take-row 行号）",
                        row_taken="--take-row", all_taken="（--other-counties）",
                        link="（可用 --link 行号=信用代码 指定关联）")


def _plan(rows=2, unmatched=0, taken=False, taken_in=()):
    return SimpleNamespace(unit_names="溧阳市", other_unit_rows=rows,
                           other_unit_unmatched=unmatched,
                           other_unit_importable=rows - unmatched, other_unit_unmatched_why=WHY,
                           other_counties_taken=taken, taken_in_rows=frozenset(taken_in))


HEAD = "本单位负责的区县为溧阳市：不属这些区县的"


def test_none_no_sentence():
    assert other_counties_sentence(_plan(rows=0), WIZARD) == ""


def test_the_wizard_says_what_it_said():
    assert other_counties_sentence(_plan(), WIZARD) == (
        f"{HEAD} 2 行不导入（各行“问题”中写明所属区县）")
    assert other_counties_sentence(_plan(3, 1), WIZARD) == (
        f"{HEAD} 3 行不导入（各行“问题”中写明所属区县）；其中 1 行{WHY}，一并导入也是“未匹配”，不会新建")
    assert other_counties_sentence(_plan(1, 1), WIZARD) == (
        f"{HEAD} 1 行不导入（各行“问题”中写明所属区县）；这 1 行都{WHY}，一并列入也是“未匹配”，不会新建")
    assert other_counties_sentence(_plan(taken=True), WIZARD) == f"{HEAD} 2 行一并导入"
    assert other_counties_sentence(_plan(3, 1, taken=True), WIZARD) == (
        f"{HEAD} 3 行中 2 行一并导入；另 1 行{WHY}，为“未匹配”，不导入（可指定关联）")
    assert other_counties_sentence(_plan(1, 1, taken=True), WIZARD) == (
        f"{HEAD} 1 行都{WHY}，为“未匹配”，不导入（可指定关联）")
    assert other_counties_sentence(_plan(taken_in=[4]), WIZARD) == (
        f"{HEAD} 2 行中 1 行导入（导入此行），其余 1 行不导入（各行“问题”中写明所属区县）")


def test_the_command_line_says_the_same_with_its_options():
    assert other_counties_sentence(_plan(3, 1), CLI) == (
        f"{HEAD} 3 行不导入（如要一并导入，加 --other-counties，或逐行加 --take-row 行号）；"
        f"其中 1 行{WHY}，一并导入也是“未匹配”，不会新建")
    assert other_counties_sentence(_plan(3, 1, taken=True), CLI) == (
        f"{HEAD} 3 行中 2 行一并导入（--other-counties）；另 1 行{WHY}，为“未匹配”，不导入"
        "（可用 --link 行号=信用代码 指定关联）")
    assert other_counties_sentence(_plan(3, taken_in=[4]), CLI) == (
        f"{HEAD} 3 行中 1 行导入（--take-row），其余 2 行不导入"
        "（如要一并导入，加 --other-counties，或逐行加 --take-row 行号）")


def test_every_row_taken_one_by_one_leaves_none_out():
    assert other_counties_sentence(_plan(1, taken_in=[4]), CLI) == f"{HEAD} 1 行导入（--take-row）"
    assert other_counties_sentence(_plan(2, taken_in=[4, 5]), WIZARD) == (
        f"{HEAD} 2 行都导入（导入此行）")


def test_thousands_are_grouped():
    assert f"{HEAD} 12,000 行不导入" in other_counties_sentence(_plan(12_000), CLI)


def test_a_row_taken_one_by_one_is_not_counted_among_the_rest():
    """--take-row / 导入此行 beside rows that stay 未匹配 even taken in: the rows taken, the
    rest left out and what of the rest 一并导入 would write add up (small29 #3) — 4 rows, 1
    taken, the other 3 left out, of which 2 without a code: 一并导入 writes 1 more."""
    plan = _plan(4, 2, taken_in=[5])
    assert other_counties_sentence(plan, WIZARD) == (
        f"{HEAD} 4 行中 1 行导入（导入此行），其余 3 行不导入（各行“问题”中写明所属区县）；"
        f"其中 2 行{WHY}，一并导入也是“未匹配”，不会新建")
    assert importable_left(plan) == 1
    # the rest all without a code
    plan = _plan(3, 2, taken_in=[5])
    assert other_counties_sentence(plan, CLI) == (
        f"{HEAD} 3 行中 1 行导入（--take-row），其余 2 行不导入"
        "（如要一并导入，加 --other-counties，或逐行加 --take-row 行号）；"
        f"这 2 行都{WHY}，一并列入也是“未匹配”，不会新建")
    assert importable_left(plan) == 0
    # all taken in together: every importable row is written
    assert importable_left(_plan(4, 2, taken=True, taken_in=[5, 6])) == 2
    assert importable_left(_plan(4, 2)) == 2
