"""Pinyin initials for search (``czhl`` finds 常州恒立…) and a pinyin key for sorting
names the way Chinese users expect (常州东… after 常州的…, not by code point).

A per-character table is built once from pypinyin's dictionary: measured on 100k names it
takes 0.4 s where ``lazy_pinyin`` per name takes 26 s. Polyphonic characters use their
first (most common) reading; letters and digits pass through in lower case.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache

_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ", "aaaaeeeeiiiioooouuuuvvvvvnnnm")


@lru_cache(maxsize=1)
def _readings() -> dict[int, str]:
    """pypinyin's per-character dictionary, loaded when a key is first needed. Read from
    its own file without running ``pypinyin/__init__``, which loads the phrase dictionary
    as well (0.4 s that Tiers never uses); the ordinary import where there is no file (a
    frozen build keeps modules in an archive)."""
    package = importlib.util.find_spec("pypinyin")  # (a top-level spec runs nothing)
    for folder in (package.submodule_search_locations or []) if package else []:
        spec = importlib.util.spec_from_file_location("_tiers_pinyin_dict",
                                                      f"{folder}/pinyin_dict.py")
        if spec is not None and spec.loader is not None:
            try:
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except OSError:
                continue
            return module.pinyin_dict
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@lru_cache(maxsize=1)
def _initials_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for codepoint, readings in _readings().items():
        first = readings.split(",")[0].translate(_TONES)
        if first:
            table[codepoint] = first[0]
    return table


class _Translation(dict):
    """str.translate's table: a character's initial; an ASCII letter or digit in lower
    case; anything else dropped (worked out once per character, then remembered)."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        value = ch.lower() if ch.isascii() and ch.isalnum() else None
        self[code] = value
        return value


@lru_cache(maxsize=1)
def _translation() -> _Translation:
    return _Translation(_initials_table())


@lru_cache(maxsize=1)
def _plain_translation() -> dict[int, str | None]:
    """The same as a plain dict, every ASCII character decided: str.translate goes twice
    as fast without __missing__, and leaves only non-ASCII characters it does not know."""
    table: dict[int, str | None] = dict(_initials_table())
    for code in range(128):
        ch = chr(code)
        table[code] = ch.lower() if ch.isalnum() else None
    # the brackets of nearly every firm's name (有限公司（常州）): decided here as _Translation
    # decides them (dropped), or 95 names in 100 were translated twice
    for ch in _COMMON_MARKS:
        table.setdefault(ord(ch), None)
    return table


_COMMON_MARKS = "（）〔〕［］【】“”‘’「」《》、，。·：；－"
_LINE = ord("\n")


@lru_cache(maxsize=1)
def _column_translation() -> dict[int, str | None]:
    """_plain_translation keeping the line end that separates the names of a column."""
    return {**_plain_translation(), _LINE: "\n"}


def initials(text: str | None) -> str:
    """One str.translate with a plain table; a character it does not know shows as a
    non-ASCII character left in place, and that name is done again the full way."""
    if not text:
        return ""
    result = text.translate(_plain_translation())
    return result if result.isascii() else text.translate(_translation())


@lru_cache(maxsize=1)
def _syllable_table() -> dict[int, str]:
    """A character's first reading without tones, followed by a space so that syllables
    compare one by one (``chang zhou`` before ``changa``)."""
    table: dict[int, str] = {}
    for codepoint, readings in _readings().items():
        first = readings.split(",")[0].translate(_TONES)
        if first:
            table[codepoint] = first + " "
    return table


class _SortTranslation(dict):
    def __missing__(self, code: int) -> str:
        value = chr(code).lower()
        self[code] = value
        return value


@lru_cache(maxsize=1)
def _sort_translation() -> _SortTranslation:
    return _SortTranslation(_syllable_table())


@lru_cache(maxsize=1)
def _plain_sort_translation() -> dict[int, str]:
    table = dict(_syllable_table())
    for code in range(128):
        table[code] = chr(code).lower()
    return table


def sort_key(text: str | None) -> str:
    """``常州恒立`` → ``chang zhou heng li `` (other characters lower-cased, kept). A plain
    table first: a character it does not know stays as it is, which is right unless it
    has a lower case (then the name is done again the full way)."""
    if not text:
        return ""
    result = text.translate(_plain_sort_translation())
    return result if result.isascii() or result == result.lower() else text.translate(
        _sort_translation())


def _one_per_line(names: Sequence[str]) -> str | None:
    """The names joined by line ends, when none holds one (None: a name does)."""
    try:
        joined = "\n".join(names)
    except TypeError:  # (a blank given as None: name by name)
        return None
    return joined if joined.count("\n") == len(names) - 1 else None


def initials_of(names: Sequence[str]) -> list[str]:
    """initials of each of many names (an import's column) with one str.translate over
    them all (name by name, the call and its table cost three times the translation:
    100k firms' names 0.4 s → 0.12 s); a name left with a character the plain table does
    not know is done the full way, as initials does."""
    joined = _one_per_line(names) if names else None
    if joined is None:
        return list(map(initials, names))
    parts = joined.translate(_column_translation()).split("\n")
    if all(map(str.isascii, parts)):
        return parts
    return [part if part.isascii() else initials(name)
            for part, name in zip(parts, names, strict=True)]


def sort_keys(names: Sequence[str]) -> list[str]:
    """sort_key of each of many names, with one str.translate over them all; a name whose
    plain translation kept a character with a lower case is done the full way."""
    joined = _one_per_line(names) if names else None
    if joined is None:
        return list(map(sort_key, names))
    translated = joined.translate(_plain_sort_translation())
    parts = translated.split("\n")
    if translated.isascii() or translated == translated.lower():
        return parts
    return [part if part.isascii() or part == part.lower() else sort_key(name)
            for part, name in zip(parts, names, strict=True)]
