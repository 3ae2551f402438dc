"""An experiment for #16, not the product's import: the package import of an empty database
with each CSV member read by compiled code that lets go of the GIL (pyarrow), beside the
import as shipped and the floor, all in the same run (medians, ratios, CPU, peak memory).

pyarrow is not a dependency of Tiers; install it to run this (a 55 MB wheel, 170 MB
installed), e.g. ``.venv/bin/pip install pyarrow`` or ``pip install --target DIR pyarrow``
and DIR on PYTHONPATH.

What is measured, each into a copy of the same empty database, from the same package as
benchmarks/package.py builds (``import_package_file``: the streamed import of a county new
to the database, with the product's zip and manifest checks, checksums, plan, bulk writer,
indexes, provenance and batch):

- 下限: benchmarks/package.py's floor (csv module + bare executemany into plain tables);
- 原样: the import as shipped;
- arrow (a): the same, but each member parsed by ``pyarrow.csv`` (every column a string,
  the parse on Arrow's threads without the GIL) and the reader's per-cell checks done a
  whole column at a time by ``pyarrow.compute`` (integers and amounts by a regular
  expression and a cast, the credit codes' two check characters by arithmetic on the
  columns, texts by their length, dates and flags by their distinct values); only the rows
  a vectorised check flags go through the product's own Python checks (tiers.exchange.format
  .column_reader), so that what is accepted and every message stay the product's. A member
  the product would not read by its plain path (quotes, NUL, mixed line ends, a header it
  refuses, a row of another width, a cell past the csv module's limit, not UTF-8, a count
  other than the manifest's) is read by the product's own ``_table``. The columns are then
  made the Python values the writer binds (ints and floats straight from Arrow's buffers;
  a text column of few distinct values through its dictionary, one str per value; the
  amounts' text made Python's only when read, LazyAmounts: the SQLite writer binds their
  floats);
- 原样 (b) / arrow (b): as above, but the creations logged as one change-log line per table
  per batch (entity, first id, and a JSON {"rows", "first_id", "last_id"}) instead of one
  line per created row (620k lines for 100k firms).
- 读取: ``read_package`` alone (read whole and checked, nothing written), each reader.

``--check`` first proves the arrow reader the product's: every table of the big package
read both ways gives the same values (and types), and a small package with each of a set
of faults (a bad integer, date, flag, credit code, a too-long text, an amount another
program wrote, a quoted cell, a blank line, ...) gives the same values or the same refusal.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/package_arrow.py [--firms 100000] [--runs 3] [--check]

Measured (2026-12-07, 25th session, 100k firms, 2 cores under load 7-12: the floor in the
same run): the arrow reader reads and checks with 0.58x the product's CPU (values and
messages the same: --check) and 400 MB less peak memory, but the import stays above 2x:
(a) 3.31x against 3.79x as shipped, (b) 2.88x against 3.60x (CPU 3.46x and 3.09x against
4.20x); the writing side alone is about 1.5x the floor's whole CPU. Scaled to the idle 3.06x
of the 24th session: about 2.7x and 2.3x. pyarrow adds 100 MB of libraries a process loads
(352 MB against 40 MB in a PyInstaller bundle with the contrib hook) and has no loongarch64
wheel. Not adopted; README 性能, 第二十五轮.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import hashlib
import io
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import package as bench  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.csv as pacsv  # noqa: E402
from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String  # noqa: E402

from tiers.exchange import read_package  # noqa: E402
from tiers.exchange import reader as product_reader  # noqa: E402
from tiers.exchange.format import ENTERPRISES, TABLES, CellError, TableSpec, column_reader  # noqa: E402
from tiers.exchange.reader import PackageRefused, TableRows  # noqa: E402
from tiers.model import credit_code  # noqa: E402
from tiers.storage.bulk import Amounts  # noqa: E402
from tiers.storage.bulk_sqlite import _CHANGE_COLUMNS, SqliteBulkWriter, driver_value  # noqa: E402
from tiers.storage.database import open_database, wait_for_checkpoints  # noqa: E402

PRODUCT_TABLE = product_reader._table

# ---------------------------------------------------------------- the reader, in Arrow


def arrow_table(spec: TableSpec, data: bytes, *, expected_rows: Any) -> TableRows:
    """What tiers.exchange.reader._table makes of a member, the same values, read by Arrow;
    the product's own _table for anything its plain path would not read."""
    def product() -> TableRows:
        return PRODUCT_TABLE(spec, data, expected_rows=expected_rows)

    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    lines = _line_ends(body) if body else None
    if lines is None:
        return product()
    end = body.find(b"\n")
    if end <= 0 or end == len(body) - 1:
        return product()  # a header alone (or none): nothing for Arrow to do
    try:
        header = body[:end].decode("utf-8").removesuffix("\r").split(",")
    except UnicodeDecodeError:
        return product()
    known = spec.columns()
    model_columns = spec.model.__table__.columns
    required = [name for name in known if name != "credit_code"
                and not model_columns[name].nullable and model_columns[name].default is None
                and model_columns[name].server_default is None]
    if (len(set(header)) != len(header) or not set(header) <= set(known)
            or not {"credit_code", *spec.key, *required} <= set(header)):
        return product()  # (it says which column)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1, use_threads=True),
            parse_options=pacsv.ParseOptions(quote_char=False, newlines_in_values=False,
                                              ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in header},
                strings_can_be_null=False, check_utf8=True))
    except (pa.ArrowInvalid, pa.ArrowException):
        return product()  # a row of another width, a blank line, not UTF-8: it says where
    # Arrow takes CR, LF and CRLF alike and leaves out blank lines: the lines it read must
    # be every line there is (so: no blank line, no lone CR where the text has CRLF), and
    # as many as the manifest says
    if table.num_rows + 1 != lines or table.num_rows != expected_rows:
        return product()
    limit = csv.field_size_limit()
    columns = [table.column(index).combine_chunks() for index in range(len(header))]
    del table
    if any((pc.max(pc.binary_length(column)).as_py() or 0) > limit
           and (pc.max(pc.utf8_length(column)).as_py() or 0) > limit for column in columns):
        return product()
    where = spec.member
    values: dict[str, Sequence[Any]] = {}
    for index, name in enumerate(header):
        column = columns[index]
        columns[index] = None  # (each column let go once it is Python's)
        if name == "credit_code":
            values[name] = (_firm_codes(where, header, index, column) if spec is ENTERPRISES
                            else _python_texts(column))
        else:
            values[name] = _column(where, header, index, column, model_columns[name])
    count = len(values[header[0]])
    held = {name: made for name in header if name != "credit_code"
            and (made := product_reader.held_value(model_columns[name])) is not None}
    return TableRows(spec=spec, columns=tuple(header), values=values, count=count, held=held)


def _line_ends(body: bytes) -> int | None:
    """The lines of a text the product's plain path would read (see csv_columns.plain_cells:
    no quote, no NUL, every line ended alike, by CRLF or by LF), counted; None for another
    (a lone CR, CRLF and LF mixed). memchr-speed searches and counts of single bytes only."""
    if b'"' in body or b"\x00" in body:
        return None
    returns, feeds = body.count(b"\r"), body.count(b"\n")
    if returns and returns != feeds:
        return None
    return feeds + (not body.endswith(b"\n"))


class LazyAmounts(Amounts):
    """A column of amounts as the product's Amounts holds it (their text, and the float of
    each), the texts made Python's only when read: the SQLite writer binds the floats, and
    the import of a county new to the database never reads the 3.6 million texts (1 s of
    the GIL for 100k firms). Read whole (list(), iteration, an index), it is the text."""

    def __init__(self, column: pa.Array, floats: list[float]) -> None:
        list.__init__(self)
        self.floats, self._column, self._length = floats, column, len(column)

    def _made(self) -> None:
        if self._column is not None:
            column, self._column = self._column, None
            self.extend(column.to_pylist())

    def __len__(self) -> int:
        return self._length

    def __iter__(self):  # type: ignore[no-untyped-def]
        self._made()
        return list.__iter__(self)

    def __getitem__(self, index):  # type: ignore[no-untyped-def]
        self._made()
        return list.__getitem__(self, index)

    def __eq__(self, other: object) -> bool:
        self._made()
        return list.__eq__(self, other)


def _column(where: str, header: list[str], index: int, column: pa.Array, model_column: Any
            ) -> Sequence[Any]:
    kind = model_column.type
    read = column_reader(model_column)
    blank = pc.equal(column, "")
    if isinstance(kind, Boolean):
        flagged = pc.invert(pc.is_in(column, value_set=pa.array(["0", "1"])))
        made = _python_texts(pc.equal(column, "1"))
        return _checked_flagged(where, header, index, column, made, flagged, read)
    if isinstance(kind, Integer):
        plain = pc.match_substring_regex(column, r"^-?[0-9]{1,18}$")
        numbers = pc.cast(pc.if_else(plain, column, None), pa.int64())
        made = _python_numbers(numbers, "q")
        flagged = pc.and_(pc.invert(plain), pc.invert(blank))
        return _checked_flagged(where, header, index, column, made, flagged, read)
    if isinstance(kind, Numeric):
        scale, precision = kind.scale, kind.precision
        places = rf"(\.[0-9]{{1,{scale}}})?" if scale else ""
        plain = pc.match_substring_regex(column, rf"^-?[0-9]+{places}$")
        floats = pc.cast(pc.if_else(plain, column, None), pa.float64())
        # (near the bound: the product's exact check of the text, as its fast path leaves it)
        near = pc.fill_null(pc.greater_equal(pc.abs(floats),
                                             10.0 ** (precision - scale) - 1), False)
        flagged = pc.or_(pc.and_(pc.invert(plain), pc.invert(blank)), near)
        if not pc.any(flagged).as_py() and not pc.any(blank).as_py():
            return LazyAmounts(column, _python_numbers(floats, "d"))
        made = _python_texts(pc.if_else(blank, None, column))
        return _checked_flagged(where, header, index, column, made, flagged, read)
    if isinstance(kind, Date) and not isinstance(kind, DateTime):
        # the product's check of each distinct date once (a column holds a few hundred)
        distinct = pc.unique(column).to_pylist()
        try:
            as_read = dict(zip(distinct, read(distinct), strict=True))
        except CellError:
            product_reader._refuse_cell(where, tuple(header), index, column.to_pylist(), read)
        cells = _python_texts(column)
        if all(as_read[text] == text for text in distinct):
            return cells
        return list(map(as_read.__getitem__, cells))
    # text: its length (the product's check), blanks as None where the column takes none
    made = _python_texts(pc.if_else(blank, None, column) if model_column.nullable else column)
    if not isinstance(kind, String) or kind.length is None:
        return made
    if (pc.max(pc.binary_length(column)).as_py() or 0) <= kind.length:
        return made  # (no more bytes than the limit: no more characters either)
    return _checked_flagged(where, header, index, column, made,
                            pc.greater(pc.utf8_length(column), kind.length), read)


def _checked_flagged(where: str, header: list[str], index: int, column: pa.Array,
                     made: list[Any], flagged: pa.Array,
                     read: Callable[[Sequence[str]], Sequence[Any]]) -> list[Any]:
    """``made`` with the rows ``flagged`` read by the product's own check instead; the
    product's refusal (its first bad cell, its words) where that check refuses one."""
    rows = pc.indices_nonzero(pc.fill_null(flagged, True)).to_pylist()
    if not rows:
        return made
    cells = column.to_pylist()
    try:
        their = read([cells[row] for row in rows])
    except (CellError, credit_code.CreditCodeError):
        product_reader._refuse_cell(where, tuple(header), index, cells, read)
        raise  # (_refuse_cell always raises)
    for row, value in zip(rows, their, strict=True):
        made[row] = value
    return made


def _python_texts(column: pa.Array) -> list[Any]:
    """The column's values as Python's (None for null). A column of few distinct values (a
    county, a level, a status, a flag: most of them) is made by its dictionary: each
    distinct str once and a list of references, where to_pylist makes a str per cell."""
    if len(column) > 1000:
        coded = pc.dictionary_encode(column)
        if len(coded.dictionary) * 8 < len(column):
            distinct = coded.dictionary.to_pylist()
            indices = coded.indices
            if indices.null_count:
                distinct.append(None)
                indices = pc.fill_null(indices, len(distinct) - 1)
            return list(map(distinct.__getitem__, _python_numbers(indices, "i")))
    return column.to_pylist()


def _python_numbers(array: pa.Array, code: str) -> list[Any]:
    """An int64 ("q") or float64 ("d") array as Python's ints or floats (None for null),
    straight from its buffer (to_pylist makes a scalar of each: slower)."""
    if not len(array):
        return []
    made = memoryview(array.buffers()[1]).cast(code)[array.offset:array.offset + len(array)]
    made = made.tolist()
    if array.null_count:
        for row in pc.indices_nonzero(pc.is_null(array)).to_pylist():
            made[row] = None
    return made


_ALPHABET = credit_code.ALPHABET
_CHARACTERS = pa.array(list(_ALPHABET))
_DIGITS_36 = pa.array(list("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
_WEIGHTS_32100 = [pow(3, i, 31) for i in range(17)]
_WEIGHTS_11714 = [3, 7, 9, 10, 5, 8, 4, 2]
_CHECK_11714 = pa.array(list(credit_code._CHECK_11714))


def _firm_codes(where: str, header: list[str], index: int, column: pa.Array) -> list[str]:
    """The firms' credit codes (GB 32100 and GB 11714 check characters, the registering
    authority, under 9 the category) checked in Arrow, the upper-cased codes;
    credit_code.validate for the rows it flags (to fold or to refuse, as the product's
    reader does)."""
    codes = pc.ascii_upper(column)
    shaped = pc.match_substring_regex(
        codes, f"^(?:9[123]|[1-8ANY][{_ALPHABET}])[{_ALPHABET}]{{16}}$")

    def character(position: int, among: pa.Array) -> pa.Array:
        return pc.index_in(pc.utf8_slice_codeunits(codes, position, position + 1),
                           value_set=among)

    def remainder(total: pa.Array, by: int) -> pa.Array:
        return pc.subtract(total, pc.multiply(pc.divide(total, by), by))

    total = pc.multiply(character(0, _CHARACTERS), _WEIGHTS_32100[0])
    for position in range(1, 17):
        total = pc.add(total, pc.multiply(character(position, _CHARACTERS),
                                          _WEIGHTS_32100[position]))
    expected = pc.subtract(31, remainder(total, 31))
    ok_32100 = pc.equal(pc.if_else(pc.equal(expected, 31), 0, expected),
                        character(17, _CHARACTERS))
    organisation = pc.multiply(character(8, _DIGITS_36), _WEIGHTS_11714[0])
    for offset in range(1, 8):
        organisation = pc.add(organisation, pc.multiply(character(8 + offset, _DIGITS_36),
                                                        _WEIGHTS_11714[offset]))
    check = pc.take(_CHECK_11714, remainder(organisation, 11))
    ok_11714 = pc.equal(check, pc.utf8_slice_codeunits(codes, 16, 17))
    ok = pc.fill_null(pc.and_(shaped, pc.and_(ok_32100, ok_11714)), False)
    return _checked_flagged(where, header, index, column, _python_texts(codes), pc.invert(ok),
                            product_reader._credit_codes)


@contextmanager
def arrow_reader() -> Iterator[None]:
    product_reader._table = arrow_table
    try:
        yield
    finally:
        product_reader._table = PRODUCT_TABLE


# ------------------------------------------ (b) one change-log line per table per batch


def summary_creations(self: SqliteBulkWriter, table: Any, *, first_id: int, last_id: int,
                      owner: str, identity: Sequence[str], change: dict[str, Any]) -> None:
    """One line for the table's rows this batch created (record_creations writes one per
    row): entity the table, entity_id the first row's id, no firm, "create", new_value
    {"rows", "first_id", "last_id"}."""
    at = driver_value(DateTime(), change["at"])
    self.execute(
        f'INSERT INTO "change" ({_CHANGE_COLUMNS}) SELECT ?, ?, \'{table.name}\', ?, NULL, '
        "'create', 'rows', NULL, json_object('rows', count(*), 'first_id', min(\"id\"), "
        f"'last_id', max(\"id\")), ? FROM \"{table.name}\" "
        'WHERE "id" BETWEEN ? AND ? AND "import_batch_id" = ?',
        (at, change["user"], first_id, change["import_batch_id"], first_id, last_id,
         change["import_batch_id"]))


@contextmanager
def summarised_log() -> Iterator[None]:
    shipped = SqliteBulkWriter.record_creations
    SqliteBulkWriter.record_creations = summary_creations
    try:
        yield
    finally:
        SqliteBulkWriter.record_creations = shipped


@contextmanager
def variant(name: str) -> Iterator[None]:
    with (arrow_reader() if name.startswith("arrow") else _nothing()), (
            summarised_log() if name.endswith("(b)") else _nothing()):
        yield


@contextmanager
def _nothing() -> Iterator[None]:
    yield


VARIANTS = ("原样", "arrow (a)", "原样 (b)", "arrow (b)")

# --------------------------------------------------------------------------- measuring


def import_one(package: Path, empty: Path, target: Path, name: str) -> tuple[float, float]:
    """The wall and CPU seconds (all threads of the process) of one import."""
    with variant(name):
        started, cpu = time.perf_counter(), time.process_time()
        bench.import_tiers(package, empty, target)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    wait_for_checkpoints()
    target.unlink()
    return wall, cpu


def read_one(package: Path, name: str) -> tuple[float, float]:
    with variant(name):
        started, cpu = time.perf_counter(), time.process_time()
        read_package(package)
        return time.perf_counter() - started, time.process_time() - cpu


def floor_one(plain: Path, target: Path) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    bench.import_floor(plain, target)
    return time.perf_counter() - started, time.process_time() - cpu


def child_import(package: Path, empty: Path, target: Path, name: str) -> None:
    with variant(name):
        bench.import_tiers(package, empty, target)
    wait_for_checkpoints()


def peak(*args: str) -> int | None:
    if not Path("/proc/self/status").exists():
        return None
    import subprocess
    child = subprocess.run([sys.executable, __file__, "--child", *args], check=True,
                           capture_output=True, text=True)
    return int(child.stdout.split()[-1])


def load() -> str:
    try:
        return " ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "?"


# ------------------------------------------------------------------------------ --check


def compare_tables(package: Path) -> None:
    """Every table read by both readers: the same columns, counts and values (and types)."""
    ours = read_package(package)
    with arrow_reader():
        theirs = read_package(package)
    for spec in TABLES:
        a, b = ours.table(spec), theirs.table(spec)
        assert a.columns == b.columns and a.count == b.count, spec.name
        for name in a.columns:
            left, right = list(a.values[name]), list(b.values[name])
            assert left == right, (spec.name, name)
            assert list(map(type, left)) == list(map(type, right)), (spec.name, name)
            floats = [getattr(a.values[name], "floats", None),
                      getattr(b.values[name], "floats", None)]
            assert floats[0] == floats[1], (spec.name, name, "floats")
    print(f"--check：{package.name} 的每张表两种读法逐值相同（含类型）")


def _write(path: Path, members: dict[str, bytes]) -> None:
    """A package of these members with the manifest's checksums and counts made to match
    (as tests/tiers/test_exchange_hostile.py makes its faulty packages)."""
    manifest = json.loads(members["manifest.json"])
    for entry in manifest["tables"].values():
        data = members[entry["file"]]
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        entry["rows"] = len(list(csv.reader(io.StringIO(data.decode("utf-8-sig",
                                                                    "replace"))))) - 1
    members = {**members, "manifest.json": json.dumps(manifest).encode()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def _cell(members: dict[str, bytes], member: str, column: str, row: int, text: str
          ) -> dict[str, bytes]:
    data = members[member].decode("utf-8")
    lines = data.split("\r\n")
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = text
    lines[row] = ",".join(cells)
    return {**members, member: "\r\n".join(lines).encode("utf-8")}


def _faults(members: dict[str, bytes]) -> dict[str, dict[str, bytes]]:
    figures, firms = "annual_figures.csv", "enterprises.csv"
    lower = members[firms].decode().split("\r\n")[2].split(",")[0].lower()
    some = {
        "整数列不是整数": _cell(members, figures, "year", 3, "二〇二四"),
        "整数列带加号": _cell(members, figures, "employees", 5, "+12"),
        "整数列全角数字": _cell(members, figures, "employees", 4, "１２"),
        "金额用科学计数法": _cell(members, figures, "revenue", 2, "1E+3"),
        "金额小数位多于列": _cell(members, figures, "revenue", 6, "12.34567"),
        "金额近上界": _cell(members, figures, "niche_years", 10, "99999.96"),
        "金额负数": _cell(members, figures, "net_profit", 11, "-12.5"),
        "金额不是数字": _cell(members, figures, "revenue", 7, "一百"),
        "金额过大": _cell(members, figures, "revenue", 8, "999999999999.5"),
        "金额只有小数点": _cell(members, figures, "revenue", 9, "."),
        "日期无效": _cell(members, "recognitions.csv", "recognized_on", 2, "2026-02-30"),
        "日期另一写法": _cell(members, "recognitions.csv", "recognized_on", 3, "20260204"),
        "是否列不是 0/1": _cell(members, "recognitions.csv", "is_review", 2, "是"),
        "信用代码小写": _cell(members, firms, "credit_code", 2, lower),
        "信用代码校验位错": _cell(members, firms, "credit_code", 3, "91320412MA1X0000X0"),
        "信用代码登记部门错": _cell(members, firms, "credit_code", 4, "Z1320412MA1X00000A"),
        "记录的企业不在包中": _cell(members, figures, "credit_code", 2, "91110000100000000B"),
        "文字过长": _cell(members, firms, "name", 2, "长" * 300),
        "有引号的单元格": _cell(members, firms, "notes", 2, '"备注"'),
        "多一个单元格": _cell(members, figures, "note", 2, "a,b"),
        "空行": {**members, figures: members[figures].replace(b"\r\n", b"\r\n\r\n", 1)},
        "CR 与 LF 混用": {**members, figures: members[figures].replace(b"\r\n", b"\n", 1)},
        "只用 LF": {**members, figures: members[figures].replace(b"\r\n", b"\n")},
        "带 BOM": {**members, figures: codecs.BOM_UTF8 + members[figures]},
        "不是 UTF-8": {**members, figures: members[figures].replace(b"\r\n", b"\xff\r\n", 1)},
        "缺一列": {**members, "chain_roles.csv": b"credit_code\r\n" + b"\r\n".join(
            line.split(b",")[0] for line in members["chain_roles.csv"].split(b"\r\n")[1:])},
    }
    return some


def compare_faults(folder: Path) -> None:
    source = folder / "small.sqlite3"
    bench.build(source, 60)
    good = folder / "small.zip"
    bench.export_tiers(source, good)
    with zipfile.ZipFile(good) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    for label, faulty in _faults(members).items():
        path = folder / "fault.zip"
        _write(path, faulty)
        outcomes = []
        for reading in (_nothing, arrow_reader):
            with reading():
                try:
                    package = read_package(path)
                except PackageRefused as refused:
                    outcomes.append(("refused", str(refused)))
                else:
                    outcomes.append(("read", {spec.name: {
                        name: (list(package.table(spec).values[name]),
                               getattr(package.table(spec).values[name], "floats", None))
                        for name in package.table(spec).columns} for spec in TABLES}))
        assert outcomes[0] == outcomes[1], (label, outcomes[0][:1], outcomes[1][:1],
                                            outcomes[0][1] if outcomes[0][0] == "refused"
                                            else "", outcomes[1][1]
                                            if outcomes[1][0] == "refused" else "")
        said = outcomes[0][1] if outcomes[0][0] == "refused" else "读入，值相同"
        print(f"  {label}：两种读法相同（{str(said)[:70]}）")
    print(f"--check：{len(_faults(members))} 种有错或另一写法的数据包，两种读法的结果或拒绝的话相同")


# ---------------------------------------------------------------------------------- main


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "floor":
            bench.import_floor(Path(sys.argv[3]), Path(sys.argv[4]))
        else:
            child_import(Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]), sys.argv[2])
        bench._report_peak()
        return 0
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true",
                        help="first prove the arrow reader reads as the product's does")
    parser.add_argument("--cache", type=Path, help="keep the package here (built once)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tiers-package-arrow-") as temporary:
        folder = Path(temporary)
        where = args.cache or folder
        where.mkdir(parents=True, exist_ok=True)
        source, empty = where / f"county{args.firms}.sqlite3", folder / "empty.sqlite3"
        package, plain = where / f"county{args.firms}.zip", where / f"plain{args.firms}"
        if not package.exists():
            bench.build(source, args.firms)
            bench.export_tiers(source, package)
            shutil.rmtree(plain, ignore_errors=True)
            plain.mkdir()
            bench.export_floor(source, plain)
        open_database(empty).dispose()
        if args.check:
            compare_tables(package)
            compare_faults(folder)
        loads = [load()]
        times: dict[str, list[tuple[float, float]]] = {}
        for _ in range(args.runs):
            times.setdefault("下限", []).append(floor_one(plain, folder / "floor.sqlite3"))
            for name in VARIANTS:
                times.setdefault(name, []).append(
                    import_one(package, empty, folder / "city.sqlite3", name))
            for name in ("原样", "arrow (a)"):
                times.setdefault(f"读取 {name}", []).append(read_one(package, name))
            loads.append(load())
        peaks = {"下限": peak("floor", str(plain), str(folder / "floor.sqlite3"))}
        for name in VARIANTS:
            peaks[name] = peak(name, str(package), str(empty), str(folder / "peak.sqlite3"))
        loads.append(load())
    floor = statistics.median(wall for wall, _ in times["下限"])
    floor_cpu = statistics.median(cpu for _, cpu in times["下限"])
    print(f"{args.firms:,} 家企业的数据包导入空库，{args.runs} 次的中位数；"
          f"pyarrow {pa.__version__}；负载（1/5/15 分钟）：" + " → ".join(loads))
    print(f"{'':<12}{'墙钟 s':>8}{'倍数':>7}{'CPU s':>8}{'CPU 倍数':>9}{'峰值 MB':>9}   各次墙钟")
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        memory = peaks.get(name)
        print(f"{name:<12}{wall:>8.2f}{wall / floor:>7.2f}{cpu:>8.2f}{cpu / floor_cpu:>9.2f}"
              f"{memory / 1e6 if memory else float('nan'):>9,.0f}   "
              + " ".join(f"{w:.2f}" for w, _ in runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
