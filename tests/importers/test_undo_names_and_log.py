"""Undoing an import around renames made since (former names kept or dropped as the names
are), and the change log of what undo removes from a firm that stays."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, undo, write_xlsx
from tiers.model.orm import Enterprise, FormerName


def test_undo_keeps_the_former_name_of_a_rename_that_stays(database, tmp_path):
    """A roster renamed 甲 → 乙 (甲 became a former name); someone renamed 乙 → 丙 since.
    Undoing the roster keeps 丙 (edited since) and so must keep 甲 as a former name; a
    rename that is put back takes its former name with it."""
    from tiers.services import enterprises as enterprise_service

    first = add_enterprise(database, "常州甲科技有限公司", 1)
    second = add_enterprise(database, "常州丁科技有限公司", 2)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"],
        ["常州乙科技有限公司", make_code(1)],
        ["常州戊科技有限公司", make_code(2)],
    ]})
    _, batch = import_file(database, path, kind="roster")
    with database.session() as session:
        enterprise_service.update(session, first, {"name": "常州丙科技有限公司"})
    result = undo(database, batch)
    assert any(k["field"] == "name" for k in result.kept)
    with database.session() as session:
        names = dict(session.execute(select(Enterprise.id, Enterprise.name)).all())
        formers = sorted(session.execute(select(FormerName.enterprise_id, FormerName.name))
                         .all())
    assert names == {first: "常州丙科技有限公司", second: "常州丁科技有限公司"}
    assert formers == [(first, "常州乙科技有限公司"), (first, "常州甲科技有限公司")]


def test_undo_after_renaming_back_leaves_no_former_name_equal_to_the_name(database, tmp_path):
    from tiers.services import enterprises as enterprise_service

    firm = add_enterprise(database, "常州甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码"], ["常州乙科技有限公司", make_code(1)]]})
    _, batch = import_file(database, path, kind="roster")
    with database.session() as session:  # the officer puts the old name back by hand
        enterprise_service.update(session, firm, {"name": "常州甲科技有限公司"})
    undo(database, batch)
    with database.session() as session:
        assert session.get(Enterprise, firm).name == "常州甲科技有限公司"
        formers = session.scalars(select(FormerName.name).where(
            FormerName.enterprise_id == firm)).all()
    assert "常州甲科技有限公司" not in formers


def test_undo_logs_in_full_what_it_removes_from_a_firm_that_stays(database, tmp_path):
    """The import's own Change row only names the record it created; when undo removes
    that record from a firm that stays, the delete row keeps its values."""
    import json

    from tiers.model.orm import Change
    from tiers.queries import history
    from tiers.text.changes import describe

    firm = add_enterprise(database, "常州示例机械有限公司", 1)
    path = write_xlsx(tmp_path / "2023年度数据.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", "研发费用（万元）", "年度"],
        ["常州示例机械有限公司", make_code(1), 1234.5, 88, 2023]]})
    _, batch = import_file(database, path, kind="figures")
    undo(database, batch)
    with database.session() as session:
        deleted = session.execute(select(Change.old_value).where(
            Change.entity == "annual_figures", Change.action == "delete")).scalar_one()
        changes = history.history(session, firm)
    assert json.loads(deleted) == {"year": 2023, "revenue": "1234.5", "rd_expense": "88",
                                   "undo_of_batch": batch}
    lines = [describe(h) for h in changes if h["entity"] == "annual_figures"]
    assert [(line.action, line.subject) for line in lines] == [("删除", "2023年"),
                                                               ("新增", "2023年")]
