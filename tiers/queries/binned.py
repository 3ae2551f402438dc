"""Who moved a firm to the 回收站 and when, read from the change log: the 回收站's own
columns (移入时间, 操作人) and the enterprise window's answer to a save of a firm a
colleague moved there meanwhile. A firm goes to the 回收站 by a delete (企业库's 删除, the
bulk action 移入回收站: action "delete") or by a 数据包 its county no longer sends (an
update of deleted_at); the newest such line is the one that put it there now, unless it
put back the moment a 恢复 took away (the undo of that 恢复): then the move that set it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.services.audit import from_json
from tiers.text.values import show

CHUNK = 900  # bound parameters per IN (…)


@dataclass(frozen=True)
class Binned:
    """When the firm went to the 回收站 (the firm's own deleted_at) and by whom (the
    account of the change-log line, "" when none is recorded), with the batch it came in."""

    at: dt.datetime | None
    user: str = ""
    import_batch_id: int | None = None
    batch_kind: str = ""

    @property
    def by(self) -> str:
        """The account, and the bulk action or package it came in: liyang02（批量操作 5）."""
        what = ""
        if self.import_batch_id is not None:
            what = {"bulk": f"批量操作 {self.import_batch_id}",
                    "package": f"数据包，导入批次 {self.import_batch_id}"}.get(
                self.batch_kind, f"导入批次 {self.import_batch_id}")
        if not self.user:
            return f"（{what}）" if what else ""
        return f"{self.user}（{what}）" if what else self.user

    def words(self) -> str:
        """由 liyang02 于 2026-12-07 10:05 移入回收站 (what is known of it)."""
        who = f"由 {self.by}" if self.by else ""
        if who and not who.endswith("）"):  # (no space after a closing bracket)
            who += " "
        when = f"于 {show(self.at, 'datetime')} " if self.at else ""
        return f"已{who}{when}移入回收站"


# the lines that move a firm into the 回收站 or out of it: a delete (企业库's 删除, the bulk
# action 移入回收站), a 恢复 (one firm's: "restore"; a batch's: deleted_at set to null), a
# 数据包's or an undo's update of deleted_at
_IN_OR_OUT = or_(Change.action.in_(("delete", "restore")),
                 and_(Change.action == "update", Change.field == "deleted_at"))


def _binning_line(lines: list) -> object | None:
    """Of one firm's lines (oldest first), the one that put it in the 回收站 as it is now.
    An undo of a 恢复 puts back the moment the firm had gone there (deleted_at set to what
    the 恢复 took away): that is the earlier move coming back, not a move of the undoer's;
    the 回收站 showed that moment beside the undoer's name (review26)."""
    current = None
    taken_out: list[tuple[object | None, object]] = []  # (the move, the moment it set)
    for line in lines:
        if line.action == "delete":
            current = line
        elif line.action == "restore":
            taken_out.append((current, None))
            current = None
        else:
            new = from_json(line.new_value)
            if new is None:  # out of the 回收站 (a batch's 恢复, a 数据包 sending it again)
                taken_out.append((current, from_json(line.old_value)))
                current = None
            elif taken_out and taken_out[-1][1] == new:  # the moment put back: that move
                current = taken_out.pop()[0] or line
            else:
                current = line
    return current


def binned(session: Session, enterprise_ids: list[int]) -> dict[int, Binned]:
    """The firms of ``enterprise_ids`` that are in the 回收站: when and by whom, by firm
    (the moment is the firm's own deleted_at; the account and batch are those of the move
    that set it)."""
    found: dict[int, Binned] = {}
    ids = sorted(set(enterprise_ids))
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        moments = dict(session.execute(select(Enterprise.id, Enterprise.deleted_at).where(
            Enterprise.id.in_(part), Enterprise.deleted_at.is_not(None))).all())
        if not moments:
            continue
        by_firm: dict[int, list] = {}
        for row in session.execute(
                select(Change.entity_id, Change.action, Change.old_value, Change.new_value,
                       Change.user, Change.import_batch_id, ImportBatch.kind)
                .outerjoin(ImportBatch, ImportBatch.id == Change.import_batch_id)
                .where(Change.entity == "enterprise", Change.entity_id.in_(list(moments)),
                       _IN_OR_OUT)
                .order_by(Change.id)):
            by_firm.setdefault(row.entity_id, []).append(row)
        for firm, at in moments.items():
            line = _binning_line(by_firm.get(firm, []))
            found[firm] = Binned(at, line.user or "", line.import_batch_id,
                                 line.kind or "") if line else Binned(at)
    return found


def purged(session: Session, enterprise_id: int) -> tuple[str, dt.datetime | None, str]:
    """(name, when, by whom) of a firm deleted for good, from its 彻底删除 line; ("", None,
    "") when the log has none."""
    line = session.execute(
        select(Change.old_value, Change.at, Change.user)
        .where(Change.entity == "enterprise", Change.entity_id == enterprise_id,
               Change.action == "purge").order_by(Change.id.desc()).limit(1)).first()
    if line is None:
        return "", None, ""
    old = from_json(line.old_value) or {}
    return str(old.get("name") or ""), line.at, line.user or ""
