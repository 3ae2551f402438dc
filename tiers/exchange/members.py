"""The zip of an exchange package, trusting nothing in it: its member names and sizes (a
member path with ``../``, a zip bomb, a forged size), the manifest's format, schema version,
date and counties, and each member's bytes with their SHA-256. Any fault refuses the whole
package (PackageRefused) with one Chinese sentence saying what and where."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from tiers.errors import InvalidInput
from tiers.exchange.format import FORMAT_NAME, FORMAT_VERSION, MANIFEST
from tiers.model.orm import ExchangePackageCounty
from tiers.model.reference import division
from tiers.storage.schema import known_revisions

# caps on what a package may unpack to: far above a county's real data (100k firms with
# their records unpack to about 100 MB), far below what would fill a disk or the memory
MAX_MEMBER_BYTES = 1 << 30
MAX_TOTAL_BYTES = 2 << 30
MAX_MANIFEST_BYTES = 1 << 20
MAX_RATIO = 200  # uncompressed / compressed, for members above RATIO_FROM bytes
RATIO_FROM = 1 << 20
MAX_MEMBERS = 64
FUTURE_TOLERANCE = dt.timedelta(days=1)  # two computers' clocks, a time zone apart at most
EARLIEST_YEAR = 2000  # no package is older: a date before it is a computer's wrong clock
_READ_CHUNK = 1 << 20
# what exchange_package_county (报送情况) holds of each county the manifest lists
COUNTY_CODE_LENGTH = ExchangePackageCounty.__table__.c.county_code.type.length
COUNTY_NAME_LENGTH = ExchangePackageCounty.__table__.c.county_name.type.length


class PackageRefused(InvalidInput):
    """The package is broken, hostile or not a package; nothing has been written."""


# what an officer picks by mistake instead of a package: a roster or a Tiers report (each
# face adds where lists are imported: hint_field "lists"), or a copy cut short
WORKBOOK_MEMBERS = ("xl/workbook.xml", "xl/workbook.bin", "content.xml")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".ods")
ZIP_START, OLE_START = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WHAT_A_PACKAGE_IS = "数据包是报送单位用 Tiers 导出的 .zip 文件。"


def not_a_zip(path: Path) -> PackageRefused:
    """Why a file that is no zip is no package, said as the officer can act on it: a
    package cut short in copying (its start is a zip's, its directory at the end is gone)
    is not a wrong file but a broken one; an .xls is a list, not a package."""
    with path.open("rb") as handle:
        start = handle.read(len(OLE_START))
    if start.startswith(ZIP_START) and path.suffix.lower() in WORKBOOK_SUFFIXES:
        return PackageRefused(f"“{path.name}”是 Excel 工作簿（名单或报表），不是数据包，"
                              "而且已损坏或不完整（可能是拷贝或下载时中断）。", hint_field="lists")
    if start.startswith(ZIP_START):
        return PackageRefused(f"“{path.name}”已损坏或不完整：文件的结尾缺失，可能是拷贝或下载时中断。"
                              "请重新拷贝，或请报送单位重新导出数据包。")
    if start == OLE_START:
        return PackageRefused(f"“{path.name}”是 Excel 工作簿（.xls），不是数据包。",
                              hint_field="lists")
    return PackageRefused(f"“{path.name}”不是数据包（不是 zip 文件）。{WHAT_A_PACKAGE_IS}")


def file_digest(path: Path) -> str:
    whole = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_READ_CHUNK), b""):
            whole.update(chunk)
    return whole.hexdigest()


def unpacked(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes, str]:
    data = member_bytes(archive, info)
    return data, hashlib.sha256(data).hexdigest()


def checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
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


def member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
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


def refuse_workbook(archive: zipfile.ZipFile, file_name: str = "") -> None:
    """An .xlsx or .ods is a zip too: told as the workbook it is before any check of a
    package's (a workbook of 80 sheets was refused as a package of too many files)."""
    names = set(archive.namelist())
    if MANIFEST not in names and any(name in names for name in WORKBOOK_MEMBERS):
        named = f"“{file_name}”" if file_name else "这个文件"
        raise PackageRefused(f"{named}是 Excel 工作簿（名单或报表），不是数据包。",
                             hint_field="lists")


def manifest_of(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], *,
                file_name: str = "") -> dict[str, Any]:
    if MANIFEST not in infos:
        named = f"“{file_name}”" if file_name else "这个文件"
        raise PackageRefused(f"{named}不是 Tiers 数据包（缺少数据包的清单文件 {MANIFEST}）。"
                             f"{WHAT_A_PACKAGE_IS}")
    data = member_bytes(archive, infos[MANIFEST], MAX_MANIFEST_BYTES)  # (its own refusal)
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
    sent = manifest["package_date"] = _package_date(manifest.get("package_date"))
    if sent > dt.datetime.now() + FUTURE_TOLERANCE:
        # taken in, it would stand as the county's newest package, and every real one
        # after it would be refused as older
        raise PackageRefused(f"数据包的报送时间 {sent:%Y-%m-%d %H:%M} 晚于本机当前时间：报送单位"
                             "电脑的日期可能有误，请其核对日期后重新导出数据包")
    counties = manifest.get("counties")
    if not isinstance(counties, list) or not all(
            isinstance(c, dict) and isinstance(c.get("code"), str)
            and isinstance(c.get("name"), str) for c in counties):
        raise PackageRefused("数据包清单中的区县列表无法识别")
    _check_counties(counties)
    if not isinstance(manifest.get("tables"), dict):
        raise PackageRefused("数据包清单中缺少各表的清单")
    manifest["history"] = _history(manifest.get("history"))
    manifest["source_unit"] = str(manifest.get("source_unit") or "")[:200]
    manifest["tiers_version"] = str(manifest.get("tiers_version") or "")[:30]
    return manifest


def _history(history: Any) -> tuple[int, dt.datetime | None, dt.datetime | None] | None:
    """The changes of the package's firms where it was written: how many, the first and
    the last. None when not given or not readable (another program's package): only a
    hint, never a reason to refuse."""
    if not isinstance(history, dict):
        return None
    changes, times = history.get("changes"), []
    if not isinstance(changes, int) or isinstance(changes, bool):
        return None
    for key in ("first", "last"):
        value = history.get(key)
        try:
            times.append(dt.datetime.fromisoformat(value) if isinstance(value, str) else None)
        except ValueError:
            return None
    return changes, times[0], times[1]


def _package_date(written: Any) -> dt.datetime:
    """The manifest's package_date as this computer's time (naive, as Tiers writes and
    stores its own), refused unless it can be a real package's: no year before EARLIEST
    (year 1 or 9999 with a UTC offset overflowed the conversion to this computer's time,
    OverflowError; on Windows a moment before 1970 raises OSError there)."""
    text = str(written)
    try:
        sent = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise PackageRefused(f"数据包清单 {MANIFEST} 中的报送时间（package_date）"
                             f"“{text[:40]}”无法识别") from exc
    if sent.year < EARLIEST_YEAR:
        raise PackageRefused(f"数据包清单 {MANIFEST} 中的报送时间（package_date）“{text[:40]}”"
                             f"早于 {EARLIEST_YEAR} 年，不是真实的报送时间：报送单位电脑的日期"
                             "可能有误，请其核对日期后重新导出数据包")
    if sent.tzinfo is None:
        return sent
    # ISO 8601 with a UTC offset (another program's package): the moment in this
    # computer's time, as Tiers writes and stores its own. Kept aware, it crashed the
    # comparison with the county's last package (TypeError) on the receipt-only path
    try:
        return sent.astimezone().replace(tzinfo=None)
    except (OverflowError, OSError) as exc:  # past year 9999 once moved to UTC
        raise PackageRefused(f"数据包清单 {MANIFEST} 中的报送时间（package_date）"
                             f"“{text[:40]}”超出了日期的范围，不是真实的报送时间：报送单位电脑"
                             "的日期可能有误，请其核对日期后重新导出数据包") from exc


def _check_counties(counties: list[dict[str, Any]]) -> None:
    """Each county once, with a code a firm's county can hold (a firm without one is listed
    under ""); its name cut to what the database keeps. A county given twice was recorded
    as sent twice by one package; a code or name longer than the columns stopped the
    import on a server with an internal error (the same package went in on SQLite)."""
    seen: set[str] = set()
    for county in counties:
        code = county["code"]
        if len(code) > COUNTY_CODE_LENGTH:
            raise PackageRefused(f"数据包清单中的区县代码“{code[:20]}”不是区县代码"
                                 f"（行政区划代码为 {COUNTY_CODE_LENGTH} 位），已拒绝")
        if code and not _a_county(code):
            # a firm's county is a county-level division or none (services.enterprises):
            # a package of a county no table here knows cannot be told apart from a typo
            raise PackageRefused(f"数据包清单中的区县代码“{code}”不是区县代码（不是江苏省的"
                                 "县级行政区划代码），已拒绝")
        if code in seen:
            raise PackageRefused(f"数据包清单中的区县 {code or '（空）'} 出现了两次，已拒绝")
        seen.add(code)
        county["name"] = county["name"][:COUNTY_NAME_LENGTH]


def _a_county(code: str) -> bool:
    """Whether the code is a county-level division (current or since replaced) of
    resources/divisions.csv."""
    found = division(code)
    return found is not None and found.level == "县级"
