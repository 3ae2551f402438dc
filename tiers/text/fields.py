"""The field catalogue: what each field shown to people is called, its unit and its kind.

One table in ``resources/fields.toml``, loaded once, from which the services' messages, the
change history, the command line and the desktop tables all take their labels, so that a
field reads the same everywhere and a new wording is a data edit."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from tiers.model.reference import resource_path

KINDS = frozenset(("text", "code", "date", "datetime", "amount", "decimal", "percent",
                   "integer", "year", "boolean", "tier", "chain"))
PROPERTIES = frozenset(("label", "short", "narrow", "unit", "kind", "places"))


@dataclass(frozen=True)
class Field:
    entity: str  # enterprise, recognition, … (the audit trail's entity names), or roster
    key: str  # the column's name in the database or the query row
    label: str  # 营业收入
    kind: str  # one of KINDS: how values.show() shows its values
    unit: str = ""  # 万元
    places: int | None = None  # decimal places a table shows; None: as stored
    short: str = ""  # a narrower column title, if a table uses one
    # narrower still, for a desktop column at 1366 wide (its unit the table's own, 万元)
    narrow: str = ""

    @property
    def title(self) -> str:
        """The short label where there is one."""
        return self.short or self.label


@dataclass(frozen=True)
class Catalogue:
    entities: Mapping[str, str]  # entity → 企业, 认定, …
    measure_words: Mapping[str, str]  # entity → 家, 项, … (企业 3 家)
    fields: Mapping[str, Mapping[str, Field]]  # entity → key → Field, in the file's order


def _field(entity: str, key: str, spec: dict) -> Field:
    unknown = set(spec) - PROPERTIES
    if unknown or spec.get("kind") not in KINDS or not spec.get("label"):
        raise ValueError(f"fields.toml: {entity}.{key} is malformed: {spec}")
    return Field(entity=entity, key=key, label=spec["label"], kind=spec["kind"],
                 unit=spec.get("unit", ""), places=spec.get("places"),
                 short=spec.get("short", ""), narrow=spec.get("narrow", ""))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    with resource_path("fields.toml").open("rb") as handle:
        data = tomllib.load(handle)
    fields = {entity: MappingProxyType({key: _field(entity, key, spec)
                                        for key, spec in specs.items()})
              for entity, specs in data["fields"].items()}
    return Catalogue(entities=MappingProxyType(dict(data["entities"])),
                     measure_words=MappingProxyType(dict(data["measure_words"])),
                     fields=MappingProxyType(fields))


def fields_of(entity: str) -> Mapping[str, Field]:
    """Every field of one entity, in the catalogue's order."""
    return catalogue().fields[entity]


def field(entity: str, key: str) -> Field:
    """One field; KeyError for a field the catalogue does not know (a typo in a table)."""
    return catalogue().fields[entity][key]


def label(entity: str, key: str) -> str:
    return field(entity, key).label


def short(entity: str, key: str) -> str:
    return field(entity, key).title


def narrow(entity: str, key: str) -> str:
    """The narrowest title there is: narrow, else short, else the label."""
    known = field(entity, key)
    return known.narrow or known.title


def unit(entity: str, key: str) -> str:
    return field(entity, key).unit


def heading(entity: str, key: str) -> str:
    """A column heading with its unit: 营业收入（万元）; a label that carries its unit already
    (细分市场占有率（%）) as it is."""
    known = field(entity, key)
    if not known.unit or known.label.endswith("）"):
        return known.label
    return f"{known.label}（{known.unit}）"


def labels(entity: str, keys: tuple[str, ...] | None = None) -> dict[str, str]:
    """key → label of an entity's fields (of ``keys`` only, in their order, if given)."""
    known = fields_of(entity)
    return {key: known[key].label for key in (known if keys is None else keys)}


def entity_label(entity: str) -> str:
    """企业, 认定, … (the entity's own name where the catalogue has none)."""
    return catalogue().entities.get(entity, entity)


def counted(entity: str, count: int) -> str:
    """企业 3 家, 认定 1,204 项: a number of an entity's records with its measure word."""
    return f"{entity_label(entity)} {count:,} {catalogue().measure_words.get(entity, '条')}"
