"""Enterprise names as rosters write them, folded to one key for matching.

Rosters write the same firm three ways: full-width or half-width brackets, stray spaces
(including U+3000), full-width digits and letters. The display name keeps the official
form (full-width brackets, as 市场监管 registers them); the key folds everything.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_BRACKETS_TO_FULL = str.maketrans({"(": "（", ")": "）"})
_BRACKETS_TO_HALF = str.maketrans({"（": "(", "）": ")", "〔": "(", "〕": ")", "［": "(",
                                   "］": ")", "[": "(", "]": ")", "【": "(", "】": ")"})
_QUOTES = str.maketrans({"“": "", "”": "", '"': "", "‘": "", "’": "", "'": "", "「": "",
                         "」": ""})


def clean_display(raw: str | None) -> str:
    """The name to show and store: NFKC-folded digits and letters, no spaces, and the
    brackets in their official full-width form."""
    if raw is None:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    text = _SPACES.sub("", text)
    return text.translate(_BRACKETS_TO_FULL)


def name_key(raw: str | None) -> str:
    """The matching key: two spellings of one firm give the same key."""
    text = clean_display(raw).translate(_BRACKETS_TO_HALF).translate(_QUOTES)
    return text.lower()
