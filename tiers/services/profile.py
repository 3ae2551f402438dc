"""One enterprise's whole 档案 saved at once: its 基本信息 and the edits to its records
(梯度认定, 年度数据, 扶持措施, 产业链角色), in the caller's one transaction. The enterprise
window holds the edits until 保存 and hands them here; the rules stay in the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tiers.errors import Conflict, InvalidInput, NotFound
from tiers.model.orm import Enterprise, ProfileSave
from tiers.queries import binned, history, profiles
from tiers.services import chains, enterprises, figures, measures, recognitions, versions
from tiers.services.errors import ValidationError
from tiers.services.profile_merge import (  # noqa: F401 - the window's names for them
    DELETED,
    EDITED,
    NEW,
    SAVED,
    Choice,
    FieldConflict,
    ProfileConflict,
    RecordEdit,
    Resolutions,
    rebase,
)
from tiers.storage.dialect import database_now
from tiers.storage.locking import hold_save_token
from tiers.text import fields
from tiers.text.dates import parse_date
from tiers.text.values import show

# the order the form shows its fields in, so that messages read top to bottom
_FIELD_ORDER = ("credit_code", "name", "county", "founded_on")


@dataclass(frozen=True)
class ProfileBase:
    """What the window read and the officer edited from: the firm's version and profile
    (``load``). A save against an older version merges (tiers.services.profile_merge)."""

    version: int
    profile: Mapping[str, Any]
    # the firm's newest change-log line then: who saved since is read from the lines after
    last_change: int | None = None


@dataclass(frozen=True)
class ProfileSaved:
    """What ``save_profile`` changed: the firm (new or its fields) and which records."""

    enterprise_id: int
    created: bool = False
    basic_fields: frozenset[str] = frozenset()
    records: frozenset[str] = frozenset()  # recognitions / figures / measures / chains
    # another officer's changes saved meanwhile and kept (merged by themselves), by label
    merged_theirs: tuple[str, ...] = ()


ALREADY_SAVED = "上一次保存在连接中断前其实已经写入，这次没有再写入（以免重复）"


class AlreadySaved(Conflict):
    """The save's token is stored: the same edits were saved before (by a save whose answer
    the server's connection lost at the commit). Nothing was written this time; the caller
    reads the firm back (``enterprise_id``: None when the other save committed only while
    this one ran, and ``saved_firm`` finds it)."""

    def __init__(self, enterprise_id: int | None) -> None:
        super().__init__(ALREADY_SAVED)
        self.enterprise_id = enterprise_id


class FirmBinned(NotFound):
    """The firm saved was moved to the 回收站 since the window read it (by a colleague, a
    bulk action, a 数据包): nothing was written; restored, the same edits save again.
    ``binned`` says when and by whom (tiers.queries.binned)."""

    def __init__(self, name: str, moved: binned.Binned) -> None:
        super().__init__(f"“{name}”{moved.words()}，这次没有保存" if name
                         else f"这家企业{moved.words()}，这次没有保存")
        self.name, self.binned = name, moved


class FirmPurged(NotFound):
    """The firm saved was deleted for good (from the 回收站) since the window read it:
    nothing was written, and it cannot be restored."""

    def __init__(self, name: str, at: Any = None, by: str = "") -> None:
        who = f"由 {by} " if by else ""
        when = f"于 {show(at, 'datetime')} " if at else ""
        firm = f"“{name}”" if name else "这家企业"
        super().__init__(f"{firm}已{who}{when}彻底删除（不在回收站中，无法恢复），这次没有保存")
        self.name = name


def refuse_a_firm_not_there(session: Session, enterprise_id: int) -> None:
    """FirmBinned / FirmPurged for a firm that is in the 回收站 or gone for good: a save
    into it said only 找不到企业（编号 3） (tester25)."""
    firm = session.execute(select(Enterprise.name, Enterprise.deleted_at)
                           .where(Enterprise.id == enterprise_id)).first()
    if firm is None:
        raise FirmPurged(*binned.purged(session, enterprise_id))
    if firm.deleted_at is not None:
        raise FirmBinned(firm.name, binned.binned(session, [enterprise_id])[enterprise_id])


def saved_firm(session: Session, token: str) -> int | None:
    """The firm the save with this token wrote (None: no such save got in)."""
    return session.execute(select(ProfileSave.enterprise_id).where(ProfileSave.token == token)
                           ).scalar_one_or_none()


def _refuse_a_save_again(session: Session, token: str) -> None:
    firm = saved_firm(session, token)
    if firm is not None:
        raise AlreadySaved(firm)


def _record_token(session: Session, token: str, enterprise_id: int) -> None:
    """The token, in the save's own transaction: written with the save or not at all."""
    session.flush()  # the save's own rows first: an IntegrityError below is the token's
    # stamped by the database's clock, as the pruning reads it: a PC whose clock runs late
    # must not write a token the next colleague's save takes for a month old
    session.add(ProfileSave(token=token, enterprise_id=enterprise_id,
                            at=database_now(session.connection())))
    try:
        session.flush()
    except IntegrityError:
        # the same save, still running on the server when its answer was lost, committed
        # while this one waited on the token's key: the caller's rollback drops this one
        raise AlreadySaved(None) from None
    prune_tokens(session, enterprise_id)


# how long a save's token is kept: a 保存 sent again after a lost answer comes within
# minutes (the window keeps its token until a save gets in); a month is a wide margin
TOKENS_KEPT = dt.timedelta(days=30)


def prune_tokens(session: Session, enterprise_id: int, *, now: dt.datetime | None = None
                 ) -> int:
    """Drop the tokens older than TOKENS_KEPT of the firms in ``enterprise_id``'s county
    (those whose county is the same, none for none), in the save's own transaction: the
    table holds about a month of saves, not every save ever (migration 0011 kept them all).
    Only that county's: whoever saves this firm may change its county's records (on a
    server an editor's other counties' rows would be refused by the guard, failing the
    save). How many went. The month is the database's (a shared server's clock), not this
    computer's: one running a month ahead dropped a colleague's fresh token (review26)."""
    cutoff = (now or database_now(session.connection())) - TOKENS_KEPT
    county = session.scalar(select(Enterprise.county_code).where(Enterprise.id == enterprise_id))
    same_county = select(Enterprise.id).where(
        Enterprise.id == ProfileSave.enterprise_id,
        Enterprise.county_code.is_not_distinct_from(county)).exists()
    return session.execute(delete(ProfileSave).where(ProfileSave.at < cutoff, same_county)
                           .execution_options(synchronize_session=False)).rowcount


def _date_problem(error: InvalidInput) -> str:
    """成立日期：无法识别的日期（…）：… — the date reader's message, as the services give it."""
    return f"{fields.label('enterprise', 'founded_on')}：{error}"


def typed_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """基本信息 as typed into a form (text) in the types the services take: the date parsed."""
    out = dict(values)
    if isinstance(out.get("founded_on"), str):
        try:
            out["founded_on"] = parse_date(out["founded_on"])
        except InvalidInput as exc:
            raise ValidationError({"founded_on": _date_problem(exc)}) from None
    return out


def check_basic(values: Mapping[str, str]) -> dict[str, str]:
    """Every problem of the 基本信息 as typed, by field, without writing: the same rules
    ``enterprises.create`` / ``update`` apply (shown while typing)."""
    errors: dict[str, str] = {}
    to_check: dict[str, Any] = {"name": values.get("name", "")}
    if values.get("credit_code"):
        to_check["credit_code"] = values["credit_code"]
    else:
        errors["credit_code"] = "请填写统一社会信用代码"
    try:
        to_check["founded_on"] = parse_date(values.get("founded_on", ""))
    except InvalidInput as exc:
        errors["founded_on"] = _date_problem(exc)
    try:
        enterprises.clean_values(to_check, partial=True)
    except ValidationError as exc:
        errors = {**exc.fields, **errors}
    order = {key: number for number, key in enumerate(_FIELD_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))


def load(session: Session, enterprise_id: int) -> ProfileBase:
    """The firm's profile for editing, with the version it goes with. The version is read
    first: a save committed in between makes the profile newer than its version (at worst
    a needless merge), never older (a missed conflict)."""
    version = versions.current(session, enterprise_id)
    last = history.last_change(session, enterprise_id)
    return ProfileBase(version, profiles.profile(session, enterprise_id), last)


def save_profile(session: Session, enterprise_id: int | None, basic: Mapping[str, Any], *,
                 recognition_edits: Sequence[RecordEdit] = (),
                 figures_edits: Sequence[RecordEdit] = (),
                 measure_edits: Sequence[RecordEdit] = (),
                 chain_edits: Sequence[RecordEdit] = (),
                 user: str | None = None, base: ProfileBase | None = None,
                 resolutions: Resolutions | None = None,
                 token: str | None = None) -> ProfileSaved:
    """Create the firm (``enterprise_id`` None: ``basic`` is every field typed) or update the
    fields in ``basic`` (those the user changed), then apply the record edits. Raises
    ValidationError / NotFound (FirmBinned: the firm is in the 回收站; FirmPurged: deleted
    for good); the caller's transaction then writes nothing.

    With ``base`` (what the edits were made from), the firm is first locked and its version
    checked: if another officer saved it meanwhile, the edits are merged over what is stored
    (their changes kept); where both changed the same thing differently, ProfileConflict is
    raised with each place, unless ``resolutions`` made on this very version settle it.

    ``token`` (the window's, one per set of edits) is stored with the save; a save whose
    token is stored already raises AlreadySaved and writes nothing: a 保存 again after one
    whose answer was lost at the commit adds no 梯度认定, 扶持措施 or firm a second time."""
    if token is not None:
        hold_save_token(session, token)  # (on a server: a save of it still running ends first)
        _refuse_a_save_again(session, token)
    created = enterprise_id is None
    merged_theirs: tuple[str, ...] = ()
    if enterprise_id is not None:
        refuse_a_firm_not_there(session, enterprise_id)
    if base is not None and enterprise_id is not None:
        edits = {"recognitions": recognition_edits, "figures": figures_edits,
                 "measures": measure_edits, "chains": chain_edits}
        was = versions.claim(session, enterprise_id)
        # (again under the row's lock: a colleague's 删除 may have committed in between)
        refuse_a_firm_not_there(session, enterprise_id)
        if was != base.version:
            choices = resolutions.choices if resolutions and resolutions.version == was else {}
            rebased = rebase(base.profile, profiles.profile(session, enterprise_id), basic,
                             edits, choices)
            if rebased.conflicts:
                raise ProfileConflict(rebased.conflicts, version=was, merged=rebased.merged,
                                      by=history.changed_by_since(session, enterprise_id,
                                                                  base.last_change))
            basic, merged_theirs = rebased.basic, tuple(rebased.merged)
            recognition_edits, figures_edits = rebased.edits["recognitions"], rebased.edits[
                "figures"]
            measure_edits, chain_edits = rebased.edits["measures"], rebased.edits["chains"]
    values = typed_values(basic)
    if enterprise_id is None:
        enterprise_id = enterprises.create(
            session, {k: v for k, v in values.items() if v not in ("", None)}, user=user).id
        changed_fields = frozenset(values)
    elif values:  # (update asks whether the login may change the firm, and move it)
        changed_fields = frozenset(enterprises.update(session, enterprise_id, values,
                                                      user=user).fields)
    else:  # its records alone: the firm as it is must be the login's all the same
        enterprises.check_may_change_firm(session, enterprise_id)
        changed_fields = frozenset()
    touched = set()
    for name, edits, apply in (("recognitions", recognition_edits, _save_recognition),
                               ("figures", figures_edits, _save_figures),
                               ("measures", measure_edits, partial(_save_record, measures)),
                               ("chains", chain_edits, _save_chain_role)):
        for edit in edits:
            if edit.state != SAVED or edit.revoke:
                apply(session, enterprise_id, edit, user)
                touched.add(name)
    if token is not None:
        _record_token(session, token, enterprise_id)
    return ProfileSaved(enterprise_id, created=created, basic_fields=changed_fields,
                        records=frozenset(touched), merged_theirs=merged_theirs)


def _save_record(service: ModuleType, session: Session, enterprise_id: int, edit: RecordEdit,
                 user: str | None) -> None:
    """One record of a service with add/edit/delete (recognitions, measures)."""
    if edit.state == NEW:
        service.add(session, enterprise_id, dict(edit.values), user=user)
    elif edit.state == EDITED:
        service.edit(session, edit.record_id, dict(edit.values), user=user)
    elif edit.state == DELETED:
        service.delete(session, edit.record_id, user=user)


def _save_recognition(session: Session, enterprise_id: int, edit: RecordEdit,
                      user: str | None) -> None:
    _save_record(recognitions, session, enterprise_id, edit, user)
    if edit.revoke and edit.state != DELETED and edit.record_id:
        reason, on = edit.revoke
        recognitions.revoke(session, edit.record_id, reason=reason, on=on, user=user)


def _save_figures(session: Session, enterprise_id: int, edit: RecordEdit,
                  user: str | None) -> None:
    if edit.state == DELETED:
        figures.delete(session, edit.record_id, user=user)
    elif edit.state in {NEW, EDITED}:
        year = figures.clean_record(edit.values)["year"]  # 2024年 as typed in the form
        if edit.state == EDITED and year != edit.original.get("year"):
            figures.delete(session, edit.record_id, user=user)  # moved to another year
        figures.set_year(session, enterprise_id, year,
                         {k: v for k, v in edit.values.items() if k != "year"}, user=user)


def _save_chain_role(session: Session, enterprise_id: int, edit: RecordEdit,
                     user: str | None) -> None:
    if edit.state == DELETED:
        chains.remove(session, edit.record_id, user=user)
    elif edit.state in {NEW, EDITED}:
        chains.set_role(session, enterprise_id, edit.values["chain_code"], edit.values["role"],
                        note=edit.values.get("note") or "", user=user)
