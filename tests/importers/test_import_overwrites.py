"""Import without surprises: values a firm already has are counted and listed before the
import ("将改写 2 家企业的 3 个已有值"), kept with 只补空白 (the default for recognition
lists) while blanks are filled, written with 全部更新; a new recognition of a tier the firm
holds, still valid, is pointed out per row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers.plan.overwrites import counted, detail_rows, summary
from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, write_xlsx
from tiers.model.orm import Enterprise
from tiers.services import enterprises, recognitions

HEADER = ["企业名称", "统一社会信用代码", "主导产品", "联系人", "联系电话", "地址"]


def _firms(database):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(1), "name": "常州甲机械有限公司",
                                     "county": "武进区", "main_product": "齿轮",
                                     "contact_person": "张三"})
        enterprises.create(session, {"credit_code": make_code(2), "name": "常州乙电子有限公司",
                                     "county": "武进区", "contact_phone": "0519-1"})


def _roster(tmp_path, name="名录.xlsx"):
    return write_xlsx(tmp_path / name, {"S": [
        HEADER,
        ["常州甲机械有限公司", make_code(1), "减速机", "李四", "0519-2", "湖塘镇1号"],
        ["常州乙电子有限公司", make_code(2), "", "", "0519-9", "湖塘镇2号"],
    ]})


def _values(database):
    with database.session() as session:
        return {row.credit_code: (row.main_product, row.contact_person, row.contact_phone,
                                  row.address)
                for row in session.execute(select(Enterprise)).scalars()}


def test_a_roster_says_how_many_values_it_overwrites_and_lists_them(database, tmp_path):
    _firms(database)
    plan = plan_file(database, _roster(tmp_path))
    assert not plan.fill_blanks_only  # a roster updates everything by default
    assert counted(plan.overwrites) == (2, 3)
    assert summary(plan.overwrites, fill_blanks_only=False) == "将改写 2 家企业的 3 个已有值"
    assert [line[3:] for line in detail_rows(plan.overwrites)] == [
        ("主导产品", "齿轮", "减速机"), ("联系人", "张三", "李四"), ("联系电话", "0519-1", "0519-9")]
    import_file(database, _roster(tmp_path))
    assert _values(database)[make_code(1)] == ("减速机", "李四", "0519-2", "湖塘镇1号")


def test_fill_blanks_only_keeps_values_and_fills_blanks(database, tmp_path):
    _firms(database)
    plan, _batch = import_file(database, _roster(tmp_path), fill_blanks_only=True)
    assert summary(plan.overwrites, fill_blanks_only=True) \
        == "只补空白：2 家企业的 3 个已有值保持不变（选“全部更新”才改写）"
    values = _values(database)
    assert values[make_code(1)] == ("齿轮", "张三", "0519-2", "湖塘镇1号")
    assert values[make_code(2)] == ("", "", "0519-1", "湖塘镇2号")


def test_recognition_lists_fill_blanks_only_by_default(database, tmp_path):
    _firms(database)
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "联系人"],
        ["常州甲机械有限公司", make_code(1), "王五"],
        ["常州乙电子有限公司", make_code(2), "赵六"],
    ]})
    plan, _batch = import_file(database, path, kind="recognitions", tier="小巨人",
                               batch_label="第七批")
    assert plan.fill_blanks_only and counted(plan.overwrites) == (1, 1)
    people = {code: v[1] for code, v in _values(database).items()}
    assert people == {make_code(1): "张三", make_code(2): "赵六"}


def test_a_new_recognition_while_one_is_valid_is_pointed_out(database, tmp_path):
    _firms(database)
    with database.session() as session:
        firm = enterprises.by_code(session, make_code(1)).id
        recognitions.add(session, firm, {"tier_code": "小巨人", "batch_label": "第五批",
                                          "recognized_on": dt.date(2023, 7, 1)})
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["常州甲机械有限公司", make_code(1)],
        ["常州乙电子有限公司", make_code(2)],
    ]})
    plan = plan_file(database, path, kind="recognitions", tier="小巨人", batch_label="第七批")
    warned = {row.row: [p.message for p in row.problems] for row in plan.rows}
    assert warned[3] == []
    assert warned[2] == ["该企业已有仍在有效期内的专精特新“小巨人”企业认定（第五批，有效期至2026-06-30），"
                         "这是又一项新认定：请核对是否重复"]
    assert all(p.severity == "warning" for row in plan.rows for p in row.problems)
    assert [row.action for row in plan.rows] == ["update", "update"]
    review = plan_file(database, path, kind="recognitions", tier="小巨人", batch_label="第三批复核",
                       is_review=True)
    assert not any(row.problems for row in review.rows)
