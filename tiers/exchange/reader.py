"""Reading an exchange package, trusting nothing in it: the zip's member names and sizes
(a member path with ``../``, a zip bomb), the manifest's format and schema version, each
member's SHA-256, every table present, every cell a value of its column. Any fault refuses
the whole package with one Chinese sentence saying what and where; nothing is written
before the package has been read whole."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from tiers.errors import InvalidInput
from tiers.exchange.csv_columns import by_column, plain_cells, split_columns
from tiers.exchange.format import (
    ENTERPRISES,
    FORMAT_NAME,
    FORMAT_VERSION,
    MANIFEST,
    TABLES,
    CellError,
    TableSpec,
    column_reader,
    held_value,
)
from tiers.model import credit_code
from tiers.progress import paused_gc
from tiers.storage.schema import known_revisions

# caps on what a package may unpack to: far above a county's real data (100k firms with
# their records unpack to about 60 MB), far below what would fill a disk or the memory
MAX_MEMBER_BYTES = 1 << 30
MAX_TOTAL_BYTES = 2 << 30
MAX_MANIFEST_BYTES = 1 << 20
MAX_RATIO = 200  # uncompressed / compressed, for members above RATIO_FROM bytes
RATIO_FROM = 1 << 20
MAX_MEMBERS = 64
FUTURE_TOLERANCE = dt.timedelta(days=1)  # two computers' clocks, a time zone apart at most
_READ_CHUNK = 1 << 20


class PackageRefused(InvalidInput):
    """The package is broken, hostile or not a package; nothing has been written."""


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
        return {name: table.count for name, table in self.tables.items()}


def read_package(path: Path | str) -> Package:
    """The package in the file, read whole and checked; raises PackageRefused."""
    path = Path(path)
    with path.open("rb"):  # OSError (missing, no rights) is the caller's to tell
        pass
    if not zipfile.is_zipfile(path):
        raise PackageRefused(f"“{path.name}”不是数据包（不是 zip 文件）")
    # the file's checksum and each member's unpacking and checksum on threads of their own
    # (zlib and hashlib let go of the GIL), the next member while this one is read: 0.4 s
    # of a 100k-firm package's reading taken off the thread that parses the tables
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="tiers-package") as pool:
        whole = pool.submit(_file_digest, path)
        try:
            with zipfile.ZipFile(path) as archive:
                infos = _checked_members(archive)
                manifest = _manifest(archive, infos)
                tables = _tables(pool, archive, infos, manifest)
        except zipfile.BadZipFile as exc:
            raise PackageRefused(f"数据包已损坏，无法解压：{path.name}") from exc
        sha256 = whole.result()
    package = Package(
        file_name=path.name, sha256=sha256, source_unit=manifest["source_unit"],
        counties=manifest["counties"], package_date=manifest["package_date"],
        tiers_version=manifest["tiers_version"], schema_revision=manifest["schema_revision"],
        tables=tables)
    _check_links(package)
    return package


def _file_digest(path: Path) -> str:
    whole = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_READ_CHUNK), b""):
            whole.update(chunk)
    return whole.hexdigest()


def _unpacked(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, str]:
    data = _member_bytes(archive, info)
    return data, hashlib.sha256(data).hexdigest()


def _tables(pool: ThreadPoolExecutor, archive: zipfile.ZipFile,
            infos: dict[str, zipfile.ZipInfo], manifest: dict[str, Any]) -> dict[str, TableRows]:
    """Every table of the package, in order, each member unpacked (on the pool) while
    the one before it is read; only this thread reads the archive meanwhile."""
    tables = {}
    ahead: Future[tuple[bytes, str]] | None = None
    for position, spec in enumerate(TABLES):
        entry = manifest["tables"].get(spec.name)
        if not isinstance(entry, dict) or spec.member not in infos:
            raise PackageRefused(f"数据包不完整：缺少“{spec.label}”表（{spec.member}）")
        unpacking = ahead or pool.submit(_unpacked, archive, infos[spec.member])
        data, digest = unpacking.result()
        following = TABLES[position + 1].member if position + 1 < len(TABLES) else None
        ahead = (pool.submit(_unpacked, archive, infos[following])
                 if following in infos else None)
        if digest != entry.get("sha256"):
            raise PackageRefused(f"数据包中 {spec.member} 的校验值与清单不符："
                                 "文件已损坏或被改动过，请向报送单位重新索取")
        with paused_gc():  # (see tiers.progress: a third of the time otherwise)
            tables[spec.name] = _table(spec, data, expected_rows=entry.get("rows"))
        del data
    return tables


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise PackageRefused(f"数据包中的文件过多（{len(infos)} 个），不是 Tiers 的数据包")
    total = 0
    members: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if (name.startswith(("/", "\\")) or ".." in parts or ":" in name
                or not parts):
            raise PackageRefused(f"数据包中有不安全的文件路径“{name}”，已拒绝")
        if info.file_size > MAX_MEMBER_BYTES or (
                info.file_size > RATIO_FROM
                and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
            raise PackageRefused(f"数据包中的 {name} 解压后过大（声称 {info.file_size} 字节），"
                                 "疑似压缩炸弹，已拒绝")
        total += info.file_size
        # a second member of the same name (letter case aside: Windows unpacks both to one
        # file) would be read in place of the one a person inspecting the zip sees
        if name.casefold() in seen:
            raise PackageRefused(f"数据包中“{name}”出现了两次，无法确定以哪一个为准，已拒绝")
        seen.add(name.casefold())
        members[name] = info
    if total > MAX_TOTAL_BYTES:
        raise PackageRefused(f"数据包解压后过大（共 {total} 字节），疑似压缩炸弹，已拒绝")
    return members


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                  limit: int = MAX_MEMBER_BYTES) -> bytes:
    """The member's bytes, never more than it declares (a forged size is a bomb too)."""
    allowed = min(info.file_size, limit)
    parts = []
    read = 0
    with archive.open(info) as member:
        while chunk := member.read(min(_READ_CHUNK, allowed - read + 1)):
            read += len(chunk)
            if read > allowed:
                raise PackageRefused(f"数据包中的 {info.filename} 解压后超过声称的大小，"
                                     "疑似压缩炸弹，已拒绝")
            parts.append(chunk)
    return b"".join(parts)


def _manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    if MANIFEST not in infos:
        raise PackageRefused(f"不是 Tiers 数据包：缺少清单 {MANIFEST}")
    data = _member_bytes(archive, infos[MANIFEST], MAX_MANIFEST_BYTES)  # (its own refusal)
    try:
        manifest = json.loads(data)
    except (ValueError, RecursionError) as exc:  # not UTF-8 or JSON; a number of thousands
        # of digits (ValueError too); arrays nested thousands deep (RecursionError)
        raise PackageRefused(f"数据包的清单 {MANIFEST} 无法读取（不是 UTF-8 的 JSON）") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise PackageRefused(f"不是 Tiers 数据包：清单中的格式名不是 {FORMAT_NAME}")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PackageRefused("数据包的格式版本无法识别")
    if version > FORMAT_VERSION:
        raise PackageRefused(f"数据包由较新版本的 Tiers 写出（格式版本 {version}，本程序只认识到 "
                             f"{FORMAT_VERSION}），请先升级 Tiers")
    revision = manifest.get("schema_revision")
    if revision not in known_revisions():
        raise PackageRefused(f"数据包由较新版本的 Tiers 写出（数据库版本 {revision}），"
                             "本程序不认识，请先升级 Tiers")
    try:
        manifest["package_date"] = dt.datetime.fromisoformat(str(manifest.get("package_date")))
    except ValueError as exc:
        raise PackageRefused("数据包清单中的报送时间无法识别") from exc
    sent = manifest["package_date"]
    if sent.replace(tzinfo=None) > dt.datetime.now() + FUTURE_TOLERANCE:
        # taken in, it would stand as the county's newest package, and every real one
        # after it would be refused as older
        raise PackageRefused(f"数据包的报送时间 {sent:%Y-%m-%d %H:%M} 晚于本机当前时间：报送单位"
                             "电脑的日期可能有误，请其核对日期后重新导出数据包")
    counties = manifest.get("counties")
    if not isinstance(counties, list) or not all(
            isinstance(c, dict) and isinstance(c.get("code"), str)
            and isinstance(c.get("name"), str) for c in counties):
        raise PackageRefused("数据包清单中的区县列表无法识别")
    if not isinstance(manifest.get("tables"), dict):
        raise PackageRefused("数据包清单中缺少各表的清单")
    manifest["source_unit"] = str(manifest.get("source_unit") or "")[:200]
    manifest["tiers_version"] = str(manifest.get("tiers_version") or "")[:30]
    return manifest


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _table(spec: TableSpec, data: bytes, *, expected_rows: Any) -> TableRows:
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
    for needed in ("credit_code", *spec.key):
        if needed not in header:
            raise PackageRefused(f"{where} 缺少“{needed}”列")
    model_columns = spec.model.__table__.columns
    # whole columns at a time (a cell at a time cost 1.2 s on 100k firms' records); the
    # firms' credit codes are checked in full, the records' are looked up among them
    readers: list[Any] = [
        _credit_codes if name == "credit_code" and spec is ENTERPRISES
        else (lambda cells: cells) if name == "credit_code"
        else column_reader(model_columns[name]) for name in header]
    width = len(header)
    split = None if plain is None else split_columns(lines, width)
    # the table's text again, twice over: the split's cells hold it now (review: `del
    # plain` alone freed nothing while `lines` held every line)
    del plain, lines
    if split is not None:
        text = ""
        count, cells_by_column = split
    else:  # quotes, odd rows or line ends: the csv module, which also says where
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader, None)
        count, cells_by_column = _csv_columns(reader, where, width)
    values: dict[str, Sequence[Any]] = {}
    for index, cells in enumerate(cells_by_column):
        try:
            values[header[index]] = readers[index](cells)
        except (CellError, credit_code.CreditCodeError):
            _refuse_cell(where, header, index, cells, readers[index])
    if expected_rows != count:
        raise PackageRefused(f"{where} 有 {count} 行，与清单所记的 {expected_rows} 行不符")
    held = {name: made for name in header if name != "credit_code"
            and (made := held_value(model_columns[name])) is not None}
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


def _credit_codes(cells: Sequence[str]) -> list[str]:
    """The firms' codes checked a column at a time (credit_code.valid_codes, in C loops);
    validate() only for those it leaves to it (to fold, or to say what is wrong)."""
    codes = credit_code.valid_codes(list(cells))
    if None in codes:
        return [credit_code.validate(text) if code is None else code
                for text, code in zip(cells, codes, strict=True)]
    return codes


def _refuse_cell(where: str, header: tuple[str, ...], index: int, cells: Sequence[str],
                 read: Any) -> None:
    """The first cell of the column its reader refuses, told with its row and column."""
    for number, cell in enumerate(cells, start=2):
        try:
            read([cell])
        except (CellError, credit_code.CreditCodeError) as exc:
            raise PackageRefused(
                f"{where} 第 {number} 行第 {_column_letter(index)} 列（{header[index]}）的"
                f"“{cell[:50]}”无效：{exc}") from exc
    raise PackageRefused(f"{where} 第 {_column_letter(index)} 列（{header[index]}）无效")


def _check_links(package: Package) -> None:
    """Every record's firm is in the package, once; every firm's county is listed. Checked
    with sets over the columns; the rows are walked only to say which one is wrong."""
    firms = package.table(ENTERPRISES)
    codes = set(firms.codes)
    if len(codes) < firms.count:
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
    for spec in TABLES[1:]:
        records = package.table(spec)
        if set(records.codes) <= codes:
            continue
        # a code written another way (lower case, spaces: a package edited by hand) is its
        # firm's code, as it is in enterprises.csv; anything else is no firm of the package
        folded = list(records.codes)
        for number, code in enumerate(records.codes, start=2):
            if code not in codes:
                same = _same_code(code)
                if same not in codes:
                    raise PackageRefused(f"{spec.member} 第 {number} 行：信用代码 {code} "
                                         "不是数据包中的企业")
                folded[number - 2] = same
        records.values["credit_code"] = folded


def _same_code(text: str) -> str | None:
    """The credit code ``text`` is, folded as the firms' codes are (None: not one)."""
    try:
        return credit_code.validate(text)
    except credit_code.CreditCodeError:
        return None
