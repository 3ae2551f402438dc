"""A write while another program holds the database's write lock (issue #14, items 7 and
8): once the busy timeout has passed, every write path (a service write, an import, an undo,
the demo; a page's write in the client: tests/ui/test_page_writes.py) tells the officer in
one Chinese line and writes nothing, instead of an OperationalError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import held_by_another_program, make_code
from tests.importers.helpers import import_file, table_counts, write_xlsx
from tiers.errors import EXPECTED, StorageError
from tiers.services import enterprises
from tiers.storage.locking import BUSY_MESSAGE, DatabaseBusy
from ui.cli.main import main


@pytest.fixture(autouse=True)
def _impatient(impatient):
    """Every database opened here waits 0.1 s for a lock instead of 10."""


def _firm(serial: int) -> dict[str, str]:
    return {"credit_code": make_code(serial), "name": f"常州锁定{serial}号有限公司",
            "county": "武进区"}


def _roster(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "名录.xlsx", {"企业名录": [
        ["企业名称", "统一社会信用代码", "县（市、区）"],
        *[[f"常州锁定{n}号有限公司", make_code(n), "武进区"] for n in range(1, 4)]]})


def test_a_service_write_says_the_database_is_busy(impatient_database):
    before = table_counts(impatient_database)
    with (held_by_another_program(impatient_database.path),
          pytest.raises(DatabaseBusy) as busy, impatient_database.session() as session):
        enterprises.create(session, _firm(1))
    assert str(busy.value) == BUSY_MESSAGE == "数据库正被另一个程序或窗口占用（正在写入），请稍后重试"
    assert isinstance(busy.value, StorageError) and isinstance(busy.value, EXPECTED)
    assert table_counts(impatient_database) == before
    with impatient_database.session() as session:  # and once it is free, it lands
        enterprises.create(session, _firm(1))
    assert table_counts(impatient_database)["enterprise"] == 1


@pytest.mark.parametrize("command", ["import", "undo-import", "demo"])
def test_the_command_line_says_the_database_is_busy(impatient_database, tmp_path, capsys,
                                                    command):
    roster = _roster(tmp_path)
    _plan, batch = import_file(impatient_database, roster)
    if command == "import":  # a file that changes something
        roster = write_xlsx(tmp_path / "新名录.xlsx", {"企业名录": [
            ["企业名称", "统一社会信用代码", "县（市、区）"],
            ["常州锁定9号有限公司", make_code(9), "武进区"]]})
    argv = {"import": ["import", str(roster)], "undo-import": ["undo-import", str(batch)],
            "demo": ["demo", "--force", "--enterprises", "5"]}[command]
    before = table_counts(impatient_database)
    capsys.readouterr()
    with held_by_another_program(impatient_database.path):
        status = main(["--db", str(impatient_database.path), *argv])
    err = capsys.readouterr().err
    assert status != 0 and "Traceback" not in err
    assert err.splitlines()[-1] == f"错误：{BUSY_MESSAGE}"
    assert table_counts(impatient_database) == before
