"""Which rule set an assessment uses, decided from the data and said in words.

A new application is judged by the rule set in force on the day (2026-04-01 onwards: the
2026办法 for 专精特新 and 小巨人). A 复核 — the firm holds the tier and its validity ends this
year — is judged by the rule set a transition rule names (工信厅企业函〔2026〕117号: the 2026
复核 of 第五批 and 第二批复核 小巨人 still under the 2022 rules), else by the one in force —
said as presumed when the title began under another (no source fixes its 复核's rules:
省级复核通知未取得，按现行办法推定; the assessment gives the other's result beside). The
officer may name another rule set; the assessment then says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tiers.assess import rules as rules_module
from tiers.assess.firm import DueTitle, FirmData, LostTitle
from tiers.model import ladder, reference
from tiers.text.values import show


@dataclass(frozen=True)
class RuleChoice:
    name: str
    reason: str  # why this rule set, in the officer's words
    review: bool = False  # the assessment is a 复核, not a new application
    # a 复核 by the rules in force that no source fixes (rules.presumed_over): the rule set
    # it is presumed over (the one its title began under: 2022暂行办法), "" for none
    presumed_over: str = ""


def presumed_words(tier_code: str) -> str:
    """Why a 复核's rules are presumed, as the reason, the verdict and its row say it:
    省级复核通知未取得，按现行办法推定 (复核通知未取得… for a national tier)."""
    level = "省级" if reference.tier(tier_code).level == "省级" else ""
    return f"{level}复核通知未取得，按现行办法推定"


def _current_review(tier_code: str, current: rules_module.RuleSet, words: str,
                    valid_until: dt.date | None) -> RuleChoice:
    """A 复核 by ``current``, the rules in force (``words``, the reason), said as presumed
    when the title under review (ending ``valid_until``) began under others and no
    transition rule names its 复核's (rules.presumed_over)."""
    over = rules_module.presumed_over(
        tier_code, current.name, rules_module.term_start(tier_code, valid_until))
    if over:
        words += f"（{presumed_words(tier_code)}）"
    return RuleChoice(current.name, words, review=True, presumed_over=over)


def _in_force(tier_code: str, on: dt.date) -> rules_module.RuleSet:
    """The rule set in force on ``on``; before any took effect, the oldest (rules_for)."""
    return rules_module.rules_for(tier_code, on=on).rule_set


def _by(rule_set: rules_module.RuleSet, on: dt.date, words: str, then: str = "") -> str:
    """``words`` (按现行的2022暂行办法) for a rule set in force on ``on``; for a day before
    any rule set took effect, that none was then (``then``, else the day) and the oldest is
    taken instead: 2022-05-01尚无施行的认定标准，按最早的2022暂行办法（2022-06-01起施行）."""
    if rule_set.effective_from <= on:
        return words
    return (f"{then or on.isoformat()}尚无施行的认定标准，按最早的{rule_set.name}"
            f"（{rule_set.effective_from.isoformat()}起施行）")


def _review_rule(tier_code: str, year: int) -> tuple[rules_module.RuleSet,
                                                      rules_module.ReviewUse] | None:
    for rule_set in rules_module.rule_sets().values():
        for use in rule_set.reviews:
            if use.tier_code == tier_code and year in use.years \
                    and tier_code in rule_set.tiers:
                return rule_set, use
    return None


def _by_transition(tier_code: str, year: int, when: str, joint: str = "") -> RuleChoice | None:
    """The 复核 of ``year`` by the rule set a transition rule names for it (the 2026 小巨人
    复核 by the 2022 rules), its reason after ``when`` (and the batches, then ``joint``);
    None when no rule names one."""
    found = _review_rule(tier_code, year)
    if found is None:
        return None
    rule_set, use = found
    batches = f"（{use.batches}）" if use.batches else ""
    return RuleChoice(rule_set.name,
                      f"{when}{batches}{joint}按{rule_set.name}（{use.source.split('：')[0]}）",
                      review=True)


def choose(tier_code: str, *, on: dt.date, firm: FirmData | None = None,
           named: str | None = None) -> RuleChoice:
    """The rule set for assessing ``firm`` (None: a firm applying anew) for ``tier_code`` on
    ``on``, with the reason; ``named`` is the officer's own choice."""
    tier_name = reference.tier(tier_code).name
    lapsed = firm.review_title(tier_code) if firm is not None else None
    until = firm.valid_until.get(tier_code) if firm is not None else None
    held = firm is not None and tier_code in firm.held
    # its 复核 round as the lapsed-prerequisite wording counts it (ladder.review_year): a
    # 2022年度 title announced in January 2023 is reviewed in 2025, not in 2026 when it ends
    due = (firm.review_years.get(tier_code, until.year) if firm is not None and until
           is not None else None)
    if named:  # still a 复核 (its exemptions, rules.for_review) by the rules named
        return RuleChoice(named, f"按所选规则集“{named}”测算",
                          review=lapsed is not None or (held and due == on.year))
    if lapsed is not None and lapsed.review_year is not None:
        return _lapsed_review(tier_code, lapsed, on)
    if held and until is not None and due == on.year:
        when = f"现有{tier_name}认定有效期至{until.isoformat()}，{on.year}年复核"
        found = _by_transition(tier_code, on.year, when, "：")
        if found is not None:
            return found
        current = _in_force(tier_code, on)
        return _current_review(tier_code, current,
                               f"{when}：{_by(current, on, f'按现行的{current.name}')}", until)
    current = _in_force(tier_code, on)
    since = current.effective_from
    since_text = f"，{since.isoformat()}起施行" if since > dt.date.min else ""
    if since > on:  # before any rule set took effect: the oldest, said not yet in force
        return RuleChoice(current.name, f"{'已是' + tier_name if held else '新申报'}："
                                        f"{_by(current, on, '')}测算")
    if held:
        return RuleChoice(current.name, f"已是{tier_name}：按现行的{current.name}"
                                        f"{since_text}测算")
    return RuleChoice(current.name, f"新申报：按{on.isoformat()}适用的{current.name}{since_text}")


def review_words(tier_code: str, lapsed: LostTitle) -> str:
    """The 复核 a title run out is in, as the assessment's headline says it: 专精特新“小巨人”
    企业（第五批（2023年），有效期至 2026-07-14）已到期，处于2026年复核轮次内 (not 须参加:
    the rounds close mid-year, and the whole year counts) — or, its round over and its list
    not out yet, …，2023年复核结果待公布（预计 2024-06-30 前公布）."""
    batch = f"{lapsed.batch}，" if lapsed.batch else ""
    title = f"{reference.tier(tier_code).name}（{batch}有效期至 {show(lapsed.valid_until)}）已到期"
    if lapsed.results_by is not None:
        return (f"{title}，{lapsed.review_year}年{ladder.REVIEW_RESULTS_PENDING}"
                f"（预计 {show(lapsed.results_by)} 前公布）")
    return f"{title}，处于{lapsed.review_year}年复核轮次内"


def due_words(tier_code: str, due: DueTitle) -> str:
    """The 复核 a title held is in, its round this year, as the assessment's headline says
    it (as ``review_words`` for one run out): 专精特新“小巨人”企业（第五批（2023年），有效期至
    2026-12-31）处于2026年复核轮次内."""
    batch = f"{due.batch}，" if due.batch else ""
    return (f"{reference.tier(tier_code).name}（{batch}有效期至 {show(due.valid_until)}）"
            f"处于{due.review_year}年复核轮次内")


def _lapsed_review(tier_code: str, lapsed: LostTitle, on: dt.date) -> RuleChoice:
    """A title run out and still in its 复核 round (or its 复核 list awaited) is assessed as
    that 复核, by the rules of its round: those a transition rule names for the round's year
    (2026 小巨人复核 of 第五批 and 第二批复核: the 2022 rules), else those in force in that
    round (by its last day, for a round already over; today, for one still to come)."""
    year = lapsed.review_year
    when = f"{review_words(tier_code, lapsed)}：这一轮复核"
    found = _by_transition(tier_code, year, when)
    if found is not None:
        return found
    if year < on.year:
        end = dt.date(year, 12, 31)
        current = _in_force(tier_code, end)
        return _current_review(tier_code, current,
                               when + _by(current, end, f"按{year}年复核时施行的{current.name}",
                                          then="时"), lapsed.valid_until)
    current = _in_force(tier_code, on)
    return _current_review(tier_code, current,
                           when + _by(current, on, f"按现行的{current.name}",
                                      then=f"，{on.isoformat()}"), lapsed.valid_until)


def alternatives(tier_code: str) -> list[str]:
    """Every rule set that covers the tier, oldest first (for comparing side by side)."""
    found = [rs for rs in rules_module.rule_sets().values() if tier_code in rs.tiers]
    return [rs.name for rs in sorted(found, key=lambda rs: rs.effective_from)]
