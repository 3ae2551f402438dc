"""The bar on a firm whose recognition was revoked for 数据造假: 3 years without a new
application (domain.md §2.5, the 2026办法: "数据造假: title withdrawn, no new application for 3
years"; for the tiers that 办法 does not plainly name, inferred: BAR_SOURCES says which
document stands behind the bar for each tier applied for).

A revocation is recorded with its reason (Recognition.revoke_reason, required by 撤销); one
of a title in force (not 公示中, started) whose reason says the data were false (数据造假, 弄虚作假,
提供虚假材料…) bars the firm from applying for any tier of the ladder until three years after
the day it was revoked (revocation_bar decides it, for the revoke dialog and the loaders). Inside
the bar the assessment is 不符合 whatever the figures, and says why, until when and by which
办法 (bar_in_force); after it, nothing. An assessment dated before that 办法 took effect, and
judged by another rule set, is not barred by it: the revocation is 需人工核实 instead. The detailed assessment (evaluate) and the county's columns (columnar) read it
from the same rows, so both paths give the same verdict.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from tiers.model import reference
from tiers.text.values import show

BAR_YEARS = 3  # 2026办法: 数据造假, no new application for three years
# the words of a revoke reason that mean the data were false (数据造假, 弄虚作假, 提供虚假…)
FALSE_DATA_WORDS = ("造假", "虚假", "作假")
BAR_ID = "false_data_bar"
BAR_TITLE = "因数据造假被撤销认定，3年内不得申报"

# Which document states the bar for the tier applied for, and whether it is stated or
# inferred (INFERRED: said in the source, as REVIEW_RESULTS_BY's dates are). domain.md is the
# only record: §2.5 gives the 2026办法's "数据造假: title withdrawn, no new application for 3
# years" beside its 专精特新 and 小巨人 conditions; it does not say whether the clause names
# the bottom tier the 办法 brings in (科技和创新型中小企业), nor anything of the 科技型 evaluation
# (国科发政〔2017〕115号); the 单项冠军 are not under that 办法 at all — their 2023办法 asks
# 近3年无…数据造假 of an applicant (§2.4), which bars a firm revoked for it for three years,
# though no clause on revocation was retrieved. /work/shared/seeds/ say nothing of it.
INFERRED = "推定："
_BAR_2026 = ("2026办法（工信部企业〔2026〕2号）：数据造假的，撤销称号，3年内不得再次申报"
             "（domain.md §2.5，第三方转载）")
BAR_SOURCES: dict[str, tuple[str, bool]] = {
    "zjtx": (_BAR_2026 + "。", False),
    "little_giant": (_BAR_2026 + "。", False),
    "innovative": (_BAR_2026 + "；该办法把创新型中小企业作为“科技和创新型中小企业”纳入梯度，"
                   "但所见转载未说明这一条是否及于这一层级，按同一规定推定。", True),
    "tech_sme": ("科技型中小企业评价办法（国科发政〔2017〕115号）对数据造假的规定未见原文（domain.md "
                 "无记载）；" + _BAR_2026 + "，该办法把科技型中小企业纳入“科技和创新型中小企业”，"
                 "按同一规定推定。", True),
    "single_champion": ("2023办法（《制造业单项冠军企业认定管理办法》，工信部政法〔2023〕138号）："
                        "申请企业近3年无……数据造假（domain.md §2.4，黄石市工信局转载原文）；"
                        "撤销认定后3年内不得申报是由这一条件推定的，该办法撤销、限制申报的条文未见原文"
                        "（单项冠军不适用2026办法）。", True),
}


# The 办法 whose clause (stated or inferred: BAR_SOURCES) bars the tier applied for, and the
# day it took effect: an application judged before it is not under that clause. The 2026办法
# "2026-04-01 施行" (domain.md §2.5: new applications from that day are judged by it); the
# 单项冠军2023办法 as its rule set gives it (resources/rules/single_champion_2023.toml).
# Before them domain.md records no bar: the 2022暂行办法's text on 数据造假 (§2.1–2.3) and the
# 单项冠军 2016方案's (§2.4: 近三年无环境、质量、安全违法记录) were not retrieved or say none.
# (the rule sets' names: the day each took effect is their effective_from)
BAR_2026 = "2026办法"
BAR_BASES: dict[str, str] = {
    "zjtx": BAR_2026, "little_giant": BAR_2026, "innovative": BAR_2026, "tech_sme": BAR_2026,
    "single_champion": "单项冠军2023办法",
}
BAR_NOT_IN_FORCE_ID = "false_data_revoked"
BAR_NOT_IN_FORCE_TITLE = "曾因数据造假被撤销认定：能否申报需人工核实"


def bar_basis(tier_code: str) -> tuple[str, dt.date]:
    """The 办法 that bars applying for ``tier_code`` and the day it took effect (a tier
    without an entry: the 2026办法, as bar_source infers)."""
    from tiers.assess.rules import rule_sets  # (the rule files: read on use)

    name = BAR_BASES.get(tier_code, BAR_2026)
    return name, rule_sets()[name].effective_from


def bar_in_force(tier_code: str, on: dt.date | None, rule_set: str = "") -> str:
    """Why the bar applies to an assessment for ``tier_code`` dated ``on`` under the rule
    set named ``rule_set``, in words (依2026办法，2026-04-01起施行); "" when it does not:
    the assessment is dated before that 办法 took effect and judged by another rule set
    (domain.md §2.5: applications from 2026-04-01 are judged by the 2026办法, earlier ones by
    the 2022暂行办法, whose bar domain.md does not record). Judged by the 办法 itself (the
    officer's choice, or comparing side by side), its bar is applied with the rest of it."""
    basis, since = bar_basis(tier_code)
    inferred = "推定" if BAR_SOURCES.get(tier_code, ("", True))[1] else ""
    if on is None or on >= since:
        return f"{inferred}依{basis}，{since.isoformat()}起施行"
    if rule_set == basis:
        return f"{inferred}依所用规则集{basis}（{since.isoformat()}起施行）"
    return ""


def bar_not_in_force_words(found: Bar, tier_code: str, rule_set: str) -> str:
    """What an assessment dated before the bar's 办法 took effect says of a revocation for
    false data, instead of barring it: the revocation, why the bar is not applied, and that
    an officer must check whether the firm may apply."""
    basis, since = bar_basis(tier_code)
    on = f"本次预审日期 {show(found.on)}" if found.on is not None else "本次预审"
    return (f"{found.revoked_words}；“3年内不得申报”出自{basis}，{show(since)}起施行，"
            f"{on} 在此之前，按{rule_set}测算，不据此判定；domain.md 未载{rule_set}"
            "对数据造假撤销后能否申报的规定，请人工核实")


def bar_source(tier_code: str) -> str:
    """The document stating the bar on applying for ``tier_code`` (the tier assessed), with
    INFERRED before it where domain.md does not state it for that tier; a tier without an
    entry says that nothing documents it."""
    text, inferred = BAR_SOURCES.get(tier_code, (
        "domain.md 没有这一称号关于数据造假的规定，按2026办法的3年推定。", True))
    return INFERRED + text if inferred else text


@dataclass(frozen=True, slots=True)
class Bar:
    """A revocation for false data and the last day of the bar it starts."""

    tier_code: str
    revoked_on: dt.date
    reason: str
    last_day: dt.date
    # the day it was read for (the assessment's): bar_of's today; not part of the bar itself
    on: dt.date | None = field(default=None, compare=False)

    @property
    def revoked_words(self) -> str:
        """省级专精特新中小企业认定于 2025-11-03 因“数据造假”撤销."""
        return (f"{reference.tier(self.tier_code).name}认定于 {show(self.revoked_on)} "
                f"因“{self.reason}”撤销")

    @property
    def words(self) -> str:
        """省级专精特新中小企业认定于 2025-11-03 因“数据造假”撤销，至 2028-11-02 不得申报."""
        return f"{self.revoked_words}，{show(self.last_day)} 前不得申报"


# a reason that denies the false data ("经核查不存在数据造假", "非虚假申报", "未发现虚假材料")
# bars nothing: a negation at most four characters before the word, in the same clause
# ("非法" is no negation: "非法数据造假" is false data)
_DENIED = re.compile(r"(?:不存在|并非|未发现|没有|不属于|排除|不是|无|非(?!法))"
                     r"[^，,。；;：:（）()]{0,4}?(?:造假|虚假|作假)")


def false_data(reason: str | None) -> bool:
    """Whether a revoke reason says the data were false: one of FALSE_DATA_WORDS that no
    negation denies."""
    if not reason:
        return False
    affirmed = _DENIED.sub("", reason)
    return any(word in affirmed for word in FALSE_DATA_WORDS)


def last_day(revoked_on: dt.date) -> dt.date:
    """The last day of the bar a revocation on ``revoked_on`` starts (three years less a day)."""
    try:
        end = revoked_on.replace(year=revoked_on.year + BAR_YEARS)
    except ValueError:  # 29 February
        end = revoked_on.replace(year=revoked_on.year + BAR_YEARS, day=28)
    return end - dt.timedelta(days=1)


def revocation_bar(tier_code: str, revoked_on: dt.date, reason: str | None, *,
                   is_pending: bool, recognized_on: dt.date | None) -> Bar | None:
    """The bar that revoking a recognition of ``tier_code`` on ``revoked_on`` for ``reason``
    starts, the one decision of it: a title of the ladder (the assessment judges those) in
    force when revoked — not 公示中 (``is_pending``: a list not yet final is no title to
    withdraw, and domain.md §2.5 bars only a title withdrawn), started (its ``recognized_on``
    not after the day revoked; none known: started) — revoked for false data; None
    otherwise. The revoke dialog asks it with the row's values while the reason is typed,
    to say so before the officer confirms; the assessment's loaders read the bars in force
    from it (bar_of)."""
    if is_pending or (recognized_on is not None and recognized_on > revoked_on):
        return None
    if not false_data(reason) or not _on_the_ladder(tier_code):
        return None
    return Bar(tier_code, revoked_on, reason.strip(), last_day(revoked_on))


def _on_the_ladder(tier_code: str) -> bool:
    return any(item.code == tier_code and item.ladder for item in reference.tiers())


def bar_of(tier_code: str, revoked_on: dt.date | None, reason: str | None, today: dt.date,
           *, is_pending: bool, recognized_on: dt.date | None) -> Bar | None:
    """The bar a recognition starts that is in force ``today``: revoked (on or before today)
    with a bar (revocation_bar), less than three years ago; None otherwise."""
    if revoked_on is None or revoked_on > today:
        return None
    found = revocation_bar(tier_code, revoked_on, reason, is_pending=is_pending,
                           recognized_on=recognized_on)
    return replace(found, on=today) if found is not None and today <= found.last_day else None


def later(known: Bar | None, found: Bar | None) -> Bar | None:
    """Of two bars, the one that ends last (None: neither)."""
    if known is None or (found is not None and found.last_day > known.last_day):
        return found
    return known
