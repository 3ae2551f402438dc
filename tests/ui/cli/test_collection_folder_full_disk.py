"""``tiers export collection OUT --per firm|town`` writes a folder of files all or nothing
(the break campaign of #17): on a full disk it left the folder it had made, empty. Now a new
folder is built hidden beside OUT and renamed into place at the end; in a folder that was
there, the files are moved in at the end and the earlier ones of the same names put back if
any move fails. The desktop client's 导出采集表 runs the same export_steps."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import make_code
from tiers.reports import output_folder
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli import main as cli

ROOT = Path(__file__).resolve().parents[3]
FIRMS = 30


@pytest.fixture
def db_path(new_target):
    path = new_target("cli.sqlite3")
    database = open_database(path)
    with database.session() as session:
        for serial in range(1, FIRMS + 1):
            enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                         "town": "湖塘镇" if serial % 2 else "牛塘镇",
                                         "name": f"常州第{serial}机械有限公司"})
    database.dispose()
    return path


@pytest.fixture
def out(tmp_path, monkeypatch):
    folder = tmp_path / "out"
    folder.mkdir()
    parts = tmp_path / "parts"  # XlsxWriter's own temporary parts
    parts.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(parts))
    return folder


def _fill_the_disk_after(monkeypatch, files: int) -> None:
    """Let ``files`` workbooks be written, then fail every write as a full disk does."""
    real_write = zipfile.ZipFile.writestr
    # the archives themselves, kept alive: by id() alone a closed archive's id was taken again
    # by the next one, which then counted as the same workbook and was let through (a flake)
    opened: dict[int, zipfile.ZipFile] = {}

    def write(archive, *args, **kwargs):
        opened[id(archive)] = archive
        if len(opened) > files:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(archive, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", write)
    monkeypatch.setattr(zipfile.ZipFile, "write", write)


def _everything(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder``, hidden ones too: a file's bytes, a folder as None."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def _export(db_path, target: Path, per: str = "firm") -> list[str]:
    return ["--db", str(db_path), "export", "collection", str(target), "--year", "2025",
            "--per", per]


@pytest.mark.parametrize("per", ["firm", "town"])
def test_a_new_folder_is_not_left_behind_on_a_full_disk(db_path, out, capsys, monkeypatch,
                                                         per):
    _fill_the_disk_after(monkeypatch, 1)
    assert cli.main(_export(db_path, out / "各企业", per)) == 1
    assert capsys.readouterr().err == "错误：磁盘已满\n"
    assert _everything(out) == {}
    assert list((out.parent / "parts").iterdir()) == []


def test_a_new_folder_appears_whole(db_path, out, capsys):
    assert cli.main(_export(db_path, out / "各企业")) == 0
    written = _everything(out)
    assert len(written) == FIRMS + 1 and written["各企业"] is None
    assert not [name for name in written if "/." in name or name.startswith(".")]
    mode = (out / "各企业").stat().st_mode & 0o777
    assert mode == 0o777 & ~_umask()  # as any folder made here, not mkdtemp's 0o700


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_existing_folder_keeps_its_files_on_a_full_disk(db_path, out, capsys, monkeypatch):
    folder = out / "各企业"
    assert cli.main(_export(db_path, folder)) == 0
    (folder / "说明.txt").write_text("科室自己的文件", encoding="utf-8")
    before = _everything(out)
    _fill_the_disk_after(monkeypatch, 3)
    assert cli.main(_export(db_path, folder)) == 1
    assert capsys.readouterr().err.endswith("错误：磁盘已满\n")
    assert _everything(out) == before


def test_a_move_refused_half_way_puts_the_earlier_files_back(db_path, out, capsys,
                                                            monkeypatch):
    """Windows refuses to replace a file open in Excel: the files already moved in are
    taken out again, and the earlier ones put back."""
    folder = out / "各企业"
    assert cli.main(_export(db_path, folder)) == 0
    (folder / f"2025年度数据采集表_常州第{FIRMS}机械有限公司.xlsx").unlink()  # one new name
    before = _everything(out)
    real_replace = os.replace
    moves = []

    def replace(source, target):
        if str(source).endswith(".part"):
            moves.append(target)
            if len(moves) == 10:
                raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    assert cli.main([*_export(db_path, folder), "--unit", "另一个局"]) == 2  # other bytes
    assert "正被其他程序打开或是只读的" in capsys.readouterr().err
    assert _everything(out) == before
    assert len(moves) == 10


def test_a_folder_made_meanwhile_is_not_touched(db_path, out, capsys, monkeypatch):
    folder = out / "各企业"
    rename_folder = output_folder.FolderFiles._rename_folder

    def quicker(files):  # another export, or the officer, made the folder meanwhile
        folder.mkdir()
        (folder / "别人的.xlsx").write_bytes(b"theirs")
        return rename_folder(files)

    monkeypatch.setattr(output_folder.FolderFiles, "_rename_folder", quicker)
    assert cli.main(_export(db_path, folder)) == 2
    assert "在导出期间已被建立" in capsys.readouterr().err
    assert _everything(out) == {"各企业": None, "各企业/别人的.xlsx": b"theirs"}


def _can_mount(point: Path, size: str) -> bool:
    return os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
        capture_output=True).returncode == 0


@pytest.mark.sqlite_only
def test_a_really_full_disk_leaves_no_folder(db_path, tmp_path):
    """A real ENOSPC from a small tmpfs with room for a few files: nothing of the export."""
    point = tmp_path / "full"
    point.mkdir()
    if not _can_mount(point, "2m"):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        with (point / "filler").open("wb", buffering=0) as filler, \
                contextlib.suppress(OSError):
                while filler.write(b"\0" * 4096):
                    pass
        os.truncate(point / "filler", (point / "filler").stat().st_size - 48 * 1024)
        for target in (point / "各企业", point / "已有"):
            if target.name == "已有":
                target.mkdir()
            result = subprocess.run([sys.executable, "-m", "ui.cli", *_export(db_path, target)],
                                    capture_output=True, text=True, cwd=ROOT, timeout=300)
            assert (result.returncode, result.stderr) == (1, "错误：磁盘已满\n")
        assert sorted(str(p.relative_to(point)) for p in point.rglob("*")) == ["filler", "已有"]
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)
