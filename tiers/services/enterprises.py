"""Create, edit, soft-delete and restore enterprises."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tiers.errors import InvalidInput, Refused
from tiers.model import credit_code, reference
from tiers.model.names import clean_display, name_key
from tiers.model.orm import Enterprise, FormerName, utcnow
from tiers.model.pinyin import initials, sort_key
from tiers.services import audit
from tiers.services.errors import NotFound, ValidationError
from tiers.storage.write_rights import write_rights
from tiers.text import fields
from tiers.text.dates import parse_date

ENTITY = "enterprise"

# Plain text fields a user may edit, with their Chinese labels (used in messages and forms).
TEXT_FIELDS = fields.labels(ENTITY, (
    "town", "address", "industry", "main_product", "legal_representative", "contact_person",
    "contact_phone", "size", "listing_status", "tags", "notes", "legacy_code"))
FIELD_LABELS = {**fields.labels(ENTITY, ("credit_code", "name", "county", "founded_on")),
                **TEXT_FIELDS}
EDITABLE = {"credit_code", "name", "county", "county_code", "county_name", "founded_on",
            *TEXT_FIELDS}


def _clean_name(raw: Any, out: dict[str, Any], errors: dict[str, str]) -> None:
    """The name, with the keys it is matched and sorted by."""
    name = clean_display(raw)
    if not name:
        errors["name"] = "企业名称不能为空"
    elif len(name) > 200:
        errors["name"] = "企业名称过长（超过200字）"
    else:
        out["name"] = name
        out["name_key"] = name_key(name)
        out["pinyin_initials"] = initials(name)
        out["pinyin_key"] = sort_key(name)


def _clean_county_code(raw: str | None, out: dict[str, Any], errors: dict[str, str]) -> None:
    """A county-level division code; a code since replaced counts as its successor."""
    code = (raw or "").strip() or None
    if code is None:
        out["county_code"] = None
        return
    division = reference.division(code)
    if division is None or division.level != "县级":
        errors["county"] = f"县级行政区划代码无效：{code}"
        return
    out["county_code"] = division.replaced_by or code
    current = reference.division(out["county_code"])
    out["county_name"] = current.name if current else division.name


def _clean_county(values: dict[str, Any], out: dict[str, Any], errors: dict[str, str]) -> None:
    """The county from a name or code (``county``), a code, or a name alone."""
    if "county" in values:
        out["county_code"], out["county_name"] = reference.resolve_county(values["county"])
    if "county_code" in values:
        _clean_county_code(values["county_code"], out, errors)
    elif "county_name" in values:
        out["county_code"], out["county_name"] = reference.resolve_county(values["county_name"])


def _clean_founded(founded: Any, out: dict[str, Any], errors: dict[str, str]) -> None:
    if founded is not None and not isinstance(founded, dt.date):
        try:  # a date as typed: the one reader, with its one message
            founded = parse_date(str(founded))
        except InvalidInput as exc:
            errors["founded_on"] = f"{fields.label('enterprise', 'founded_on')}：{exc}"
            return
    if founded is not None and founded > dt.date.today():
        errors["founded_on"] = "成立日期不能晚于今天"
    else:
        out["founded_on"] = founded


def clean_values(values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate and normalise user input; raise ValidationError naming every bad field."""
    unknown = set(values) - EDITABLE
    if unknown:
        raise ValidationError({k: f"未知字段：{k}" for k in sorted(unknown)})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if "credit_code" in values or not partial:
        try:
            out["credit_code"] = credit_code.validate(values.get("credit_code"))
        except credit_code.CreditCodeError as exc:
            errors["credit_code"] = str(exc)
    if "name" in values or not partial:
        _clean_name(values.get("name"), out, errors)
    _clean_county(values, out, errors)
    if "founded_on" in values:
        _clean_founded(values["founded_on"], out, errors)
    for key in TEXT_FIELDS:
        if key in values:
            out[key] = "" if values[key] is None else str(values[key]).strip()
    sizes = reference.pick_lists()["enterprise_sizes"]
    if out.get("size") and out["size"] not in sizes:
        errors["size"] = f"企业规模应为{'/'.join(sizes)}之一"
    if errors:
        raise ValidationError(errors)
    return out


def get(session: Session, enterprise_id: int, *, include_deleted: bool = False) -> Enterprise:
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None or (enterprise.deleted_at is not None and not include_deleted):
        raise NotFound(f"找不到企业（编号 {enterprise_id}）")
    return enterprise


def by_code(session: Session, code: str, *, include_deleted: bool = False) -> Enterprise:
    normalised = credit_code.normalise(code)
    enterprise = session.scalar(select(Enterprise).where(Enterprise.credit_code == normalised))
    if enterprise is None or (enterprise.deleted_at is not None and not include_deleted):
        raise NotFound(f"找不到统一社会信用代码为 {normalised} 的企业")
    return enterprise


def _check_code_free(session: Session, code: str, own_id: int | None) -> None:
    other = session.scalar(select(Enterprise).where(Enterprise.credit_code == code))
    if other is not None and other.id != own_id:
        where = "（在回收站中）" if other.deleted_at else ""
        raise ValidationError({"credit_code": f"统一社会信用代码 {code} 已属于“{other.name}”{where}"})


def create(session: Session, values: dict[str, Any], *, user: str | None = None,
           import_batch_id: int | None = None, is_demo: bool = False) -> Enterprise:
    cleaned = clean_values(values, partial=False)
    _check_code_free(session, cleaned["credit_code"], None)
    _check_may_leave_uncounted(session, cleaned, cleaned["credit_code"])
    enterprise = Enterprise(**cleaned, is_demo=is_demo, import_batch_id=import_batch_id)
    session.add(enterprise)
    session.flush()
    audit.log_created(session, enterprise, entity=ENTITY, enterprise_id=enterprise.id,
                      user=user, import_batch_id=import_batch_id)
    return enterprise


def _town_county(session: Session, town: str, enterprise: Enterprise) -> str | None:
    """The county ``town`` is in, by the firms that have it (the firm itself, still in its
    old county, among them): the one with most, or None for a town no firm has."""
    if enterprise.town == town and enterprise.county_name:
        return enterprise.county_name
    found = session.execute(
        select(Enterprise.county_name, func.count()).where(
            Enterprise.town == town, Enterprise.deleted_at.is_(None),
            Enterprise.county_name != "")
        .group_by(Enterprise.county_name).order_by(func.count().desc(),
                                                   Enterprise.county_name)).first()
    return found[0] if found else None


def _check_town_in_county(session: Session, enterprise: Enterprise,
                          cleaned: dict[str, Any]) -> None:
    """A firm moved to another county keeps no town of the old one (a 武进区 town on a
    新北区 firm, unnoticed): refused, whether the town was sent again or left as it was,
    unless a firm of the new county has that town too. No list of towns per county exists
    (divisions.csv stops at counties): the firms' own towns are the only record."""
    new_code = cleaned.get("county_code", enterprise.county_code)
    new_name = cleaned.get("county_name", enterprise.county_name) or ""
    if (new_code, new_name) == (enterprise.county_code, enterprise.county_name or ""):
        return
    town = cleaned.get("town", enterprise.town) or ""
    if not town or not new_name:
        return
    in_new_county = session.scalar(select(Enterprise.id).where(
        Enterprise.town == town, Enterprise.deleted_at.is_(None), Enterprise.id != enterprise.id,
        Enterprise.county_name == new_name).limit(1))
    if in_new_county is not None:
        return
    home = _town_county(session, town, enterprise)
    if home is None or home == new_name:
        return
    raise ValidationError({"town": (
        f"镇街“{town}”属于{home}，不属于{new_name}：县区改为{new_name}时，请同时把镇街改为"
        f"{new_name}的镇街或清空")})


def _check_may_leave_uncounted(session: Session, cleaned: dict[str, Any],
                               credit_code: str) -> None:
    """A firm entered without a county code by an editor who may not write such firms:
    refused at the county, saying why and who may (tester27: the server's policy could
    only say “没有修改您负责的区县以外企业的权限”, with the county left blank). The officer
    enters it by hand: taken in, as the unit's rule counts it (existing). (His firm moved
    out of every county is the server's guard's: “不能把企业改到武进区以外的区县”.)"""
    if cleaned.get("county_code"):
        return  # a county's firm: the server's guard names the county
    rights = write_rights(session)
    if rights.counties is None or not rights.may_write:
        return  # a file, an admin; a viewer is refused whole elsewhere
    refusal = rights.refusal_for(None, cleaned.get("county_name"), credit_code)
    if refusal:
        raise ValidationError({"county": refusal})


def check_may_change(session: Session, enterprise: Enterprise,
                     cleaned: dict[str, Any] | None = None) -> None:
    """The firm as it is and as it would be (its county moved, its credit code changed)
    must both be the login's, as WriteRights.allows says for imports, bulk actions and 数据核查
    alike: the bureau's own officer may write only the firms without a county the unit's
    rule places in the unit (a 溧阳经济开发区 firm is not 武进区's), though the server lets
    him write them all (WriteRights.server_writes; review28). Refused here where the
    server would let it through: as it is, whole (Refused: the firm window opens such a
    firm read-only); where it goes, at the field that moves it. Where the server refuses
    too (another county's firm, a move out of his counties) its guard says so. Without
    ``cleaned``: the firm as it is (the firm window's save of its records alone)."""
    cleaned = cleaned or {}
    rights = write_rights(session)
    if rights.counties is None or not rights.may_write:
        return  # a file, an admin; a viewer is refused whole elsewhere
    before = (enterprise.county_code, enterprise.county_name, enterprise.credit_code)
    if not rights.allows(*before) and rights.server_writes(before[0]):
        raise Refused(rights.refusal_for(*before))
    after = (cleaned.get("county_code", before[0]), cleaned.get("county_name", before[1]),
             cleaned.get("credit_code", before[2]))
    if after == before or rights.allows(*after) or not rights.server_writes(after[0]):
        return
    refusal = rights.refusal_for(*after)
    if after[:2] != before[:2]:
        moved = f"改为“{after[1]}”后" if after[1] else "清空后"
        raise ValidationError({"county": f"{moved}，{refusal}"})
    raise ValidationError({"credit_code": f"改为 {after[2]} 后，{refusal}"})


def check_may_change_firm(session: Session, enterprise_id: int) -> None:
    """``check_may_change`` of the firm as it is, by its number: a write of one of its
    records alone (the 培育库's and the 产业链's pages, the firm window's record tabs)."""
    firm = session.get(Enterprise, enterprise_id)
    if firm is not None:  # (gone: the write itself says so)
        check_may_change(session, firm)


def update(session: Session, enterprise_id: int, values: dict[str, Any], *,
           user: str | None = None, import_batch_id: int | None = None) -> audit.Changed:
    enterprise = get(session, enterprise_id)
    cleaned = clean_values(values, partial=True)
    if "credit_code" in cleaned:
        _check_code_free(session, cleaned["credit_code"], enterprise.id)
    check_may_change(session, enterprise, cleaned)
    _check_town_in_county(session, enterprise, cleaned)
    old_name = enterprise.name
    result = audit.assign(session, enterprise, cleaned, entity=ENTITY,
                          enterprise_id=enterprise.id, user=user,
                          import_batch_id=import_batch_id)
    if "name" in result.fields:  # the old name stays findable as a former name
        add_former_name(session, enterprise.id, old_name, user=user,
                        import_batch_id=import_batch_id)
    if result.fields:
        enterprise.updated_at = utcnow()
    return result


def add_former_name(session: Session, enterprise_id: int, name: str, *,
                    user: str | None = None, import_batch_id: int | None = None) -> bool:
    enterprise = get(session, enterprise_id)
    key = name_key(name)
    if not key or key == enterprise.name_key:
        return False
    same = next((f for f in enterprise.former_names if f.name_key == key), None)
    if same is not None:
        # a name remembered for matching only (is_alias) that the firm has now really
        # borne becomes a 曾用名; logged, so that undoing the rename's batch puts it back
        if not same.is_alias:
            return False
        audit.assign(session, same, {"is_alias": False}, entity="former_name",
                     enterprise_id=enterprise.id, user=user, import_batch_id=import_batch_id)
        return True
    former = FormerName(name=clean_display(name), name_key=key, pinyin_initials=initials(name))
    enterprise.former_names.append(former)
    session.flush()
    audit.log(session, entity="former_name", entity_id=former.id, enterprise_id=enterprise.id,
              action="create", new={"name": former.name}, user=user,
              import_batch_id=import_batch_id)
    return True


def soft_delete(session: Session, enterprise_id: int, *, user: str | None = None,
                import_batch_id: int | None = None) -> audit.Changed:
    """Move to the 回收站: hidden from every list and report, restorable (also by undoing
    the bulk action, ``import_batch_id``, that moved it)."""
    enterprise = get(session, enterprise_id)
    enterprise.deleted_at = utcnow()
    audit.log(session, entity=ENTITY, entity_id=enterprise.id, enterprise_id=enterprise.id,
              action="delete", user=user, import_batch_id=import_batch_id)
    return audit.Changed(entity=ENTITY, entity_id=enterprise.id, action="delete")


def restore(session: Session, enterprise_id: int, *, user: str | None = None,
            import_batch_id: int | None = None) -> audit.Changed:
    """Take the firm out of the 回收站. Under a batch (the 回收站's 恢复, a bulk action) the
    line records the moment it had gone there, as a 数据包 bringing a firm back does: the
    batch's undo puts that moment back, the firm into the 回收站 again."""
    enterprise = get(session, enterprise_id, include_deleted=True)
    if enterprise.deleted_at is None:
        return audit.Changed(entity=ENTITY, entity_id=enterprise.id, action="update")
    binned_at, enterprise.deleted_at = enterprise.deleted_at, None
    if import_batch_id is None:
        audit.log(session, entity=ENTITY, entity_id=enterprise.id, enterprise_id=enterprise.id,
                  action="restore", user=user)
    else:
        audit.log(session, entity=ENTITY, entity_id=enterprise.id, enterprise_id=enterprise.id,
                  action="update", field_name="deleted_at", old=binned_at, new=None,
                  user=user, import_batch_id=import_batch_id)
    return audit.Changed(entity=ENTITY, entity_id=enterprise.id, action="restore")


def purge(session: Session, enterprise_id: int, *, user: str | None = None) -> None:
    """Delete for good, from the 回收站 only (the audit trail keeps the record of it)."""
    enterprise = get(session, enterprise_id, include_deleted=True)
    if enterprise.deleted_at is None:
        raise ValidationError({"enterprise": "只能彻底删除回收站中的企业"})
    audit.log(session, entity=ENTITY, entity_id=enterprise.id, enterprise_id=enterprise.id,
              action="purge", old={"credit_code": enterprise.credit_code,
                                   "name": enterprise.name}, user=user)
    session.delete(enterprise)
    session.flush()
