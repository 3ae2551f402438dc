"""A database the officer may read but not write: a copy on a read-only share or disc (a
folder without write rights), or a file marked read-only (chmod 444). Reading and the
exports (a 数据包, a report, the 采集表) write nothing to the database, so they work; every
write (an import, an undo, a bulk change) is refused in one Chinese line that says the file
is read-only, and not a byte of the file changes, nor is anything created beside it.

The breaker of session 30 found "a read-only SQLite file refuses exports": the database was
refused whole at opening ("请去掉文件的只读属性…"), exports included.

Root writes a chmod-444 file anyway: for root the file case runs the command as another
user (nobody, through setpriv), and the folder case is a read-only bind mount (which stops
root too); anyone else gets the modes themselves. (tiers/storage/database.py's
``open_database(read_only=True)``, for root in-process, is tested in
tests/tiers/test_storage_read_only_media.py.)"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import make_code
from tests.read_only_mount import bind_read_only, unmount
from tiers.services import demo
from tiers.storage.database import open_database
from ui.cli.main import main

pytestmark = pytest.mark.sqlite_only  # database files, their modes and folders

ROOT = Path(__file__).resolve().parents[3]
FIRM = make_code(4242)
NOBODY = (65534, 65534)
EXPORTS = {
    "package export": ["package", "export", "{out}/数据包.zip", "--county", "320412"],
    "report export": ["export", "summary", "{out}/汇总表.xlsx", "--quiet"],
    "collection export": ["export", "collection", "{out}/采集表.xlsx"],
}
WRITES = {
    "import": ["import", "{in}/新企业.csv"],
    "undo-import": ["undo-import", "1"],
    "bulk": ["bulk", "trash", "--codes", FIRM],
    # refused before its backup of what is there (made beside a chmod-444 file, then the
    # copy failed; in a read-only folder "无法创建文件夹 …/backups")
    "restore": ["restore", "{in}/备份.sqlite3", "--yes"],
}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """A database as ``tiers demo`` leaves it (its import batch 1 to undo), one firm more,
    its backup to restore, and a CSV of a new firm to import."""
    folder = tmp_path_factory.mktemp("made")
    database = open_database(folder / "库.sqlite3")
    with database.session() as session:
        list(demo.generate(session, enterprises=6))
    with database.session() as session:
        from tiers.services import enterprises

        enterprises.create(session, {"credit_code": FIRM, "name": "常州只读有限公司",
                                     "county": "武进区"})
    database.backup(folder / "备份.sqlite3")
    database.dispose()
    (folder / "新企业.csv").write_text(
        f"企业名称,统一社会信用代码,县区\n常州新来有限公司,{make_code(4343)},武进区\n",
        encoding="utf-8")
    return folder


@pytest.fixture(params=["chmod 444", "read-only folder"])
def place(request, made, tmp_path) -> Iterator[tuple[Path, Path, Path, bool]]:
    """``(database, out, inputs, as_nobody)``: the database read-only as ``request.param``
    says, a folder ``out`` the command may write, the inputs, and whether the command must
    run as nobody (then all of them are in a folder of /tmp that nobody may reach: pytest
    makes its own root's alone again whenever another run starts).

    "chmod 444": only the file is marked read-only, its folder may be written: its owner
    may give the rights back and write it at any time, so it is not read as unchanging
    (immutable; review of session 31) and, with no program in it (no -wal, -shm), it is
    refused at opening, exports too. "read-only folder": nobody can write it."""
    root = os.geteuid() == 0
    as_nobody = root and request.param == "chmod 444"
    if as_nobody and shutil.which("setpriv") is None:
        pytest.skip("running as another user (a chmod stops only them) needs setpriv")
    base = Path(tempfile.mkdtemp(prefix="tiers-read-only-")) if as_nobody else tmp_path
    base.chmod(0o755)
    inputs = base / "in"
    shutil.copytree(made, inputs)
    inputs.chmod(0o755)
    for path in inputs.iterdir():
        path.chmod(0o644)
    source = base / "source"
    source.mkdir()
    shutil.copy(made / "库.sqlite3", source / "库.sqlite3")
    out = base / "out"
    out.mkdir()
    out.chmod(0o777)
    mounted: list[Path] = []
    if request.param == "chmod 444":
        source.chmod(0o777)  # the folder may be written: only the file is read-only
        (source / "库.sqlite3").chmod(0o444)
        folder = source
    elif root:
        folder = base / "光盘"
        bind_read_only(source, folder)
        mounted.append(folder)
    else:
        (source / "库.sqlite3").chmod(0o444)
        source.chmod(0o555)
        folder = source
    yield folder / "库.sqlite3", out, inputs, as_nobody
    if mounted:
        unmount(mounted[0])
    source.chmod(0o755)
    if as_nobody:
        shutil.rmtree(base, ignore_errors=True)


def _state(folder: Path) -> dict[str, str]:
    """Every file of the folder and its bytes' digest."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir())}


def _run(argv: list[str], database: Path, *, as_nobody: bool, capsys
         ) -> tuple[int, str, str]:
    args = ["--db", str(database), *argv]
    if not as_nobody:
        status = main(args)
        said = capsys.readouterr()
        return status, said.out, said.err
    home = database.parent.parent / "out" / "home"
    home.mkdir(exist_ok=True)
    home.chmod(0o777)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home),
           "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
           "XDG_CONFIG_HOME": str(home / "config"),
           "TIERS_IMPORT_MAPPINGS": str(home / "maps.json"),
           "TIERS_OFFICER_FILE": str(home / "officer.json")}
    done = subprocess.run(["setpriv", f"--reuid={NOBODY[0]}", f"--regid={NOBODY[1]}",
                           "--clear-groups", sys.executable, "-m", "ui.cli", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout, done.stderr


def _filled(argv: list[str], inputs: Path, out: Path) -> list[str]:
    return [a.replace("{in}", str(inputs)).replace("{out}", str(out)) for a in argv]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_from_a_read_only_database(name, place, capsys):
    database, out, inputs, as_nobody = place
    before = _state(database.parent)
    status, said, err = _run(_filled(EXPORTS[name], inputs, out), database,
                             as_nobody=as_nobody, capsys=capsys)
    written = Path(_filled(EXPORTS[name], inputs, out)[2])
    if _writable_folder(database):  # its owner may write it at any time: refused
        assert status != 0 and err.startswith("错误：无法打开数据库"), (said, err)
        assert "文件设为只读" in err and "去掉文件的“只读”属性" in err, err
        assert not written.exists()
    else:
        assert status == 0, (said, err)
        assert written.is_file() and written.stat().st_size > 0
    assert _state(database.parent) == before  # the file as it was, nothing beside it


def _writable_folder(database: Path) -> bool:
    return bool(database.parent.stat().st_mode & 0o222) and not (
        os.statvfs(database.parent).f_flag & os.ST_RDONLY)


def test_info_says_the_database_is_read_only(place, capsys):
    database, out, inputs, as_nobody = place
    status, said, err = _run(["info"], database, as_nobody=as_nobody, capsys=capsys)
    if _writable_folder(database):
        assert status != 0 and "无法打开数据库" in err
        return
    assert status == 0, (said, err)
    assert f"数据库：{database}（只读）" in said, said


def test_an_import_is_refused_before_its_file_is_read(place, capsys):
    """Refused at once, saying the database is read-only: the roster was read and
    checked first (a long list, or "文件不存在" for a file that would not have been
    imported anyway)."""
    database, out, inputs, as_nobody = place
    status, said, err = _run(["import", str(inputs / "没有这个文件.xlsx")], database,
                             as_nobody=as_nobody, capsys=capsys)
    assert status != 0 and "只读" in err and str(database) in err, (said, err)
    assert "没有这个文件" not in err, err


@pytest.mark.parametrize("name", list(WRITES))
def test_a_write_to_a_read_only_database_is_refused_in_chinese(name, place, capsys):
    database, out, inputs, as_nobody = place
    before = _state(database.parent)
    status, said, err = _run(_filled(WRITES[name], inputs, out), database,
                             as_nobody=as_nobody, capsys=capsys)
    assert status != 0, (said, err)
    assert err.startswith("错误：") and err.count("\n") == 1, err
    assert "只读" in err and str(database) in err, err
    assert "Traceback" not in err and "readonly" not in err and "Error" not in err, err
    assert _state(database.parent) == before


@pytest.fixture
def theirs(made) -> Iterator[tuple[Path, Path]]:
    """``(database, out)``: another account's database (root's, 644, in a folder of 755)
    that nobody reads; skipped unless run as root (it takes two accounts)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("another account's file needs root and setpriv")
    base = Path(tempfile.mkdtemp(prefix="tiers-theirs-"))
    base.chmod(0o755)
    (base / "db").mkdir()
    shutil.copy(made / "库.sqlite3", base / "db" / "库.sqlite3")
    (base / "db" / "库.sqlite3").chmod(0o644)
    (base / "out").mkdir()
    (base / "out").chmod(0o777)
    yield base / "db" / "库.sqlite3", base / "out"
    shutil.rmtree(base, ignore_errors=True)


def test_another_accounts_database_is_refused_saying_whose_it_is(theirs, capsys):
    """Its owner may write it at any time: not read as unchanging (it showed deleted
    firms, then "损坏"); the line says this account has no rights to it, not to remove an
    attribute it does not have."""
    database, out = theirs
    before = _state(database.parent)
    status, said, err = _run(["info"], database, as_nobody=True, capsys=capsys)
    assert status != 0 and "当前账号没有写入它的权限" in err, (said, err)
    assert "“只读”属性" not in err and "损坏" not in err, err
    assert _state(database.parent) == before


def test_another_accounts_database_in_use_is_read_with_his_last_saves(theirs, capsys):
    """Its owner has it open (a -wal and -shm beside it): read through them, read-only,
    SQLite's locks kept, his last commit seen."""
    import sqlite3

    database, out = theirs
    owner = sqlite3.connect(database)
    try:
        owner.execute("PRAGMA journal_mode = WAL")
        owner.execute("PRAGMA wal_autocheckpoint = 0")
        owner.execute("DELETE FROM enterprise WHERE credit_code = ?", (FIRM,))
        owner.commit()
        status, said, err = _run(["info"], database, as_nobody=True, capsys=capsys)
        assert status == 0, (said, err)
        assert "企业：6 家" in said, said  # 7 in the file itself: the 7th gone in the -wal
    finally:
        owner.close()
