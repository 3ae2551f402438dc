"""The outcome of an assessment as plain dataclasses: what the CLI prints, the desktop
对标预审 tab shows and reports export. No SQL, no Qt."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tiers.assess.metrics import with_unit

MET, NOT_MET, MISSING, MANUAL = "满足", "不满足", "缺数据", "需人工核实"
STATUSES = (MET, NOT_MET, MISSING, MANUAL)
SCORED, SCORE_MISSING, SCORE_MANUAL = "已计分", "缺数据", "需人工核实"

# Readiness, best first. 条件均满足 only when nothing decisive waits for a check: when every
# condition the data can decide is met but a core condition (market rank, a research centre,
# a score that may fall either side of the pass line…) is 需人工核实, the firm is 待人工核实.
# A firm whose one condition short is the prerequisite title (a 小巨人 candidate that is
# not yet a 省级专精特新中小企业), whether data is missing or not, is not 差一项: it is two
# rungs away and cannot apply until it holds that title, so it is 尚未取得前提认定, after 缺数据.
# The numbers are those `tiers assess CODE --json` gives as ``readiness``: kept as they were
# (scripts may read them), the newer group numbered after; READINESS_RANK is the order.
READY, TO_VERIFY, ONE_SHORT, DATA_MISSING, NOT_READY, FLAGGED = range(6)
PREREQUISITE = 6
# best first, in the order lists rank them and counts name them
READINESS_LABELS = {READY: "条件均满足", TO_VERIFY: "待人工核实", ONE_SHORT: "差一项",
                    DATA_MISSING: "缺数据", PREREQUISITE: "尚未取得前提认定",
                    NOT_READY: "不符合", FLAGGED: "数据存疑"}
READINESS_RANK = {code: rank for rank, code in enumerate(READINESS_LABELS)}
FLAGGED_STATUS = "数据存疑"


# A prerequisite held once and lost (tiers.assess.prerequisites): how the firm's group is
# shown instead of 尚未取得前提认定 (whose label, number and place stay), ConditionResult.lost
LOST_LAPSED, LOST_REVOKED = "前提认定已到期", "前提认定已撤销"
# run out, its 复核 list awaited (ladder.review_results_by): not lapsed for good yet
LOST_AWAITED = "前提认定复核结果待公布"


def readiness_text(readiness: int, manual: int, core_manual: int, lost: str = "") -> str:
    """The readiness group as shown beside a firm (``Assessment.readiness_text``); ``lost``:
    the words of a prerequisite lost (LOST_LAPSED, LOST_REVOKED), shown for 尚未取得前提认定."""
    label = READINESS_LABELS[readiness]
    if readiness == PREREQUISITE and lost:
        return lost
    if readiness == READY and manual:
        return f"{label}（另有{manual}项待核实）"
    if readiness == TO_VERIFY:
        return f"{label}（{core_manual}项核心条件）"
    return label


REVIEW_MARK = "复核："


def marked(text: str, review: object) -> str:
    """A readiness as a list shows it: 复核：… for a firm judged as its 复核 (a title held
    whose round is this year, or one run out in its round), so that 现有梯度 = 拟推荐梯度
    does not read as a firm recommended anew; every face (report, window, CLI) shows this."""
    return f"{REVIEW_MARK}{text}" if review else text


@dataclass(slots=True)
class ValueUsed:
    """One figure the assessment relied on, and the year it comes from."""

    label: str
    value: Decimal | None
    unit: str
    year: int | None = None
    note: str = ""

    @property
    def text(self) -> str:
        year = f"（{self.year}年度）" if self.year else ""
        return f"{self.label} {with_unit(self.value, self.unit)}{year}"


@dataclass(slots=True)
class IndicatorScore:
    id: str
    group: str
    title: str
    max_points: int
    low: int
    high: int
    status: str  # 已计分 / 缺数据 / 需人工核实
    detail: str
    values: list[ValueUsed] = field(default_factory=list)
    source: str = ""

    @property
    def points_text(self) -> str:
        return f"{self.low}" if self.low == self.high else f"{self.low}—{self.high}"


@dataclass
class GroupScore:
    name: str
    low: int
    high: int
    max_points: int
    minimum: int | None = None


@dataclass
class ScoreResult:
    low: int
    high: int
    max_points: int
    pass_line: int
    groups: list[GroupScore]
    indicators: list[IndicatorScore]
    hints: list[str] = field(default_factory=list)  # how to gain points

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def text(self) -> str:
        if self.exact:
            return f"{self.low} 分"
        return f"{self.low}—{self.high} 分（{self.high - self.low} 分待核实或缺数据）"


@dataclass(slots=True)
class ConditionResult:
    id: str
    title: str
    kind: str
    status: str
    detail: str = ""
    gap: str = ""  # the shortfall in the user's terms, for 不满足
    values: list[ValueUsed] = field(default_factory=list)
    source: str = ""
    note: str = ""
    route: bool = False
    single: bool = False  # counted as one condition however many parts it has
    secondary: bool = False  # a routine confirmation: 需人工核实 here does not hold back 条件均满足
    children: list[ConditionResult] = field(default_factory=list)
    score: ScoreResult | None = None
    # readiness: conditions short / missing data / to verify by hand, counting for an
    # ``any`` only its best general path (direct routes count when they are met)
    shortfalls: int = 0
    missing: int = 0
    manual: int = 0
    # of those short, how many are far (below half the bar: tiers.assess.near), and how far
    # a far leaf is (现 2000 万元，仅达到 5%)
    far: int = 0
    reach: str = ""
    # a prerequisite (``holds``) not held that the firm held once: LOST_LAPSED / LOST_REVOKED
    lost: str = ""
    chosen: ConditionResult | None = field(default=None, repr=False)

    def counted(self) -> ConditionResult:
        """Counts this condition as one: short, missing data or to verify (a leaf, or a
        composite the rule text names as one condition)."""
        self.shortfalls = int(self.status == NOT_MET)
        self.missing = int(self.status == MISSING)
        self.manual = int(self.status == MANUAL)
        return self

    def walk(self, path: str = "") -> Iterator[tuple[str, ConditionResult]]:
        key = f"{path}/{self.id}" if path else self.id
        yield key, self
        for child in self.children:
            yield from child.walk(key)

    def counted_leaves(self) -> Iterator[ConditionResult]:
        """The leaves that make up the readiness counts."""
        if self.kind == "any":
            if self.status == MET or self.chosen is None:
                return
            yield from self.chosen.counted_leaves()
        elif self.kind == "band":
            if self.chosen is None:
                yield self
            else:
                yield from self.chosen.counted_leaves()
        elif self.kind == "all" and self.single:
            yield self
        elif self.kind == "all":
            for child in self.children:
                yield from child.counted_leaves()
        else:
            yield self


@dataclass
class Assessment:
    """One enterprise against one target tier under one rule set, with one year's figures."""

    enterprise_id: int
    credit_code: str
    name: str
    tier_code: str
    tier_name: str
    rule_set: str
    rule_set_title: str
    figures_year: int  # 上年度: the year whose figures the rules call 上年度
    status: str  # 满足 / 不满足 / 缺数据 / 需人工核实 / 数据存疑
    readiness: int
    verdict: str
    conditions: list[ConditionResult] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    county: str = ""
    town: str = ""
    # what the firm is now, as the roster says it: the highest ladder tier held, else its
    # local titles or 链主 (firm.title_words)
    current_tier: str = ""
    already_held: bool = False
    # the tier (this one or higher) the firm is 公示中 for, holding neither: "" for none
    pending_tier: str = ""
    notice: str = ""  # e.g. the rule set has been superseded
    rule_reason: str = ""  # why this rule set (新申报 / 复核 / chosen by the officer)
    # the firm is in its 复核 for this tier — its title ran out and is in its 复核 (round
    # on, or its list awaited), or is held and its 复核 round is this year (then
    # ``already_held`` too): the 复核 in words, said first in the verdict; "" for a new
    # application
    review: str = ""
    # a 复核 by rules no source fixes (choice.presumed_words), with the result under the rule
    # set its title began under: 省级复核通知未取得，按现行办法推定；按2022暂行办法：条件均满足
    # — said in the verdict too; "" when its rules are not presumed
    presumed: str = ""
    # why the figures year is not 上年度: its figures not yet reported (tiers.assess.figures_year)
    year_note: str = ""
    score: ScoreResult | None = None
    shortfalls: int = 0
    missing: int = 0
    manual: int = 0
    far: int = 0  # of the shortfalls, those far from their bar (不符合 when any)
    # prerequisite titles short, all the way down (2: no 创新型 nor 省级专精特新 for 小巨人)
    rungs: int = 0

    @property
    def readiness_label(self) -> str:
        """The readiness group (one of READINESS_LABELS)."""
        return READINESS_LABELS[self.readiness]

    @property
    def settled_held(self) -> bool:
        """Holds the tier (or a higher one) and is not in its 复核 of it: nothing to prepare
        (已是…（有效期内）, the badge 已认定); one held whose 复核 round is this year is that
        复核 (``review``), judged as one."""
        return self.already_held and not self.review

    @property
    def readiness_text(self) -> str:
        """The group as shown beside a firm: 条件均满足 says when routine items are left to
        check (条件均满足（另有2项待核实）); 待人工核实 says how many core items wait."""
        return readiness_text(self.readiness, self.manual,
                              self.core_manual if self.readiness == TO_VERIFY else 0,
                              self.lost_prerequisite)

    @property
    def marked_readiness_text(self) -> str:
        """``readiness_text`` with 复核：… when judged as its 复核 (``marked``)."""
        return marked(self.readiness_text, self.review)

    @property
    def lost_prerequisite(self) -> str:
        """前提认定已到期 / 已撤销 when the prerequisite short was held once; "" else."""
        return next((leaf.lost for leaf in self.leaves(NOT_MET)
                     if leaf.kind == "holds" and leaf.lost), "")

    @property
    def core_manual(self) -> int:
        """Counted conditions 需人工核实 that are not marked secondary."""
        return sum(1 for leaf in self.leaves(MANUAL) if not leaf.secondary)

    def walk(self) -> Iterator[tuple[str, ConditionResult]]:
        for condition in self.conditions:
            yield from condition.walk()

    def leaves(self, status: str | None = None) -> list[ConditionResult]:
        """The counted leaf conditions (optionally of one status), in rule order."""
        found = [leaf for c in self.conditions for leaf in c.counted_leaves()]
        return [leaf for leaf in found if status is None or leaf.status == status]

    def met_titles(self) -> list[str]:
        """What is already satisfied, as a list names it: every met leaf of the counted
        paths, and for a condition met through one of several ways (an ``any``) the way that
        met it — a direct route as 直通：…, so that a firm passing on a route, or on its score
        alone, does not show an empty 已满足条件."""
        titles: list[str] = []
        for condition in self.conditions:
            titles += _met(condition)
        return titles

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["readiness_label"] = self.readiness_label
        data["readiness_text"] = self.readiness_text
        # the name the lists, the summary and 培育库 give it (year_note kept: goldens, callers)
        data["figures_year_note"] = self.year_note
        data["core_manual"] = self.core_manual

        def strip(node: Any) -> Any:
            if isinstance(node, dict):
                node.pop("chosen", None)
                for value in node.values():
                    strip(value)
            elif isinstance(node, list):
                for value in node:
                    strip(value)
            return node

        return strip(data)


def _met(condition: ConditionResult) -> list[str]:
    if condition.kind == "any" and condition.status == MET:
        ways = [child for child in condition.children if child.status == MET]
        return [_way(way) for way in ways[:1]] + [_way(way) for way in ways[1:] if way.route]
    if condition.kind == "all" and not condition.single:
        return [title for child in condition.children for title in _met(child)]
    if condition.kind == "any" or condition.kind == "band":
        return [leaf.title for leaf in condition.counted_leaves() if leaf.status == MET]
    return [condition.title] if condition.status == MET else []


def _way(condition: ConditionResult) -> str:
    """A way an ``any`` was met; a direct route says so unless its title already does."""
    if condition.route and not condition.title.startswith(("直通", "免")):
        return f"直通：{condition.title}"
    return condition.title
