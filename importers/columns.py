"""Column headers → Tiers fields, from the synonyms in ``resources/import_headers.toml`` and
from mappings a user corrected before (remembered per header layout in a JSON file in the
user's data folder)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tiers.model import vocabulary
from tiers.model.reference import resource_path
from tiers.storage.location import data_folder

KINDS = vocabulary.LIST_KINDS  # (kept light there for the command line's parser)
KIND_LABELS = vocabulary.LIST_KIND_LABELS
IGNORE = ""  # a column mapped to nothing

_UNIT_TAIL = re.compile(r"[（(]\s*(?:单位[:：]?)?\s*(?:万元|元|亿元|千元|人|个|项|年|%|％)\s*[)）]$")
_MARKS = re.compile(r"[\s\u3000*＊※★]+")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str
    kinds: tuple[str, ...]
    synonyms: tuple[str, ...]


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict[str, FieldSpec], frozenset[str], dict[str, tuple[str, ...]]]:
    with resource_path("import_headers.toml").open("rb") as handle:
        data = tomllib.load(handle)
    fields = {
        key: FieldSpec(key=key, label=item["label"], type=item["type"],
                       kinds=tuple(item["kinds"]), synonyms=tuple(item["synonyms"]))
        for key, item in data["field"].items()
    }
    ignored = frozenset(normalise_header(text) for text in data["ignore"]["synonyms"])
    kind_signals = {kind: tuple(keys) for kind, keys in data["kinds"].items()}
    return fields, ignored, kind_signals


@lru_cache(maxsize=1)
def _not_the_same() -> dict[str, str]:
    with resource_path("import_headers.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {normalise_header(word): note for word, note in data.get("not_the_same", {}).items()}


def not_the_same(text: object) -> str | None:
    """Why a header that looks like a field is not stored as it (利润总额 is not 净利润), or
    None. Only for headers that no synonym names exactly."""
    key = normalise_header(text)
    match = _YEAR_PREFIX.match(key)
    rest = key[match.end():] if match else key
    if not key or key in _synonym_index()[0] or rest in _synonym_index()[0]:
        return None
    outside = _PARENTHESES.sub("", key)  # Ⅰ类知识产权(含发明专利) is Ⅰ类
    for word, note in _not_the_same().items():
        if word in outside:
            return note
    return None


_PARENTHESES = re.compile(r"\([^)]*\)")


@lru_cache(maxsize=1)
def _city_headers() -> frozenset[str]:
    with resource_path("import_headers.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return frozenset(normalise_header(t) for t in data.get("city", {}).get("synonyms", ()))


def is_city_header(text: object) -> bool:
    """A 设区市 column (not stored; it tells apart counties of the same name)."""
    return normalise_header(text) in _city_headers()


def fields() -> dict[str, FieldSpec]:
    return _catalogue()[0]


def kind_signals() -> dict[str, tuple[str, ...]]:
    return _catalogue()[2]


def field_label(key: str) -> str:
    spec = fields().get(key)
    return spec.label if spec else key


def shown_header(text: object) -> str:
    """A header as shown or quoted (the columns' table, the importer's messages): on one
    line, its line breaks removed. Tiers's own reports write a label's bracketed unit on a
    line of its own (县\n（市、区）, 金额\n（万元）) so that ） is not left alone, and
    officers break headers with Alt+Enter; a one-line table row or a message cut it."""
    return "" if text is None else _LINE_BREAKS.sub("", str(text))


def normalise_header(text: object) -> str:
    """The header as compared with synonyms: NFKC, no spaces or line breaks, no * markers,
    no trailing unit in brackets, brackets folded to ASCII."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = _MARKS.sub("", folded)
    folded = _UNIT_TAIL.sub("", folded)
    return folded.replace("（", "(").replace("）", ")").lower()


@lru_cache(maxsize=1)
def _synonym_index() -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    for spec in fields().values():
        for synonym in (spec.label, *spec.synonyms):
            exact.setdefault(normalise_header(synonym), spec.key)
    by_length = sorted(exact.items(), key=lambda item: -len(item[0]))
    return exact, by_length


_YEAR_PREFIX = re.compile(r"^(?:(\d{4})年度?|上年度|上一年度|上年)")
# a header naming a quantity derived from a field (研发费用占比, 营业收入增长率) is not that
# field: such words, when the synonym found inside the header does not have them itself
_DERIVED = ("占比", "比例", "比重", "率", "增长", "增速", "增幅", "同比", "环比", "强度", "排名",
            "占营业", "占主营", "平均", "人均")


def _derived(header: str, synonym: str) -> bool:
    return any(word in header and word not in synonym for word in _DERIVED)


def match_header(text: object) -> tuple[str | None, int | None]:
    """(field key or None, year named in the header or None). ``""`` means a known column
    that is not stored (序号, 设区市)."""
    key = normalise_header(text)
    if not key:
        return None, None
    exact, by_length = _synonym_index()
    if key in exact:
        return exact[key], None
    if key in _catalogue()[1]:
        return IGNORE, None
    year = None
    match = _YEAR_PREFIX.match(key)
    if match:
        year = int(match.group(1)) if match.group(1) else None
        rest = key[match.end():]
        if rest in exact:
            return exact[rest], year
    if len(key) > 24:  # a title line, not a header
        return None, None
    if not_the_same(key) is not None:
        return IGNORE, year
    found = _longest_within(key)
    if found is not None:
        return (None, None) if _derived(key, found[0]) else (found[1], year)
    return None, None


@lru_cache(maxsize=1)
def _by_first_three() -> dict[str, list[tuple[int, str, str]]]:
    """The synonyms of three characters or more by their first three: (rank, synonym, field
    key), rank being the place in the longest-first order."""
    index: dict[str, list[tuple[int, str, str]]] = {}
    for rank, (synonym, field_key) in enumerate(_synonym_index()[1]):
        if len(synonym) >= 3:
            index.setdefault(synonym[:3], []).append((rank, synonym, field_key))
    return index


def _longest_within(key: str) -> tuple[str, str] | None:
    """(synonym, field key) of the longest synonym (the first of equals) of three characters
    or more that ``key`` holds: what trying each of the ~330 in turn found, at ~12 µs a
    header, which 100,000 column labels made 10 s; here, looked up at each place of ``key``."""
    index = _by_first_three()
    best: tuple[int, str, str] | None = None
    for start in range(len(key) - 2):
        for entry in index.get(key[start:start + 3], ()):
            if (best is None or entry[0] < best[0]) and key.startswith(entry[1], start):
                best = entry
    return None if best is None else (best[1], best[2])


def fit_to_kind(mapping: dict[int, str], kind: str) -> dict[int, str]:
    """The mapping as this kind reads it: a support sheet's 文号 is the measure's 政策依据/文号
    (a recognition list's is the 认定文号), unless the sheet has a column of its own for it."""
    if kind != "support" or "policy_basis" in mapping.values():
        return mapping
    return {i: ("policy_basis" if k == "document_number" else k) for i, k in mapping.items()}


# --- remembered mappings ------------------------------------------------------------------

def layout_key(headers: list[str]) -> str:
    """One key per header layout: the normalised headers in order."""
    joined = "\x1f".join(normalise_header(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


def mappings_path() -> Path:
    override = os.environ.get("TIERS_IMPORT_MAPPINGS")
    if override:
        return Path(override)
    return data_folder() / "import_mappings.json"


def _load() -> dict[str, dict]:
    path = mappings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recall_mapping(headers: list[str], kind: str | None = None) -> dict[int, str] | None:
    """The mapping a user saved for exactly this header layout, by column index: the last
    one saved, or (``kind``) the one saved with that kind, None when none was."""
    entry = _load().get(layout_key(headers))
    if not isinstance(entry, dict):
        return None
    saved = entry.get("mapping")
    if kind is not None:
        kinds = entry.get("kinds")
        saved = kinds.get(kind) if isinstance(kinds, dict) else None
    if not isinstance(saved, dict):
        return None
    known = fields()
    result: dict[int, str] = {}
    for index, key in saved.items():
        if str(index).isdigit() and (key == IGNORE or key in known):
            result[int(index)] = key
    return result


def recalled_kind(headers: list[str]) -> str | None:
    """The kind the last mapping saved for this header layout was imported as (None: none
    saved, or saved without its kind, before Tiers kept it)."""
    entry = _load().get(layout_key(headers))
    kind = entry.get("kind") if isinstance(entry, dict) else None
    return kind if kind in KINDS else None


def remember_mapping(headers: list[str], mapping: dict[int, str | None],
                     kind: str | None = None) -> Path:
    """Save a corrected mapping for this header layout; the next file with the same headers
    is mapped the same way. With ``kind``, kept as that kind's too, beside the other kinds'
    (a sheet imported as 企业名录, then as 扶持措施, has both); without, the kinds' kept as
    they were. Written atomically."""
    saved = {str(i): (k or IGNORE) for i, k in sorted(mapping.items())}
    previous = _load().get(layout_key(headers))
    previous = previous if isinstance(previous, dict) else {}
    kinds = previous.get("kinds")
    if kind is None:
        kept = {name: previous[name] for name in ("kind", "kinds") if name in previous}
        return _save(layout_key(headers), headers, saved, **kept)
    if not isinstance(kinds, dict):
        kinds = _kinds_of_unkinded(headers, previous.get("mapping"))
    kinds = {**kinds, kind: saved}
    return _save(layout_key(headers), headers, saved, kind=kind, kinds=kinds)


def _kinds_of_unkinded(headers: list[str], mapping: object) -> dict[str, dict]:
    """{kind: mapping} for a mapping saved before Tiers kept its kind: under the kind its
    columns read as (a 企业名录's saved by the previous version stays the 企业名录's when
    the sheet is first imported as 扶持措施, not left to no kind)."""
    if not isinstance(mapping, dict):
        return {}
    from importers.read.kind import guess_kind  # (it reads the synonyms here)
    from importers.read.metadata import Metadata

    mapped = {str(key) for key in mapping.values() if key and key != IGNORE}
    return {guess_kind(mapped, Metadata(), headers=headers): dict(mapping)}


def recall_entry(namespace: str, headers: list[str]) -> dict[str, str] | None:
    """A mapping saved by another part of Tiers (``namespace``: template, …) for exactly
    these headers: {column index as text: key}."""
    entry = _load().get(f"{namespace}:{layout_key(headers)}")
    if not isinstance(entry, dict) or not isinstance(entry.get("mapping"), dict):
        return None
    return {str(i): str(k) for i, k in entry["mapping"].items()}


def remember_entry(namespace: str, headers: list[str], mapping: dict[str, str]) -> Path:
    return _save(f"{namespace}:{layout_key(headers)}", headers, mapping)


def _save(key: str, headers: list[str], mapping: dict[str, str], **more: object) -> Path:
    data = _load()
    data[key] = {"headers": [str(h) for h in headers], "mapping": mapping, **more}
    path = mappings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(partial, path)
    return path


def forget_mappings() -> None:
    mappings_path().unlink(missing_ok=True)
