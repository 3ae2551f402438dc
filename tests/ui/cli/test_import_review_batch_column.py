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
