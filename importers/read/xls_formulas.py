"""The formula cells of a legacy .xls (BIFF8) sheet whose saved value cannot be trusted.

An .xls formula record always holds a value (8 bytes), so the .xlsx test (no <v>) has no
counterpart; python-calamine reads that value and does not say the cell was a formula. What
tells a value that was never calculated:

- Apache POI (behind many web systems) writes a new formula with the value 0 and the flag
  "calculate on open" (bit 1 of the record's options, which Excel never sets: MS-XLS names
  it reserved, must be zero): read, a year =2000+25 is 0, an amount is 0. Such a cell is
  noted — a POI program that did calculate before saving leaves the flag but a value other
  than 0, and is not; one whose calculated result is 0 (an amount of 0) cannot be told from
  a value never calculated and is noted too: opened and saved in Excel or WPS (what the
  message asks), the file has its values and no flag.
- xlwt writes every formula's value as an empty text, with no flag: read, the cell is
  blank. Excel writes the same bytes for a formula whose result is an empty text (=IF(…,"",
  …), common in rosters), so this cannot be told reliably and is not refused.

Only the file's directory (MS-CFB) and the chosen sheet's records are read; a file without
any candidate record (the common case) is settled by one bytes search.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from importers.read.extent import column_letters

FORMULA, BOUNDSHEET, EOF = 0x0006, 0x0085, 0x000A
CALCULATE_ON_OPEN = 0x0002
_END_OF_CHAIN = 0xFFFFFFFA  # this and above: free, end of chain, FAT or DIFAT sector
# a formula record (id 6, its length, row, column, format) with the value 0 (eight zero
# bytes) and then its options: a candidate only; the records are walked to be sure
_CANDIDATE = re.compile(rb"\x06\x00[\s\S]{8}\x00{8}([\s\S])")


def unvalued_formulas(path: str | Path, sheet: str) -> dict[str, str]:
    """The cells of ``sheet`` (as Excel names them: "C2") holding a formula whose value
    was never calculated (POI's), → "" (the formula's text is not decoded). Empty when the
    file's structure cannot be followed: calamine then says what is wrong with it."""
    data = Path(path).read_bytes()
    if not any(match[1][0] & CALCULATE_ON_OPEN for match in _CANDIDATE.finditer(data)):
        return {}
    try:
        stream = _workbook_stream(data)
        if stream is None:
            return {}
        offset = _sheet_offsets(stream).get(sheet)
        return {} if offset is None else _noted(stream, offset)
    except (struct.error, IndexError, ValueError):
        return {}


def _records(stream: bytes, offset: int):
    """(record id, its data) from ``offset`` to the end of the substream."""
    while offset + 4 <= len(stream):
        record, size = struct.unpack_from("<HH", stream, offset)
        yield record, stream[offset + 4:offset + 4 + size]
        if record == EOF:
            return
        offset += 4 + size


def _sheet_offsets(stream: bytes) -> dict[str, int]:
    """Each worksheet's name → where its records start (the globals' BOUNDSHEET records)."""
    offsets = {}
    for record, body in _records(stream, 0):
        if record == BOUNDSHEET and len(body) >= 8:
            position, length, options = struct.unpack_from("<IxxBB", body)
            raw = body[8:8 + length * (2 if options & 1 else 1)]
            offsets[raw.decode("utf-16-le" if options & 1 else "latin-1")] = position
    return offsets


def _noted(stream: bytes, offset: int) -> dict[str, str]:
    noted = {}
    for record, body in _records(stream, offset):
        if record == FORMULA and len(body) >= 16:
            row, column = struct.unpack_from("<HH", body)
            (options,) = struct.unpack_from("<H", body, 14)
            if options & CALCULATE_ON_OPEN and body[6:14] == bytes(8):
                noted[f"{column_letters(column + 1)}{row + 1}"] = ""
    return noted


def _workbook_stream(data: bytes) -> bytes | None:
    """The Workbook (or Book) stream of an OLE2 compound file, from its FAT or, when small,
    its mini stream."""
    sector_size = 1 << min(struct.unpack_from("<H", data, 30)[0], 16)
    mini_size = 1 << min(struct.unpack_from("<H", data, 32)[0], 16)
    if sector_size not in (512, 4096) or mini_size != 64:
        return None  # (as ole_stream_names found it when the file was opened)
    (directory_start, cutoff, mini_fat_start, _mini_fat_count, difat_start,
     difat_count) = struct.unpack_from("<I4xIIIII", data, 48)

    def sector(number: int) -> bytes:
        start = (number + 1) * sector_size
        if start + sector_size > len(data):
            raise ValueError("sector beyond the file")
        return data[start:start + sector_size]

    fat_sectors = list(struct.unpack_from("<109I", data, 76))
    seen: set[int] = set()
    while difat_count and difat_start < _END_OF_CHAIN and difat_start not in seen:
        seen.add(difat_start)
        entries = struct.unpack(f"<{sector_size // 4}I", sector(difat_start))
        fat_sectors += entries[:-1]
        difat_start, difat_count = entries[-1], difat_count - 1
    fat: list[int] = []
    for number in fat_sectors:
        if number < _END_OF_CHAIN:
            fat += struct.unpack(f"<{sector_size // 4}I", sector(number))

    def chain(start: int, table: list[int], read) -> bytes:
        parts, seen_here = [], set()
        while start < _END_OF_CHAIN:
            if start in seen_here or start >= len(table):
                raise ValueError("a broken chain")
            seen_here.add(start)
            parts.append(read(start))
            start = table[start]
        return b"".join(parts)

    directory = chain(directory_start, fat, sector)
    entries = [directory[i:i + 128] for i in range(0, len(directory), 128)]
    root = entries[0]
    for entry in entries:
        length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[:max(length - 2, 0)].decode("utf-16-le", "replace").lower()
        if name in ("workbook", "book") and entry[66] == 2:  # a stream
            start, size = struct.unpack_from("<II", entry, 116)
            if size >= cutoff:
                return chain(start, fat, sector)[:size]
            raw = chain(mini_fat_start, fat, sector)
            mini_fat = list(struct.unpack(f"<{len(raw) // 4}I", raw))
            container = chain(struct.unpack_from("<I", root, 116)[0], fat, sector)
            return chain(start, mini_fat, lambda n, inside=container:
                         inside[n * mini_size:(n + 1) * mini_size])[:size]
    return None
