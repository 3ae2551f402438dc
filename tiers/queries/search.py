"""The roster's search: which enterprises a typed text finds.

One rule, in one place: every word must be found in the name, a former name, the credit
code or the pinyin initials. ``needles`` says what a word is looked for as in each of those
fields; ``search_condition`` turns that into SQL and ``SearchIndex`` answers it from memory,
so the two cannot drift apart (``tests/tiers/test_search.py`` checks that they agree).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from tiers.model import credit_code
from tiers.model.names import name_key
from tiers.model.orm import Enterprise, FormerName
from tiers.storage.dialect import like_ignoring_ascii_case

# SQL's LIKE ignores the case of ASCII letters only: the in-memory index folds exactly these,
# so that both find the same firms
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold_case(text: str) -> str:
    """``text`` with ASCII letters in lower case, the way LIKE compares them."""
    lowered = text.lower()
    # most names have nothing to lower or are ASCII: translating every name made loading
    # the index 40% slower (20k names: 140 ms against 100 ms), so only the rest are
    if lowered == text or text.isascii():
        return lowered
    return text.translate(_ASCII_LOWER)


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text`` literally (``%`` and ``_`` are not wildcards), ignoring
    the case of ASCII letters as SQLite's LIKE does, whatever the engine."""
    return like_ignoring_ascii_case(column, f"%{like_escape(text)}%")


def contains_as_stored(column, text: str) -> ColumnElement[bool]:
    """``column`` contains ``text`` literally, for the columns stored in the case their
    needles have (see ``needles``): name keys and pinyin initials in small letters, credit
    codes in capitals. A plain LIKE: on a server no translate() of every row (the search of
    100,000 firms took twice as long with it)."""
    return column.like(f"%{like_escape(text)}%", escape="\\")


@dataclass(frozen=True)
class WordNeedles:
    """What one search word is looked for as, field by field. ``None``: the word cannot
    occur in that field (a CJK word in a credit code, a digit in pinyin initials)."""

    key: str  # in the name keys, the name's and every former name's
    name: str  # in the name itself, ignoring the case of ASCII letters
    code: str | None  # in the credit code (stored normalised)
    pinyin: str | None  # in the pinyin initials, the name's and every former name's


def needles(word: str) -> WordNeedles:
    code = credit_code.normalise(word)
    folded = fold_case(word)
    return WordNeedles(
        key=name_key(word), name=folded,
        code=code if code.isalnum() and code.isascii() else None,
        pinyin=folded if word.isascii() and word.isalpha() else None)


def search_condition(text: str) -> ColumnElement[bool]:
    """SQL: every word of ``text`` matches (see ``needles``)."""
    conditions = []
    for word in text.split():
        needle = needles(word)
        options = [contains_as_stored(Enterprise.name_key, needle.key),
                   contains(Enterprise.name, needle.name)]
        former = [contains_as_stored(FormerName.name_key, needle.key)]
        if needle.code is not None:
            options.append(contains_as_stored(Enterprise.credit_code, needle.code))
        if needle.pinyin is not None:
            options.append(contains_as_stored(Enterprise.pinyin_initials, needle.pinyin))
            former.append(contains_as_stored(FormerName.pinyin_initials, needle.pinyin))
        options.append(exists().where(FormerName.enterprise_id == Enterprise.id, or_(*former)))
        conditions.append(or_(*options))
    return and_(*conditions)


def _found_in(needle: WordNeedles, key: str, name: str, pinyin: str, code: str) -> bool:
    """One word in one name's fields (``name`` case-folded, ``code`` in the case of the
    needle's): the rule of search_condition, in memory (SearchIndex's too)."""
    return needle.key in key or needle.name in name or (
        needle.code is not None and needle.code in code) or (
        needle.pinyin is not None and needle.pinyin in pinyin)


class FoundName(str):
    """A name that found a firm (former_name_matches); ``remembered``: a name kept for
    matching only (FormerName.is_alias, 记住的写法), no 曾用名."""

    remembered: bool = False

    def __new__(cls, name: str, remembered: bool = False) -> FoundName:
        found = super().__new__(cls, name)
        found.remembered = remembered
        return found


def former_name_matches(session: Session, ids: Sequence[int], text: str
                        ) -> dict[int, list[FoundName]]:
    """Why a search listed a firm under a name the officer did not type: for those of
    ``ids`` (a screenful of the roster) that a word of ``text`` found only through a former
    name (or a name remembered for matching, FoundName.remembered), the names that hold such
    a word. Firms whose present name, credit code or pinyin hold every word are left out.
    Two queries for the whole screenful, none per row."""
    words = [needles(word) for word in text.split()]
    if not words or not ids:
        return {}
    former: dict[int, list[tuple[FoundName, str, str]]] = {}
    for start in range(0, len(ids), _CHUNK):
        for enterprise_id, name, key, pinyin, alias in session.execute(
                select(FormerName.enterprise_id, FormerName.name, FormerName.name_key,
                       FormerName.pinyin_initials, FormerName.is_alias)
                .where(FormerName.enterprise_id.in_(ids[start:start + _CHUNK]))
                .order_by(FormerName.enterprise_id, FormerName.id)):
            former.setdefault(enterprise_id, []).append(
                (FoundName(name or "", bool(alias)), key or "", fold_case(pinyin or "")))
    if not former:
        return {}
    found: dict[int, list[str]] = {}
    for enterprise_id, name, key, code, pinyin in session.execute(
            select(Enterprise.id, Enterprise.name, Enterprise.name_key, Enterprise.credit_code,
                   Enterprise.pinyin_initials).where(Enterprise.id.in_(list(former)))):
        present = (key or "", fold_case(name or ""), fold_case(pinyin or ""), code or "")
        names: list[FoundName] = []
        for needle in words:
            if _found_in(needle, *present):
                continue
            names += [old for old, old_key, old_pinyin in former[enterprise_id]
                      if old not in names and _found_in(needle, old_key, "", old_pinyin, "")]
        if names:
            found[enterprise_id] = names
    return found


_CHUNK = 500

# between the fields of an index entry; ``str.split`` takes it for white space, so no
# search word ever holds it (within a field, a name and its former names are on lines)
_FIELD = "\x1f"
_BATCH = 20_000


class SearchIndex:
    """The roster's search-as-you-type in memory: the rule of ``needles``, answered from one
    snapshot of the search columns. A keystroke then costs one substring test per enterprise
    (~10 ms for 100k) instead of a LIKE scan of five columns and the former names. The
    snapshot is rebuilt after any write.

    One string per firm holds its four fields (name keys incl. former, case-folded name,
    pinyin initials incl. former, credit code in small letters), so that 1,000,000 firms
    fit in memory: the common words test the whole string at once (see ``_narrow``)."""

    def __init__(self, entries: list[tuple[int, str, str, str, str]]) -> None:
        # entries: (id, name keys incl. former, case-folded name, credit code, pinyin incl.
        # former); kept as ids and one joined string each
        self.ids = [entry[0] for entry in entries]
        self.everything = [_FIELD.join((keys, name, pinyin, code.lower()))
                           for _, keys, name, code, pinyin in entries]

    @classmethod
    def load(cls, session: Session) -> SearchIndex:
        former_keys: dict[int, list[str]] = {}
        former_pinyin: dict[int, list[str]] = {}
        for enterprise_id, key, pinyin in session.execute(
                select(FormerName.enterprise_id, FormerName.name_key,
                       FormerName.pinyin_initials)):
            former_keys.setdefault(enterprise_id, []).append(key or "")
            former_pinyin.setdefault(enterprise_id, []).append(fold_case(pinyin or ""))
        ids, everything = [], []
        # streamed in batches: 1,000,000 firms' rows held at once doubled the peak memory
        for enterprise_id, key, name, code, pinyin in session.connection().execute(
                select(Enterprise.id, Enterprise.name_key, Enterprise.name,
                       Enterprise.credit_code, Enterprise.pinyin_initials)).yield_per(_BATCH):
            keys = "\n".join([key or "", *former_keys.get(enterprise_id, ())])
            pinyins = "\n".join([fold_case(pinyin or ""), *former_pinyin.get(enterprise_id, ())])
            ids.append(enterprise_id)
            everything.append(_FIELD.join((keys, fold_case(name or ""), pinyins,
                                           (code or "").lower())))
        index = cls([])
        index.ids, index.everything = ids, everything
        return index

    def matching(self, text: str) -> set[int]:
        """Ids of the enterprises matching every word of ``text``."""
        return {self.ids[n] for n in self.positions(text)}

    def positions(self, text: str, *, within: list[int] | None = None) -> list[int]:
        """Places in ``ids`` of the matches, optionally only among ``within`` (the result
        for the text before the last keystroke: typing on only narrows)."""
        positions = range(len(self.ids)) if within is None else within
        for word in text.split():
            positions = self._narrow(needles(word), positions)
        return list(positions)

    def position_of(self) -> dict[int, int]:
        if not hasattr(self, "_position_of"):
            self._position_of = {enterprise_id: n for n, enterprise_id in enumerate(self.ids)}
        return self._position_of

    def _narrow(self, needle: WordNeedles, positions) -> list[int]:
        key, name, code, pinyin = needle.key, needle.name, needle.code, needle.pinyin
        everything = self.everything
        if key == name and code is None and pinyin is None and not key.isascii():
            # a word with a CJK character cannot occur in the pinyin initials nor in the
            # credit code (ASCII both): the whole string answers for keys+name
            return [n for n in positions if key in everything[n]]
        if key == name == pinyin and code is not None and code.lower() == name:
            return [n for n in positions if key in everything[n]]
        if code is not None:  # (the index holds the codes in small letters)
            needle = replace(needle, code=code.lower())
        found = []
        for n in positions:
            keys, folded, pinyins, codes = everything[n].split(_FIELD)
            if _found_in(needle, keys, folded, pinyins, codes):
                found.append(n)
        return found
