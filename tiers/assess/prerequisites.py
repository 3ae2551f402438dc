"""Prerequisite titles (``holds`` conditions): how many rungs a firm is from the tier it is
assessed for, and how a title it lacks is said — never held, run out, or revoked.

A firm with no title at all assessed for 小巨人 lacks 省级专精特新 and, below it, the title
that one needs in turn (创新型 under the 2022 rules, 科技和创新型 under the 2026 rules): the
rule set's own prerequisite of each tier, down the ladder (``chain``). A rung the firm is
公示中 for, or lost in the year of its 复核, is the last: the list or the 复核 gives it back.
The detailed assessment (``evaluate``) and the ranked list (``ranking``) count the rungs the
same way, and the words name each of them. A title held once and lost is not "尚未取得": it
ran out (已到期: 须通过复核重新取得 in the year of its 复核, 须重新申报取得 after; a
科技型中小企业 入库编号, valid a year, 须重新评价入库) or was revoked (已撤销).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from tiers.assess.firm import LADDER_RANK, FirmData, LostTitle
from tiers.assess.results import LOST_AWAITED, LOST_LAPSED, LOST_REVOKED
from tiers.assess.rules import Condition, TierRules
from tiers.model import ladder, reference
from tiers.text.values import show

ON_LIST_ENDING = "正式名单公布后方可申报"  # the gap of a prerequisite 公示中 (_on_list)
_UNMET = re.compile(r"须先取得(.+?)称号(?:（(.+)）)?")


def unmet_title(rule: Condition) -> str:
    """A prerequisite (``holds``) not held, as the assessment names it: 须先取得…称号."""
    return rule.unmet_title or f"须先取得{reference.tier(rule.tier).name}称号"


def estimate_note(firm: FirmData, rule: Condition) -> str:
    """For a prerequisite ``rule`` the firm meets only through titles whose validity Tiers
    estimated (FirmData.estimated: a 科技型中小企业 entered with its year alone, 入库编号 valid
    a year), the words that say so after the title named (已认定为科技型中小企业): （有效期为推算：
    只知 2025年度，请核对入库编号）; "" when a title meeting it has a validity given."""
    meeting = [code for code in firm.held if held(rule, (code,))]
    if not meeting or any(code not in firm.estimated for code in meeting):
        return ""
    named = rule.tier if rule.tier in firm.held else firm.current_tier
    code = named if named in meeting else max(meeting, key=lambda c: LADDER_RANK.get(c, -1))
    known = firm.estimated[code]
    return (f"（有效期为推算{'：' + known if known else ''}，"
            f"请核对{reference.tier(code).number_label}）")


def held(rule: Condition, titles: Collection[str]) -> bool:
    """Whether ``titles`` (ladder tier codes in force) meet the prerequisite ``rule``."""
    rank = LADDER_RANK.get(rule.tier) if rule.or_higher else None
    if rank is None:
        return rule.tier in titles
    return any(LADDER_RANK.get(code, -1) >= rank for code in titles)


def _accepted(rule: Condition, code: str, upper: int | None) -> bool:
    """Whether a title of ``code`` meets ``rule`` on the way to a tier of rank ``upper``."""
    rank = LADDER_RANK.get(rule.tier)
    return code == rule.tier or (rule.or_higher and rank is not None
                                 and rank <= LADDER_RANK.get(code, -1)
                                 and (upper is None or LADDER_RANK[code] < upper))


def _on_the_way(firm: FirmData, rule: Condition, upper: int | None) -> bool:
    """The firm is 公示中 for a title ``rule`` accepts, or lost one whose 复核 is due: that
    rung is short, but what it needs below is not (the list, or the 复核, gives it back)."""
    if any(_accepted(rule, code, upper) for code in firm.pending):
        return True
    lost = _lost(firm, rule, upper)
    return lost is not None and lost[1].in_review


def chain(rules: TierRules, rule: Condition, firm: FirmData) -> list[Condition]:
    """``rule`` (a prerequisite not held), then the prerequisite of its tier under the same
    rule set while that is not held either, top down: the titles to obtain, the last first.
    A rung the firm is on the way to (``_on_the_way``) is the last."""
    found = [rule]
    seen = {rules.tier_code}
    upper = LADDER_RANK.get(rules.tier_code)
    if _due_above(firm, rule, upper) is not None:
        return found  # the 复核 of the title lost above gives its standing back: one rung
    while found[-1].tier not in seen and not _on_the_way(firm, found[-1], upper):
        seen.add(found[-1].tier)
        upper = LADDER_RANK.get(found[-1].tier)
        lower = rules.rule_set.tiers.get(found[-1].tier)
        below = next((c for c in lower.walk() if c.kind == "holds"), None) if lower else None
        if below is None or held(below, firm.held):
            break
        found.append(below)
    return found


def rungs(rules: TierRules, firm: FirmData, short_ids: Collection[str] | None = None) -> int:
    """How many titles short of applying (0: no prerequisite is short), as ``chain``
    counts them — the rungs the verdict names; the most where several prerequisites are.
    ``short_ids``: the prerequisites found short (a detailed assessment's, not those of a
    band that does not apply: 单项冠军 with 4亿元 or more); None: every one not held."""
    return max((len(chain(rules, rule, firm)) for rule in rules.walk()
                if rule.kind == "holds" and not held(rule, firm.held)
                and (short_ids is None or rule.id in short_ids)), default=0)


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


# --- a title held once and lost, in words -------------------------------------------------

def _yearly(code: str) -> bool:
    """A title valid one year (科技型中小企业's 入库编号): evaluated anew each year, no 复核."""
    return reference.tier(code).validity_years == 1


def advice(code: str, lost: LostTitle) -> str:
    """How a title lost is got back: revoked, 须重新取得; a yearly 入库编号, 须重新评价入库;
    run out in the year its 复核 falls (LostTitle.review_due), 须通过复核重新取得; run out
    before, its 复核 missed, 须重新申报取得 (domain.md §1.5, §2.5)."""
    if lost.revoked_on is not None:
        return "须重新取得"
    if _yearly(code):
        return "须重新评价入库"
    if lost.results_by is not None:  # its round is over, its list not out yet
        return "待复核结果公布后重新取得"
    return "须通过复核重新取得" if lost.review_due else "须重新申报取得"


def ended_words(lost: LostTitle) -> str:
    """已到期, or for a title whose 复核 list is awaited (ladder.review_results_by)
    复核结果待公布（预计 2024-06-30 前公布）: not lapsed for good before its list is out."""
    if lost.results_by is None:
        return "已到期"
    return f"{ladder.REVIEW_RESULTS_PENDING}（预计 {show(lost.results_by)} 前公布）"


def lost_label(lost: LostTitle) -> str:
    """前提认定已撤销, 前提认定复核结果待公布 (its 复核 list awaited: not lapsed for good
    before the list is out, as ``ended_words`` says), or 前提认定已到期."""
    if lost.revoked_on is not None:
        return LOST_REVOKED
    return LOST_AWAITED if lost.results_by is not None else LOST_LAPSED


def lost_words(name: str, code: str, lost: LostTitle) -> tuple[str, str, str]:
    """(title, gap, detail) of a prerequisite of one title (``name``) held once and lost:
    run out (已到期), or revoked (已撤销), and how it is got back (``advice``)."""
    batch, how = lost.batch, advice(code, lost)
    if lost.revoked_on is not None:
        when = show(lost.revoked_on)
        return (f"{how}{name}称号", f"{batch}认定已于 {when} 撤销".lstrip(),
                f"{name}{f'（{batch}）' if batch else ''}已于 {when} 撤销，{how}")
    until = f"有效期至 {show(lost.valid_until)}"
    ended = ended_words(lost)
    return (f"{how}{name}称号", f"{batch}{'，' if batch else ''}{until}，{ended}",
            f"{name}（{batch}{'，' if batch else ''}{until}）{ended}，{how}")


def lost_phrase(code: str, lost: LostTitle) -> str:
    """A title lost in a list of rungs, without brackets: 2022年省级专精特新中小企业认定
    有效期至 2025-09-30，已到期；2025年科技型中小企业入库编号有效期至 2025-12-31，已过期，
    须重新评价入库; the way back where it is not applying anew (复核, 重新评价入库)."""
    tier = reference.tier(code)
    if lost.revoked_on is not None:
        return f"{lost.batch}{tier.name}认定已于 {show(lost.revoked_on)} 撤销"
    until = show(lost.valid_until)
    if _yearly(code):
        return f"{lost.batch}{tier.name}{tier.number_label}有效期至 {until}，已过期，{advice(code, lost)}"
    words = f"{lost.batch}{tier.name}认定有效期至 {until}，{ended_words(lost)}"
    return f"{words}，{advice(code, lost)}" if lost.in_review else words


# --- a prerequisite not held, in words ---------------------------------------------------

def short(firm: FirmData, rule: Condition, rules: TierRules | None,
          tier_code: str | None) -> tuple[str, str, str, str]:
    """(title, gap, detail, lost) of the prerequisite ``rule`` that ``firm`` does not hold,
    for ``tier_code`` (the tier assessed): on a 公示 list, said so; else every title short
    down the ladder (``chain``), each never held, or held once and lost (then ``lost`` is
    前提认定已到期 / 已撤销, the words shown for the group, and the detail says what was lost
    and how it is got back; a title lost at or above the tier assessed is said too)."""
    target = LADDER_RANK.get(tier_code) if tier_code else None
    on_list = _on_list(firm, rule, target)
    if on_list:
        return unmet_title(rule), on_list, on_list, ""
    due = _due_above(firm, rule, target)
    if due is not None:
        # a 小巨人 run out and due for 复核, assessed for 小巨人 (or above): its 复核 is the
        # way back — not "须先取得省级专精特新", which a holder of it never needed
        code, lost = due
        title, gap, detail = lost_words(reference.tier(code).name, code, lost)
        return title, gap, detail, lost_label(lost)
    found = chain(rules, rule, firm) if rules is not None else [rule]
    uppers = [target] + [LADDER_RANK.get(upper.tier) for upper in found[:-1]]
    losts = [_lost(firm, rung, upper) for rung, upper in zip(found, uppers, strict=True)]
    above = _lost_above(firm, rule, target)
    if not any(losts) and above is None:
        # short all the way down: no 省级专精特新, nor the 创新型 it needs in turn
        missing = f"库中没有有效期内的{accepted_names(rule, target)}认定" + "".join(
            f"，也没有{accepted_names(lower, upper)}认定{_lower_list(firm, lower)}"
            for lower, upper in zip(found[1:], uppers[1:], strict=True))
        return chain_title(found), missing, missing, ""
    hint = _review_hint(above)
    first = next(lost for lost in [*losts, above] if lost is not None)
    label = lost_label(first[1])
    if len(found) == 1 and losts[0] and "或" not in accepted_names(rule, target):
        code, lost = losts[0]
        title, gap, detail = lost_words(reference.tier(code).name, code, lost)
        return title + hint, gap, detail + hint, label
    parts = [lost_phrase(*lost) if lost else
             (f"库中没有有效期内的{accepted_names(rung, upper)}认定" if not number else
              f"也没有{accepted_names(rung, upper)}认定{_lower_list(firm, rung)}")
             for number, (rung, upper, lost) in enumerate(zip(found, uppers, losts,
                                                               strict=True))]
    if above is not None:
        parts.append(lost_phrase(*above))
    gap = "；".join(parts)
    title = chain_title(found) + hint
    return title, gap, f"{gap}；{title}", label


def _lower_list(firm: FirmData, rule: Condition) -> str:
    """（已在…公示名单中） after a title further down that the firm is 公示中 for."""
    if rule.tier not in firm.pending:
        return ""
    batch = firm.pending_batches.get(rule.tier, "")
    return f"（已在{reference.tier(rule.tier).name}{batch}公示名单中）"


def _lost(firm: FirmData, rule: Condition, target: int | None) -> tuple[str, LostTitle] | None:
    """The latest title the prerequisite accepts (below the tier of rank ``target`` it
    leads to) that the firm held once and lost, with its tier; None when none was."""
    if not firm.lost:
        return None
    found = [(code, lost) for code, lost in firm.lost.items() if _accepted(rule, code, target)]
    return max(found, key=lambda item: (item[1].ended, LADDER_RANK.get(item[0], -1)),
               default=None)


def _lost_above(firm: FirmData, rule: Condition, target: int | None
                ) -> tuple[str, LostTitle] | None:
    """A title the prerequisite would accept, of the tier assessed or above, that the firm
    held once and lost (小巨人 run out, assessed for 小巨人 anew): the latest; None else."""
    if not firm.lost or target is None or not rule.or_higher:
        return None
    found = [(code, lost) for code, lost in firm.lost.items()
             if LADDER_RANK.get(code, -1) >= target]
    return max(found, key=lambda item: (item[1].ended, LADDER_RANK.get(item[0], -1)),
               default=None)


def _due_above(firm: FirmData, rule: Condition, target: int | None
               ) -> tuple[str, LostTitle] | None:
    """A title the prerequisite accepts, of the tier assessed or above (``_lost_above``),
    run out and due for 复核: the prerequisite takes a higher title for its own (or_higher,
    as the rule sets write it), so the 复核 that gives the title back gives back the
    standing too; None when there is none. Only a title of the tier assessed: a lapsed
    小巨人 assessed for 省级专精特新 is told the real 省级 prerequisite (``_review_hint``)."""
    above = _lost_above(firm, rule, target)
    return (above if above is not None and above[1].in_review
            and LADDER_RANK.get(above[0]) == target else None)


def _review_hint(above: tuple[str, LostTitle] | None) -> str:
    """（或经复核恢复小巨人称号） after the prerequisite, when a title above the tier assessed
    was lost and its 复核 is due: that 复核 gives back the standing the prerequisite asks."""
    if above is None or not above[1].in_review:
        return ""
    return f"（或经复核恢复{reference.tier(above[0]).short}称号）"


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
            lost = short(firm, rule, rules, rules.tier_code)[3]
            if lost:
                return lost
    return ""
