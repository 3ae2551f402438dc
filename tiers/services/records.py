"""Shared create / update / delete for the records that hang off an enterprise
(recognitions, figures, support measures, chain roles, 培育库 entries)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from tiers.errors import InvalidInput
from tiers.model.orm import Base
from tiers.services import audit
from tiers.services.enterprises import get as get_enterprise
from tiers.services.errors import NotFound, ValidationError
from tiers.text.dates import fold, parse_date

Model = TypeVar("Model", bound=Base)


def create(session: Session, model: type[Model], enterprise_id: int, cleaned: dict[str, Any],
           *, user: str | None, import_batch_id: int | None) -> Model:
    get_enterprise(session, enterprise_id)
    extra = {"import_batch_id": import_batch_id} if hasattr(model, "import_batch_id") else {}
    record = model(enterprise_id=enterprise_id, **cleaned, **extra)
    session.add(record)
    session.flush()
    audit.log_created(session, record, entity=model.__tablename__, enterprise_id=enterprise_id,
                      user=user, import_batch_id=import_batch_id)
    return record


def fetch(session: Session, model: type[Model], record_id: int) -> Model:
    record = session.get(model, record_id)
    if record is None:
        raise NotFound(f"找不到记录（{model.__tablename__} {record_id}）")
    return record


def update(session: Session, model: type[Model], record_id: int, cleaned: dict[str, Any], *,
           user: str | None, import_batch_id: int | None) -> audit.Changed:
    record = fetch(session, model, record_id)
    return audit.assign(session, record, cleaned, entity=model.__tablename__,
                        enterprise_id=record.enterprise_id, user=user,
                        import_batch_id=import_batch_id)


def delete(session: Session, model: type[Model], record_id: int, *, user: str | None,
           import_batch_id: int | None = None) -> audit.Changed:
    record = fetch(session, model, record_id)
    snapshot = {c.key: getattr(record, c.key) for c in record.__table__.columns}
    audit.log(session, entity=model.__tablename__, entity_id=record.id,
              enterprise_id=record.enterprise_id, action="delete",
              old={k: audit.from_json(audit.to_json(v)) for k, v in snapshot.items()},
              user=user, import_batch_id=import_batch_id)
    session.delete(record)
    session.flush()
    return audit.Changed(entity=model.__tablename__, entity_id=record_id, action="delete")


# --- small validators, each adding a Chinese message to ``errors`` -------------------------

def text(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    return "" if value is None else str(value).strip()


QUANTA = {places: Decimal(1).scaleb(-places) for places in range(7)}  # by decimal places


def decimal(values: dict[str, Any], key: str, label: str, errors: dict[str, str], *,
            minimum: Decimal | None = None, maximum: Decimal | None = None,
            places: int = 4) -> Decimal | None:
    """A number rounded to the column's scale (``places``), so that what is stored is what
    is read back: otherwise a re-import of 3.25 into a 1-decimal column never matches."""
    value = values.get(key)
    if value is None or value == "":
        return None
    if type(value) is Decimal:  # an importer's parsed cell: no text to clean
        number = value
    else:
        try:
            # as typed with a Chinese input method in full-width mode (２０．５, 1，200):
            # fold makes it the number it reads as, as an import reads a cell
            number = Decimal(fold(str(value)).replace(",", ""))
        except InvalidOperation:
            errors[key] = f"{label}应为数字：{value}"
            return None
    if not number.is_finite():
        errors[key] = f"{label}应为数字：{value}"
        return None
    try:
        number = number.quantize(QUANTA.get(places) or Decimal(1).scaleb(-places),
                                 rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than the context holds (28): no real figure is
        errors[key] = f"{label}数值过大：{value}"
        return None
    if minimum is not None and number < minimum:
        errors[key] = f"{label}不能小于 {minimum}：{value}"
    if maximum is not None and number > maximum:
        errors[key] = f"{label}不能大于 {maximum}：{value}"
    return number


def integer(values: dict[str, Any], key: str, label: str, errors: dict[str, str], *,
            minimum: int | None = 0, maximum: int | None = None) -> int | None:
    number = decimal(values, key, label, errors, places=6)
    if number is None:
        return None
    if number != number.to_integral_value():
        errors[key] = f"{label}应为整数：{values.get(key)}"
        return None
    result = int(number)
    if minimum is not None and result < minimum:
        errors[key] = f"{label}不能小于 {minimum}：{result}"
    if maximum is not None and result > maximum:
        errors[key] = f"{label}不能大于 {maximum}：{result}"
    return result


def year(values: dict[str, Any], key: str, label: str, errors: dict[str, str]) -> int | None:
    value = values.get(key)
    if isinstance(value, str):  # 2024年 and 2024年度, as an officer writes a year
        digits = fold(value).removesuffix("年度").removesuffix("年")
        if digits.isdigit():  # (anything else is refused as it was typed: 去年)
            values = {**values, key: digits}
    return integer(values, key, label, errors, minimum=1949, maximum=dt.date.today().year + 5)


def date(values: dict[str, Any], key: str, label: str, errors: dict[str, str]) -> dt.date | None:
    value = values.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:  # the one reader of a typed date, with its one message
        return parse_date(str(value))
    except InvalidInput as exc:
        errors[key] = f"{label}：{exc}"
        return None


def choice(values: dict[str, Any], key: str, label: str, options: tuple[str, ...],
           errors: dict[str, str], *, required: bool = False) -> str:
    value = text(values, key)
    if not value:
        if required:
            errors[key] = f"{label}不能为空"
        return ""
    if value not in options:
        errors[key] = f"{label}应为{'、'.join(options)}之一：{value}"
    return value


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)
