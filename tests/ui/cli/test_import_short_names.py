"""tiers import --adopt-short-names: the rows a list names by a 简称 of one firm (按简称匹配)
taken in one step, exactly as the wizard's 采用简称匹配 takes them (Plan.short_name_links),
reported by --dry-run and --json; without it they are only offered, and the hint names the
option (it sent the officer to the desktop client)."""

import json

from sqlalchemy import select

from importers.plan import SHORT_NAME_TAKEN
from tests.importers.helpers import by_row, plan_file, table_counts
from tests.importers.test_short_names import _firms, _list
from tiers.model.orm import ImportBatch, Recognition
from ui.cli.main import main


def _row_line(out: str, row: int) -> str:
    return next(line for line in out.splitlines() if line.startswith(f"  第{row}行 [更新]"))


def test_short_names_are_offered_then_adopted_in_one_step(database, db_target, tmp_path,
                                                         capsys):
    ids = _firms(database)
    path = _list(tmp_path)
    db = ["--db", str(db_target)]
    offered = plan_file(database, path).short_name_links()  # what the wizard would take
    assert sorted(offered) == [3, 4]

    assert main([*db, "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "按简称匹配、未关联 2 行：第3、4行（核对后加 --adopt-short-names 一次采用" in out
    assert "命令行加 --adopt-short-names" in out  # the row's hint, no longer 导入向导 only
    assert main([*db, "import", str(path), "--json", "--dry-run"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["short_names"] == {"taken": [], "offered": [3, 4]}
    assert (data["updated"], data["unmatched"]) == (0, 6)

    assert main([*db, "import", str(path), "--adopt-short-names", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "采用简称匹配 2 行（--adopt-short-names）：第3、4行" in out
    assert _row_line(out, 3).endswith("（按简称匹配，已采用）")  # not （人工关联）
    assert "按简称匹配、未关联" not in out
    assert "（预览，未写入" in out
    assert table_counts(database)["recognition"] == 0  # a dry run writes nothing

    assert main([*db, "import", str(path), "--adopt-short-names", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["short_names"] == {"taken": [3, 4], "offered": []}
    assert (data["updated"], data["unmatched"]) == (2, 4) and data["batch_id"]
    with database.session() as session:
        firms = set(session.scalars(select(Recognition.enterprise_id)))
        recorded = json.loads(session.get(ImportBatch, data["batch_id"]).mapping)
    assert firms == {ids["常州金嘉减速机有限公司"], ids["江苏鑫源汽车部件股份有限公司"]}
    links = recorded["metadata"]["links"]
    assert {row: link["enterprise_id"] for row, link in links.items()} == {
        str(row): link.enterprise_id for row, link in offered.items()}
    assert all(link["short_name"] is True for link in links.values())


def test_a_link_given_wins_over_the_short_name(database, db_target, tmp_path, capsys):
    """--link for a row the plan offers by its 简称 is the officer's choice: that row is
    his 人工关联, the others are adopted."""
    ids = _firms(database)
    path = _list(tmp_path)
    from tests.conftest import make_code
    other = make_code(60 + 5)  # 常州泰峰新材料有限公司, another firm than row 3's 简称 fits
    assert main(["--db", str(db_target), "import", str(path), "--adopt-short-names",
                 "--link", f"3={other}", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "采用简称匹配 1 行（--adopt-short-names）：第4行" in out
    assert _row_line(out, 3).endswith("（人工关联）")
    with database.session() as session:
        from tiers.model.orm import Enterprise
        assert session.get(Enterprise, ids["常州泰峰新材料有限公司"]).credit_code == other
    rows = by_row(plan_file(database, path))
    assert all(row.matched_by != SHORT_NAME_TAKEN for row in rows.values())
