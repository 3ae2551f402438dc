"""One enterprise's profile: everything the enterprise window, ``tiers show`` and the 企业档案
report show about it, as plain data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.errors import NotFound
from tiers.model import ladder, reference, support_categories
from tiers.model.orm import Enterprise, Recognition
from tiers.queries import firm_chains
from tiers.queries.roster import chain_names, roster_rows
from tiers.storage.dialect import descending

# 基本信息: the firm's own fields in the order the enterprise window's form shows them
# (ui.enterprise_dialog.basic_form) and `tiers show` prints them, labels from fields.toml
BASIC_FIELDS = ("credit_code", "name", "county", "town", "address", "industry", "main_product",
                "founded_on", "legal_representative", "contact_person", "contact_phone",
                "size", "listing_status", "tags", "notes")


def recognition_dict(recognition: Recognition, today: dt.date, *,
                     renewed: bool = False) -> dict[str, Any]:
    """One recognition as plain data, with its status on ``today`` (``renewed``: a later
    title of it is recorded, ``ladder.renewed_condition``; kept in the data, so that the
    enterprise window's status of a row edited or confirmed, before it is saved, says so)."""
    names_of_chains = chain_names()
    return {
        "id": recognition.id, "tier_code": recognition.tier_code,
        "tier": ladder.tier_label(recognition.tier_code), "level": recognition.level,
        "issuer": recognition.issuer, "batch_label": recognition.batch_label,
        "batch_year": recognition.batch_year, "is_review": recognition.is_review,
        "is_pending": recognition.is_pending,
        "review_of_batch": recognition.review_of_batch,
        "document_number": recognition.document_number,
        "recognized_on": recognition.recognized_on, "valid_until": recognition.valid_until,
        # 推算 by Tiers, not read from a list: shown as such; the date handed back unchanged
        # from the firm window keeps the mark (recognitions.clean)
        "valid_until_estimated": recognition.valid_until_estimated,
        "estimated_valid_until": (recognition.valid_until
                                  if recognition.valid_until_estimated else None),
        "revoked_on": recognition.revoked_on, "revoke_reason": recognition.revoke_reason,
        "chain_code": recognition.chain_code,
        "chain": names_of_chains.get(recognition.chain_code or "", ""),
        "rule_set": recognition.rule_set, "note": recognition.note,
        "status": _with_start(ladder.status_of(
            valid_until=recognition.valid_until, revoked_on=recognition.revoked_on,
            today=today, pending=recognition.is_pending, renewed=renewed,
            recognized_on=recognition.recognized_on, tier_code=recognition.tier_code,
            batch_year=recognition.batch_year), recognition.recognized_on),
        "renewed": renewed,
    }


def _with_start(status: str, recognized_on: dt.date | None) -> str:
    """待生效 with the day it starts (the firm's 认定历史 and `tiers show`)."""
    if status == ladder.NOT_STARTED and recognized_on is not None:
        return f"{status}（{recognized_on.isoformat()}起）"
    return status


# where a row came from (a 数据包, migration 0007): bookkeeping, not the firm's profile
PROVENANCE = frozenset(("source_package_id", "source_county"))


def columns(record: Any, exclude: set[str]) -> dict[str, Any]:
    """The mapped columns of one ORM record, except ``exclude`` and the provenance."""
    return {c.key: getattr(record, c.key) for c in record.__table__.columns
            if c.key not in exclude and c.key not in PROVENANCE}


def profile(session: Session, enterprise_id: int, *,
            today: dt.date | None = None) -> dict[str, Any]:
    """Everything about one enterprise, for the enterprise window, `tiers show` and 企业档案."""
    today = today or dt.date.today()
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound(f"找不到企业（编号 {enterprise_id}）")
    recognitions = session.scalars(
        select(Recognition).where(Recognition.enterprise_id == enterprise_id)
        .order_by(descending(Recognition.batch_year), descending(Recognition.recognized_on),
                  Recognition.id.desc())).all()
    renewed = set(session.scalars(select(Recognition.id).where(
        Recognition.enterprise_id == enterprise_id, ladder.renewed_condition(today))))
    row = roster_rows(session, [enterprise_id], today=today)
    chain_names = {c.code: c for c in reference.chains()}
    # the version is the enterprise window's concurrency check, not part of the 档案
    base = columns(enterprise, {"name_key", "pinyin_initials", "pinyin_key", "version"})
    return {
        **base,
        "county": enterprise.county_name,
        # a firm that took back an earlier name (A → B → A) keeps A among its former names
        # (it is true history, and finds the firm); it is not shown as a former name
        # a name remembered for matching only (a 简称 linked in an import) is no 曾用名
        "former_names": [f.name for f in enterprise.former_names
                         if f.name_key != enterprise.name_key and not f.is_alias],
        "tier_code": row[0]["tier_code"] if row else None,
        "tier": row[0]["tier"] if row else "",
        "support_total": row[0]["support_total"] if row else Decimal(0),
        "recognitions": [recognition_dict(r, today, renewed=r.id in renewed)
                         for r in recognitions],
        "figures": [columns(f, {"enterprise_id", "import_batch_id"})
                    for f in sorted(enterprise.figures, key=lambda f: f.year, reverse=True)],
        # each with its 归类, what its 金额 is (资金奖补 paid, 融资 lent, 税收 deducted, 服务):
        # the enterprise window's 归类 column and `tiers show` say it beside the amount
        "support_measures": [
            {**columns(m, {"enterprise_id", "import_batch_id"}),
             "category": support_categories.category(m.kind)}
            for m in sorted(enterprise.support_measures,
                            key=lambda m: (m.year or 0, m.paid_on or dt.date.min),
                            reverse=True)],
        "chains": [
            {"id": c.id, "chain_code": c.chain_code,
             "chain": chain_names[c.chain_code].name if c.chain_code in chain_names else "",
             "cluster": chain_names[c.chain_code].cluster if c.chain_code in chain_names else "",
             "role": c.role, "note": c.note}
            for c in enterprise.chain_roles],
        # the chains its 链主 recognitions in force put it on (firm_chains): read-only
        # beside the roles, which stay the editable rows
        "chain_titles": [
            {"chain_code": c.chain_code,
             "chain": chain_names[c.chain_code].name if c.chain_code in chain_names
             else c.chain_code,
             "cluster": chain_names[c.chain_code].cluster if c.chain_code in chain_names else "",
             "role": c.role, "words": c.title_words()}
            for c in firm_chains.chains_of(session, [enterprise_id], today).get(
                enterprise_id, []) if c.titles],
        "cultivation": [
            {**columns(c, {"enterprise_id", "import_batch_id"}), "target_tier_name": ladder.tier_label(c.target_tier)}
            for c in enterprise.cultivation_entries],
    }


def chains_listed(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The firm's chains as ``tiers show`` and the 企业档案 list them: each role, with what a
    链主 recognition in force of its chain says beside it (核心配套；链主（认定：2025年度）; a
    role 链主 says it once), then the chains only such a recognition puts it on."""
    titles = {c["chain_code"]: c for c in data.get("chain_titles", [])}
    listed = []
    for c in data.get("chains", []):
        title = titles.pop(c["chain_code"], None)
        role = c["role"]
        if title is not None:
            role = title["words"] if role == "链主" else f"{role}；{title['words']}"
        listed.append({**c, "role": role})
    listed.extend({"cluster": c["cluster"], "chain": c["chain"], "chain_code": c["chain_code"],
                   "role": c["words"], "note": ""} for c in titles.values())
    return listed
