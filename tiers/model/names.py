"""Enterprise names as rosters write them, folded to one key for matching.

Rosters write the same firm three ways: full-width or half-width brackets, stray spaces
(including U+3000), full-width digits and letters. The display name keeps the official
form (full-width brackets, as 市场监管 registers them); the key folds everything.

Characters nobody sees are dropped from both: control characters (BEL, a terminal's
ESC[31m with its parameters), bidi overrides and isolates (U+202E turns 公司 into 司公 on
screen), zero-width spaces and joiners, U+FEFF. Kept, they print as terminal commands,
export as ``_x0007_`` and make a second key for the same firm (a duplicate on import).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_BRACKETS_TO_FULL = str.maketrans({"(": "（", ")": "）"})
_BRACKETS_TO_HALF = str.maketrans({"（": "(", "）": ")"})
# the key's folding in one table: brackets of every kind to half-width, quotes dropped
_KEY_FOLD = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "［": "(", "］": ")",
                           "[": "(", "]": ")", "【": "(", "】": ")", "“": None, "”": None,
                           '"': None, "‘": None, "’": None, "'": None, "「": None, "」": None})
_FOLDED = frozenset(map(chr, _KEY_FOLD))

# Unicode's control (Cc) and format (Cf) characters, as of Unicode 14 (Python 3.11–3.12;
# a test compares this with the running Python's unicodedata), less the white space that
# str.split removes anyway (TAB, LF, VT, FF, CR, U+001C–U+001F, U+0085). Written out:
# enumerating the categories costs 0.1 s at import. A terminal escape sequence
# (ESC [ 3 1 m) goes as a whole.
INVISIBLE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"
    "|[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f"
    "\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def has_invisible(text: str) -> bool:
    """Whether ``text`` holds a character that ``drop_invisible`` removes. str.isprintable
    (false for Cc, Cf and all white space but the space) answers most texts in C first:
    the regular expression scans 15 ns a character, isprintable under 1 (measured on a
    30,000-name column: 9 ms vs 0.4 ms)."""
    return not text.isprintable() and INVISIBLE.search(text) is not None


def drop_invisible(text: str) -> str:
    """``text`` without control, bidi, zero-width and other format characters."""
    return INVISIBLE.sub("", text)


def clean_display(raw: str | None) -> str:
    """The name to show and store: NFKC-folded digits and letters, no spaces, no invisible
    characters, and the brackets in their official full-width form."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    if has_invisible(text):  # (dropping one may leave a pair NFKC composes: again)
        text = unicodedata.normalize("NFKC", INVISIBLE.sub("", text))
    parts = text.split()  # str.split and re's \s agree on what is white space
    text = parts[0] if len(parts) == 1 else "".join(parts)
    if "(" in text or ")" in text:
        text = text.translate(_BRACKETS_TO_FULL)
    return text


def name_key(raw: str | None) -> str:
    """The matching key: two spellings of one firm give the same key."""
    return clean_display(raw).translate(_KEY_FOLD).lower()


def key_of_display(name: str) -> str:
    """name_key of a name already through clean_display, without doing that again when it
    would change nothing (an NFKC-normal name: the common case; measured, half of
    name_key's time per row)."""
    if unicodedata.is_normalized("NFKC", name):
        if _FOLDED.isdisjoint(name):  # most names: no bracket or quote to fold
            return name.lower()
        return name.translate(_KEY_FOLD).lower()
    return name_key(name)


def clean_displays(names: list[str]) -> list[str]:
    """clean_display of each of many names (an import's column, stripped): when none needs
    a change, the common case, that is found with a few C loops over all of them joined
    (measured: a tenth of a per-name call)."""
    joined = " ".join(names)  # (a space: the one white space str.isprintable allows)
    if ("(" not in joined and ")" not in joined and unicodedata.is_normalized("NFKC", joined)
            and joined.isprintable()  # no control, format or other white space character
            and joined.split() == names):  # each one word: no blank, no inner space
        return list(names)
    return list(map(clean_display, names))


def keys_of_displays(names: list[str]) -> list[str]:
    """key_of_display of each of many names already through clean_display, in C loops
    when none has a character to fold (the common case)."""
    joined = "\n".join(names)
    # (a substring search per folded character: set.isdisjoint would make a str per
    # character of the whole column, ten times slower)
    if not any(ch in joined for ch in _FOLDED) and unicodedata.is_normalized("NFKC", joined):
        return list(map(str.lower, names))
    return list(map(key_of_display, names))


def name_keys(names: Sequence[str]) -> list[str]:
    """name_key of each of many names. Names already in their display form (those of a
    data package, which Tiers wrote) are found to be so with a few C loops over all of
    them joined, and keyed with one translate (measured on 100k: 0.26 s, name by name
    0.47 s); any other column name by name. A display name's full-width brackets are the
    only characters NFKC would change in it, and clean_display changes them back."""
    joined = " ".join(names)  # (a space: the one white space str.isprintable allows)
    if ("(" not in joined and ")" not in joined
            and unicodedata.is_normalized("NFKC", _replaced(joined, _BRACKETS_TO_HALF))
            and joined.isprintable() and joined.split() == list(names)):
        return _replaced(joined, _KEY_FOLD).lower().split(" ") if names else []
    return list(map(name_key, names))


def _replaced(text: str, table: dict[int, str | None]) -> str:
    """text.translate(table) for a table of single characters that maps none of them to
    another of its own, by one str.replace per character the text holds: a search for a
    character is a C scan, where translate looks each character of the text up in the table
    (100k firms' names joined: 0.1 s a translate)."""
    for code, value in table.items():
        ch = chr(code)
        if ch in text:
            text = text.replace(ch, value or "")
    return text
