"""A CSV/TXT roster as rows of text: decoded (UTF-8 with or without BOM, UTF-16 with BOM,
GBK/GB18030) and split on the delimiter it uses (comma, tab, semicolon, bar)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from importers.errors import ImportRefused

# Excel's and WPS's widest sheet (XFD): a line split into more is no roster but a file cut
# on the wrong character or no list at all (one of 100,000 columns, or 1 MB without a line
# break, spent 10 s finding no header, a second per 20 column labels: refused at once now)
MAX_COLUMNS = 16_384
DELIMITER_NAMES = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}


class NotText(ImportRefused):
    """The bytes are not text in any encoding read here (binary content, or neither UTF-8
    nor GBK): each reader of a text file says so in its own words."""


def read_text(data: bytes, name: str) -> tuple[list[list[Any]], str, str]:
    """Decode a CSV/TXT roster and split it into rows; returns (rows, encoding, delimiter)."""
    text, encoding = decode_text(data, name)
    sample = text[:65536]
    delimiter = _sniff_delimiter(sample)
    reader = csv.reader(_lines(text, delimiter, name), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:  # (a line of quoted cells holding delimiters)
                raise _too_wide(name, text, reader.line_num, len(row), delimiter)
            rows.append(row)
    except csv.Error as exc:
        # the csv module's messages are English; the one reachable through a decoded text
        # (no NUL gets here) is a field longer than its limit, often a stray quote mark
        raise ImportRefused(
            f"“{name}”第 {reader.line_num} 行有一个单元格超过 {csv.field_size_limit():,} 个字符"
            "（或格式无效），不像名单内容：可能是某个引号（\"）没有配对，把后面的内容都并进了"
            "一个单元格。请用 Excel 或 WPS 打开核对该行，另存为 .xlsx 再导入。") from exc
    return rows, encoding, delimiter


def _lines(text: str, delimiter: str, name: str) -> Iterator[str]:
    """The text's lines as csv reads them, an unquoted one too wide refused before csv
    splits it (100 MB of "a," would be 50 million strings)."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_COLUMNS and '"' not in line:
            columns = line.count(delimiter) + 1
            if columns > MAX_COLUMNS:
                raise _too_wide(name, text, number, columns, delimiter)
        yield line


def _too_wide(name: str, text: str, line: int, columns: int, delimiter: str) -> ImportRefused:
    whole = "（整个文件没有换行，全部内容都在这一行）" if line == 1 and not any(
        end in text for end in "\r\n") else ""
    return ImportRefused(
        f"“{name}”第 {line} 行按{DELIMITER_NAMES.get(delimiter, delimiter)}分成 {columns:,} 列"
        f"{whole}，超过 Excel 工作表最多的 {MAX_COLUMNS:,} 列，不像名单：可能不是名单文件，"
        "或分隔符不对。请用 Excel 或 WPS 打开核对，另存为 .xlsx 再导入。")


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data[:4096]:
            raise NotText(f"“{name}”不是文本文件（含二进制内容），无法按 CSV 读取。")
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise NotText(f"“{name}”不是文本文件（含二进制内容），无法按 CSV 读取。")
        return text, "gbk" if encoding == "gb18030" else encoding.removesuffix("-sig")
    raise NotText(f"无法识别“{name}”的文字编码（不是 UTF-8，也不是 GBK/GB18030）。"
                        "请用 Excel 打开并另存为“CSV UTF-8”或 .xlsx。")


def _sniff_delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1
    for delimiter in (",", "\t", ";", "|"):
        counts = [line.count(delimiter) for line in lines]
        if not counts or max(counts) == 0:
            continue
        # the delimiter that splits most lines the same way, then the one splitting most
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * 1000 + common if common else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best
