"""The command line replaces only a file Tiers wrote and nobody saved since (tiers.outputs).

It replaced whatever had the name it was given (the break campaign of #26): ``tiers export
roster 名单.xlsx`` over the officer's own 名单.xlsx, ``tiers package export`` over any .zip,
a PDF report over any PDF, ``tiers fill-template`` over any workbook, and ``tiers export
collection 采集表 --per firm`` into a folder where the firms' filled-in 采集表 had come back
under the names they were sent with: every return lost. Now such a file is refused in
Chinese before any work, byte for byte as it was; Tiers' own earlier output (and an
empty file) is still replaced, as a second export to the same name always did."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import make_code
from tiers import outputs
from tiers.reports import pdf
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli.main import main

REFUSED = 2
WUJIN_BUREAU = "常州市武进区工业和信息化局"  # the unit the database's packages are sent under


@pytest.fixture
def db(tmp_path) -> str:
    path = tmp_path / "库.sqlite3"
    database = open_database(path)
    with database.session() as session:
        for number, name in enumerate(["常州恒立液压科技有限公司", "江苏长海复合材料股份有限公司"],
                                      start=1):
            enterprises.create(session, {"credit_code": make_code(number), "county": "武进区",
                                         "name": name})
    database.dispose()
    return str(path)


@pytest.fixture
def template(tmp_path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for column, text in enumerate(["序号", "企业名称", "统一社会信用代码"], start=1):
        sheet.cell(row=1, column=column, value=text)
    path = tmp_path / "模板.xlsx"
    book.save(path)
    return path


def _foreign_workbook(path: Path) -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "科里自己的名单"
    book.save(path)
    return path.read_bytes()


COMMANDS = {
    "report": (["export", "roster", "{out}", "--quiet"], ".xlsx"),
    "collection": (["export", "collection", "{out}", "--year", "2025"], ".xlsx"),
    "package": (["package", "export", "{out}"], ".zip"),
    "template": (["fill-template", "{template}", "{out}"], ".xlsx"),
}


def _argv(db: str, name: str, out: Path, template: Path) -> list[str]:
    argv, _ = COMMANDS[name]
    return ["--db", db, *[str(out) if a == "{out}" else str(template) if a == "{template}"
                          else a for a in argv]]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_another_programs_file_is_refused_and_kept(name, db, template, tmp_path, capsys):
    out = tmp_path / f"科里的文件{COMMANDS[name][1]}"
    if out.suffix == ".xlsx":
        before = _foreign_workbook(out)
    else:
        out.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip of someone else's
        before = out.read_bytes()
    assert main(_argv(db, name, out, template)) == REFUSED
    err = capsys.readouterr().err
    assert "已存在" in err and "不会覆盖" in err and "Traceback" not in err
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_its_own_output_and_an_empty_file_are_replaced(name, db, template, tmp_path, capsys):
    out = tmp_path / f"导出{COMMANDS[name][1]}"
    out.touch()
    assert main(_argv(db, name, out, template)) == 0
    first = out.read_bytes()
    # (a package: its own unit's, the one the next export of this database writes)
    assert first and outputs.replaceable(out, package_units=[WUJIN_BUREAU])
    assert main(_argv(db, name, out, template)) == 0  # the same export again
    capsys.readouterr()


def _saved_again(path: Path) -> None:
    """The workbook opened, filled in and saved again minutes later, as a firm fills in its
    采集表 in Excel: the description Tiers wrote is kept, the modified moment is the save's
    (openpyxl writes its own moment of saving: put back as Excel would have it)."""
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["A1"] = "已填写"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    members["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]+", rb"\g<1>" + later.encode(),
        members["docProps/core.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_filled_in_return_in_the_folder_is_refused_and_every_file_kept(db, tmp_path,
                                                                            capsys):
    folder = tmp_path / "采集表"
    argv = ["--db", db, "export", "collection", str(folder), "--per", "firm", "--year", "2025"]
    assert main(argv) == 0
    sent = sorted(folder.iterdir())
    assert len(sent) == 2 and all(outputs.replaceable(path) for path in sent)
    assert main(argv) == 0  # exported again: its own untouched files are replaced
    _saved_again(sent[0])
    assert not outputs.replaceable(sent[0])
    before = {path: path.read_bytes() for path in folder.iterdir()}
    capsys.readouterr()
    assert main(argv) == REFUSED
    err = capsys.readouterr().err
    assert sent[0].name in err and "不会覆盖" in err
    assert {path: path.read_bytes() for path in folder.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def test_a_report_saved_again_in_excel_is_not_taken_for_ours(db, tmp_path, capsys):
    out = tmp_path / "名单.xlsx"
    assert main(["--db", db, "export", "roster", str(out), "--quiet"]) == 0
    _saved_again(out)
    before = out.read_bytes()
    assert main(["--db", db, "export", "roster", str(out), "--quiet"]) == REFUSED
    assert out.read_bytes() == before
    capsys.readouterr()


def test_a_pdf_is_replaced_only_when_tiers_printed_it(db, tmp_path, capsys):
    if not pdf.available():
        pytest.skip("LibreOffice is not installed")
    theirs = tmp_path / "通知.pdf"
    theirs.write_bytes(b"%PDF-1.4\n1 0 obj << /Title (notice) /Keywords (mine) >> endobj\n%%EOF\n")
    before = theirs.read_bytes()
    assert main(["--db", db, "export", "summary", str(theirs), "--quiet"]) == REFUSED
    assert theirs.read_bytes() == before
    ours = tmp_path / "汇总.pdf"
    assert main(["--db", db, "export", "summary", str(ours), "--quiet"]) == 0
    assert outputs.replaceable(ours)
    assert main(["--db", db, "export", "summary", str(ours), "--quiet"]) == 0
    capsys.readouterr()


def test_a_package_someone_repacked_as_a_plain_zip_is_not_ours(db, tmp_path, capsys):
    package = tmp_path / "数据包.zip"
    assert main(["--db", db, "package", "export", str(package)]) == 0
    assert outputs.replaceable(package, package_units=[WUJIN_BUREAU])
    other = tmp_path / "资料.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("manifest.json", '{"format": "something-else"}')
    shutil.copy(other, tmp_path / "资料-副本.zip")
    assert not outputs.replaceable(other, package_units=[WUJIN_BUREAU])
    capsys.readouterr()


def test_the_problem_rows_file_of_an_import_keeps_the_officers_own(db, tmp_path, capsys):
    """tiers import 名单.csv --errors 问题.xlsx replaced a workbook of that name whatever it
    was: now only its own earlier problem-row file, and the import is refused before it
    writes anything when the name is taken by another file."""
    roster = tmp_path / "名单.csv"
    roster.write_text("企业名称,统一社会信用代码,县（市、区）\n"
                      "常州新增有限公司,91320412MA1BAD000X,武进区\n", encoding="utf-8")
    theirs = tmp_path / "问题.xlsx"
    before = _foreign_workbook(theirs)
    argv = ["--db", db, "import", str(roster), "--errors"]
    assert main([*argv, str(theirs)]) == REFUSED
    assert theirs.read_bytes() == before and "不会覆盖" in capsys.readouterr().err
    ours = tmp_path / "问题行.xlsx"
    assert main([*argv, str(ours)]) == 0
    assert outputs.replaceable(ours)
    assert main([*argv, str(ours)]) == 0
    capsys.readouterr()


# review27: the check was skipped whenever an office lock file was beside the target (a
# stale ~$名单.xlsx after a crash: the officer's own 名单.xlsx replaced by --errors, whose
# writer looks at no lock file, and by a package), and it ran only before the work, minutes
# before the replace (a returned 采集表 saved into the folder meanwhile was overwritten).

ALL = {**COMMANDS, "errors": (["import", "{roster}", "--errors", "{out}"], ".xlsx")}


def _argv_all(db: str, name: str, out: Path, template: Path, roster: Path) -> list[str]:
    argv, _ = ALL[name]
    return ["--db", db, *[str(out) if a == "{out}" else str(template) if a == "{template}"
                          else str(roster) if a == "{roster}" else a for a in argv]]


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "名单.csv"
    path.write_text("企业名称,统一社会信用代码,县（市、区）\n"
                    "常州新增有限公司,91320412MA1BAD000X,武进区\n", encoding="utf-8")
    return path


def _someone_elses(out: Path) -> bytes:
    if out.suffix == ".xlsx":
        return _foreign_workbook(out)
    out.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip of someone else's
    return out.read_bytes()


@pytest.mark.parametrize("name", list(ALL))
def test_a_stale_lock_file_does_not_let_a_file_not_ours_through(name, db, template, roster,
                                                                tmp_path, capsys):
    out = tmp_path / f"科里的文件{ALL[name][1]}"
    before = _someone_elses(out)
    for lock in (f"~${out.name}", f".~lock.{out.name}#"):  # Excel/WPS, LibreOffice
        (tmp_path / lock).write_bytes(b"")  # left by a program that crashed
        assert main(_argv_all(db, name, out, template, roster)) == REFUSED
        err = capsys.readouterr().err
        assert "正被其他程序" in err and "Traceback" not in err
        assert out.read_bytes() == before
        (tmp_path / lock).unlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


@pytest.mark.parametrize("name", list(ALL))
def test_a_file_saved_under_the_name_meanwhile_is_kept(name, db, template, roster, tmp_path,
                                                       capsys, monkeypatch):
    """Absent when the command began; someone's file saved under the name while it wrote
    (after the first check): refused in Chinese right before the replace, kept byte for
    byte, and no hidden copy left beside it."""
    from tiers import beside

    out = tmp_path / f"导出{ALL[name][1]}"
    made = beside.temporary_beside
    saved: list[bytes] = []

    def meanwhile(target, **kwargs):
        path = made(target, **kwargs)
        if Path(target) == out and not saved:
            saved.append(_someone_elses(out))
        return path

    monkeypatch.setattr(beside, "temporary_beside", meanwhile)
    status = main(_argv_all(db, name, out, template, roster))
    err = capsys.readouterr().err
    assert saved and out.read_bytes() == saved[0]
    assert "不会覆盖" in err and "Traceback" not in err
    # (the import itself is written: only its problem-row file is refused, and it says so)
    assert status == (1 if name == "errors" else REFUSED)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def test_a_return_saved_into_the_folder_meanwhile_is_kept(db, tmp_path, capsys, monkeypatch):
    from tiers import beside

    folder = tmp_path / "采集表"
    argv = ["--db", db, "export", "collection", str(folder), "--per", "firm", "--year", "2025"]
    assert main(argv) == 0  # the folder is there: the files are moved in one by one
    sent = sorted(folder.iterdir())
    made = beside.temporary_beside
    returned: list[bytes] = []

    def meanwhile(target, **kwargs):
        path = made(target, **kwargs)
        if Path(target) == sent[1] and not returned:  # the firm's return comes back
            returned.append(_foreign_workbook(sent[1]))
        return path

    monkeypatch.setattr(beside, "temporary_beside", meanwhile)
    before = sent[0].read_bytes()
    capsys.readouterr()
    assert main(argv) == REFUSED
    err = capsys.readouterr().err
    assert sent[1].name in err and "不会覆盖" in err and "未写入任何文件" in err
    assert returned and sent[1].read_bytes() == returned[0]
    assert sent[0].read_bytes() == before  # all or nothing: the other file not replaced
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in sent)
    assert [p.name for p in folder.iterdir() if p.name.startswith(".~")] == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_named_pipe_under_the_name_is_refused_at_once(name, db, template, tmp_path):
    """A named pipe (FIFO) under the output's name is no file of ours: refused in Chinese
    at once and left there. ``tiers package export`` waited for ever (the break campaign of
    session 27): the refusal named the package's unit and read the pipe as a zip to find
    it, which blocks until someone writes into the pipe."""
    import subprocess
    import sys

    _, suffix = COMMANDS[name]
    out = tmp_path / f"输出{suffix}"
    os.mkfifo(out)
    try:
        result = subprocess.run([sys.executable, "-m", "ui.cli", *_argv(db, name, out, template)],
                                capture_output=True, text=True, timeout=20,
                                cwd=Path(__file__).resolve().parents[3],
                                env={**os.environ, "PYTHONPATH": str(
                                    Path(__file__).resolve().parents[3])})
    except subprocess.TimeoutExpired:  # (run() killed it)
        pytest.fail(f"{name}: still waiting on the pipe after 20 s")
    assert result.returncode == REFUSED, result.stderr
    assert "不会覆盖它" in result.stderr and "Error" not in result.stderr
    assert stat.S_ISFIFO(os.lstat(out).st_mode)
