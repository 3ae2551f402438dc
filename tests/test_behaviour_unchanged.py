"""What a user sees stays the same while the code is reshaped.

On the demo data of a fixed day, every command's JSON and every report's cell values are
compared with a snapshot taken before the reshaping (tests/data/golden/). A difference fails
with the first lines that differ. When a change of behaviour is intended, rewrite the
snapshot on purpose: ``TIERS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_behaviour_unchanged.py``
and review the diff of tests/data/golden/ in the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from pathlib import Path

import pytest
import time_machine
from python_calamine import CalamineWorkbook

from ui.cli.main import main

GOLDEN = Path(__file__).parent / "data" / "golden"
UPDATE = os.environ.get("TIERS_UPDATE_GOLDEN") == "1"
# 10:00 in Nanjing on the day the snapshot was first taken.
FROZEN = dt.datetime(2026, 12, 4, 2, 0, tzinfo=dt.UTC)

COMMANDS: dict[str, list[str]] = {
    "enterprises": ["enterprises", "--format", "json"],
    "enterprises_search": ["enterprises", "--search", "液压", "--format", "json"],
    "enterprises_pinyin": ["enterprises", "--search", "jx", "--sort", "tier", "--desc",
                           "--format", "json"],
    "enterprises_expiring": ["enterprises", "--expiring", "365", "--format", "json"],
    "enterprises_csv": ["enterprises", "--tier", "专精特新", "--format", "csv"],
    "enterprises_table": ["enterprises", "--status", "已到期", "--format", "table"],
    "imports": ["imports", "--json"],
    "assess_candidates": ["assess", "--tier", "专精特新", "--json"],
    "assess_giant": ["assess", "--tier", "小巨人", "--all", "--json"],
    "assess_cultivation": ["assess", "--cultivation", "--json"],
    "export_list": ["export", "--list"],
}
REPORTS = {"roster": [], "summary": [], "summary_town": ["--group", "town"], "support": [],
           "support_kind": ["--group", "kind"], "expiring": ["--days", "400"], "chains": [],
           "candidates": ["--tier", "专精特新"]}


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def cells(path: Path) -> dict[str, list[list[str]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: [[str(value) for value in row]
                   for row in book.get_sheet_by_name(name).to_python()]
            for name in book.sheet_names}


def compare(name: str, actual) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        got, want = text.splitlines(), expected.splitlines()
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                     min(len(got), len(want)))
        pytest.fail(f"{name}: differs from the snapshot at line {first + 1}:\n"
                    f"  snapshot: {want[first:first + 3]}\n  now:      {got[first:first + 3]}")


@pytest.fixture(scope="module")
def databases(server, tmp_path_factory):
    """A factory of new databases for the module: files in a folder of their own, or
    databases of the test server (copies of the migrated template, or of ``source``)."""
    from tests.conftest import ServerDatabases

    folder = tmp_path_factory.mktemp("golden")
    copies = ServerDatabases(server, "golden") if server is not None else None

    def make(name: str, source: str | None = None) -> str:
        if copies is None:
            return str(folder / f"{name}.sqlite3")
        return copies.copy(source.rpartition("/")[2] if source else None)

    yield make
    if copies is not None:
        copies.drop_all()


@pytest.fixture(scope="module")
def demo_db(databases):
    db = databases("demo")
    with pytest.MonkeyPatch.context() as patch, time_machine.travel(FROZEN, tick=False):
        patch.setenv("USER", "officer")  # getpass.getuser() is the recorded operator
        patch.setenv("LOGNAME", "officer")
        assert main(["--db", str(db), "demo", "--enterprises", "120", "--seed", "7"]) == 0
    return db


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setenv("USER", "officer")
    monkeypatch.setenv("LOGNAME", "officer")
    with time_machine.travel(FROZEN, tick=False):
        yield


def test_command_output_unchanged(demo_db, frozen, capsys):
    capsys.readouterr()
    outputs = {}
    for name, argv in COMMANDS.items():
        status, out, err = run(capsys, ["--db", str(demo_db), *argv])
        outputs[name] = {"status": status, "out": out.splitlines(), "err": err.splitlines()}
    code = json.loads("\n".join(outputs["enterprises"]["out"]))[0]["credit_code"]
    for name, argv in {"show": ["show", code, "--json"], "show_text": ["show", code],
                       "assess_one": ["assess", code, "--json"]}.items():
        status, out, err = run(capsys, ["--db", str(demo_db), *argv])
        outputs[name] = {"status": status, "out": out.splitlines(), "err": err.splitlines()}
    compare("commands", outputs)


def test_report_cells_unchanged(demo_db, frozen, tmp_path, capsys):
    books = {}
    for name, options in REPORTS.items():
        out = tmp_path / f"{name}.xlsx"
        status, _, err = run(capsys, ["--db", str(demo_db), "export", name.split("_")[0],
                                      str(out), *options, "--unit", "某县工业和信息化局",
                                      "--by", "张三", "--phone", "0510-1234567", "--quiet"])
        assert status == 0, err
        books[name] = cells(out)
    status, out, _ = run(capsys, ["--db", str(demo_db), "enterprises", "--format", "json"])
    code = json.loads(out)[0]["credit_code"]
    out = tmp_path / "profile.xlsx"
    assert run(capsys, ["--db", str(demo_db), "export", "profile", str(out), "--code", code,
                        "--quiet"])[0] == 0
    books["profile"] = cells(out)
    compare("reports", books)


def test_import_plan_and_undo_unchanged(demo_db, databases, server, frozen, tmp_path, capsys):
    """Read back the county's own roster report into a copy: the plan, the apply and the undo."""
    if server is None:
        copy = tmp_path / "copy.sqlite3"
        assert run(capsys, ["--db", str(demo_db), "backup", str(copy)])[0] == 0
    else:  # a server's copy: a database made from the demo's
        copy = databases("copy", source=demo_db)
    roster = tmp_path / "roster.xlsx"
    assert run(capsys, ["--db", str(copy), "export", "roster", str(roster), "--quiet"])[0] == 0
    outputs = {}
    for name, argv in {
        "dry_run": ["import", str(roster), "--dry-run", "--json", "--show", "1000"],
        "dry_run_text": ["import", str(roster), "--dry-run", "--show", "1000"],
        "recognitions": ["import", str(roster), "--kind", "recognitions", "--tier", "小巨人",
                         "--batch", "第七批", "--json", "--user", "测试"],
        "imports": ["imports", "--json"],
    }.items():
        status, out, err = run(capsys, ["--db", str(copy), *argv])
        text = out.replace(str(tmp_path), "TMP")
        outputs[name] = {"status": status, "out": text.splitlines(), "err": err.splitlines()}
    batch = json.loads("\n".join(outputs["imports"]["out"]))[0]["id"]
    status, out, err = run(capsys, ["--db", str(copy), "undo-import", str(batch), "--json"])
    outputs["undo"] = {"status": status, "out": out.splitlines(), "err": err.splitlines()}
    compare("import", outputs)


def _parts_digest(path: Path) -> str:
    """One digest of every part of a workbook, in order (a zip's own timestamps aside)."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as book:
        for member in book.namelist():
            digest.update(member.encode() + b"\0" + book.read(member) + b"\0")
    return digest.hexdigest()


def test_collection_workbooks_unchanged(demo_db, frozen, tmp_path, capsys):
    """The 采集表 per firm and per town, part for part (formats, validation, protection and
    the hidden marker included: what the cells alone do not show), and the cells of one of
    each for a reviewable diff."""
    books: dict[str, dict] = {}
    for per in ("firm", "town"):
        folder = tmp_path / per
        status, _, err = run(capsys, ["--db", str(demo_db), "export", "collection", str(folder),
                                      "--year", "2025", "--per", per, "--deadline", "2026-03-31",
                                      "--unit", "某县工业和信息化局", "--by", "张三",
                                      "--phone", "0510-1234567", "--return-to", "a@example.cn"])
        assert status == 0, err
        paths = sorted(folder.iterdir())
        books[f"per_{per}"] = {path.name: _parts_digest(path) for path in paths}
        books[f"cells_per_{per}"] = {paths[0].name: cells(paths[0])}
    compare("collection", books)
