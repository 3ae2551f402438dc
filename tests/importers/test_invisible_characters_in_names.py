"""A roster whose names carry invisible characters (a zero-width space pasted from a web
page, a bidi override, a BEL) matches the firms already kept under the clean name, stores
new names clean, and says so once per column."""

from __future__ import annotations

from sqlalchemy import select

from importers.plan import CREATE
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, plan_file, write_xlsx
from tiers.model.orm import Enterprise

HIDDEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u2066", "\x07",
          "\x1b[31m"]
KNOWN = "常州甲科技有限公司"


def roster(tmp_path, names: list[str], codes: list[str | None]):
    return write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县（市、区）"],
        *([name, code, "武进区"] for name, code in zip(names, codes, strict=True))]})


def test_a_hidden_character_does_not_make_a_second_firm(database, tmp_path):
    add_enterprise(database, KNOWN, 1)
    names = [KNOWN[:2] + hidden + KNOWN[2:] for hidden in HIDDEN]
    plan = plan_file(database, roster(tmp_path, names, [None] * len(names)), kind="roster")
    assert [row.action for row in plan.rows if row.action == CREATE] == []
    assert {row.enterprise_id for row in plan.rows} == {1}


def test_new_names_are_stored_clean_with_a_note(database, tmp_path):
    names = [f"常州{hidden}新{index}号机械有限公司" for index, hidden in enumerate(HIDDEN)]
    codes = [make_code(10 + index) for index in range(len(names))]
    plan, _ = import_file(database, roster(tmp_path, names, codes), kind="roster")
    notes = [p.message for p in plan.problems if "不可见" in p.message]
    assert notes == [f"企业名称（A 列）有 {len(HIDDEN)} 格含不可见的控制字符或零宽字符"
                     "（第 2、3、4、5、6、7、8、9 等行），已删除这些字符后保存"]
    with database.session() as session:
        stored = sorted(session.scalars(select(Enterprise.name)))
    assert stored == sorted(f"常州新{index}号机械有限公司" for index in range(len(names)))


def test_a_clean_roster_has_no_note(database, tmp_path):
    plan = plan_file(database, roster(tmp_path, ["常州乙电子有限公司"], [make_code(2)]),
                     kind="roster")
    assert not any("不可见" in p.message for p in plan.problems)
