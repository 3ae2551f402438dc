"""Support measures (扶持措施), amounts in 万元."""

from __future__ import annotations

import datetime as dt
import difflib
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tiers.model import reference, support_categories
from tiers.model.orm import SupportMeasure
from tiers.services import audit, records
from tiers.text import fields

FIELDS = ("kind", "name", "amount", "paid_on", "year", "implementer", "implementer_level",
          "policy_basis", "status", "note")
LABELS = fields.labels("support_measure")  # for the messages that name a field
PAID = "已兑现"
NOT_PAID = "审核"  # (申报 / 审核 / 已兑现): granted, not paid — what a list of funds 安排 is


def status_by_date(paid_on: object) -> str:
    """A measure's status when nobody said it: 已兑现 only when it says when it was paid
    (a date), else 审核, which does not overstate what was paid (an officer's list of funds
    arranged, 拟拨, has no dates). An import's rows without a status, the hand-entry form
    (until the officer picks a status) and ``tiers bulk measure`` all go by it."""
    return PAID if isinstance(paid_on, dt.date) else NOT_PAID


def closest_kinds(kind: str, *, limit: int = 3) -> list[str]:
    """The known kinds (resources/support_kinds.toml) nearest to ``kind``: 奖励资金 →
    奖补资金、认定奖励 — of its own category only (support_categories): 融资担保费补贴 is
    资金奖补, and the 融资 kind 融资担保 proposed for it would take its money out of the money
    totals (fixt29b)."""
    own = support_categories.category(kind)
    kinds = [k for k in reference.pick_lists()["kinds"]
             if k != "其他" and support_categories.category(k) == own]
    return difflib.get_close_matches(kind, kinds, n=limit, cutoff=0.3)


def kind_note(kind: str | None, *, filed: bool = False) -> str:
    """'' for a known kind; else what to tell the officer: kinds are not closed (a county
    may have its own, resources/support_kinds.toml), so it is recorded — but the 兑现情况表
    sums by kind, and 奖励资金 beside 奖补资金 splits one kind in two. ``filed``: said with
    the category_note of a kind not of 资金奖补, in one sentence (an import's preview):
    “不是常用类别…照此记录” then “类别：税收” read as a contradiction (tester30)."""
    kind = (kind or "").strip()
    if not kind or kind in reference.pick_lists()["kinds"]:
        return ""
    close = closest_kinds(kind)
    category = support_categories.category(kind)
    money_apart = filed and category != support_categories.MONEY
    recorded = (f"照此记录，归入“{category}”（金额不计入资金奖补合计，另列为"
                f"{support_categories.AMOUNT_NAMES[category]}），兑现情况表按措施类别汇总时单列一类"
                if money_apart else "照此记录，兑现情况表按类别汇总时单列一类")
    if not close:
        return f"措施类别“{kind}”不是常用类别{'，' if money_apart else '；'}{recorded}"
    return (f"措施类别“{kind}”不是常用类别，相近的有：{'、'.join(close)}；如是同一类请改用"
            f"常用写法，否则{recorded}")


def category_note(kind: str | None) -> str:
    """'' for a kind of 资金奖补; else what an import's preview says of it once: its amount
    is shown apart and not summed with the money (support_categories). “归入”, not “类别：”:
    the kind is the 措施类别, the category what its amount counts as (tester30)."""
    category = support_categories.category(kind)
    if category == support_categories.MONEY:
        return ""
    return f"措施类别“{(kind or '').strip()}”归入“{category}”，{_not_money(category)}"


def _not_money(category: str) -> str:
    return f"金额不计入资金奖补合计（另列为{support_categories.AMOUNT_NAMES[category]}）"


def clean(values: dict[str, Any], *, current: SupportMeasure | None = None) -> dict[str, Any]:
    merged = {k: getattr(current, k) for k in FIELDS} if current else {}
    merged.update(values)
    lists = reference.pick_lists()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "kind": records.text(merged, "kind"),
        "name": records.text(merged, "name"),
        "amount": records.decimal(merged, "amount", LABELS["amount"], errors,
                                  minimum=Decimal(0), maximum=Decimal(10_000_000)),
        "paid_on": records.date(merged, "paid_on", LABELS["paid_on"], errors),
        "year": records.year(merged, "year", LABELS["year"], errors),
        "implementer": records.text(merged, "implementer"),
        "implementer_level": records.choice(merged, "implementer_level",
                                            LABELS["implementer_level"], reference.LEVELS,
                                            errors),
        "policy_basis": records.text(merged, "policy_basis"),
        "status": records.choice(merged, "status", LABELS["status"], lists["statuses"], errors),
        "note": records.text(merged, "note"),
    }
    if not out["kind"]:
        errors["kind"] = "措施类别不能为空"
    if not out["status"]:  # none given: by the date
        out["status"] = status_by_date(out["paid_on"])
    if out["year"] is None and out["paid_on"] is not None:
        out["year"] = out["paid_on"].year
    if out["year"] is None:
        errors.setdefault("year", "请填写年度或兑现日期")
    records.raise_if(errors)
    return out


def described(values: dict[str, Any]) -> dict[str, Any]:
    """A measure as the enterprise window shows it before it is saved: ``clean``'s values
    and its 归类 (``category``, as tiers.queries.profiles gives the saved ones)."""
    cleaned = clean(values)
    return {**cleaned, "category": support_categories.category(cleaned["kind"])}


def add(session: Session, enterprise_id: int, values: dict[str, Any], *,
        user: str | None = None, import_batch_id: int | None = None) -> SupportMeasure:
    return records.create(session, SupportMeasure, enterprise_id, clean(values), user=user,
                          import_batch_id=import_batch_id)


def edit(session: Session, measure_id: int, values: dict[str, Any], *,
         user: str | None = None, import_batch_id: int | None = None) -> audit.Changed:
    current = records.fetch(session, SupportMeasure, measure_id)
    return records.update(session, SupportMeasure, measure_id, clean(values, current=current),
                          user=user, import_batch_id=import_batch_id)


def delete(session: Session, measure_id: int, *, user: str | None = None) -> audit.Changed:
    return records.delete(session, SupportMeasure, measure_id, user=user)
