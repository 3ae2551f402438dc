"""Matching rows to firms by credit code: a name that differs is warned (not under a former
name), a roster renames with a warning, and an old registration number is kept as the
legacy code."""

from __future__ import annotations

from sqlalchemy import select

from importers.plan import UPDATE
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, plan_file, write_xlsx
from tiers.model.orm import Enterprise, FormerName
from tiers.services import enterprises


def test_list_row_matched_by_code_with_another_name_is_warned(database, tmp_path):
    add_enterprise(database, "常州甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["江苏乙机械有限公司", make_code(1)],
    ]})
    (row,) = plan_file(database, path).rows
    assert row.action == UPDATE and row.matched_by == "信用代码"
    assert [p.message for p in row.problems if p.severity == "warning"] == [
        "名称与库中不一致：文件为“江苏乙机械有限公司”，库中为“常州甲科技有限公司”，请核对信用代码"]


def test_list_row_under_a_former_name_is_not_warned(database, tmp_path):
    enterprise_id = add_enterprise(database, "常州甲科技有限公司", 1)
    with database.session() as session:
        enterprises.add_former_name(session, enterprise_id, "武进甲机械厂")
    path = write_xlsx(tmp_path / "第五批专精特新小巨人企业名单.xlsx", {"S": [
        ["第五批专精特新“小巨人”企业名单"],
        ["企业名称", "统一社会信用代码"],
        ["武进甲机械厂", make_code(1)],
    ]})
    (row,) = plan_file(database, path).rows
    assert not any("名称与库中不一致" in p.message for p in row.problems)


def test_roster_renames_by_code_with_a_warning(database, tmp_path):
    add_enterprise(database, "常州甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["江苏甲科技股份有限公司", make_code(1)],
    ]})
    plan, _ = import_file(database, path, kind="roster")
    (row,) = plan.rows
    assert [(c.old, c.new) for c in row.changes] == [("常州甲科技有限公司", "江苏甲科技股份有限公司")]
    assert any("名称与库中不一致" in p.message and "曾用名" in p.message for p in row.problems)
    with database.session() as session:
        assert session.scalars(select(FormerName.name)).all() == ["常州甲科技有限公司"]


def test_an_old_registration_number_in_the_code_column_is_kept_as_legacy_code(
        database, tmp_path):
    existing = add_enterprise(database, "常州示例机械有限公司", 1)
    path = write_xlsx(tmp_path / "old.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码"],
        ["常州示例机械有限公司", "320412000012345"],
    ]})
    plan, _ = import_file(database, path, kind="roster")
    (row,) = plan.rows
    assert row.action == UPDATE and row.enterprise_id == existing
    assert [(c.field, c.new) for c in row.changes] == [("legacy_code", "320412000012345")]
    with database.session() as session:
        assert session.get(Enterprise, existing).legacy_code == "320412000012345"
