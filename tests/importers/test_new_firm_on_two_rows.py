"""A recognition list naming a firm not in the database on two rows (two tiers, two
chains): the firm is created once, by the first row, and both records are attached to it
(audit28 #2: the second row created it again, and the import failed on the unique credit
code as 程序内部错误)."""

from sqlalchemy import func, select

from importers.plan import CREATE, UPDATE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, undo, write_xlsx
from tiers.model.orm import Enterprise, Recognition

HEADER = "统一社会信用代码,企业名称,县（市、区）,梯度层级,认定批次,认定年度\n"


def _csv(tmp_path, *names, code=None):
    code = code or make_code(12)
    tiers = ("省级专精特新中小企业", "创新型中小企业", "科技型中小企业")
    body = "".join(f"{code},{name},武进区,{tier},2024年度,2024\n"
                   for name, tier in zip(names, tiers, strict=False))
    path = tmp_path / "two.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _firms_and_titles(database):
    with database.session() as session:
        firms = session.execute(select(Enterprise.id, Enterprise.name)).all()
        titles = sorted(session.execute(select(Recognition.enterprise_id,
                                               Recognition.tier_code)).all())
        return firms, titles


def test_the_firm_is_created_once_and_both_titles_attached(database, tmp_path):
    path = _csv(tmp_path, "审计十二号有限公司", "审计十二号有限公司")
    plan = plan_file(database, path, kind="recognitions", pending=False)
    rows = by_row(plan)
    assert rows[2].action == CREATE and rows[3].action == UPDATE
    assert rows[3].create_values is None
    assert plan.counts()["created"] == 1 and plan.counts()["updated"] == 1
    assert [r.action for r in rows[3].records] == [CREATE]
    assert any("第 2 行" in p.message for p in rows[3].problems)
    again, batch = import_file(database, path, kind="recognitions", pending=False)
    firms, titles = _firms_and_titles(database)
    assert len(firms) == 1
    assert titles == [(firms[0].id, "innovative"), (firms[0].id, "zjtx")]
    # the file again: both rows are the firm now, nothing new
    second, none = import_file(database, path, kind="recognitions", pending=False)
    assert none is None and second.counts()["created"] == 0
    undo(database, batch)
    assert _firms_and_titles(database) == ([], [])


def test_the_name_written_two_ways_is_still_one_firm_under_the_first_rows_name(
        database, tmp_path):
    path = _csv(tmp_path, "审计十二号有限公司", "常州审计十二号有限公司", "审计十二号(有限公司)")
    rows = by_row(plan_file(database, path, kind="recognitions", pending=False))
    assert [rows[r].action for r in (2, 3, 4)] == [CREATE, UPDATE, UPDATE]
    assert any("名称" in p.message and "第 2 行" in p.message for p in rows[3].problems)
    import_file(database, path, kind="recognitions", pending=False)
    firms, titles = _firms_and_titles(database)
    assert [f.name for f in firms] == ["审计十二号有限公司"]
    assert {t.tier_code for t in titles} == {"zjtx", "innovative", "tech_sme"}


def test_an_xlsx_list_goes_the_same_way(database, tmp_path):
    """The wizard's path: the same plan, from a workbook."""
    code = make_code(13)
    path = write_xlsx(tmp_path / "list.xlsx", {"Sheet1": [
        ["统一社会信用代码", "企业名称", "县（市、区）", "梯度层级", "认定批次", "认定年度"],
        [code, "乙有限公司", "武进区", "省级专精特新中小企业", "2024年度", 2024],
        [code, "乙有限公司", "武进区", "创新型中小企业", "2024年度", 2024]]})
    plan, _batch = import_file(database, path, kind="recognitions", pending=False)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 1
        assert session.scalar(select(func.count()).select_from(Recognition)) == 2
