"""Reading an exchange package, trusting nothing in it: the zip (tiers.exchange.members:
member names and sizes, the manifest, each member's SHA-256), every table present, every
cell a value of its column, every record's firm in the package. Any fault refuses the whole
package with one Chinese sentence saying what and where.

A package is read whole (read_package), a table at a time (opened_package), or a slice of a
table's rows at a time (PackageReading.table_parts): an import into a database written by
one process at a time writes each slice while the next is read, all in one transaction, so
that a fault found in a later slice or table still leaves nothing written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tiers.exchange.csv_columns import by_column, column_slices, plain_cells, plain_rows
from tiers.exchange.format import (
    ENTERPRISES,
    RECORD_TABLES,
    TABLES,
    CellError,
    TableSpec,
    column_reader,
    held_value,
    joined_column,
)
from tiers.exchange.members import (
    PackageRefused,
    checked_members,
    file_digest,
    manifest_of,
    not_a_zip,
    refuse_workbook,
    unpacked,
)
from tiers.model import credit_code
from tiers.progress import Progress, paused_gc

__all__ = ["READ_ORDER", "Package", "PackageReading", "PackageRefused", "TableRows",
           "opened_package", "read_package", "reading_package"]

# the firms first (every record is checked against them), the largest table last: while it
# is read, the bulk writer writes the others (read_package's order is the same)
READ_ORDER = (ENTERPRISES, *sorted(RECORD_TABLES, key=lambda spec: spec.name == "annual_figures"))


@dataclass
class TableRows:
    """One table of the package, held a column at a time (100k firms' records are half a
    million rows: a dict per row cost a second and half a gigabyte, and the import of a
    county new to the database never needs one)."""

    spec: TableSpec
    columns: tuple[str, ...]  # those the package carries (an older Tiers: fewer)
    # by column, each in the order of the rows: the values the ORM holds, but amounts and
    # dates as their text (made values by ``held``; the bulk writers take either)
    values: dict[str, Sequence[Any]]
    count: int
    held: dict[str, Callable[[Any], Any]] = field(default_factory=dict)  # column: its
    # text → the ORM's value (format.held_value), for the columns kept as text

    def row(self, index: int) -> dict[str, Any]:
        """One row's values as the ORM holds them (amounts as Decimals, dates as dates)."""
        held = self.held
        return {name: held[name](self.values[name][index]) if name in held
                else self.values[name][index] for name in self.columns}

    def held_rows(self, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """Each row's values of ``columns`` as the ORM holds them, as tuples made a column
        at a time (row() of every row, to compare a newer package with the records here:
        3.7 s of dicts for 100k firms' records)."""
        made = [list(map(self.held[name], self.values[name])) if name in self.held
                else self.values[name] for name in columns]
        return list(zip(*made, strict=True)) if made else [()] * self.count

    @property
    def codes(self) -> Sequence[str]:
        """Each row's firm (its credit code)."""
        return self.values["credit_code"]


@dataclass
class Package:
    file_name: str
    sha256: str  # of the whole file
    source_unit: str
    counties: list[dict[str, str]]  # {"code", "name"}
    package_date: dt.datetime
    tiers_version: str
    schema_revision: str
    tables: dict[str, TableRows]  # by TableSpec.name
    # its firms' changes in the database that wrote it, when it was written (the manifest's
    # history): how many, the first and the last; None when not given
    history: tuple[int, dt.datetime | None, dt.datetime | None] | None = None

    @property
    def county_codes(self) -> set[str]:
        return {county["code"] for county in self.counties}

    def rows(self, spec: TableSpec) -> list[dict[str, Any]]:
        """The table's rows as dicts (the import itself reads its columns)."""
        table = self.tables[spec.name]
        return [table.row(index) for index in range(table.count)]

    def table(self, spec: TableSpec) -> TableRows:
        return self.tables[spec.name]

    def row_counts(self) -> dict[str, int]:
        return {spec.name: self.tables[spec.name].count for spec in TABLES
                if spec.name in self.tables}


def read_package(path: Path | str) -> Package:
    """The package in the file, read whole and checked; raises PackageRefused."""
    with opened_package(path) as reading:
        return reading.read_all()


def reading_package(path: Path | str, step: str = "正在读取数据包"
                    ) -> Generator[Progress, None, Package]:
    """read_package a table at a time, with a Progress after each: a county of 100,000
    firms takes seconds to read, and the officer may stop between two tables (the
    generator closed: the file and the threads unpacking it are let go at once)."""
    with opened_package(path) as reading:
        yield Progress(step, 0, len(READ_ORDER))
        for done, _ in enumerate(reading.tables(), start=1):
            yield Progress(step, done, len(READ_ORDER))
        return reading.package


@contextmanager
def opened_package(path: Path | str) -> Iterator[PackageReading]:
    """The package in the file with its zip and manifest checked, its tables still to be
    read (PackageReading); raises PackageRefused. The file's checksum and each member's
    unpacking and checksum run on threads of their own (zlib and hashlib let go of the GIL),
    the next member while this one is read: 0.4 s of a 100k-firm package's reading taken
    off the thread that parses the tables."""
    path = Path(path)
    with path.open("rb"):  # OSError (missing, no rights) is the caller's to tell
        pass
    if not zipfile.is_zipfile(path):
        raise not_a_zip(path)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="tiers-package") as pool:
        whole = pool.submit(file_digest, path)
        try:
            with zipfile.ZipFile(path) as archive:
                try:
                    yield PackageReading(path, archive, pool, whole)
                finally:  # (no member unpacked ahead is read from a closed archive)
                    pool.shutdown(cancel_futures=True)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            # a broken central directory; a damaged deflate stream (zlib.error), or one cut
            # short (EOFError), found as the member is unpacked
            # (a byte changed in copying reads so too: the same to the officer as a copy
            # cut short, and told as one, with what to do: tester24)
            raise PackageRefused(
                f"“{path.name}”已损坏，无法解压：文件中的数据有差错（校验不符或压缩数据损坏），"
                "可能是拷贝、下载或存放时出了问题。请重新拷贝，或请报送单位重新导出数据包。") from exc


class PackageReading:
    """A package being read: its manifest checked and every table's member found when it is
    made (``package`` then holds no table), the tables read in READ_ORDER by ``tables()``,
    each with its links to the firms checked as it is added to ``package``. The pool's
    threads unpack the next member while this one is read (and the whole file's checksum,
    which ``package`` has once its firms are read); only the thread that made it parses."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, pool: ThreadPoolExecutor,
                 whole: Future[str]) -> None:
        self.archive, self.pool, self.whole = archive, pool, whole
        refuse_workbook(archive, path.name)
        self.infos = checked_members(archive)
        manifest = manifest_of(archive, self.infos, file_name=path.name)
        self.entries: dict[str, dict[str, Any]] = {}
        for spec in TABLES:
            entry = manifest["tables"].get(spec.name)
            if not isinstance(entry, dict) or spec.member not in self.infos:
                raise PackageRefused(f"数据包不完整：缺少“{spec.label}”表（{spec.member}）")
            self.entries[spec.name] = entry
        self.package = Package(
            file_name=path.name, sha256="", source_unit=manifest["source_unit"],
            counties=manifest["counties"], package_date=manifest["package_date"],
            tiers_version=manifest["tiers_version"],
            schema_revision=manifest["schema_revision"], tables={},
            history=manifest["history"])
        self._ahead: dict[str, Future[tuple[bytes, str]]] = {}
        self._firm_codes: set[str] = set()

    def rows_declared(self, spec: TableSpec) -> int:
        """The table's rows as the manifest gives them (the table, once read, has as many)."""
        rows = self.entries[spec.name].get("rows")
        return rows if isinstance(rows, int) and rows > 0 else 0

    def tables(self, specs: Sequence[TableSpec] = READ_ORDER) -> Iterator[TableSpec]:
        """Each of ``specs``, read, checked and added to the package first if it has not
        been read yet (the firms' before any other)."""
        for spec in specs:
            if spec.name not in self.package.tables:
                if spec is not ENTERPRISES:
                    self.read_firms()
                self._read(spec)
            yield spec

    def _read(self, spec: TableSpec) -> None:
        for _ in self.table_parts(spec):
            pass

    def table_parts(self, spec: TableSpec) -> Iterator[TableRows]:
        """The table read a slice of rows at a time (csv_columns.column_slices), each slice
        yielded as a TableRows of its own once its cells and its records' firms are checked;
        after the last, the whole table is in ``package`` (the manifest's row count checked
        then: a fault found after some slices were taken still refuses the package, and
        the import that wrote them rolls back). A table read already: the whole of it, as
        one part. An import writes each slice while the next is read: a table taken whole
        kept the writer waiting the whole of its reading (300k rows of annual figures: a
        second idle on the import's longest path)."""
        if spec.name in self.package.tables:
            yield self.package.tables[spec.name]
            return
        if spec is not ENTERPRISES:
            self.read_firms()
        data, digest = self._unpacking(spec).result()
        del self._ahead[spec.name]
        following = [other for other in READ_ORDER if other.name not in self.package.tables
                     and other is not spec]
        if following:
            self._unpacking(following[0])
        if digest != self.entries[spec.name].get("sha256"):
            raise PackageRefused(f"数据包中 {spec.member} 的校验值与清单不符："
                                 "文件已损坏或被改动过，请向报送单位重新索取")
        parts = _table_parts(spec, data, expected_rows=self.entries[spec.name].get("rows"))
        del data
        while True:
            with paused_gc():  # (see tiers.progress: a third of the time otherwise)
                try:
                    first, part = next(parts)
                except StopIteration as read:
                    table: TableRows = read.value
                    break
                if spec is not ENTERPRISES:
                    _check_records(spec, part, self._firm_codes, first=first)
            yield part
        self.package.tables[spec.name] = table
        if spec is ENTERPRISES:
            _check_firms(self.package)
            self._firm_codes = set(table.codes)
            self.package.sha256 = self.whole.result()

    def read_firms(self) -> None:
        """The firms' table, if not read yet."""
        if ENTERPRISES.name not in self.package.tables:
            self._read(ENTERPRISES)

    def read_all(self) -> Package:
        for _ in self.tables():
            pass
        return self.package

    def _unpacking(self, spec: TableSpec) -> Future[tuple[bytes, str]]:
        if spec.name not in self._ahead:
            self._ahead[spec.name] = self.pool.submit(unpacked, self.archive,
                                                      self.infos[spec.member])
        return self._ahead[spec.name]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _table_parts(spec: TableSpec, data: bytes, *, expected_rows: Any
                 ) -> Generator[tuple[int, TableRows], None, TableRows]:
    """The table's rows a slice at a time, each with its cells checked and made values:
    (the number of its first row as a spreadsheet shows it, the slice as a TableRows); the
    whole table at the end, of the slices as they are after the caller had them (a firm's
    code written another way folded by _check_records)."""
    where = spec.member
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageRefused(f"数据包中的 {where} 不是 UTF-8 编码") from exc
    plain = plain_cells(text)
    lines: list[str] = []
    if plain is not None:
        header, lines = plain
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = tuple(next(reader, ()))
    known = spec.columns()
    for index, name in enumerate(header):
        if name not in known or header.index(name) != index:
            raise PackageRefused(f"{where} 第 1 行第 {_column_letter(index)} 列“{name}”"
                                 "不是这张表的列（或重复）")
    model_columns = spec.model.__table__.columns
    # the key, and every column a record cannot be without that has no default to fill it
    # (扶持措施's status: none is assumed 已兑现)
    required = [name for name in known if name != "credit_code"
                and not model_columns[name].nullable and model_columns[name].default is None
                and model_columns[name].server_default is None]
    for needed in dict.fromkeys(("credit_code", *spec.key, *required)):
        if needed not in header:
            raise PackageRefused(f"{where} 缺少“{needed}”列")
    # whole columns at a time (a cell at a time cost 1.2 s on 100k firms' records); the
    # firms' credit codes are checked in full, the records' are looked up among them
    readers: list[Any] = [
        _credit_codes if name == "credit_code" and spec is ENTERPRISES
        else (lambda cells: cells) if name == "credit_code"
        else column_reader(model_columns[name]) for name in header]
    width = len(header)
    slices: Iterable[tuple[int, list[list[str]]]]
    if plain is not None and plain_rows(lines, width):
        # a slice of rows at a time (csv_columns.column_slices: the GIL let go between
        # slices, for the writer of the tables read before)
        count, slices = len(lines) - 1, column_slices(lines, width)
    else:  # quotes, odd rows or line ends: the csv module, which also says where
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader, None)
        count, cells_by_column = _csv_columns(reader, where, width)
        if "\x00" in text:  # (the csv module takes it; no server stores it: refused here)
            _refuse_nul(where, header, cells_by_column)
        slices = [(2, cells_by_column)]
    # the table's text again, twice over: the slices' cells hold it now (review: `del
    # plain` alone freed nothing while `lines` held every line)
    del plain, lines
    text = ""
    # the rows counted before any is taken: a table cut short is refused before it is written
    if type(expected_rows) is not int or expected_rows < 0:
        raise PackageRefused(f"数据包清单中 {where} 的行数无效或缺失"
                             f"（{str(expected_rows)[:20]}）：清单已损坏或被改动过，请向报送单位重新索取")
    if expected_rows != count:
        raise PackageRefused(f"{where} 有 {count} 行，与清单所记的 {expected_rows} 行不符")
    held = {name: made for name in header if name != "credit_code"
            and (made := held_value(model_columns[name])) is not None}
    pieces: list[list[Sequence[Any]]] = [[] for _ in range(width)]
    for first, columns in slices:
        read: list[Sequence[Any]] = []
        for index, cells in enumerate(columns):
            try:
                read.append(readers[index](cells))
            except (CellError, credit_code.CreditCodeError):
                _refuse_cell(where, header, index, cells, readers[index], first=first)
        part = TableRows(spec=spec, columns=header, values=dict(zip(header, read, strict=True)),
                         count=len(read[0]), held=held)
        del read
        yield first, part
        for index, name in enumerate(header):
            pieces[index].append(part.values[name])
        del part
    values = {name: joined_column(piece) for name, piece in zip(header, pieces, strict=True)}
    del pieces
    return TableRows(spec=spec, columns=header, values=values, count=count, held=held)


def _csv_columns(reader: Any, where: str, width: int) -> tuple[int, list[list[str]]]:
    """The rows the csv module reads, checked to be ``width`` cells long, by column."""
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise PackageRefused(f"{where} 第 {reader.line_num} 行无法按 CSV 读取") from exc
    if rows and set(map(len, rows)) != {width}:
        for number, row in enumerate(rows, start=2):
            if len(row) != width:
                raise PackageRefused(
                    f"{where} 第 {number} 行有 {len(row)} 个单元格，表头有 {width} 列")
    return len(rows), by_column(rows, width)


def _refuse_nul(where: str, header: tuple[str, ...], columns: list[list[str]]) -> None:
    """The first cell holding a NUL character, told with its row and column: SQLite would
    keep it and PostgreSQL refuses it (a program error at the city, before this)."""
    for number, row in enumerate(zip(*columns, strict=True), start=2):
        for index, cell in enumerate(row):
            if "\x00" in cell:
                raise PackageRefused(
                    f"{where} 第 {number} 行第 {_column_letter(index)} 列（{header[index]}）"
                    "含有空字符（NUL，一种看不见的控制字符），数据库不能保存：请报送单位在其"
                    "数据库中改正这一项后重新导出数据包")
    raise PackageRefused(f"{where} 含有空字符（NUL），数据库不能保存")


def _credit_codes(cells: Sequence[str]) -> list[str]:
    """The firms' codes checked a column at a time (credit_code.valid_codes, in C loops);
    validate() only for those it leaves to it (to fold, or to say what is wrong)."""
    codes = credit_code.valid_codes(list(cells))
    if None in codes:
        return [credit_code.validate(text) if code is None else code
                for text, code in zip(cells, codes, strict=True)]
    return codes


def _refuse_cell(where: str, header: tuple[str, ...], index: int, cells: Sequence[str],
                 read: Any, *, first: int = 2) -> None:
    """The first cell of the column its reader refuses, told with its row and column
    (``first``: the row of cells[0] as a spreadsheet numbers it, the header being row 1)."""
    for number, cell in enumerate(cells, start=first):
        try:
            read([cell])
        except (CellError, credit_code.CreditCodeError) as exc:
            raise PackageRefused(
                f"{where} 第 {number} 行第 {_column_letter(index)} 列（{header[index]}）的"
                f"“{cell[:50]}”无效：{exc}") from exc
    raise PackageRefused(f"{where} 第 {_column_letter(index)} 列（{header[index]}）无效")


def _check_firms(package: Package) -> None:
    """Every firm once; every firm's county listed. Checked with sets over the columns; the
    rows are walked only to say which one is wrong."""
    firms = package.table(ENTERPRISES)
    if len(set(firms.codes)) < firms.count:
        seen: set[str] = set()
        for number, code in enumerate(firms.codes, start=2):
            if code in seen:
                raise PackageRefused(f"{ENTERPRISES.member} 第 {number} 行：信用代码 {code} 出现了两次")
            seen.add(code)
    listed = package.county_codes
    counties = firms.values.get("county_code", [None] * firms.count)
    if not {county or "" for county in set(counties)} <= listed:
        for number, county in enumerate(counties, start=2):
            if (county or "") not in listed:
                raise PackageRefused(f"{ENTERPRISES.member} 第 {number} 行：区县 "
                                     f"{county or '（空）'} 不在清单的区县中")


def _check_records(spec: TableSpec, records: TableRows, codes: set[str], *, first: int = 2
                   ) -> None:
    """Every record's firm is in the package (``codes``: its firms' credit codes); ``first``:
    the number of the first of ``records`` (a slice of the table) as a spreadsheet shows it."""
    if set(records.codes) <= codes:
        return
    # a code written another way (lower case, spaces: a package edited by hand) is its
    # firm's code, as it is in enterprises.csv; anything else is no firm of the package
    folded = list(records.codes)
    for number, code in enumerate(records.codes, start=first):
        if code not in codes:
            same = _same_code(code)
            if same not in codes:
                raise PackageRefused(f"{spec.member} 第 {number} 行：信用代码 {code} "
                                     "不是数据包中的企业")
            folded[number - first] = same
    records.values["credit_code"] = folded


def _same_code(text: str) -> str | None:
    """The credit code ``text`` is, folded as the firms' codes are (None: not one)."""
    try:
        return credit_code.validate(text)
    except credit_code.CreditCodeError:
        return None
