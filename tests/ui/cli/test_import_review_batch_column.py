"""tiers import reads a 复核 list's 复核批次 / 复核年度 column as the client does (the same
column recognition): each row's batch re-examined is stored, a bare year as 2022年度."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import Enterprise, Recognition
from ui.cli.main import main


def test_the_command_line_stores_each_rows_reviewed_batch(tmp_path, database, capsys,
                                                          db_target):
    text = ("企业名称,统一社会信用代码,梯度层级,认定年度,复核年度\n"
            f"常州创天新材料有限公司,{make_code(1)},创新型中小企业,2025,2022\n"
            f"常州新来科技有限公司,{make_code(3)},创新型中小企业,2025,\n")
    path = tmp_path / "名单.csv"
    path.write_bytes(text.encode("gbk"))
    assert main(["--db", str(db_target), "import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 2
    with database.session() as session:
        stored = dict(session.execute(
            select(Enterprise.name, Recognition.review_of_batch).join(Recognition)
            .where(Recognition.is_review.is_(True))).all())
    assert stored == {"常州创天新材料有限公司": "2022年度"}


def test_a_number_that_is_no_year_is_an_error_at_its_cell(tmp_path, database, capsys,
                                                          db_target):
    """99999, -1, 0, 2022.5 or 1e9 in the 复核年度 column were stored as the 复核批次's
    words (the break campaign of #26): each is now an error at its row and column, and that
    row writes nothing; a full-width ２０２２ is 2022年度 as 2022 is."""
    bad = ["99999", "-1", "0", "2022.5", "1e9"]
    rows = [f"常州复核{i}有限公司,{make_code(i)},创新型中小企业,2025,{value}"
            for i, value in enumerate([*bad, "２０２２"], start=1)]
    path = tmp_path / "名单.csv"
    path.write_text("企业名称,统一社会信用代码,梯度层级,认定年度,复核年度\n" + "\n".join(rows)
                    + "\n", encoding="utf-8")
    assert main(["--db", str(db_target), "import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["created"] == 1
    problems = {(p["row"], p["column"]): p["message"] for p in data["problems"]}
    for row, value in enumerate(bad, start=2):
        assert f"“{value}”不是有效的年度" in problems[(row, "E")], problems
    with database.session() as session:
        stored = dict(session.execute(
            select(Enterprise.name, Recognition.review_of_batch).join(Recognition)).all())
    assert stored == {"常州复核6有限公司": "2022年度"}
