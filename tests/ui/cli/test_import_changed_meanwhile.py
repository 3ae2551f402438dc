"""An import whose comparison went out of date before it wrote (another officer's import
of the same county committed in between: the break campaign's concurrent pairs, on a
server): the command line said "请重新生成预览后再导入", the import window's words, though
it shows no preview to make again. It says that nothing was imported and to run the
command again."""

from __future__ import annotations

import csv

from sqlalchemy import text

import importers
from tests.conftest import make_code
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli.common import CHANGED_MEANWHILE
from ui.cli.main import main


def _roster(path, serials):
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["企业名称", "统一社会信用代码", "所属区县"])
        for serial in serials:
            writer.writerow([f"常州并发测试{serial}号有限公司", make_code(serial), "武进区"])
    return path


def _firms(target) -> list[str]:
    database = open_database(target)
    try:
        with database.session() as session:
            return sorted(session.execute(text("SELECT name FROM enterprise")).scalars())
    finally:
        database.dispose()


def test_an_import_overtaken_by_another_says_to_run_it_again(db_target, tmp_path, monkeypatch,
                                                              capsys):
    original = importers.apply_plan

    def overtaken(session, plan, **options):
        # another officer's import of the same county commits between the comparison and
        # the write (his own process, his own connection)
        other = open_database(db_target)
        try:
            with other.session() as theirs:
                enterprises.create(theirs, {"credit_code": make_code(90), "county": "武进区",
                                            "name": "常州同事先导入有限公司"})
        finally:
            other.dispose()
        return original(session, plan, **options)

    monkeypatch.setattr(importers, "apply_plan", overtaken)
    assert main(["--db", str(db_target), "import",
                 str(_roster(tmp_path / "名录.csv", [1, 2, 3]))]) == 2
    said = capsys.readouterr().err.strip()
    assert said == f"错误：{CHANGED_MEANWHILE}"
    assert "预览" not in said
    assert _firms(db_target) == ["常州同事先导入有限公司"]
    monkeypatch.setattr(importers, "apply_plan", original)
    # nothing of it was written: run again, it goes in beside the colleague's firm
    assert main(["--db", str(db_target), "import",
                 str(_roster(tmp_path / "名录.csv", [1, 2, 3]))]) == 0
    assert len(_firms(db_target)) == 4
