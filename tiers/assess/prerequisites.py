"""Prerequisite titles (``holds`` conditions): how many rungs a firm is from the tier it is
assessed for, and how a title it lacks is said — never held, run out, or revoked.

A firm with no title at all assessed for 小巨人 lacks 省级专精特新 and, below it, the title
that one needs in turn (创新型 under the 2022 rules, 科技和创新型 under the 2026 rules): the
rule set's own prerequisite of each tier, down the ladder (``chain``). The detailed
assessment (``evaluate``) and the ranked list (``ranking``, from the titles held alone)
count the rungs the same way. A title held once and lost is not "尚未取得": it ran out
(已到期, not renewed by 复核) or was revoked (已撤销), and the verdict says so.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from tiers.assess.firm import LADDER_RANK, FirmData, LostTitle
from tiers.assess.results import LAPSED_ENDING, REVOKED_ENDING, lost_text
from tiers.assess.rules import Condition, TierRules
from tiers.model import reference
from tiers.text.values import show

ON_LIST_ENDING = "正式名单公布后方可申报"  # the gap of a prerequisite 公示中 (_on_list)
_UNMET = re.compile(r"须先取得(.+?)称号(?:（(.+)）)?")


def unmet_title(rule: Condition) -> str:
    """A prerequisite (``holds``) not held, as the assessment names it: 须先取得…称号."""
    return rule.unmet_title or f"须先取得{reference.tier(rule.tier).name}称号"


def held(rule: Condition, titles: Collection[str]) -> bool:
    """Whether ``titles`` (ladder tier codes in force) meet the prerequisite ``rule``."""
    rank = LADDER_RANK.get(rule.tier) if rule.or_higher else None
    if rank is None:
        return rule.tier in titles
    return any(LADDER_RANK.get(code, -1) >= rank for code in titles)


def chain(rules: TierRules, rule: Condition, titles: Collection[str]) -> list[Condition]:
    """``rule`` (a prerequisite not held), then the prerequisite of its tier under the same
    rule set while that is not held either, top down: the titles to obtain, the last first."""
    found = [rule]
    seen = {rules.tier_code}
    while found[-1].tier not in seen:
        seen.add(found[-1].tier)
        lower = rules.rule_set.tiers.get(found[-1].tier)
        below = next((c for c in lower.walk() if c.kind == "holds"), None) if lower else None
        if below is None or held(below, titles):
            break
        found.append(below)
    return found


def rungs(rules: TierRules, titles: Collection[str]) -> int:
    """How many titles short of applying (0: no prerequisite is short), as ``chain``
    counts them from the titles held alone; the most where several prerequisites are."""
    return max((len(chain(rules, rule, titles)) for rule in rules.walk()
                if rule.kind == "holds" and not held(rule, titles)), default=0)


def _name(rule: Condition) -> str:
    """A rung in a list of titles to obtain: 创新型中小企业 (of 须先取得创新型中小企业称号…),
    the tier's own name where the rules name several (科技和创新型中小企业)."""
    match = _UNMET.fullmatch(unmet_title(rule))
    if match is None:
        return reference.tier(rule.tier).name
    named, aside = match.groups()
    return aside if aside and "或" in named else named


def chain_title(found: list[Condition]) -> str:
    """须先取得省级专精特新中小企业称号, or all the way down: 须先取得创新型中小企业、
    省级专精特新中小企业称号 (the first to obtain first)."""
    if len(found) == 1:
        return unmet_title(found[0])
    return "须先取得" + "、".join(_name(rule) for rule in reversed(found)) + "称号"


def lost_words(name: str, lost: LostTitle) -> tuple[str, str, str]:
    """(title, gap, detail) of a prerequisite held once and lost: run out and not renewed
    (已到期: 须通过复核重新取得), or revoked (已撤销)."""
    batch = lost.batch
    if lost.revoked_on is not None:
        when = show(lost.revoked_on)
        return (f"须重新取得{name}称号", f"{batch}认定已于 {when} 撤销".lstrip(),
                f"{name}{f'（{batch}）' if batch else ''}已于 {when} 撤销{REVOKED_ENDING}")
    until = f"有效期至 {show(lost.valid_until)}"
    return (f"{LAPSED_ENDING}{name}称号", f"{batch}{'，' if batch else ''}{until}，已到期",
            f"{name}（{batch}{'，' if batch else ''}{until}）已到期，{LAPSED_ENDING}")


# --- a prerequisite not held, in words ---------------------------------------------------

def short(firm: FirmData, rule: Condition, rules: TierRules | None,
          tier_code: str | None) -> tuple[str, str, str]:
    """(title, gap, detail) of the prerequisite ``rule`` that ``firm`` does not hold, for
    ``tier_code`` (the tier assessed): on a 公示 list, said so; held once and lost, said so
    (not 尚未取得); else every title short down the ladder (``chain``)."""
    target = LADDER_RANK.get(tier_code) if tier_code else None
    on_list = _on_list(firm, rule, target)
    if on_list:
        return unmet_title(rule), on_list, on_list
    lost = _lost(firm, rule, target)
    if lost is not None:
        return lost_words(reference.tier(lost[0]).name, lost[1])
    # short all the way down: no 省级专精特新, nor the 创新型 it needs in turn
    found = chain(rules, rule, firm.held) if rules is not None else [rule]
    missing = f"库中没有有效期内的{accepted_names(rule, target)}认定" + "".join(
        f"，也没有{accepted_names(lower, LADDER_RANK.get(upper.tier))}认定"
        f"{_lower_list(firm, lower)}" for upper, lower in zip(found, found[1:], strict=False))
    return chain_title(found), missing, missing


def _lower_list(firm: FirmData, rule: Condition) -> str:
    """（已在…公示名单中） after a title further down that the firm is 公示中 for."""
    if rule.tier not in firm.pending:
        return ""
    batch = firm.pending_batches.get(rule.tier, "")
    return f"（已在{reference.tier(rule.tier).name}{batch}公示名单中）"


def _lost(firm: FirmData, rule: Condition, target: int | None) -> tuple[str, LostTitle] | None:
    """The latest title the prerequisite accepts (below the tier assessed) that the firm
    held once and lost, with its tier; None when none was."""
    if not firm.lost:
        return None
    rank = LADDER_RANK.get(rule.tier)
    found = [(code, lost) for code, lost in firm.lost.items()
             if code == rule.tier or (rule.or_higher and rank is not None
                                      and rank <= LADDER_RANK.get(code, -1)
                                      and (target is None or LADDER_RANK[code] < target))]
    return max(found, key=lambda item: (item[1].ended, LADDER_RANK.get(item[0], -1)),
               default=None)


def accepted_names(rule: Condition, target: int | None) -> str:
    """The titles a prerequisite accepts, as it is written: 科技型或创新型 (short names)
    where a higher tier below ``target`` (the rank of the tier it leads to) counts too (the
    2026办法's 科技和创新型), the one title otherwise (a tier as high as the one assessed
    goes without saying). Short, as the 拟推荐 report's 差距 cell, four lines at most,
    carries it after the condition's title (which names the titles in full)."""
    rank = LADDER_RANK.get(rule.tier)
    if not rule.or_higher or rank is None or target is None:
        return reference.tier(rule.tier).name
    tiers = [t for t in sorted(reference.tiers(), key=lambda t: t.rank)
             if t.code in LADDER_RANK and rank <= t.rank < target]
    if len(tiers) < 2:
        return reference.tier(rule.tier).name
    return "或".join(t.short for t in tiers)


def _on_list(firm: FirmData, rule: Condition, target: int | None) -> str:
    """A prerequisite not held that the firm is 公示中 for (or, where a higher tier
    counts, for a higher one): still not met — a 公示 list is not the title — but said
    as it is, not as a title the database knows nothing of ("" when not on a list).
    A list of a tier the prerequisite accepts, below the one assessed, is the way to it
    (…，正式名单公布后方可申报): the prerequisite's own tier first, then the highest. A
    list of the assessed tier or above is not (库中没有…认定；已在…公示名单中)."""
    if not firm.pending:
        return ""
    rank = LADDER_RANK.get(rule.tier)
    accepted = [code for code in firm.pending if code == rule.tier or (
        rule.or_higher and rank is not None and LADDER_RANK.get(code, -1) >= rank)]
    if not accepted:
        return ""
    leads = [code for code in accepted if code == rule.tier
             or target is not None and LADDER_RANK.get(code, -1) < target]
    code = (rule.tier if rule.tier in leads
            else max(leads or accepted, key=lambda c: LADDER_RANK.get(c, -1)))
    # as pending_note says it, without brackets: the gap is set in brackets itself
    on_list = f"已在{reference.tier(code).name}{firm.pending_batches.get(code, '')}公示名单中"
    if code in leads:
        return f"{on_list}，{ON_LIST_ENDING}"
    return f"库中没有有效期内的{accepted_names(rule, target)}认定；{on_list}"


def lost_prerequisite(firm: FirmData, rules: TierRules) -> str:
    """前提认定已到期 / 已撤销 when a prerequisite ``firm`` does not hold is one it held once
    (``short`` says so), "" otherwise: what the ranked list shows for 尚未取得前提认定 before
    any firm's detail, as ``Assessment.lost_prerequisite`` does after."""
    if not firm.lost:
        return ""
    for rule in rules.walk():
        if rule.kind == "holds" and not held(rule, firm.held):
            text = lost_text(short(firm, rule, rules, rules.tier_code)[2])
            if text:
                return text
    return ""
