"""The audit trail: who changed what, when, from which import."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import or_
from sqlalchemy.orm import Session

from tiers.model.orm import Change
from tiers.services import versions
from tiers.storage import officer
from tiers.storage.dialect import server_login


def changes_a_value() -> Any:
    """The change-log lines that change something: not a 数据包's marker line (an update
    whose old and new value are the same, which only says the package sent the value here:
    tiers.exchange.merge); the change history, 导入记录 and the undo leave those out."""
    return or_(Change.action != "update", Change.old_value.is_distinct_from(Change.new_value))


def current_user(session: Session | None = None) -> str:
    """Who is writing: on a server the database login (the server's triggers write it into
    the change log whatever a client sends; asked once per session), else the officer the
    client was told (设置 → 填报人, tiers.storage.officer: the command line's imports
    recorded the system account, root, tester28a #2), else the computer's user name."""
    login = server_login(session) if session is not None else None
    if login is not None:
        return login
    name = officer.read().name
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        # plain notation, as the import writes it: 100, not 1E+2; 12.5, not 12.5000
        return json.dumps(format(value.normalize(), "f"))
    if isinstance(value, (dt.date, dt.datetime)):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@dataclass
class Changed:
    """What one service call changed."""

    entity: str
    entity_id: int
    action: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.action != "update" or bool(self.fields)


def log(session: Session, *, entity: str, entity_id: int, enterprise_id: int | None,
        action: str, field_name: str = "", old: Any = None, new: Any = None,
        user: str | None = None, import_batch_id: int | None = None) -> None:
    session.add(Change(
        entity=entity, entity_id=entity_id, enterprise_id=enterprise_id, action=action,
        field=field_name, old_value=to_json(old), new_value=to_json(new),
        user=current_user(session) if user is None else user,
        import_batch_id=import_batch_id,
    ))
    if enterprise_id is not None:  # every write to a firm raises its version (no lost updates)
        versions.bump(session, enterprise_id)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        try:
            return old is not None and new is not None and Decimal(old) == Decimal(new)
        except (ArithmeticError, TypeError, ValueError):
            return False
    return old == new


def assign(session: Session, obj: Any, values: dict[str, Any], *, entity: str,
           enterprise_id: int | None, user: str | None = None,
           import_batch_id: int | None = None) -> Changed:
    """Set the given attributes on an existing record, logging each one that differs."""
    result = Changed(entity=entity, entity_id=obj.id, action="update")
    for name, new in values.items():
        old = getattr(obj, name)
        if _same(old, new):
            continue
        setattr(obj, name, new)
        result.fields[name] = (old, new)
        log(session, entity=entity, entity_id=obj.id, enterprise_id=enterprise_id,
            action="update", field_name=name, old=old, new=new, user=user,
            import_batch_id=import_batch_id)
    return result


def log_created(session: Session, obj: Any, *, entity: str, enterprise_id: int | None,
                user: str | None = None, import_batch_id: int | None = None) -> Changed:
    session.flush()
    snapshot = {c.key: getattr(obj, c.key) for c in obj.__table__.columns
                if c.key not in {"id", "version"} and getattr(obj, c.key) not in (None, "", False)}
    log(session, entity=entity, entity_id=obj.id, enterprise_id=enterprise_id,
        action="create", new=_jsonable(snapshot), user=user, import_batch_id=import_batch_id)
    return Changed(entity=entity, entity_id=obj.id, action="create",
                   fields={k: (None, v) for k, v in snapshot.items()})


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {k: from_json(to_json(v)) for k, v in values.items()}
