"""The bulk actions themselves, one class each: check the officer's input once (``clean``),
read what the selected firms already have in a few queries (``load``), say per firm what
will change or why it is skipped (``plan``), and write one firm through the ordinary
services (``write``), so that the rules stay where they are for a single firm."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import reference, support_categories
from tiers.model.ladder import ESTIMATED_MARK, tier_label
from tiers.model.orm import ChainRole, CultivationEntry, Recognition, SupportMeasure
from tiers.services import (
    cultivation,
    cultivation_rule,
    enterprises,
    measures,
    recognitions,
    records,
)
from tiers.services.errors import ValidationError
from tiers.text.values import show

CHUNK = 900
_EPOCH = dt.date(1900, 1, 1)  # sorts recognitions without dates first
ACTIVE_CULTIVATION = ("培育中", "已申报")  # entries an officer still looks after

Plan = tuple[str, str]  # (what will change, why skipped): one of them is empty


@dataclass(frozen=True)
class Firm:
    id: int
    name: str
    credit_code: str
    county_code: str | None
    county_name: str
    deleted: bool


def _by_firm(session: Session, model: Any, ids: list[int], *conditions: Any) -> dict[int, list]:
    """The firms' records of one table (matching ``conditions``), grouped by firm."""
    grouped: dict[int, list] = {}
    for start in range(0, len(ids), CHUNK):
        rows = session.scalars(select(model).where(
            model.enterprise_id.in_(ids[start:start + CHUNK]), *conditions).order_by(model.id))
        for row in rows:
            grouped.setdefault(row.enterprise_id, []).append(row)
    return grouped


def chain_name(code: str) -> str:
    return next((chain.name for chain in reference.chains() if chain.code == code), code)


class Action:
    name: ClassVar[str]
    label: ClassVar[str]
    # on the firms of the 回收站 (the others act on the roster's and skip those in it)
    on_binned: ClassVar[bool] = False
    # how its result says what was done ({count} firms, {names} the first NAMED of them)
    # and that nothing was (BulkResult.summary); None: 加入培育库：已修改 3 家企业
    done_words: ClassVar[str | None] = None
    nothing_words: ClassVar[str | None] = None

    def clean(self, values: dict[str, Any]) -> dict[str, Any]:
        return dict(values)

    def describe(self, cleaned: dict[str, Any]) -> str:
        return ""

    def recorded(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        """What the action records that its caller did not give, for a preview's --json
        (扶持措施: the status it gets by the date)."""
        return {}

    def notes(self, cleaned: dict[str, Any]) -> list[str]:
        """What the preview points out without refusing (扶持措施: an unknown kind)."""
        return []

    def load(self, session: Session, ids: list[int], cleaned: dict[str, Any]) -> Any:
        return None

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        raise NotImplementedError

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        raise NotImplementedError


class Cultivate(Action):
    name, label = "cultivate", "加入培育库"

    def clean(self, values: dict[str, Any]) -> dict[str, Any]:
        return cultivation.clean({"status": "培育中", **values})

    def describe(self, cleaned: dict[str, Any]) -> str:
        text = f"{tier_label(cleaned['target_tier'])} {cleaned['target_year']}年"
        return text + (f"，包挂责任人 {cleaned['officer']}" if cleaned["officer"] else "")

    def load(self, session: Session, ids: list[int], cleaned: dict[str, Any]) -> Any:
        return cultivation_rule.standings(session, ids)

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        """Skipped: a firm with an open entry for the target (whatever its year: one entry
        per target, its year edited) or any entry of the target and year, or holding the
        target already (in force in that year)."""
        standing = context.get(firm.id) or cultivation_rule.Standing()
        target = cleaned["target_tier"]
        existing = cultivation_rule.same_target(standing, target)
        if existing is not None:
            there = self.describe({**cleaned, "target_year": existing.target_year,
                                   "officer": ""})
            if existing.target_year == cleaned["target_year"]:
                return "", f"已在培育库中（{there}）"
            return "", (f"已在培育库中（{there}，{existing.status or '培育中'}）；"
                        "同一目标梯度只保留一条，请修改已有条目")
        why = cultivation_rule.refusal(standing, target, year=cleaned["target_year"])
        if why:
            return "", why
        return f"加入培育库：{self.describe(cleaned)}", ""

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        records.create(session, CultivationEntry, enterprise_id, cleaned, user=user,
                       import_batch_id=import_batch_id)


class SetOfficer(Action):
    """包挂责任人 of the firm's 培育库 entries still being worked on (培育中, 已申报)."""

    name, label = "officer", "设置包挂责任人"

    def clean(self, values: dict[str, Any]) -> dict[str, Any]:
        officer = records.text(values, "officer")
        if not officer:
            raise ValidationError({"officer": "请填写包挂责任人"})
        return {"officer": officer}

    def describe(self, cleaned: dict[str, Any]) -> str:
        return cleaned["officer"]

    def load(self, session: Session, ids: list[int], cleaned: dict[str, Any]) -> Any:
        return _by_firm(session, CultivationEntry, ids,
                        CultivationEntry.status.in_(ACTIVE_CULTIVATION))

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        entries = context.get(firm.id, [])
        if not entries:
            return "", "不在培育库中（没有培育中或已申报的记录）"
        changing = [e for e in entries if e.officer != cleaned["officer"]]
        if not changing:
            return "", f"包挂责任人已是{cleaned['officer']}"
        return "；".join(f"{tier_label(e.target_tier)} {e.target_year}年 包挂责任人："
                        f"{e.officer or '（空）'} → {cleaned['officer']}" for e in changing), ""

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        for entry in self.load(session, [enterprise_id], cleaned).get(enterprise_id, []):
            records.update(session, CultivationEntry, entry.id, cleaned, user=user,
                           import_batch_id=import_batch_id)


class RecordMeasure(Action):
    name, label = "measure", "记录扶持措施"

    def clean(self, values: dict[str, Any]) -> dict[str, Any]:
        return measures.clean(values)

    def describe(self, cleaned: dict[str, Any]) -> str:
        text = f"{cleaned['year']}年 {cleaned['kind']}"
        text += f"“{cleaned['name']}”" if cleaned["name"] else ""
        if cleaned["amount"] is not None:
            text += f" {show(cleaned['amount'], 'amount')}万元"
        # the status recorded, said: without --status it follows the date (measures.
        # status_by_date), and only 已兑现 counts in the paid totals
        said = [f"状态：{cleaned['status']}"]
        if cleaned["paid_on"] is None:
            said.append("未填兑现日期")
        # and only money (资金奖补): a loan, a deduction or a service is not money paid
        found = support_categories.category(cleaned["kind"])
        if found != support_categories.MONEY:
            said.append(f"金额为{support_categories.AMOUNT_NAMES[found]}")
        said.append("计入兑现金额" if self._counted(cleaned) else "不计入兑现金额")
        return text + f"（{'，'.join(said)}）"

    @staticmethod
    def _counted(cleaned: dict[str, Any]) -> bool:
        return cleaned["status"] == measures.PAID and support_categories.is_money(cleaned["kind"])

    def recorded(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {"status": cleaned["status"], "paid_on": cleaned["paid_on"],
                "counted_as_paid": self._counted(cleaned)}

    def notes(self, cleaned: dict[str, Any]) -> list[str]:
        note = measures.kind_note(cleaned["kind"])
        return [note] if note else []

    def load(self, session: Session, ids: list[int], cleaned: dict[str, Any]) -> Any:
        return _by_firm(session, SupportMeasure, ids, SupportMeasure.year == cleaned["year"],
                        SupportMeasure.kind == cleaned["kind"],
                        SupportMeasure.name == cleaned["name"])

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        if firm.id in context:
            return "", "已有同一年度的同一项扶持措施"
        return f"记录扶持措施：{self.describe(cleaned)}", ""

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        records.create(session, SupportMeasure, enterprise_id, cleaned, user=user,
                       import_batch_id=import_batch_id)


class SetChain(Action):
    name, label = "chain", "设置所属产业链/角色"

    def clean(self, values: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        chain_code = reference.resolve_chain(records.text(values, "chain"))
        if chain_code is None:
            errors["chain"] = f"未知的产业链：{records.text(values, 'chain') or '（空）'}"
        role = records.choice(values, "role", "产业链角色", reference.pick_lists()["chain_roles"],
                              errors, required=True)
        records.raise_if(errors)
        return {"chain_code": chain_code, "role": role}

    def describe(self, cleaned: dict[str, Any]) -> str:
        return f"{chain_name(cleaned['chain_code'])}，{cleaned['role']}"

    def load(self, session: Session, ids: list[int], cleaned: dict[str, Any]) -> Any:
        return _by_firm(session, ChainRole, ids, ChainRole.chain_code == cleaned["chain_code"])

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        chain = chain_name(cleaned["chain_code"])
        existing = context.get(firm.id)
        if not existing:
            return f"加入产业链：{chain}（{cleaned['role']}）", ""
        if existing[0].role == cleaned["role"]:
            return "", f"已在{chain}，角色已是{cleaned['role']}"
        return f"{chain}角色：{existing[0].role or '（空）'} → {cleaned['role']}", ""

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        existing = self.load(session, [enterprise_id], cleaned).get(enterprise_id)
        if existing:  # only the role: the chain's note on this firm stays
            records.update(session, ChainRole, existing[0].id, {"role": cleaned["role"]},
                           user=user, import_batch_id=import_batch_id)
        else:
            records.create(session, ChainRole, enterprise_id, {**cleaned, "note": ""},
                           user=user, import_batch_id=import_batch_id)


class MarkReviewed(Action):
    """复核通过: a new recognition of the next cycle, same tier and level as the firm's
    latest one, marked 复核, its validity computed from the tier as for any recognition."""

    name, label = "review", "标记复核通过"

    def clean(self, values: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        tier_code = reference.resolve_tier(records.text(values, "tier_code"))
        if tier_code is None:
            errors["tier_code"] = f"未知的梯度层级：{records.text(values, 'tier_code') or '（空）'}"
        cleaned = {"tier_code": tier_code, "is_review": True,
                   "batch_label": records.text(values, "batch_label"),
                   "batch_year": records.year(values, "batch_year", "批次年度", errors),
                   "recognized_on": records.date(values, "recognized_on", "认定日期", errors),
                   "document_number": records.text(values, "document_number")}
        if cleaned["batch_year"] is None and cleaned["recognized_on"] is not None:
            cleaned["batch_year"] = cleaned["recognized_on"].year
        if cleaned["batch_year"] is None and "batch_year" not in errors:
            errors["batch_year"] = "请填写复核年度或认定日期"
        records.raise_if(errors)
        return cleaned

    def describe(self, cleaned: dict[str, Any]) -> str:
        return (f"{tier_label(cleaned['tier_code'])} {cleaned['batch_year']}年"
                + (f" {cleaned['batch_label']}" if cleaned["batch_label"] else ""))

    def load(self, session: Session, ids: list[int], cleaned: dict[str, Any]) -> Any:
        # a 公示中 title is not held yet: it cannot be reviewed, nor stand for the latest
        return _by_firm(session, Recognition, ids, Recognition.tier_code == cleaned["tier_code"],
                        Recognition.revoked_on.is_(None), Recognition.is_pending.is_(False))

    def recognition(self, previous: list[Recognition], cleaned: dict[str, Any]) -> dict[str, Any]:
        """The new recognition's values, checked as any recognition's are."""
        latest = max(previous, key=lambda r: (r.batch_year or 0, r.recognized_on or
                                              r.valid_until or _EPOCH, r.id))
        renewed = [r for r in previous if r.valid_until is not None
                   and (r.batch_year is None or r.batch_year < cleaned["batch_year"])]
        renews = max((r.valid_until for r in renewed), default=None)
        return recognitions.clean({**cleaned, "level": latest.level, "issuer": latest.issuer,
                                   "chain_code": latest.chain_code,
                                   "batch_label": cleaned["batch_label"]
                                   or review_batch_label(cleaned["tier_code"],
                                                         cleaned["batch_year"], latest),
                                   "review_of_batch": recognitions.batch_words(
                                       latest.batch_label, latest.batch_year)},
                                  renews=renews)

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        tier = tier_label(cleaned["tier_code"])
        previous = context.get(firm.id, [])
        if not previous:
            return "", f"没有{tier}的认定，不能复核"
        if any(r.batch_year is not None and r.batch_year >= cleaned["batch_year"]
               for r in previous):
            return "", f"已有{cleaned['batch_year']}年或更晚的{tier}认定"
        try:
            values = self.recognition(previous, cleaned)
        except ValidationError as exc:
            return "", str(exc)
        until = show(values["valid_until"], "date") if values["valid_until"] else "（不限）"
        until += ESTIMATED_MARK if values["valid_until_estimated"] else ""
        # the batch as the record gets it (2026年度, 第五批), as the lists and 认定历史 write it
        batch = values["batch_label"] or f"{cleaned['batch_year']}年度"
        return (f"复核通过：{tier} {batch}（复核 {values['review_of_batch'] or '原认定'}），"
                f"有效期至 {until}"), ""

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        previous = self.load(session, [enterprise_id], cleaned)[enterprise_id]
        values = self.recognition(previous, cleaned)
        if values["valid_until_estimated"]:  # handed on as the estimate it is
            values["estimated_valid_until"] = values["valid_until"]
        recognitions.add(session, enterprise_id, values, user=user,
                         import_batch_id=import_batch_id)


def review_batch_label(tier_code: str, year: int, latest: Recognition) -> str:
    """The batch a 复核 pass is recorded under when the officer names none, spelled as its
    list spells it (importers.read.metadata reads the same): a tier of numbered batches
    (小巨人, 单项冠军) renews the batch by its number ("第二批…复核通过" → 第二批), one named by
    year its year ("2026年度…复核通过企业名单" → 2026年度, domain.md §1.6)."""
    if reference.tier(tier_code).batches and latest.batch_label.startswith("第"):
        return latest.batch_label
    return f"{year}年度"


class MoveToTrash(Action):
    name, label = "trash", "移入回收站"

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        if firm.deleted:
            return "", "已在回收站中"
        return "移入回收站", ""

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        enterprises.soft_delete(session, enterprise_id, user=user,
                                import_batch_id=import_batch_id)


class Restore(Action):
    """The 回收站's 恢复: recorded as a batch like 移入回收站, so that it too can be undone
    (导入记录, 撤销上次批量操作), the firms going back to the 回收站."""

    name, label = "restore", "从回收站恢复"
    on_binned = True
    done_words = "已从回收站恢复 {count} 家企业：{names}"
    nothing_words = "没有恢复任何企业：所选企业已不在回收站中"

    def plan(self, firm: Firm, cleaned: dict[str, Any], context: Any) -> Plan:
        if not firm.deleted:
            return "", "不在回收站中"
        return "从回收站恢复", ""

    def write(self, session: Session, enterprise_id: int, cleaned: dict[str, Any], *,
              user: str, import_batch_id: int) -> None:
        enterprises.restore(session, enterprise_id, user=user, import_batch_id=import_batch_id)


ACTIONS: dict[str, Action] = {action.name: action for action in (
    Cultivate(), SetOfficer(), RecordMeasure(), SetChain(), MarkReviewed(), MoveToTrash(),
    Restore())}
