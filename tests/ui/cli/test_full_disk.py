"""A disk that fills up while a workbook is written (the break campaign of #16, on a small
tmpfs): one Chinese line, the earlier file of the same name whole, nothing under its name.

It found the reports, the 采集表 and the filled template saying "程序内部错误
（FileCreateError）" (XlsxWriter's wrapper of the full disk), each followed by a Python
traceback the garbage collector printed closing their zip again; the import's problem-row
file written in place, so that an earlier one was left empty; and an import whose batch was
written but whose problem-row file was not reading as failed (run again, imported twice).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from importers.report import write_error_report
from tests.conftest import make_code
from tests.importers.helpers import plan_file
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli import main as cli

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def db_path(new_target):
    path = new_target("cli.sqlite3")  # a file in tmp_path, or a server's database
    database = open_database(path)
    with database.session() as session:
        for serial in range(1, 4):
            enterprises.create(session, {"credit_code": make_code(serial), "county": "武进区",
                                         "name": f"常州第{serial}机械有限公司"})
    database.dispose()
    return path


@pytest.fixture
def fill_the_disk(monkeypatch):
    """Call it to make every write of a zip member fail as a full disk does."""
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    def fill() -> None:
        monkeypatch.setattr(zipfile.ZipFile, "write", no_space)
        monkeypatch.setattr(zipfile.ZipFile, "writestr", no_space)
    return fill


def _folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()
            and not p.name.startswith("cli.sqlite3")}


@pytest.mark.parametrize("command", [["export", "roster", "{out}/名单.xlsx"],
                                     ["export", "collection", "{out}/名单.xlsx"],
                                     ["fill-template", "{out}/模板.xlsx", "{out}/名单.xlsx"]],
                         ids=["report", "collection", "template"])
def test_a_workbook_on_a_full_disk_is_one_line_and_the_old_file_stays(
        db_path, tmp_path, capsys, fill_the_disk, monkeypatch, command):
    out = tmp_path / "out"
    out.mkdir()
    args = ["--db", str(db_path), *(part.format(out=out) for part in command)]
    assert cli.main(["--db", str(db_path), "export", "roster", str(out / "模板.xlsx")]) == 0
    assert cli.main(args) == 0
    before = _folder_state(out)
    capsys.readouterr()
    fill_the_disk()
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # XlsxWriter's parts go there
    assert cli.main(args) == 1
    assert capsys.readouterr().err == "错误：磁盘已满\n"
    assert _folder_state(out) == before
    assert list(temporary.iterdir()) == []


def test_a_problem_row_file_on_a_full_disk_leaves_the_earlier_one_whole(
        database, tmp_path, fill_the_disk):
    roster = tmp_path / "名录.csv"
    roster.write_text("企业名称,统一社会信用代码\n常州乙公司,913204001234\n", encoding="utf-8")
    plan = plan_file(database, roster, kind="roster")
    target = tmp_path / "问题行.xlsx"
    assert write_error_report(plan, target) == 1
    earlier = target.read_bytes()
    fill_the_disk()
    with pytest.raises(OSError) as caught:
        write_error_report(plan, target)
    assert caught.value.errno == errno.ENOSPC
    assert target.read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".~")) == []


def test_an_import_whose_problem_rows_cannot_be_saved_names_its_batch(
        db_path, tmp_path, capsys, fill_the_disk):
    roster = tmp_path / "名录.csv"
    roster.write_text(f"企业名称,统一社会信用代码,县（市、区）\n常州新公司,{make_code(9)},武进区\n"
                      "常州乙公司,913204001234,武进区\n", encoding="utf-8")
    fill_the_disk()
    assert cli.main(["--db", str(db_path), "import", str(roster),
                     "--errors", str(tmp_path / "问题行.xlsx")]) == 1
    assert capsys.readouterr().err == (
        "错误：已导入，批次 1（撤销：tiers undo-import 1）；但问题行文件"
        f"“{tmp_path / '问题行.xlsx'}”未能保存：磁盘已满\n")
    assert not (tmp_path / "问题行.xlsx").exists()


def _can_mount(point: Path) -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(point)],
        capture_output=True).returncode == 0


@pytest.mark.sqlite_only
def test_a_really_full_disk_prints_no_traceback(db_path, tmp_path):
    """The kernel's own ENOSPC (a full tmpfs): the zip the writer left open must not be
    closed again by the garbage collector, which printed a traceback after the message."""
    template = tmp_path / "模板.xlsx"
    assert cli.main(["--db", str(db_path), "export", "roster", str(template)]) == 0
    point = tmp_path / "full"
    point.mkdir()
    if not _can_mount(point):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        with (point / "filler").open("wb", buffering=0) as filler:
            for size in (4096, 1):
                with contextlib.suppress(OSError):
                    while filler.write(b"\0" * size):
                        pass
        for command in (["export", "roster", str(point / "名单.xlsx")],
                        ["export", "collection", str(point / "采集表.xlsx")],
                        ["fill-template", str(template), str(point / "填好的.xlsx")]):
            result = subprocess.run([sys.executable, "-m", "ui.cli", "--db", str(db_path),
                                     *command], capture_output=True, text=True, cwd=ROOT,
                                    timeout=120)
            assert (result.returncode, result.stderr) == (1, "错误：磁盘已满\n")
        assert sorted(p.name for p in point.iterdir()) == ["filler"]
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)


@pytest.mark.sqlite_only
def test_a_pdf_on_a_full_disk_names_no_file_of_the_temporary_folder(db_path, tmp_path):
    """The PDF printed in the system's temporary folder and copied beside the target: on a
    full target disk the message named the copy's source, 磁盘已满：/tmp/tiers-pdf-…/
    report.pdf, a folder with room to spare (the break campaign of #26); it is one line,
    as the workbook's, and nothing is left on the disk."""
    from tiers.reports import pdf

    if not pdf.available():
        pytest.skip("LibreOffice is not installed")
    point = tmp_path / "full"
    point.mkdir()
    if not _can_mount(point):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        # room for the workbook XlsxWriter writes beside the target, not for the PDF too
        with (point / "filler").open("wb", buffering=0) as filler, \
                contextlib.suppress(OSError):
            filler.write(b"\0" * (200 * 1024))
        result = subprocess.run([sys.executable, "-m", "ui.cli", "--db", str(db_path),
                                 "export", "summary", str(point / "汇总.pdf"), "--quiet"],
                                capture_output=True, text=True, cwd=ROOT, timeout=180)
        assert (result.returncode, result.stderr) == (1, "错误：磁盘已满\n")
        assert sorted(p.name for p in point.iterdir()) == ["filler"]
    finally:
        subprocess.run(["umount", str(point)], capture_output=True)
