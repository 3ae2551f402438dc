"""The rows an import hands to the bulk writer: each table's new rows grouped by the columns
they carry, with the values every row of the import shares given once as constants; ids
given ahead (the bulk writer's); the Change rows of updates and former names; updates
grouped by the fields they touch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    Change,
    Enterprise,
    FormerName,
    Recognition,
    SupportMeasure,
)
from tiers.services.audit import to_json
from tiers.storage.bulk import BulkWriter

CHUNK = 5000
MODELS = {"enterprise": Enterprise, "recognition": Recognition,
          "annual_figures": AnnualFigures, "support_measure": SupportMeasure,
          "chain_role": ChainRole, "former_name": FormerName}
# the Change rows of updates and former names, in this order (with "at" and the batch as
# constants)
_CHANGE_FIELDS = ("user", "entity", "entity_id", "enterprise_id", "action", "field",
                  "old_value", "new_value")


class NewRows:
    """One table's new rows, grouped by the columns they carry, with the values every row
    of this import shares for the columns not given (constants)."""

    def __init__(self, model: Any, constants: dict[str, Any]) -> None:
        self.table: Table = model.__table__
        self.constants = constants
        self.groups: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        self.first_id: int | None = None
        self.last_id: int | None = None
        self.written = 0  # rows handed out by take()

    def add(self, values: dict[str, Any]) -> None:
        """A new row (its "id" given): the values overlay the constants; keys that are not
        columns are ignored."""
        self.add_with(values, (), (), values["id"])

    def add_with(self, values: dict[str, Any], extra_keys: tuple[str, ...],
                 extra_values: tuple[Any, ...], record_id: int) -> None:
        """add() of the values and the extra columns after them (none of them among the
        values), without merging the two into a new dict first."""
        self.groups.setdefault(tuple(values) + extra_keys, []).append(
            (*values.values(), *extra_values))
        if self.first_id is None:
            self.first_id = record_id
        self.last_id = record_id

    def take(self) -> Iterable[tuple[tuple[str, ...], list[tuple[Any, ...]]]]:
        """(columns, rows) per group collected so far; the groups are emptied."""
        groups, self.groups = self.groups, {}
        for keys, rows in groups.items():
            self.written += len(rows)
            yield keys, rows


class RowWriter:
    """Collects rows per table and hands them to the bulk writer."""

    def __init__(self, session: Session, bulk: BulkWriter, batch_id: int, user: str,
                 now: dt.datetime, *, adding: dict[str, int]) -> None:
        self.session = session
        self.bulk = bulk
        self.batch_id = batch_id
        self.user = user
        self.now = now
        # ids are given here (by the bulk writer: counted on SQLite, so that the loop never
        # asks the database while its writer thread has the connection; from the sequences
        # on a server, which other officers' inserts share)
        self.ids: dict[str, Iterator[int]] = {
            entity: bulk.new_ids(model.__table__, expected=adding.get(entity, 0))
            for entity, model in MODELS.items()}
        self.former_keys: set[tuple[int, str]] = set()
        # the names remembered for matching only (is_alias), by key: one the firm turns out
        # to have borne (a roster renames it from there) becomes a 曾用名 (apply._former)
        self.aliases: dict[tuple[int, str], int] = {}
        for firm_id, key, former_id, is_alias in session.execute(
                select(FormerName.enterprise_id, FormerName.name_key, FormerName.id,
                       FormerName.is_alias)):
            self.former_keys.add((firm_id, key))
            if is_alias:
                self.aliases[(firm_id, key)] = former_id
        self.alias_updates: list[tuple[int, dict[str, Any]]] = []
        text_blank = {name: "" for name in (
            "legacy_code", "county_name", "town", "address", "industry", "main_product",
            "legal_representative", "contact_person", "contact_phone", "size",
            "listing_status", "tags", "notes", "pinyin_initials", "pinyin_key")}
        self.tables: dict[str, NewRows] = {
            "enterprise": NewRows(Enterprise, {**text_blank, "is_demo": False,
                                                "created_at": now, "updated_at": now,
                                                "import_batch_id": batch_id}),
            "former_name": NewRows(FormerName, {}),
            **{entity: NewRows(MODELS[entity], {**defaults, "import_batch_id": batch_id})
               for entity, defaults in RECORD_DEFAULTS.items()},
        }
        # update and former-name Change rows, in plan order (ids given by the database)
        self.changes: list[tuple[Any, ...]] = []

    def allocate(self, entity: str) -> int:
        return next(self.ids[entity])

    def change(self, *, entity: str, entity_id: int, enterprise_id: int | None, action: str,
               field: str = "", old: Any = None, new: Any = None) -> None:
        self.changes.append((self.user, entity, entity_id, enterprise_id, action, field,
                             to_json(old), to_json(new)))

    def insert_rows(self, entity: str) -> None:
        """The table's rows collected so far (each table counts what it hands out)."""
        table = self.tables[entity]
        for columns, rows in table.take():
            self.bulk.insert_rows(table.table, columns, rows, constants=table.constants)

    def insert_created_changes(self, entity: str) -> None:
        """The Change rows saying that this batch created the table's new records (the
        enterprises' first, so that an enterprise's history starts at its creation),
        written by the database from the records themselves."""
        table = self.tables[entity]
        if table.first_id is None or table.last_id is None:
            return
        self.bulk.record_creations(
            table.table, first_id=table.first_id, last_id=table.last_id,
            owner="id" if entity == "enterprise" else "enterprise_id",
            identity=_IDENTITY[entity],
            change={"at": self.now, "user": self.user, "import_batch_id": self.batch_id})

    def insert_changes(self) -> None:
        """The updates' and former names' Change rows, in plan order."""
        self.bulk.insert_rows(Change.__table__, _CHANGE_FIELDS, self.changes,
                              constants={"at": self.now, "import_batch_id": self.batch_id})
        self.changes = []

    def update_many(self, model: Any, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Updates grouped by the set of fields they touch: one executemany per group."""
        table = model.__table__
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for record_id, values in rows:
            keys = tuple(sorted(values))
            groups.setdefault(keys, []).append(
                {"b_id": record_id, **{f"b_{k}": v for k, v in values.items()}})
        for keys, params in groups.items():
            statement = update(table).where(table.c.id == bindparam("b_id")).values(
                {k: bindparam(f"b_{k}") for k in keys})
            for start in range(0, len(params), CHUNK):
                self.session.execute(statement, params[start:start + CHUNK])


# what a created record's Change row keeps of it: enough to say which record it was (its
# 变更记录 line, also after the record is gone); the values themselves are in the record
_IDENTITY = {"enterprise": ("name", "credit_code"), "annual_figures": ("year",),
             "recognition": ("tier_code", "level", "batch_label", "batch_year"),
             "support_measure": ("kind", "name", "year"), "chain_role": ("chain_code", "role")}

RECORD_DEFAULTS = {
    "recognition": {"issuer": "", "batch_label": "", "batch_year": None, "is_review": False,
                    "is_pending": False,
                    "review_of_batch": "", "document_number": "", "recognized_on": None,
                    "valid_until": None, "revoked_on": None, "revoke_reason": "",
                    "chain_code": None, "rule_set": "", "note": "",
                    "valid_until_estimated": False},
    "annual_figures": {k: None for k in (
        "revenue", "main_revenue", "net_profit", "rd_expense", "employees", "rd_staff",
        "total_assets", "total_liabilities", "ip_class1", "ip_class2", "niche_years",
        "market_share", "equity_financing", "development_score", "domestic_rank",
        "lead_product_ratio", "national_rd_centers", "provincial_rd_centers",
        "national_award_rank", "provincial_award_rank", "ip_class1_high_value",
        "ip_class1_own", "municipal_rd_centers", "lower_rd_centers", "digital_level",
        "quality_items", "lead_field_class", "distinctive_score")} | {"note": ""},
    # (no status: every measure's values carry the one measures.clean gave it, by the date)
    "support_measure": {"name": "", "amount": None, "paid_on": None, "year": None,
                        "implementer": "", "implementer_level": "", "policy_basis": "",
                        "note": ""},
    "chain_role": {"note": ""},  # from Tiers's own 梯度培育企业名单 (its 所属产业链 column)
}
