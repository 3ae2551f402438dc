"""One enterprise's whole 档案 saved at once: its 基本信息 and the edits to its records
(梯度认定, 年度数据, 扶持措施, 产业链角色), in the caller's one transaction. The enterprise
window holds the edits until 保存 and hands them here; the rules stay in the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import ModuleType
from typing import Any

from sqlalchemy.orm import Session

from tiers.errors import InvalidInput
from tiers.services import chains, enterprises, figures, measures, recognitions
from tiers.services.errors import ValidationError
from tiers.text import fields
from tiers.text.dates import parse_date

NEW, SAVED, EDITED, DELETED = "new", "saved", "edited", "deleted"
# the order the form shows its fields in, so that messages read top to bottom
_FIELD_ORDER = ("credit_code", "name", "county", "founded_on")


@dataclass(frozen=True)
class RecordEdit:
    """One row of a record tab as the user left it: ``state`` is new / saved / edited /
    deleted; ``values`` what the form gave; ``revoke`` (reason, day) to revoke a recognition."""

    state: str
    record_id: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    original: Mapping[str, Any] = field(default_factory=dict)
    revoke: tuple[str, dt.date] | None = None


@dataclass(frozen=True)
class ProfileSaved:
    """What ``save_profile`` changed: the firm (new or its fields) and which records."""

    enterprise_id: int
    created: bool = False
    basic_fields: frozenset[str] = frozenset()
    records: frozenset[str] = frozenset()  # recognitions / figures / measures / chains


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


def save_profile(session: Session, enterprise_id: int | None, basic: Mapping[str, Any], *,
                 recognition_edits: Sequence[RecordEdit] = (),
                 figures_edits: Sequence[RecordEdit] = (),
                 measure_edits: Sequence[RecordEdit] = (),
                 chain_edits: Sequence[RecordEdit] = (),
                 user: str | None = None) -> ProfileSaved:
    """Create the firm (``enterprise_id`` None: ``basic`` is every field typed) or update the
    fields in ``basic`` (those the user changed), then apply the record edits. Raises
    ValidationError / NotFound; the caller's transaction then writes nothing."""
    created = enterprise_id is None
    values = typed_values(basic)
    if enterprise_id is None:
        enterprise_id = enterprises.create(
            session, {k: v for k, v in values.items() if v not in ("", None)}, user=user).id
        changed_fields = frozenset(values)
    elif values:
        changed_fields = frozenset(enterprises.update(session, enterprise_id, values,
                                                      user=user).fields)
    else:
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
    return ProfileSaved(enterprise_id, created=created, basic_fields=changed_fields,
                        records=frozenset(touched))


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
        year = int(edit.values["year"])
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
