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
