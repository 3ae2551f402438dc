"""What an undo is made of: the plan (what it would remove, put back, keep, and why it may be
refused as a whole), its result, and the refusals; the tables an undo works on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from importers.errors import ImportRefused
from importers.undo.text import (
    blocked_message,
    nothing_to_undo_message,
    rights_refused_message,
)
from tiers.errors import Kind, NotFound
from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    CultivationEntry,
    Enterprise,
    FormerName,
    Recognition,
    SupportMeasure,
)
from tiers.services.audit import to_json

MODELS = {"enterprise": Enterprise, "recognition": Recognition, "annual_figures": AnnualFigures,
          "support_measure": SupportMeasure, "former_name": FormerName, "chain_role": ChainRole,
          "cultivation_entry": CultivationEntry}


class UndoRefused(ImportRefused):
    """An undo refused as a whole; nothing has been written. Either later imports still in
    effect build on what the batch wrote (``later_batches``, newest first: undo those
    first), or everything it wrote was edited by hand since and nothing would change.
    ``items`` holds what blocks or is kept, as in UndoResult.kept."""

    def __init__(self, message: str, *, batch_id: int, later_batches: list[int],
                 items: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.batch_id = batch_id
        self.later_batches = later_batches
        self.items = items


class BatchNotFound(ImportRefused, NotFound):
    """No import batch has that number."""

    kind = Kind.NOT_FOUND


@dataclass
class UndoResult:
    batch_id: int
    removed: dict[str, int] = field(default_factory=dict)
    restored: int = 0  # fields put back
    kept: list[dict[str, Any]] = field(default_factory=list)  # edited since: left as they are
    reinstated: int = 0  # records the batch deleted (a newer 数据包), put back
    # firms taken out of the 回收站 (a 数据包 or bulk action had binned them) / put back in
    unbinned: int = 0
    rebinned: int = 0
    # the first few firms the undo touches (removed, records removed or put back, fields
    # put back, in or out of the 回收站) and how many in all; the first few fields it puts
    # back (联系电话, 认定的有效期至) and how many kinds: the question names them
    firm_names: list[str] = field(default_factory=list)
    firm_count: int = 0
    field_names: list[str] = field(default_factory=list)
    field_count: int = 0
    # what putting the fields back does, in words (3 项小巨人认定由已认定改回公示中; 1 家企业的
    # 联系电话、地址改回导入前的值): the question said 还原的字段：认定的公示中 (tester28a #1)
    restore_words: list[str] = field(default_factory=list)
    # the batch's 公示中 recognitions kept (edited since): still 公示中 for a list that is
    # gone, so their firms still count as 已在公示中 — said, with what to do (tester23 #4)
    still_pending: list[str] = field(default_factory=list)  # 企业“…”的省级专精特新…认定
    still_pending_text: str = ""


@dataclass
class UndoPlan:
    """What undoing the batch would write; ``refusal()`` says whether it may."""

    batch_id: int
    user: str
    now: dt.datetime
    enterprises: list[int] = field(default_factory=list)  # created: removed with their records
    records: dict[str, list[int]] = field(default_factory=dict)  # added to firms that stay
    former_names: list[tuple[int, int]] = field(default_factory=list)  # (id, its firm's):
    # the undo removes them; the firms are named among those it touches
    restores: list[tuple[Any, str, list[dict[str, Any]]]] = field(default_factory=list)
    # (model, field, [{"b_id": id, "b_value": value before the batch}])
    renames: list[tuple[int, str]] = field(default_factory=list)  # names put back
    untrash: list[int] = field(default_factory=list)  # firms a bulk action moved to 回收站
    # what the batch created and stays (kept or blocked): the undo deletes the rest of the
    # batch's rows by batch, one statement per table
    spared_firms: list[int] = field(default_factory=list)
    spared_records: dict[str, list[int]] = field(default_factory=dict)
    # records the batch deleted (a package replacing a county's data), whole, to put back
    reinserts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)  # records by table, incl. those
    # going with their enterprise
    restored: int = 0  # fields put back
    unbinned: int = 0  # firms the undo takes out of the 回收站 (said as such, not as fields)
    rebinned: int = 0  # firms the undo puts back into it (a package had restored them)
    kept: list[dict[str, Any]] = field(default_factory=list)  # edited by hand since
    blocked: list[dict[str, Any]] = field(default_factory=list)  # built on by a later import
    # the firms it would change that the login may not (WriteRights.allows): refused whole
    # when any; the first few as items, and by why (the first few names, how many)
    rights_refused: list[dict[str, Any]] = field(default_factory=list)
    rights_refused_by_why: dict[str, list[str]] = field(default_factory=dict)
    rights_refused_counts: dict[str, int] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)  # the undo's Change rows, but
    # for the removed enterprises': apply_undo writes those from the table (one per firm)
    firm_names: list[str] = field(default_factory=list)  # as in UndoResult
    firm_count: int = 0
    field_names: list[str] = field(default_factory=list)
    field_count: int = 0
    restore_words: list[str] = field(default_factory=list)

    def log_change(self, entity: str, entity_id: int, enterprise_id: int | None, action: str,
                   field_name: str = "", old: Any = None, new: Any = None) -> None:
        self.log.append({"at": self.now, "user": self.user, "entity": entity,
                         "entity_id": entity_id, "enterprise_id": enterprise_id,
                         "action": action, "field": field_name, "old_value": to_json(old),
                         "new_value": to_json(new), "import_batch_id": None})

    def refusal(self) -> UndoRefused | None:
        """Why the plan must not be applied: later imports build on the batch, or it would
        keep everything and change nothing (the batch is then not marked undone for
        nothing), or it would change firms the login may not. None: it may."""
        if self.rights_refused:  # (first: undoing the later batches would not help him)
            return UndoRefused(rights_refused_message(
                self.batch_id, [(names, self.rights_refused_counts[why], why)
                                for why, names in self.rights_refused_by_why.items()]),
                batch_id=self.batch_id, later_batches=[], items=self.rights_refused)
        if self.blocked:
            later_batches = sorted({b for entry in self.blocked for b in entry["batches"]},
                                   reverse=True)
            return UndoRefused(blocked_message(self.batch_id, later_batches, self.blocked),
                               batch_id=self.batch_id, later_batches=later_batches,
                               items=self.blocked)
        nothing = (not self.restored and not self.restores and not self.enterprises
                   and not self.untrash and not self.reinserts
                   and not any(self.removed.values()))
        if nothing and self.kept:
            return UndoRefused(nothing_to_undo_message(self.batch_id, self.kept),
                               batch_id=self.batch_id, later_batches=[], items=self.kept)
        return None

    def rows_written(self) -> int:
        """The rows the plan deletes, puts back whole or puts fields back into (a row whose
        fields are put back counts once): how large a write its apply is."""
        return (len(self.enterprises) + sum(self.removed.values()) + len(self.reinserts)
                + len({(model, params["b_id"]) for model, _, put_back in self.restores
                       for params in put_back}))

    def result(self) -> UndoResult:
        return UndoResult(batch_id=self.batch_id,
                          removed={**self.removed, "enterprise": len(self.enterprises)},
                          restored=self.restored, kept=self.kept,
                          reinstated=len(self.reinserts), unbinned=self.unbinned,
                          rebinned=self.rebinned, firm_names=self.firm_names,
                          firm_count=self.firm_count, field_names=self.field_names,
                          field_count=self.field_count, restore_words=self.restore_words)
