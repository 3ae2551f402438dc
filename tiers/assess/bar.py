"""The 2026办法's bar on a firm whose recognition was revoked for 数据造假: 3 years without a
new application (domain.md §2.5: "数据造假: title withdrawn, no new application for 3 years").

A revocation is recorded with its reason (Recognition.revoke_reason, required by 撤销); one
of a title in force (not 公示中, started) whose reason says the data were false (数据造假, 弄虚作假,
提供虚假材料…) bars the firm from applying for any tier of the ladder until three years after
the day it was revoked (revocation_bar decides it, for the revoke dialog and the loaders). Inside
the bar the assessment is 不符合 whatever the figures, and says why and until when; after
it, nothing. The detailed assessment (evaluate) and the county's columns (columnar) read it
from the same rows, so both paths give the same verdict.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tiers.model import reference
from tiers.text.values import show

BAR_YEARS = 3  # 2026办法: 数据造假, no new application for three years
# the words of a revoke reason that mean the data were false (数据造假, 弄虚作假, 提供虚假…)
FALSE_DATA_WORDS = ("造假", "虚假", "作假")
BAR_ID = "false_data_bar"
BAR_TITLE = "因数据造假被撤销认定，3年内不得申报"
BAR_SOURCE = ("2026办法：企业存在数据造假等行为的，撤销其称号，3年内不得再次申报"
              "（domain.md §2.5，第三方转载）。")


@dataclass(frozen=True, slots=True)
class Bar:
    """A revocation for false data and the last day of the bar it starts."""

    tier_code: str
    revoked_on: dt.date
    reason: str
    last_day: dt.date

    @property
    def words(self) -> str:
        """省级专精特新中小企业认定于 2025-11-03 因“数据造假”撤销，至 2028-11-02 不得申报."""
        return (f"{reference.tier(self.tier_code).name}认定于 {show(self.revoked_on)} "
                f"因“{self.reason}”撤销，{show(self.last_day)} 前不得申报")


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
    return found if found is not None and today <= found.last_day else None


def later(known: Bar | None, found: Bar | None) -> Bar | None:
    """Of two bars, the one that ends last (None: neither)."""
    if known is None or (found is not None and found.last_day > known.last_day):
        return found
    return known
