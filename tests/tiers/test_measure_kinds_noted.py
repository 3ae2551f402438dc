"""扶持措施 categories are not closed (a county may have its own kind), but a spelling that is
not a known kind (resources/support_kinds.toml) splits the 兑现情况表's 按类别 sums: the bulk
command's preview, an import of a 扶持措施 list and the client's form say so and name the
nearest known kinds; the measure is still recorded as written (tester23 finding 3)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, plan_file, write_xlsx
from tiers.model.orm import SupportMeasure
from tiers.services import bulk, enterprises, measures
from ui.cli.main import main

VALUES = {"kind": "奖励资金", "name": "2026年度奖励", "amount": "20", "year": 2026}


def test_an_unknown_kind_is_said_with_the_nearest_known_ones():
    note = measures.kind_note("奖励资金")
    assert note.startswith("措施类别“奖励资金”不是常用类别，相近的有：奖补资金、认定奖励")
    assert measures.kind_note("认定奖励") == "" and measures.kind_note("") == ""


def test_the_bulk_preview_points_it_out_and_records_it_as_written(database):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "name": "常州甲有限公司",
                                            "county": "武进区"}).id
    with database.session() as session:
        draft = bulk.preview(session, "measure", [firm], VALUES)
        assert draft.notes == [measures.kind_note("奖励资金")]
        assert "注意：措施类别“奖励资金”不是常用类别" in draft.summary()
        known = bulk.preview(session, "measure", [firm], {**VALUES, "kind": "奖补资金"})
        assert known.notes == [] and "注意" not in known.summary()
    with database.session() as session:
        bulk.apply(session, "measure", [firm], VALUES, user="张三")
    with database.session() as session:
        assert session.scalars(select(SupportMeasure.kind)).all() == ["奖励资金"]


def test_the_cli_help_and_preview(database, db_target, capsys):
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(2), "name": "常州乙有限公司",
                                     "county": "武进区"})
    assert main(["--db", str(db_target), "bulk", "measure", "--codes", make_code(2),
                 "--kind", "资金奖励", "--name", "x", "--amount", "1", "--year", "2026",
                 "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "注意：措施类别“资金奖励”不是常用类别，相近的有：" in out
    with pytest.raises(SystemExit):
        main(["bulk", "--help"])
    text = capsys.readouterr().out
    assert "资金奖励" not in text and "认定奖励" in text  # the example is a real kind


def test_an_import_warns_once_a_spelling_and_imports(database, tmp_path):
    with database.session() as session:
        for serial in (3, 4):
            enterprises.create(session, {"credit_code": make_code(serial),
                                         "name": f"常州{serial}有限公司"})
    path = write_xlsx(tmp_path / "s.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "年度"],
        ["常州3有限公司", make_code(3), "奖励资金", "奖励", 20, 2026],
        ["常州4有限公司", make_code(4), "奖励资金", "奖励", 20, 2026],
        ["常州4有限公司", make_code(4), "认定奖励", "小巨人奖励", 50, 2026]]})
    rows = by_row(plan_file(database, path))
    (warning,) = [p for row in rows.values() for p in row.problems]
    assert (warning.row, warning.column, warning.severity) == (2, "C", "warning")
    assert "相近的有：奖补资金、认定奖励" in warning.message
    import_file(database, path)
    with database.session() as session:
        assert sorted(session.scalars(select(SupportMeasure.kind))) == [
            "奖励资金", "奖励资金", "认定奖励"]
