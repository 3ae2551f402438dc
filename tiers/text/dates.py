"""Dates as people write them: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日 (or 1号),
20240501, full-width digits, a time after the day. One reader for the import of a roster
cell and for a date typed into a form, so both accept the same forms."""

from __future__ import annotations

import datetime as dt
import re

from tiers.errors import InvalidInput

_SPACES = re.compile(r"[\s\u3000\u00a0\ufeff]+")
_DAY_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?(?:[T ]?\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


# the full-width forms a Chinese input method types (２０．５, ，, ￥) as ASCII (and ¥): not
# NFKC, which also reads 10² as 102 and ① as 1, numbers nobody wrote
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0xFFE5: 0xA5}


def fold(value: str) -> str:
    """Full-width digits, letters and punctuation to ASCII; no spaces."""
    return _SPACES.sub("", value.translate(_HALF_WIDTH))


def day_of_folded(folded: str, original: object = None) -> dt.date | None:
    """The day a folded text names, None when it is not written as a day (the importers go
    on to try a month or an Excel serial); InvalidInput for a day that does not exist."""
    for pattern in _DAY_PATTERNS:
        match = pattern.match(folded)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise InvalidInput(f"日期不存在：{original if original is not None else folded}") from None
    return None


def parse_date(text: str) -> dt.date | None:
    """A date typed into a form: None when blank, InvalidInput (a ValueError) otherwise."""
    folded = fold(text or "")
    if not folded:
        return None
    day = day_of_folded(folded, text)
    if day is None:
        raise InvalidInput(f"无法识别的日期（可写作 2024-03-08）：{text}")
    return day
