"""Bulk actions on the firms an officer selected (加入培育库, 设置包挂责任人, 记录扶持措施,
设置所属产业链/角色, 标记复核通过, 移入回收站; and 从回收站恢复, the 回收站's 恢复).

Each action is previewed first (per firm: what will be added or changed, or why it is
skipped), then applied in the caller's one transaction through the ordinary services, so
that every firm gets its entry in 变更记录 and its version raised. The whole action is
recorded as an import batch of kind ``bulk``: 导入记录 lists it and its 撤销 undoes it as a
group (importers.undo), like an import.

    draft = preview(session, "cultivate", ids, {"target_tier": "专精特新", "target_year": 2026})
    result = apply(session, "cultivate", ids, values)   # previews again under the write lock
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.model.orm import Change, Enterprise, ImportBatch, utcnow
from tiers.progress import Job, drain
from tiers.services import audit
from tiers.services.bulk_actions import ACTIONS, Action, Firm
from tiers.services.errors import ValidationError
from tiers.storage.import_locks import hold_county_locks, others_write_meanwhile
from tiers.storage.locking import write_lock
from tiers.storage.write_rights import write_rights
from tiers.text.lists import names_cut

BATCH_KIND = "bulk"
CHUNK = 900  # bound parameters per IN (…)
VIEWER_REFUSED = "您的账号没有这项操作的权限"
UNDO_HINT = "可在导入记录中撤销"  # each face may name its own way (BulkResult.summary)
NAMED = 3  # firms named in a result that names them (恢复); the rest as 等

__all__ = ["ACTIONS", "BATCH_KIND", "BulkItem", "BulkPreview", "BulkResult", "apply",
           "apply_steps", "hold_firms", "preview"]


@dataclass
class BulkItem:
    """One selected firm: ``change`` says what will be written, else ``skip`` why not."""

    enterprise_id: int
    name: str
    credit_code: str
    change: str = ""
    skip: str = ""
    outside: bool = False  # skipped as a firm the login may not change (a county's editor)
    uncounted: bool = False  # …being one without a county code (开发区) he is not granted


@dataclass
class BulkPreview:
    action: str
    label: str  # 加入培育库
    description: str  # 专精特新中小企业 2026年，包挂责任人 王明
    items: list[BulkItem] = field(default_factory=list)
    # what is recorded beyond what was given (扶持措施: {"status": "审核", ...}): Action.recorded
    recorded: dict[str, Any] = field(default_factory=dict)
    # what the officer should know before confirming, not a refusal (扶持措施: a category
    # that is not a known kind, and the known ones nearest to it): Action.notes
    notes: list[str] = field(default_factory=list)

    @property
    def changing(self) -> list[BulkItem]:
        return [item for item in self.items if not item.skip]

    @property
    def skipped(self) -> list[BulkItem]:
        return [item for item in self.items if item.skip]

    @property
    def outside(self) -> list[BulkItem]:
        """The firms skipped because the login may not change them."""
        return [item for item in self.skipped if item.outside]

    def outside_said(self) -> str:
        """其中 2 家属于其他县区、1 家未填区县， ("" when none): the login may not change them."""
        uncounted = sum(item.uncounted for item in self.outside)
        counties = len(self.outside) - uncounted
        parts = [*([f"{counties:,} 家属于其他县区"] if counties else []),
                 *([f"{uncounted:,} 家未填区县"] if uncounted else [])]
        return f"其中 {'、'.join(parts)}，" if parts else ""

    def summary(self) -> str:
        """将为 12 家企业加入培育库；跳过 3 家。"""
        text = f"将为 {len(self.changing):,} 家企业{self.label}"
        if self.skipped:
            text += f"；跳过 {len(self.skipped):,} 家（{self.outside_said()}原因见列表）"
        return "\n".join([text + "。", *(f"注意：{note}" for note in self.notes)])


@dataclass
class BulkResult:
    action: str
    label: str
    batch_id: int | None  # None: nothing was written
    changed: list[int] = field(default_factory=list)  # enterprise ids
    names: list[str] = field(default_factory=list)  # theirs, in the same order
    skipped: int = 0
    # the firms the officer's preview was to change that another user changed first (between
    # the preview and the write): name, why skipped now, who changed it last
    meanwhile: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self, undo_hint: str = UNDO_HINT) -> str:
        """What was done, in one line; ``undo_hint``: how the face undoes the batch (the
        GUI names its menu, the command line its command)."""
        words = ACTIONS.get(self.action)
        if self.batch_id is None:
            if words is not None and words.nothing_words and not self.meanwhile:
                text = words.nothing_words
            else:
                text = f"{self.label}：没有修改任何企业" if self.meanwhile else (
                    f"{self.label}：没有需要修改的企业")
        else:
            if words is not None and words.done_words:
                names = names_cut(self.names[:NAMED], len(self.names), counted=True)
                text = words.done_words.format(count=f"{len(self.changed):,}", names=names)
            else:
                text = f"{self.label}：已修改 {len(self.changed):,} 家企业"
            if self.skipped:
                text += f"，跳过 {self.skipped:,} 家"
            text += f"（批量操作 {self.batch_id}，{undo_hint}）"
        if self.meanwhile:  # the loser of a race was told 将为 1 家… then nothing (tester22)
            shown = [f"{name}：{why}" + (f"（{who} 刚刚修改）" if who else "")
                     for name, why, who in self.meanwhile[:10]]
            text += "。预览之后已由其他用户修改、这次未改的企业：" + names_cut(
                shown, len(self.meanwhile), joiner="；")
        return text


def action(name: str) -> Action:
    try:
        return ACTIONS[name]
    except KeyError:
        raise ValidationError({"action": f"未知的批量操作：{name}"}) from None


def preview(session: Session, name: str, enterprise_ids: Sequence[int],
            values: dict[str, Any]) -> BulkPreview:
    """What the action would do to each firm; nothing is written. Bad input raises
    ValidationError (naming the field) before any firm is looked at."""
    chosen = action(name)
    cleaned = chosen.clean(values)
    firms = _firms(session, enterprise_ids)
    rights = write_rights(session)
    context = chosen.load(session, [f.id for f in firms.values()], cleaned)
    draft = BulkPreview(action=name, label=chosen.label,
                        description=chosen.describe(cleaned),
                        recorded=chosen.recorded(cleaned), notes=chosen.notes(cleaned))
    for enterprise_id in dict.fromkeys(enterprise_ids):  # the selection's order, once each
        firm = firms.get(enterprise_id)
        if firm is None:
            draft.items.append(BulkItem(enterprise_id, "", "", skip="找不到该企业（可能已被删除）"))
            continue
        item = BulkItem(firm.id, firm.name, firm.credit_code)
        if not rights.allows(firm.county_code, firm.county_name, firm.credit_code):
            item.outside = rights.may_write
            item.uncounted = rights.may_write and not firm.county_code
            item.skip = VIEWER_REFUSED if not rights.may_write else (
                f"没有修改{firm.county_name or firm.county_code}企业的权限" if firm.county_code
                else rights.refusal_for(None, firm.county_name, firm.credit_code))
        elif firm.deleted and name != "trash" and not chosen.on_binned:
            item.skip = "在回收站中"
        else:
            item.change, item.skip = chosen.plan(firm, cleaned, context)
        draft.items.append(item)
    return draft


def apply(session: Session, name: str, enterprise_ids: Sequence[int],
          values: dict[str, Any], *, user: str | None = None,
          previewed: Collection[int] | None = None) -> BulkResult:
    """Do the action in the caller's transaction: previewed again under the write lock (what
    someone changed since the officer's preview counts), then each firm changed through the
    services, all under one import batch of kind ``bulk``. Nothing to change: no batch.
    ``previewed``: the firms the officer's preview was to change; those someone else
    changed since are named in the result (BulkResult.meanwhile)."""
    return drain(apply_steps(session, name, enterprise_ids, values, user=user,
                             previewed=previewed))


def apply_steps(session: Session, name: str, enterprise_ids: Sequence[int],
                values: dict[str, Any], *, user: str | None = None,
                previewed: Collection[int] | None = None) -> Job[BulkResult]:
    """``apply`` as a job: on a server it yields a ``Waiting`` (its stage says for whom)
    while another officer's import into one of the firms' counties holds its lock, so that
    the client can say why nothing happens yet."""
    write_lock(session)
    yield from hold_firms(session, enterprise_ids)
    draft = preview(session, name, enterprise_ids, values)
    chosen = action(name)
    result = BulkResult(action=name, label=draft.label, batch_id=None,
                        skipped=len(draft.skipped))
    who = audit.current_user(session) if user is None else user
    if previewed is not None:
        lost = [item for item in draft.skipped if item.enterprise_id in set(previewed)]
        last = _last_editors(session, [item.enterprise_id for item in lost])
        result.meanwhile = [(item.name, item.skip, last.get(item.enterprise_id, ""))
                            for item in lost]
    if not draft.changing:
        return result
    cleaned = chosen.clean(values)
    batch = ImportBatch(file_name=f"批量操作：{draft.label}"
                                  + (f"（{draft.description}）" if draft.description else ""),
                        sha256="", sheet="", kind=BATCH_KIND, user=who, created_at=utcnow(),
                        mapping=json.dumps({"action": name}, ensure_ascii=False))
    session.add(batch)
    session.flush()
    for item in draft.changing:
        chosen.write(session, item.enterprise_id, cleaned, user=who, import_batch_id=batch.id)
        result.changed.append(item.enterprise_id)
        result.names.append(item.name)
    batch.counts = json.dumps({"enterprises": len(result.changed), "skipped": result.skipped})
    session.flush()
    result.batch_id = batch.id
    return result


def _last_editors(session: Session, enterprise_ids: list[int]) -> dict[int, str]:
    """firm → the account of its newest change-log line (the colleague who just changed it)."""
    found: dict[int, str] = {}
    for start in range(0, len(enterprise_ids), CHUNK):
        newest = (select(Change.enterprise_id, func.max(Change.id).label("id"))
                  .where(Change.enterprise_id.in_(enterprise_ids[start:start + CHUNK]))
                  .group_by(Change.enterprise_id).subquery())
        found.update(session.execute(select(Change.enterprise_id, Change.user).join(
            newest, newest.c.id == Change.id)).all())
    return {firm: user for firm, user in found.items() if user}


def hold_firms(session: Session, enterprise_ids: Sequence[int]) -> Job[None]:
    """On a server other officers write meanwhile: wait for the imports, undos and packages
    into the firms' counties (their import locks, taken before they plan) and lock the
    firms' rows (a single firm's save claims its row first), in that order as they do, so
    that the preview reads what is committed and stays true until this commits. Without
    it a second bulk action logged the value it had read before the first one committed
    as the old value, and undoing it would bring that back over the first one's. On
    SQLite write_lock already holds the whole file."""
    if not others_write_meanwhile(session):
        return
    ids = sorted(set(enterprise_ids))
    counties = set()
    for start in range(0, len(ids), CHUNK):
        counties.update(session.scalars(select(Enterprise.county_code).where(
            Enterprise.id.in_(ids[start:start + CHUNK]))))
    # each poll yields a Waiting; ImportBusy after a long time
    yield from hold_county_locks(session, counties, kind="bulk")
    for start in range(0, len(ids), CHUNK):
        session.execute(select(Enterprise.id).where(Enterprise.id.in_(ids[start:start + CHUNK]))
                        .order_by(Enterprise.id).with_for_update())


def _firms(session: Session, enterprise_ids: Sequence[int]) -> dict[int, Firm]:
    ids = sorted(set(enterprise_ids))
    found: dict[int, Firm] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(select(
            Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.county_code,
            Enterprise.county_name, Enterprise.deleted_at)
            .where(Enterprise.id.in_(ids[start:start + CHUNK]))).all()
        for row in rows:
            found[row.id] = Firm(id=row.id, name=row.name, credit_code=row.credit_code,
                                 county_code=row.county_code, county_name=row.county_name,
                                 deleted=row.deleted_at is not None)
    return found
