"""One enterprise as the rules see it (``FirmData``: figures, titles held), the inputs that
make no sense, and the values an assessment shows from its figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tiers.assess import metrics
from tiers.assess.bar import Bar
from tiers.assess.results import ValueUsed
from tiers.model import ladder, reference
from tiers.text.values import batch_text

RATIO_PLACES = Decimal("0.0001")  # percentages as shown and exported; comparisons use exact values
LADDER_RANK = {t.code: t.rank for t in reference.tiers() if t.ladder}


@dataclass(frozen=True, slots=True)
class LostTitle:
    """A recognition of a tier the firm holds no more: run out (``revoked_on`` None) or
    revoked, with its batch as rosters write it (第五批（2023年）, 2022年度复核)."""

    batch: str
    valid_until: date | None
    revoked_on: date | None = None
    # run out, and its 复核 round (its batch year plus the tier's validity, not the year it
    # happened to end: ladder.renewable_by_review) is this year or later: the 复核 may still
    # give it back; one whose round is over missed it
    review_due: bool = False
    # the year of its 复核 round (ladder.review_year; None: no fixed validity)
    review_year: int | None = None
    # run out, its round over, its 复核 list not out yet (ladder.review_results_by): the day
    # that list is expected by; None otherwise
    results_by: date | None = None

    @property
    def ended(self) -> date:
        return self.revoked_on or self.valid_until or date.min

    @property
    def in_review(self) -> bool:
        """Run out (not revoked) and still in its 复核: the round is on, or its list awaited."""
        return self.revoked_on is None and (self.review_due or self.results_by is not None)


@dataclass(frozen=True, slots=True)
class DueTitle:
    """A recognition of a ladder tier the firm holds, in force, whose 复核 round
    (ladder.review_year) is this year (第五批（2023年）小巨人, valid until 2026-12-31, in
    2026): assessed for its tier, the firm is that 复核, not a firm holding it (domain.md
    §1.5, §2.5: 3 years, then 复核; the 2026 复核 of 第五批 by the 2022 rules)."""

    batch: str
    valid_until: date
    review_year: int


@dataclass
class FirmData:
    """What the rules need to know about one enterprise."""

    enterprise_id: int
    credit_code: str
    name: str
    figures: metrics.Figures = field(default_factory=dict)
    held: frozenset[str] = frozenset()  # ladder tier codes in force
    # the other titles in force: local ones (市级专精特新, 隐形冠军…) and 链主 — no rung of
    # the ladder, but what the firm is (``title_words``)
    others: frozenset[str] = frozenset()
    # ladder tier codes 公示中 (on a 公示 list, not yet final): not held, but not a candidate
    pending: frozenset[str] = frozenset()
    # the batch of each tier 公示中, as its 公示 names it (2026年度, 第八批（2026年）; "" unknown)
    pending_batches: dict[str, str] = field(default_factory=dict)
    # the latest end of validity of each tier held (for 复核: it ends this year)
    valid_until: dict[str, date] = field(default_factory=dict)
    # the ladder tiers held only through titles whose validity Tiers estimated (none given:
    # ladder.default_valid_until, marked 推算), with what was known of the latest of them
    # (只知 2025年度, 只知认定日期 2025-09-01): the assessment says a prerequisite met by one
    # rests on an estimate (prerequisites.estimate_note)
    estimated: dict[str, str] = field(default_factory=dict)
    # the 复核 round of that latest title of each tier (ladder.review_year: its batch year +
    # validity, a late-announced title's end a year later notwithstanding); none known: the
    # year it ends
    review_years: dict[str, int] = field(default_factory=dict)
    county: str = ""
    town: str = ""
    # ladder tiers once held and held no more (not renewed, or revoked), the latest of each:
    # a prerequisite lost is said as lost, not as never held (evaluate._holds)
    lost: dict[str, LostTitle] = field(default_factory=dict)
    # the ladder titles held whose 复核 round is this year, by tier (the latest title of the
    # tier: one renewed already is not due; loading.due_titles)
    due: dict[str, DueTitle] = field(default_factory=dict)
    # a ladder title revoked for false data less than three years ago (tiers.assess.bar):
    # no application until the bar ends, whatever the figures
    bar: Bar | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def measure(self, metric: str, year: int, *, years: int = 1,
                aggregate: str = "each") -> metrics.Measurement:
        """A measurement of this firm's figures, computed once however many rules ask."""
        key = (metric, year, years, aggregate)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = metrics.measure(self.figures, metric, year, years=years,
                                                       aggregate=aggregate)
        return found

    def flags(self, year: int) -> list[str]:
        key = ("flags", year)
        if key not in self._cache:
            self._cache[key] = data_flags(self.figures, range(year - 2, year + 1))
        return self._cache[key]

    @property
    def current_tier(self) -> str | None:
        if not self.held:
            return None
        return max(self.held, key=lambda code: LADDER_RANK.get(code, -1))

    def holds_or_higher(self, tier_code: str) -> bool:
        rank = LADDER_RANK.get(tier_code)
        if rank is None:
            return tier_code in self.held
        return any(LADDER_RANK.get(code, -1) >= rank for code in self.held)

    def held_until(self, tier_code: str) -> date | None:
        """The latest end of validity of the titles held that are ``tier_code`` or, on the
        ladder, above it; None when one of them has no end, or none is held."""
        rank = LADDER_RANK.get(tier_code)
        covering = [code for code in self.held if code == tier_code
                    or rank is not None and LADDER_RANK.get(code, -1) >= rank]
        ends = [self.valid_until.get(code) for code in covering]
        return None if not ends or None in ends else max(ends)

    def review_title(self, tier_code: str) -> LostTitle | None:
        """The title of ``tier_code`` the firm held, ran out and has not got back, still in
        its 复核 (``LostTitle.in_review``): assessed for that tier, the firm is a 复核 and not a
        new application (domain.md §1.5); None when it holds the tier (or a higher one) or
        has no such title."""
        lost = self.lost.get(tier_code)
        if lost is None or not lost.in_review or self.holds_or_higher(tier_code):
            return None
        return lost

    def due_title(self, tier_code: str) -> DueTitle | None:
        """The title of ``tier_code`` the firm holds whose 复核 round is this year
        (``DueTitle``): assessed for that tier, the firm is its 复核 and not a firm holding
        it already (``Assessment.review``; the 候选企业 list it as such); None when it holds a
        higher tier of the ladder (counted as held, as a title run out then is:
        ``review_title``), or is 公示中 for the tier or a higher one (its 复核 is on a 公示
        list already), or has no such title."""
        return due_title(self.due, self.held, self.pending, tier_code)

    def pending_for(self, tier_code: str) -> str | None:
        """The tier this firm is 公示中 for that makes it no candidate for ``tier_code`` —
        that tier or a higher one of the ladder, the highest — unless it holds one already
        (then it is counted as held); None otherwise. A 公示中 recognition of a lower tier
        counts for nothing here: it is not held."""
        if self.holds_or_higher(tier_code):
            return None
        return pending_for(self.pending, tier_code)


CHAIN_LEADER = "chain_leader"


def title_words(held: frozenset[str], others: frozenset[str] = frozenset()) -> str:
    """What a firm is now, in the roster's 当前梯度 words and by its ranking (one ranking: the
    tiers' rank in resources/tiers.toml, as ladder.rank_expression orders the roster's
    current_recognition): the highest title in force, a local one (市级专精特新 15, 隐形冠军
    16) above 创新型 (10) as there; and, for a firm on no rung of the ladder, 链主企业 after
    it (the roster shows 链主 in its 产业链 column, which this list has not: alone, it is
    still a title); "" for a firm with no title at all. A 链主 recorded only as a chain role
    (no recognition) is no title: not shown, as the roster's 当前梯度 does not."""
    titles = [code for code in (*held, *others) if code != CHAIN_LEADER]
    words = [ladder.tier_label(max(titles, key=lambda code: reference.tier(code).rank))
             ] if titles else []
    if CHAIN_LEADER in others and not held:
        words.append(ladder.tier_label(CHAIN_LEADER))
    return "、".join(words)


def title_rank(held: frozenset[str], others: frozenset[str] = frozenset()) -> int:
    """The rank of the title ``title_words`` names first (-1: none; 链主 is no rank): a
    higher title already held ranks a candidate first among equals (ranking._order)."""
    return max((reference.tier(code).rank for code in (*held, *others)
                if code != CHAIN_LEADER), default=-1)


def publicity_words(label: str | None, year: int | None, is_review: bool = False) -> str:
    """A 公示 list's batch in a few words, to go before 公示名单, as rosters write a batch
    (2026年度, 第八批（2026年）), 复核 after it for a 复核 list; "" when nothing is known."""
    words = batch_text(label, year)
    return f"{words}复核" if is_review else words


def due_title(due: dict[str, DueTitle], held: frozenset[str], pending: frozenset[str],
              tier_code: str) -> DueTitle | None:
    """``FirmData.due_title`` from a firm's titles due, held and 公示中 (the 候选企业 read
    them as columns, ranking._review_verdicts)."""
    title = due.get(tier_code) if due else None
    if title is None or tier_code not in held or pending_for(pending, tier_code) is not None:
        return None
    rank = LADDER_RANK.get(tier_code, -1)
    if any(LADDER_RANK.get(code, -1) > rank for code in held):
        return None
    return title


def pending_for(pending: frozenset[str], tier_code: str) -> str | None:
    """Of the tiers ``pending`` (公示中), the highest that is ``tier_code`` or above it."""
    rank = LADDER_RANK.get(tier_code)
    found = [code for code in pending if code == tier_code
             or rank is not None and LADDER_RANK.get(code, -1) >= rank]
    return max(found, key=lambda code: LADDER_RANK.get(code, -1)) if found else None


# --- nonsense inputs -------------------------------------------------------------------

NON_NEGATIVE = ("revenue", "main_revenue", "rd_expense", "employees", "rd_staff",
                "total_assets", "total_liabilities", "ip_class1", "ip_class2", "niche_years",
                "market_share", "equity_financing", "development_score", "lead_product_ratio",
                "national_rd_centers", "provincial_rd_centers", "ip_class1_high_value",
                "ip_class1_own", "municipal_rd_centers", "lower_rd_centers", "digital_level",
                "quality_items", "distinctive_score")
NOT_ABOVE = (  # numerator, denominator, what a ratio over 100% would mean
    ("main_revenue", "revenue", "主营业务收入高于营业收入（占比超过100%）"),
    ("rd_expense", "revenue", "研发费用高于营业收入（研发费用占比超过100%）"),
    ("net_profit", "revenue", "净利润高于营业收入（净利润率超过100%）"),
    ("rd_staff", "employees", "研发人员多于从业人员（研发人员占比超过100%）"),
    ("total_liabilities", "total_assets", "负债总额高于资产总额（资产负债率超过100%）"),
)


@dataclass(frozen=True)
class Doubt:
    """One input of a year's figures that makes no sense: the field it is in, the field it
    is read against (a ratio over 100%; None for a value wrong on its own) and what is
    wrong, without the year."""

    field: str
    against: str | None
    text: str


def row_doubts(row: Mapping[str, Any]) -> list[Doubt]:
    """The inputs of one year's figures that make no sense — the one rule: 预审 flags them
    (data_flags: 数据存疑, not scored) and an import warns of them at their cells."""
    doubts = []
    for name in NON_NEGATIVE:
        value = row.get(name)
        if value is not None and value < 0:
            doubts.append(Doubt(name, None, f"{metrics.FIELD_LABELS[name]}为负数"
                                f"（{metrics.with_unit(value, metrics.FIELD_UNITS[name])}）"))
    for name in ("market_share", "lead_product_ratio"):
        share = row.get(name)
        if share is not None and share > 100:
            doubts.append(Doubt(name, None, f"{metrics.FIELD_LABELS[name]}超过100%"
                                f"（{metrics.number(share)}%）"))
    for top, bottom, meaning in NOT_ABOVE:
        a, b = row.get(top), row.get(bottom)
        if a is not None and b is not None and b >= 0 and a > b:
            doubts.append(Doubt(top, bottom,
                                f"{meaning}：{metrics.FIELD_LABELS[top]} "
                                f"{metrics.with_unit(a, metrics.FIELD_UNITS[top])}，"
                                f"{metrics.FIELD_LABELS[bottom]} "
                                f"{metrics.with_unit(b, metrics.FIELD_UNITS[bottom])}"))
    return doubts


def data_flags(figures: metrics.Figures, years: range) -> list[str]:
    """Inputs that make no sense, which are flagged and not scored (row_doubts)."""
    flags = []
    for year in years:
        row = figures.get(year)
        if row is not None:
            flags += [f"{year}年度{doubt.text}" for doubt in row_doubts(row)]
    return flags


# --- values shown -----------------------------------------------------------------------

def values_used(measurement: metrics.Measurement) -> list[ValueUsed]:
    """The values a measurement used, built once per measurement (then copied)."""
    made = measurement.used
    if made is None:
        metric = measurement.metric
        made = measurement.used = tuple(
            ValueUsed(label=metric.label, unit=metric.unit, year=year,
                      value=value.quantize(RATIO_PLACES)
                      if metric.is_percent and value is not None else value)
            for year, value in measurement.per_year.items())
        if metric.compound_of:  # the two revenues the rate comes from
            base = metric.compound_of
            made = tuple(
                ValueUsed(label=metrics.FIELD_LABELS[base], unit=metrics.FIELD_UNITS[base],
                          year=year, value=metrics.year_value(
                              measurement.figures, metrics.METRICS[base], year)[0])
                for year in (measurement.years[0] - metrics.COMPOUND_YEARS,
                             measurement.years[-1])) + made
            measurement.used = made
    return list(made)


def shown_values(firm: FirmData, names: tuple[str, ...], year: int) -> list[ValueUsed]:
    """The values of ``names`` for ``year``, shown for reference beside a manual check."""
    shown = []
    for name in names:
        measurement = firm.measure(name, year)
        shown.extend(values_used(measurement))
    return shown
