"""A credit code carrying an invisible character (a zero-width space or a byte-order mark
pasted with it from a web page or a WPS cell) is the code the officer sees: it matches the
firm kept under it. The break campaign of #16 found such rows refused with "统一社会信用代码
应为18位，实为19位" beside the 18 characters the officer could see."""

from __future__ import annotations

import pytest

from importers.plan import CREATE
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, plan_file, write_xlsx
from tiers.model import credit_code

HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\x07",
          "\u00ad"]


@pytest.mark.parametrize("hidden", HIDDEN)
def test_an_invisible_character_is_not_part_of_the_code(hidden):
    code = make_code(3)
    assert credit_code.validate(hidden + code[:9] + hidden + code[9:] + hidden) == code


def test_a_code_with_an_invisible_character_matches_its_firm(database, tmp_path):
    firm = add_enterprise(database, "常州甲科技有限公司", 1)
    codes = [make_code(1)[:5] + hidden + make_code(1)[5:] + hidden for hidden in HIDDEN]
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县（市、区）"],
        *([f"常州{index}号有限公司", code, "武进区"] for index, code in enumerate(codes))]})
    plan = plan_file(database, path, kind="roster")
    assert [row.action for row in plan.rows if row.action == CREATE] == []
    assert {row.enterprise_id for row in plan.rows} == {firm}
    assert not [p.message for p in plan.problems if "信用代码" in p.message and "位" in p.message]
