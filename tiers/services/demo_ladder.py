"""When the demo county's ladder titles were given: which batch of each rung a firm holds,
and whether the batch is still 公示中 on the demo's day.

A firm climbs the ladder one rung a batch: each rung's batch later than the one below
(小巨人 requires holding 专精特新, domain.md §2.5) — but 省级专精特新 may be of the same year
as the 创新型 below it (``SAME_YEAR_AS_BELOW``: 创新型 are announced from June, the province
calls for 专精特新 in September), so that the demo has a 省级 batch every year, 2022年度 too,
and its 复核 three years on — and only batches already published on the demo's day. 创新型 has batches from 2022年度 only (``INNOVATIVE_FROM``): a firm that
started earlier holds no 创新型. When the batches a firm's start year would give do not exist yet, the
firm started earlier.

The seasons are an inference, not a published timetable [U]: Jiangsu called for the
provincial 专精特新 on 2022-09-20 (苏工信中小〔2022〕496号, domain.md §1.7), so its 公示 is
taken to run in December and its final list at the year's end; 第八批 小巨人 applications ran
to 5.25 and the 省级初核推荐 to 6.30 (§2.5), and Jiangsu's 公示 of 第五批 was on 2023-07-14
(§1.6), so a 小巨人 批 is final from August; a 创新型 batch is announced from June (the 2025
call is dated 05-12, §1.7); 单项冠军 as 小巨人 is taken to be.

The numbered batches (第八批) come from tiers.toml, which knows them up to its newest year
(the horizon, the newest year of any ladder tier). On a later day the demo goes on one batch
a year after the horizon, so that a demo made in 2028 still has national titles in force
rather than every one of them past its three years. These batches are an invention [U]: each
is numbered by the years since the tier's own newest known batch (单项冠军 第八批 is of 2024,
so its batch of 2027 is 第十一批, not 第九批, which is likely 2025's), and its label says it is
invented (第十一批（演示虚构）), so neither the 名单 nor any face takes it for a real list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from tiers.model import reference

LADDER_CODES = ["innovative", "zjtx", "little_giant", "single_champion"]
FIRST_YEAR = 2016  # the oldest batch a demo firm may hold (单项冠军 第一批)
# 创新型中小企业 exists since the 2022 暂行办法 (domain.md §1.1, §2.1: Jiangsu's first were the
# 2022年度 ones, reviewed in 2025, §1.5): no batch before it. A firm whose ladder starts
# earlier started at 省级专精特新 (Jiangsu's 2019年度 省级专精特新小巨人, carried into the tier,
# §1.2) and has no 创新型 below it: the 2022 rule that 省级 applicants be 创新型 is for new
# applications, and a higher title meets it (the rule sets' or_higher)
INNOVATIVE_FROM = 2022
# rungs whose batch may be of the same year as the rung below: Jiangsu's 2022 call for 省级
# 专精特新 (苏工信中小〔2022〕496号, 2022-09-20, domain.md §1.1, §1.7) took "经各设区市公告并报省
# 工信厅备案的创新型中小企业", and the 设区市 announce 创新型 from June: a firm announced 创新型 in
# the summer applied in September and was on the year-end list (2022年度 创新型 and 2022年度
# 省级). Not 小巨人 above 专精特新 (applications in spring: the 省级 title must be of an earlier
# year), nor 单项冠军 above 小巨人.
SAME_YEAR_AS_BELOW = frozenset({"zjtx"})
# the province's call for 专精特新 (month, day): a 创新型 of the same year as the 省级 title
# above it was announced before it (recognized_on)
PROVINCIAL_CALL = (9, 20)
# the month from which a batch of the year is published (final, or 公示中 for 专精特新)
PUBLISHED_FROM = {"innovative": 6, "zjtx": 12, "little_giant": 8, "single_champion": 8}
# the provincial 专精特新 of year Y: 公示 from 12-01, final list dated 12-28 [U]
PUBLICITY_STARTS = (12, 1)
FINAL_LIST_ON = (12, 28)
# how an invented batch (past tiers.toml's horizon) is marked: in its label, which every
# face and the 名单's 认定批次 show, and in the title's note
INVENTED_MARK = "（演示虚构）"
INVENTED_NOTE = "演示：虚构批次"
# the share of titles a 复核 renews once their three years are over; the rest lapse [U]
REVIEWED = 0.85


@dataclass(frozen=True)
class Rung:
    """One title of a firm's ladder: its tier, batch, the batch's year, and whether the
    batch is still 公示中 on the demo's day."""

    tier_code: str
    batch_label: str
    batch_year: int
    pending: bool

    @property
    def invented(self) -> bool:
        """A numbered batch past tiers.toml's horizon: no such list exists (yet)."""
        return self.batch_label.endswith(INVENTED_MARK)


def published(tier_code: str, year: int, today: dt.date) -> bool:
    """Whether the tier's batch of ``year`` is out (final, or 公示中) on ``today``."""
    return today >= dt.date(year, PUBLISHED_FROM[tier_code], 1)


def provincial_pending(year: int, today: dt.date) -> bool:
    """The provincial 专精特新 batch of ``year`` is 公示中 on ``today``."""
    return dt.date(year, *PUBLICITY_STARTS) <= today < dt.date(year, *FINAL_LIST_ON)


_NUMERALS = "一二三四五六七八九"


def _numbered(number: int) -> str:
    """第九批, 第十批, 第十一批, 第二十批 as the ministry writes them."""
    tens, units = divmod(number, 10)
    text = ("" if tens == 0 else "十" if tens == 1 else _NUMERALS[tens - 1] + "十")
    return f"第{text}{_NUMERALS[units - 1] if units else ''}批"


def horizon() -> int:
    """The newest year of any numbered batch tiers.toml knows: later batches are unknown."""
    return max(year for code in LADDER_CODES for _, year in reference.tier(code).batches)


@lru_cache(maxsize=64)
def numbered_batches(tier_code: str, today: dt.date) -> tuple[tuple[str, int], ...]:
    """The numbered batches of a tier (小巨人, 单项冠军), oldest first: the known ones, then
    one a year after the horizon, each once it is out on ``today``, numbered by the years
    since the tier's own newest known batch and marked invented (see the module's text;
    before then the list is tiers.toml's, so the county is as it was)."""
    known = list(reference.tier(tier_code).batches)
    last_number, last_year = max((reference.batch_number(label) or 0, year)
                                 for label, year in known)
    for year in range(horizon() + 1, today.year + 1):
        if published(tier_code, year, today):
            number = last_number + (year - last_year)
            known.append((_numbered(number) + INVENTED_MARK, year))
    return tuple(known)


def _batches(tier_code: str, today: dt.date) -> list[tuple[str, int]]:
    """The tier's batches out on ``today``, oldest first: 第五批 (2023) for the national
    tiers, 2023年度 for the provincial ones."""
    if reference.tier(tier_code).batches:
        known = list(numbered_batches(tier_code, today))
    else:
        since = INNOVATIVE_FROM if tier_code == "innovative" else FIRST_YEAR
        known = [(f"{year}年度", year) for year in range(since, today.year + 1)]
    return [(label, year) for label, year in known if published(tier_code, year, today)]


def review_of(title: Rung, today: dt.date) -> Rung | None:
    """The batch whose 复核 renews ``title`` (domain.md §1.5: each batch comes with a 复核 of
    the batch three years earlier): the tier's first batch from three years after it, once
    its final list is out on ``today``; None before then."""
    after = title.batch_year + reference.tier(title.tier_code).validity_years
    for label, year in _batches(title.tier_code, today):
        if year >= after:
            if title.tier_code == "zjtx" and provincial_pending(year, today):
                return None
            return Rung(title.tier_code, label, year, False)
    return None


def rungs(top: int, start: int, today: dt.date) -> list[Rung]:
    """The firm's titles up to ``top``: from the batch of ``start`` (or the first after it),
    each rung one a later batch; started earlier when the later rungs' batches are not out
    yet; fewer rungs only when no earlier start would do."""
    available = [_batches(code, today) for code in LADDER_CODES[:top]]
    for first in range(start, FIRST_YEAR - 1, -1):
        # its 省级专精特新 (the year after ``first``) before 创新型 existed: the ladder begins
        # there, the other rungs in the years they always had (a 2022年度 省级 applicant
        # had to be 创新型 already, so from 2022 on it is)
        skip = int(top > 1 and first + 1 < INNOVATIVE_FROM)
        chosen, previous = [], None
        for rung, batches in enumerate(available[skip:], start=skip):
            step = 0 if LADDER_CODES[rung] in SAME_YEAR_AS_BELOW else 1
            wanted = first + rung if previous is None else max(first + rung, previous + step)
            batch = next((b for b in batches if b[1] >= wanted), None)
            if batch is None:
                break
            chosen.append(batch)
            previous = batch[1]
        if len(chosen) == top - skip:
            break
    codes = LADDER_CODES[skip:]
    return [Rung(codes[rung], label, year,
                 codes[rung] == "zjtx" and rung == len(chosen) - 1
                 and provincial_pending(year, today))
            for rung, (label, year) in enumerate(chosen)]


def recognized_on(rung: Rung, month: int, day: int, today: dt.date, *,
                  before_call: bool = False) -> dt.date | None:
    """The day the batch's final list gave, from the firm's drawn month (6–12) and day;
    None while 公示中. Never after ``today``. ``before_call``: a 创新型 with a 省级 title of
    the same year above it, announced before the province's call (``PROVINCIAL_CALL``)."""
    if rung.pending:
        return None
    if rung.tier_code == "zjtx":
        return dt.date(rung.batch_year, *FINAL_LIST_ON)
    first = PUBLISHED_FROM[rung.tier_code]
    last = PROVINCIAL_CALL[0] - 1 if before_call else 12
    month = first + (month - 6) % (last + 1 - first)
    given = dt.date(rung.batch_year, month, day)
    if given > today:
        given = max(dt.date(rung.batch_year, first, 1), today - dt.timedelta(days=day))
    return given
