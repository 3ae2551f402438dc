"""Every command's failures, as an officer meets them: a file that is not there, a database
that is not Tiers's (another program's SQLite file, or no SQLite file at all), a database
another program is writing (a write transaction held), a folder that cannot be written.
Each is one Chinese line on stderr beginning 错误：, a non-zero exit status, no traceback
and nothing written: the database's bytes and the target folder as they were.

The audit of the twenty-third session found ``tiers restore`` overwriting another
program's SQLite file named by --db (its data kept only in backups/), waiting without a
word for as long as another program held a write transaction (Python's backup retries a
busy step for ever), and calling a missing backup file 不是文件或是空文件."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_code
from tiers.services import demo
from tiers.storage import database as storage_database
from tiers.storage.database import open_database
from ui.cli.main import main

pytestmark = pytest.mark.sqlite_only  # database files, their locks and folders

FIRM = make_code(4242)

# name → argv after --db; {in} is a folder of good inputs, {out} the target folder
COMMANDS = {
    "enterprises": ["enterprises"],
    "show": ["show", FIRM],
    "info": ["info"],
    "imports": ["imports"],
    "assess": ["assess", FIRM],
    "confirm-batch": ["confirm-batch"],
    "package list": ["package", "list"],
    "export": ["export", "roster", "{out}/名单.xlsx", "--quiet"],
    "export collection": ["export", "collection", "{out}/采集表.xlsx"],
    "export collection --per": ["export", "collection", "{out}/采集表", "--per", "firm"],
    "package export": ["package", "export", "{out}/数据包.zip", "--county", "320412"],
    "backup": ["backup", "{out}/备份.sqlite3"],
    "fill-template": ["fill-template", "{in}/名单.xlsx", "{out}/填好.xlsx"],
    "import": ["import", "{in}/新企业.csv"],
    "import --errors": ["import", "{in}/新企业.csv", "--errors", "{out}/问题行.xlsx"],
    "undo-import": ["undo-import", "1"],
    "bulk": ["bulk", "officer", "--codes", FIRM, "--officer", "张三"],
    "package import": ["package", "import", "{in}/数据包.zip"],
    "restore": ["restore", "{in}/备份.sqlite3", "--yes"],
}
READS_INPUT = [name for name, argv in COMMANDS.items() if any("{in}" in a for a in argv)]
WRITES_OUTPUT = [name for name, argv in COMMANDS.items() if any("{out}" in a for a in argv)]
# those that write the database (a held write transaction refuses them)
WRITES_DATABASE = ["import", "undo-import", "bulk", "package import", "restore"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A Tiers database with a few firms, and good input files made from it."""
    folder = tmp_path_factory.mktemp("inputs")
    database = open_database(folder / "好的.sqlite3")
    with database.session() as session:
        list(demo.generate(session, enterprises=6))
    with database.session() as session:
        from tiers.services import enterprises

        enterprises.create(session, {"credit_code": FIRM, "name": "常州审计有限公司",
                                     "county": "武进区"})
    database.dispose()
    good = str(folder / "好的.sqlite3")
    assert main(["--db", good, "export", "roster", str(folder / "名单.xlsx"), "--quiet"]) == 0
    assert main(["--db", good, "package", "export", str(folder / "数据包.zip"),
                 "--county", "320412"]) == 0
    assert main(["--db", good, "backup", str(folder / "备份.sqlite3")]) == 0
    (folder / "新企业.csv").write_text(
        f"企业名称,统一社会信用代码,县区\n常州新来有限公司,{make_code(4343)},武进区\n",
        encoding="utf-8")
    return folder


def _state(path: Path) -> object:
    """The bytes of a file, or of every file under a folder; None when absent."""
    if path.is_dir():
        return {str(p.relative_to(path)): _state(p) for p in sorted(path.rglob("*"))}
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _refused(capsys, argv: list[str], *watched: Path) -> str:
    before = [_state(path) for path in watched]
    status = main(argv)
    out, err = capsys.readouterr()
    assert status != 0, (argv, out, err)
    assert err.startswith("错误：") and err.count("\n") == 1, (argv, err)
    assert "Traceback" not in err and "Error" not in err, err
    assert [_state(path) for path in watched] == before, argv  # nothing written
    return err


def _argv(name: str, database: Path, inputs: Path, out: Path) -> list[str]:
    return ["--db", str(database)] + [a.replace("{in}", str(inputs)).replace("{out}", str(out))
                                      for a in COMMANDS[name]]


@pytest.fixture
def copy(inputs, tmp_path) -> Path:
    """A copy of the good database, for this test to break or hold."""
    target = tmp_path / "库.sqlite3"
    target.write_bytes((inputs / "好的.sqlite3").read_bytes())
    return target


@pytest.mark.parametrize("name", [n for n in COMMANDS if n not in READS_INPUT])
def test_a_missing_database(name, inputs, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    absent = tmp_path / "没有的库.sqlite3"
    err = _refused(capsys, _argv(name, absent, inputs, out), out, absent)
    assert f"数据库文件不存在：{absent}" in err


@pytest.mark.parametrize("name", READS_INPUT)
def test_a_missing_input_file(name, copy, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    nowhere = tmp_path / "没有的文件夹"
    err = _refused(capsys, _argv(name, copy, nowhere, out), out, copy)
    assert str(nowhere) in err and ("找不到" in err or "不存在" in err), err


@pytest.mark.parametrize("kind", ["another program's", "not SQLite"])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_database_that_is_not_tiers(name, kind, inputs, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    other = tmp_path / "别的.sqlite3"
    if kind == "not SQLite":
        other.write_text("这不是数据库\n" * 50, encoding="utf-8")
    else:
        connection = sqlite3.connect(other)
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        connection.execute("INSERT INTO customers VALUES (1, '张三')")
        connection.commit()
        connection.close()
    err = _refused(capsys, _argv(name, other, inputs, out), out, tmp_path)
    assert f"{other} 不是 Tiers 数据库" in err, err


@pytest.fixture
def held(copy) -> Iterator[Path]:
    """``copy`` with a write transaction held by another connection (a sqlite3 shell in
    BEGIN, another program saving)."""
    holder = sqlite3.connect(copy, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE enterprise SET name = name WHERE credit_code = ?", (FIRM,))
    # let go after a while, as the other program would: a command that waits for it
    # instead of refusing then succeeds late and fails the test, rather than hanging it
    release = threading.Timer(30, lambda: holder.execute("ROLLBACK"))
    release.start()
    yield copy
    release.cancel()
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize("name", WRITES_DATABASE)
def test_a_database_another_program_is_writing(name, held, inputs, tmp_path, capsys,
                                               monkeypatch):
    monkeypatch.setattr(storage_database, "BUSY_TIMEOUT_MS", 300)  # the wait, shortened
    out = tmp_path / "out"
    out.mkdir()
    err = _refused(capsys, _argv(name, held, inputs, out), out, held)
    assert "正被另一个程序或窗口占用" in err, err


@pytest.fixture(scope="module")
def read_only_folder(tmp_path_factory) -> Iterator[Path]:
    """A folder nothing can be written to, even by root (a read-only tmpfs)."""
    point = tmp_path_factory.mktemp("光盘")
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs",
                                  str(point)], capture_output=True).returncode == 0
        if not mounted:
            pytest.skip("mounting a read-only tmpfs failed")
    else:
        point.chmod(0o555)
    yield point
    if os.geteuid() == 0:
        subprocess.run(["umount", str(point)], capture_output=True)
    else:
        point.chmod(0o755)


@pytest.mark.parametrize("name", WRITES_OUTPUT)
def test_a_target_folder_that_cannot_be_written(name, copy, inputs, read_only_folder,
                                                capsys):
    err = _refused(capsys, _argv(name, copy, inputs, read_only_folder), read_only_folder,
                   copy)
    assert str(read_only_folder) in err and ("只读" in err or "权限" in err), err
