"""Enterprise names as rosters write them, folded to one key for matching.

Rosters write the same firm three ways: full-width or half-width brackets, stray spaces
(including U+3000), full-width digits and letters. The display name keeps the official
form (full-width brackets, as 市场监管 registers them); the key folds everything.
"""

from __future__ import annotations

import unicodedata

_BRACKETS_TO_FULL = str.maketrans({"(": "（", ")": "）"})
# the key's folding in one table: brackets of every kind to half-width, quotes dropped
_KEY_FOLD = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "［": "(", "］": ")",
                           "[": "(", "]": ")", "【": "(", "】": ")", "“": None, "”": None,
                           '"': None, "‘": None, "’": None, "'": None, "「": None, "」": None})
_FOLDED = frozenset(map(chr, _KEY_FOLD))


def clean_display(raw: str | None) -> str:
    """The name to show and store: NFKC-folded digits and letters, no spaces, and the
    brackets in their official full-width form."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
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
    joined = "\n".join(names)
    if ("(" not in joined and ")" not in joined and unicodedata.is_normalized("NFKC", joined)
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
