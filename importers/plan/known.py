"""The database as the plan sees it: enterprises, former names and the kind's records,
loaded once up front, so that 100k rows cost dictionary look-ups, not 100k SELECTs."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.model import reference
from tiers.model.names import name_key
from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    Change,
    Enterprise,
    FormerName,
    Recognition,
    SupportMeasure,
)
from tiers.services import measures as measures_service
from tiers.services.recognitions import CHAIN_LEADER, recognition_key  # noqa: F401 - the plan's names
from tiers.storage.dialect import date_readers, raw_rows
from tiers.storage.import_locks import others_write_meanwhile

ENTERPRISE_TEXT = ("town", "address", "industry", "main_product", "legal_representative",
                   "contact_person", "contact_phone", "size", "listing_status", "tags",
                   "legacy_code")
ENTERPRISE_COLUMNS = ("name", "county_code", "county_name", "founded_on", "notes",
                      *ENTERPRISE_TEXT)


class Known:
    """The database as the plan sees it, loaded in a few queries."""

    def __init__(self, session: Session, kind: str) -> None:
        # before anything is read: on SQLite each read sees the newest data, so a writer
        # landing while the plan reads must make the snapshot older than the values read
        # (the apply then refuses), never newer (stale values would pass its check)
        self.snapshot = snapshot(session)
        self.by_id: dict[int, dict[str, Any]] = {}
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_former: dict[str, list[int]] = {}
        self.keys_of: dict[int, set[str]] = {}
        # (firm, key) of the names kept for matching only (FormerName.is_alias): a row
        # matched by one is said to be matched by a 记住的写法, not by a 曾用名
        self.remembered: set[tuple[int, str]] = set()
        self._load_enterprises(session)
        self._load_former_names(session)
        self.recognitions: dict[tuple, dict[str, Any]] = {}
        # every one, also those sharing a key (a 第二批 title and a 复核 of it misdated to the
        # batch's own year, 2020, by an import before the 复核-year rule)
        self.recognition_rows: list[dict[str, Any]] = []
        self.figures: dict[tuple[int, int], dict[str, Any]] = {}
        self.chain_roles: set[tuple[int, str]] = set()  # (enterprise, chain) with a role
        if kind == "recognitions":
            role = ChainRole.__table__
            self.chain_roles = {(r["enterprise_id"], r["chain_code"]) for r in _table_rows(
                session, select(role.c.enterprise_id, role.c.chain_code))}
            for row in _table_rows(session, select(Recognition.__table__)):
                key = recognition_key(row["enterprise_id"], row["tier_code"],
                                      row["batch_label"], row["batch_year"], row["chain_code"])
                self.recognitions[key] = row
                self.recognition_rows.append(row)
        if kind in ("figures", "roster"):
            for row in _table_rows(session, select(AnnualFigures.__table__)):
                self.figures[(row["enterprise_id"], row["year"])] = row
        # support measures by (enterprise, kind, name, year): a row with the same amount is
        # that measure; one with another amount may be a correction of it (see
        # records.correct_measures)
        self.measures_of: dict[tuple, list[dict[str, Any]]] = {}
        if kind == "support":
            sm = SupportMeasure.__table__
            for row in _table_rows(session, select(sm.c.id, sm.c.enterprise_id, *(
                    sm.c[name] for name in measures_service.FIELDS))):
                self.measures_of.setdefault(measure_identity(row["enterprise_id"], row),
                                            []).append(row)
        self._cores: dict[str, list[int]] | None = None
        self._forms: dict[str, set[int]] | None = None
        self._town_counties: dict[str, dict[str, int]] | None = None

    def _load_enterprises(self, session: Session) -> None:
        table = Enterprise.__table__
        cols = [table.c.id, table.c.credit_code, table.c.name_key, table.c.deleted_at,
                *(table.c[name] for name in ENTERPRISE_COLUMNS)]
        # straight from the driver, all rows at once, zipped with the names: SQLAlchemy's
        # row processing (its date parsing above all) was most of this for 100k firms
        connection = session.connection()
        date_of, datetime_of = date_readers(connection)
        names = tuple(column.name for column in cols)
        founded, deleted = names.index("founded_on"), names.index("deleted_at")
        for row in raw_rows(connection, cols):
            data = dict(zip(names, row, strict=True))
            if row[founded] is not None:
                data["founded_on"] = date_of(row[founded])
            if row[deleted] is not None:
                data["deleted_at"] = datetime_of(row[deleted])
            self.by_id[data["id"]] = data
            self.by_code[data["credit_code"]] = data["id"]
            if data["deleted_at"] is None:
                self.by_name.setdefault(data["name_key"], []).append(data["id"])

    def _load_former_names(self, session: Session) -> None:
        for enterprise_id, key, alias in session.execute(
                select(FormerName.enterprise_id, FormerName.name_key,
                       FormerName.is_alias)).all():
            self.keys_of.setdefault(enterprise_id, set()).add(key)
            if alias:
                self.remembered.add((enterprise_id, key))
            current = self.by_id.get(enterprise_id)
            if current is not None and current["deleted_at"] is None:
                self.by_former.setdefault(key, []).append(enterprise_id)

    def cores(self) -> dict[str, list[int]]:
        """Live firms by the core of their name (see core), for suggestions."""
        if self._cores is None:
            self._cores = {}
            for enterprise_id, data in self.by_id.items():
                if data["deleted_at"] is None:
                    self._cores.setdefault(core(data["name_key"]), []).append(enterprise_id)
        return self._cores

    def without_form(self, key: str) -> set[int]:
        """The live firms whose name or a former name is ``key`` once its company-form
        words are dropped (常州金嘉减速机有限公司 → 常州金嘉减速机): see without_form."""
        if self._forms is None:
            self._forms = {}
            for enterprise_id, data in self.by_id.items():
                if data["deleted_at"] is None:
                    self._forms.setdefault(without_form(data["name_key"]), set()).add(
                        enterprise_id)
            for key_of, ids in self.by_former.items():
                for enterprise_id in ids:
                    self._forms.setdefault(without_form(key_of), set()).add(enterprise_id)
        return self._forms.get(key, set())

    def town_counties(self, town: str) -> dict[str, int]:
        """The counties whose live firms have ``town``, with how many (the firms' own towns
        are the only record of which county a town is in: see enterprises.update)."""
        if self._town_counties is None:
            self._town_counties = {}
            for data in self.by_id.values():
                if data["deleted_at"] is None and data["town"] and data["county_name"]:
                    found = self._town_counties.setdefault(data["town"], {})
                    found[data["county_name"]] = found.get(data["county_name"], 0) + 1
        return self._town_counties.get(town, {})


def snapshot(session: Session) -> tuple[int, int, int]:
    """What the database looks like as a whole, to tell later whether anyone wrote since:
    (the newest change's id, how many changes, the newest enterprise's id). Every write is
    logged in ``change``; its count matters on a server, where ids are taken when a row is
    inserted, not when it is committed: a change committed late may carry an id below the
    newest one seen."""
    newest = session.scalar(select(func.max(Change.id))) or 0
    # on SQLite the write lock orders every writer, so ids are commit order: no count needed
    changes = (session.scalar(select(func.count()).select_from(Change))
               if others_write_meanwhile(session) else 0)
    return (newest, changes or 0, session.scalar(select(func.max(Enterprise.id))) or 0)


def _table_rows(session: Session, statement: Any) -> list[dict[str, Any]]:
    result = session.execute(statement)
    names = tuple(result.keys())
    return [dict(zip(names, values, strict=True)) for values in result.all()]


def measure_identity(enterprise_id: int | None, values: dict[str, Any]) -> tuple:
    """A support measure as a firm has it once a year: kind, name (the amount may be
    corrected)."""
    return (enterprise_id, values["kind"] or "", values["name"] or "", values["year"])


@lru_cache(maxsize=1)
def _region_prefixes() -> tuple[str, ...]:
    names = {"江苏省", "江苏", "中国"}
    for division in reference.divisions():
        names.add(division.name)
        if len(division.name) > 2:
            names.add(division.name[:-1])
    return tuple(sorted((name_key(n) for n in names), key=len, reverse=True))


_SUFFIXES = ("股份有限公司", "集团有限公司", "有限责任公司", "有限公司", "股份公司", "集团", "公司", "厂")


# company-form words only (not 集团, 厂: those are part of what a firm is called)
_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司")


def without_form(key: str) -> str:
    """A name key without its company-form words at the end: 江苏鑫源汽车部件股份有限公司 →
    江苏鑫源汽车部件. A key without them is itself."""
    for suffix in _FORMS:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def core(key: str) -> str:
    """A name without its region and company-form words: 常州恒立液压有限公司 → 恒立液压."""
    changed = True
    while changed:
        changed = False
        for prefix in _region_prefixes():
            if key.startswith(prefix) and len(key) > len(prefix) + 1:
                key, changed = key[len(prefix):], True
                break
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            key = key[: -len(suffix)]
            break
    return key

