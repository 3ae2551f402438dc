"""Rule sets (认定/评价标准) loaded from ``resources/rules/*.toml``.

A rule set is data: each tier's conditions form a tree (``all`` / ``any`` / ``band`` nodes over
``threshold`` / ``holds`` / ``manual`` / ``score`` / ``given`` leaves), each with the rule text it
comes from. The 2026 办法 or a city's own title is a new file, not new code.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from tiers.assess import metrics
from tiers.errors import InvalidInput
from tiers.model import reference

KINDS = ("all", "any", "band", "threshold", "holds", "manual", "given", "score")
OPERATORS = (">=", ">", "<=", "<")
AGGREGATES = ("each", "sum", "mean", "min")  # min: the best place (a rank) over the years


# How a rule text says where its edge is, by comparison: a threshold's title must say it so
# (the screen shows the title as the rule is written, the evaluation reads ``op``; 拥有: one or
# more). A word that contains another (不低于 ⊃ 低于, 不高于 ⊃ 高于) is taken out before the
# shorter one is looked for.
EDGE_WORDS = {">=": ("不低于", "以上", "达到", "拥有"), ">": ("超过", "高于"),
              "<=": ("不高于", "以下", "以内", "前"), "<": ("低于",)}
_CONTAINING = {"低于": "不低于", "高于": "不高于"}
SYMBOLS = "≥≤＞＜<>"


def edge_words_in(title: str, op: str) -> bool:
    """Whether ``title`` says the edge the way ``op`` reads it."""
    for word in EDGE_WORDS[op]:
        text = title.replace(_CONTAINING[word], "") if word in _CONTAINING else title
        if word in text:
            return True
    return False


class RuleError(InvalidInput):
    """A rule set that cannot be used; the message names the file and the condition."""


@dataclass(frozen=True)
class Band:
    points: int
    minimum: Decimal | None = None  # value >= minimum
    maximum: Decimal | None = None  # value <= maximum
    metric: str | None = None  # overrides the indicator's metric
    points_max: int | None = None  # more points possible after a manual check
    manual: str = ""


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str
    title: str
    max_points: int
    kind: str  # "bands" or "manual"
    metric: str | None = None
    years: int = 1
    aggregate: str = "each"
    bands: tuple[Band, ...] = ()
    possible: tuple[int, int] = (0, 0)
    shows: tuple[str, ...] = ()
    source: str = ""
    note: str = ""
    unknown: str = ""  # "manual": values not recorded read as 需人工核实, not 缺数据


@dataclass(frozen=True)
class Condition:
    id: str
    kind: str
    title: str
    source: str = ""
    note: str = ""
    route: bool = False  # a 直通 alternative inside an ``any``
    single: bool = False  # an ``all`` whose parts are one condition of the rule text
    children: tuple[Condition, ...] = ()
    # threshold
    metric: str | None = None
    op: str = ">="
    value: Decimal | None = None
    years: int = 1
    aggregate: str = "each"
    proxy: str = ""
    # "manual": data not recorded reads as 需人工核实, not 缺数据 (a fact such as an award that
    # the database may simply not know: its absence proves nothing)
    unknown: str = ""
    # band (on the parent: metric; on each child: its range, [min, max))
    band_min: Decimal | None = None
    band_max: Decimal | None = None
    # holds
    tier: str | None = None
    or_higher: bool = False
    met_title: str = ""  # what a held prerequisite reads as (default 已是…)
    unmet_title: str = ""  # what a missing one reads as (default 须先取得…称号)
    # manual (and a threshold's proxy): a confirmation that does not hold back 条件均满足
    secondary: bool = False
    # manual
    shows: tuple[str, ...] = ()
    # score
    pass_line: int = 0
    groups: tuple[tuple[str, int], ...] = ()
    indicators: tuple[Indicator, ...] = ()
    # how a 复核 is judged on it (``for_review``): "exempt" (复核企业不考核此项), or
    # "either_year" (复核企业近两年任一年达标即可)
    review: str = ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class TierRules:
    tier_code: str
    title: str
    source: str
    conditions: tuple[Condition, ...]
    rule_set: RuleSet = field(repr=False, compare=False)

    @property
    def tier_name(self) -> str:
        return reference.tier(self.tier_code).name

    def walk(self):
        for condition in self.conditions:
            yield from condition.walk()


@dataclass(frozen=True)
class ReviewUse:
    """复核 of a tier in ``years`` still judged by this rule set (a transition rule such as
    工信厅企业函〔2026〕117号: the 2026 小巨人复核 of older batches under the 2022 rules)."""

    tier_code: str
    years: tuple[int, ...]
    batches: str
    source: str


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    effective_from: dt.date
    superseded_on: dt.date | None
    superseded_note: str
    path: str
    tiers: dict[str, TierRules] = field(default_factory=dict, compare=False, repr=False)
    reviews: tuple[ReviewUse, ...] = ()


def _decimal(value, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RuleError(f"{where}：数值无效：{value!r}")
    return Decimal(str(value))


def _check_metric(name: str | None, where: str) -> None:
    if name is not None and name not in metrics.METRICS:
        raise RuleError(f"{where}：未知指标 {name}")


def _indicator(raw: dict, where: str) -> Indicator:
    where = f"{where} 指标 {raw.get('id', '?')}"
    kind = raw.get("kind", "bands")
    metric = raw.get("metric")
    _check_metric(metric, where)
    for name in raw.get("shows", ()):
        _check_metric(name, where)
    bands = []
    for band in raw.get("bands", ()):
        _check_metric(band.get("metric"), where)
        if band.get("metric", metric) is None and ("min" in band or "max" in band):
            raise RuleError(f"{where}：档位缺少指标")
        bands.append(Band(points=int(band["points"]), minimum=_decimal(band.get("min"), where),
                          maximum=_decimal(band.get("max"), where), metric=band.get("metric"),
                          points_max=band.get("points_max"), manual=band.get("manual", "")))
    if kind == "bands" and not bands:
        raise RuleError(f"{where}：没有评分档位")
    if kind not in ("bands", "manual"):
        raise RuleError(f"{where}：未知的指标类型 {kind}")
    possible = tuple(raw.get("possible", (0, raw["max"])))
    return Indicator(
        id=raw["id"], group=raw["group"], title=raw["title"], max_points=int(raw["max"]),
        kind=kind, metric=metric, years=int(raw.get("years", 1)),
        aggregate=raw.get("aggregate", "each"), bands=tuple(bands),
        possible=(int(possible[0]), int(possible[-1])), shows=tuple(raw.get("shows", ())),
        source=raw.get("source", ""), note=raw.get("note", ""),
        unknown=raw.get("unknown", ""))


def _build(raw: dict, by_parent: dict[str | None, list[dict]], where: str) -> Condition:
    where = f"{where} 条件 {raw['id']}"
    kind = raw.get("kind")
    if kind not in KINDS:
        raise RuleError(f"{where}：未知的条件类型 {kind}")
    children = tuple(_build(child, by_parent, where.rsplit(" 条件 ", 1)[0])
                     for child in by_parent.get(raw["id"], ()))
    if kind in ("all", "any", "band") and not children:
        raise RuleError(f"{where}：没有下级条件")
    _check_metric(raw.get("metric"), where)
    for name in raw.get("shows", ()):
        _check_metric(name, where)
    if any(symbol in raw.get("title", "") for symbol in SYMBOLS):
        raise RuleError(f"{where}：标题“{raw['title']}”应照原文写（“不低于90%”），不用 ≥ ≤ 等符号")
    if kind == "threshold":
        if raw.get("metric") is None or raw.get("value") is None:
            raise RuleError(f"{where}：阈值条件须写 metric 与 value")
        if raw.get("op", ">=") not in OPERATORS:
            raise RuleError(f"{where}：比较符应为 {' '.join(OPERATORS)} 之一")
        if raw.get("aggregate", "each") not in AGGREGATES:
            raise RuleError(f"{where}：aggregate 应为 {' '.join(AGGREGATES)} 之一")
        if raw.get("unknown", "") not in ("", "manual"):
            raise RuleError(f"{where}：unknown 只能是 manual")
        if not edge_words_in(raw["title"], raw.get("op", ">=")):
            words = "/".join(EDGE_WORDS[raw.get("op", ">=")])
            raise RuleError(f"{where}：标题“{raw['title']}”未照原文写明边界"
                            f"（op {raw.get('op', '>=')} 应写作“{words}”）")
    if kind == "band" and raw.get("metric") is None:
        raise RuleError(f"{where}：分档条件须写 metric")
    if kind == "holds":
        try:
            reference.tier(raw.get("tier", ""))
        except KeyError as exc:
            raise RuleError(f"{where}：未知的梯度 {raw.get('tier')}") from exc
    indicators = tuple(_indicator(item, where) for item in raw.get("indicator", ()))
    if kind == "score" and not indicators:
        raise RuleError(f"{where}：评分条件没有指标")
    return Condition(
        id=raw["id"], kind=kind, title=raw["title"], source=raw.get("source", ""),
        note=raw.get("note", ""), route=bool(raw.get("route", False)),
        single=bool(raw.get("single", False)), children=children,
        metric=raw.get("metric"), op=raw.get("op", ">="),
        value=_decimal(raw.get("value"), where), years=int(raw.get("years", 1)),
        aggregate=raw.get("aggregate", "each"), proxy=raw.get("proxy", ""),
        unknown=raw.get("unknown", ""),
        band_min=_decimal(raw.get("band_min"), where),
        band_max=_decimal(raw.get("band_max"), where), tier=raw.get("tier"),
        or_higher=bool(raw.get("or_higher", False)), met_title=raw.get("met_title", ""),
        unmet_title=raw.get("unmet_title", ""), secondary=bool(raw.get("secondary", False)),
        shows=tuple(raw.get("shows", ())),
        pass_line=int(raw.get("pass", 0)), groups=tuple(raw.get("groups", {}).items()),
        indicators=indicators, review=_review_mode(raw, where))


REVIEW_MODES = {"exempt": "复核企业不考核此项", "either_year": "复核企业近两年任一年达标即可"}


def _review_mode(raw: dict, where: str) -> str:
    mode = raw.get("review", "")
    if mode and mode not in REVIEW_MODES:
        raise RuleError(f"{where}：review 应为 {'、'.join(REVIEW_MODES)} 之一（现为“{mode}”）")
    if mode == "either_year" and (raw.get("kind") != "threshold" or int(raw.get("years", 1)) != 1):
        raise RuleError(f"{where}：review = \"either_year\" 只用于单一年度的门槛条件")
    return mode


def _for_review(condition: Condition) -> Condition:
    if condition.review == "exempt":
        return replace(condition, kind="given", children=(),
                       title=f"{condition.title}（{REVIEW_MODES['exempt']}）")
    if condition.review == "either_year":
        return replace(condition, years=2, aggregate="max",
                       title=f"{condition.title}（{REVIEW_MODES['either_year']}）")
    if condition.children:
        return replace(condition, children=tuple(map(_for_review, condition.children)))
    return condition


def for_review(rules: TierRules) -> TierRules:
    """The rules as a 复核 is judged by them: a condition the rule text exempts 复核 firms
    from is met (2026办法 小巨人: 复合增长率, 复核企业不考核此项), and a yearly bar is met on
    either of the last two years (专精特新发展评价得分); ``rules`` itself when none says so."""
    if not any(condition.review for condition in rules.walk()):
        return rules
    return replace(rules, conditions=tuple(map(_for_review, rules.conditions)))


def _review(raw: dict, where: str) -> ReviewUse:
    try:
        reference.tier(raw.get("tier", ""))
    except KeyError as exc:
        raise RuleError(f"{where}：复核规则的梯度未知：{raw.get('tier')}") from exc
    years = raw.get("years", ())
    if not years or not all(isinstance(y, int) for y in years):
        raise RuleError(f"{where}：复核规则须写 years（年度列表）")
    return ReviewUse(tier_code=raw["tier"], years=tuple(years), batches=raw.get("batches", ""),
                     source=raw.get("source", ""))


def load_rule_set(path: Path) -> RuleSet:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"无法读取规则集 {path.name}：{exc}") from exc
    head = data.get("rule_set", {})
    if not head.get("name"):
        raise RuleError(f"{path.name}：缺少 [rule_set] name")
    rule_set = RuleSet(
        name=head["name"], title=head.get("title", head["name"]),
        effective_from=head.get("effective_from", dt.date.min),
        superseded_on=head.get("superseded_on"),
        superseded_note=head.get("superseded_note", ""), path=path.name,
        reviews=tuple(_review(raw, path.name) for raw in data.get("review", ())))
    for raw_tier in data.get("tier", ()):
        code = raw_tier.get("code", "")
        try:
            reference.tier(code)
        except KeyError as exc:
            raise RuleError(f"{path.name}：未知的梯度 {code}") from exc
        where = f"{path.name} {code}"
        raw_conditions = raw_tier.get("condition", [])
        ids = [c.get("id") for c in raw_conditions]
        if len(set(ids)) != len(ids) or None in ids:
            raise RuleError(f"{where}：条件 id 缺失或重复")
        by_parent: dict[str | None, list[dict]] = {}
        for raw in raw_conditions:
            if raw.get("parent") is not None and raw["parent"] not in ids:
                raise RuleError(f"{where}：条件 {raw['id']} 的上级 {raw['parent']} 不存在")
            by_parent.setdefault(raw.get("parent"), []).append(raw)
        conditions = tuple(_build(raw, by_parent, where) for raw in by_parent.get(None, ()))
        rule_set.tiers[code] = TierRules(tier_code=code, title=raw_tier.get("title", ""),
                                         source=raw_tier.get("source", ""),
                                         conditions=conditions, rule_set=rule_set)
    return rule_set


def rules_folder() -> Path:
    return reference.resource_path("rules")


@lru_cache(maxsize=4)
def _load_folder(folder: str) -> dict[str, RuleSet]:
    found: dict[str, RuleSet] = {}
    for path in sorted(Path(folder).glob("*.toml")):
        rule_set = load_rule_set(path)
        if rule_set.name in found:
            raise RuleError(f"规则集名称重复：{rule_set.name}（{path.name}）")
        found[rule_set.name] = rule_set
    return found


def rule_sets(folder: Path | None = None) -> dict[str, RuleSet]:
    """Every rule set, by name."""
    return _load_folder(str(folder or rules_folder()))


def assessable_tiers() -> list[str]:
    """Tier codes some rule set covers, in ladder order."""
    covered = {code for rs in rule_sets().values() for code in rs.tiers}
    return [t.code for t in reference.tiers() if t.code in covered]


def rules_for(tier_code: str, name: str | None = None, *, on: dt.date | None = None,
              folder: Path | None = None) -> TierRules:
    """The criteria for a tier: from the rule set named, else the newest rule set in force
    on ``on`` (today) that covers the tier, else — ``on`` before any took effect — the
    oldest that covers it (the first criteria there were, not those of years later;
    tiers.assess.choice says it was not yet in force)."""
    sets = rule_sets(folder)
    if name:
        if name not in sets:
            raise RuleError(f"没有名为“{name}”的规则集（现有：{'、'.join(sets)}）")
        if tier_code not in sets[name].tiers:
            raise RuleError(f"规则集“{name}”不含{reference.tier(tier_code).name}的标准")
        return sets[name].tiers[tier_code]
    candidates = [rs for rs in sets.values() if tier_code in rs.tiers]
    if not candidates:
        raise RuleError(f"尚无{reference.tier(tier_code).name}的认定标准")
    on = on or dt.date.today()
    in_force = [rs for rs in candidates if rs.effective_from <= on]
    chosen = (max(in_force, key=lambda rs: rs.effective_from) if in_force
              else min(candidates, key=lambda rs: rs.effective_from))
    return chosen.tiers[tier_code]


# a 复核's rule set recorded on its pass when no source fixes it (``presumed_over``)
PRESUMED_MARK = "（推定）"


def presumed_over(tier_code: str, name: str, term_start: dt.date | None,
                  folder: Path | None = None) -> str:
    """The rule set a 复核 by ``name`` — not named by any transition rule — is presumed over:
    the one in force when the title under review began (``term_start``), when that is
    another (a 省级专精特新 of 2023 in its 2026 复核: the 2026办法 is the rule set in force,
    but domain.md keeps the 2022 rules as the basis of the 2026 复核 of older batches and
    Jiangsu's 复核 notice was not obtained, so the 2026办法 is presumed over the
    2022暂行办法); '' when the title began under ``name`` itself, or under none stored."""
    if term_start is None or not name:
        return ""
    then = rule_set_name_for(tier_code, on=term_start, folder=folder)
    return then if then and then != name else ""


def term_start(tier_code: str, valid_until: dt.date | None) -> dt.date | None:
    """When a title ending ``valid_until`` began: its validity years before (None unknown)."""
    years = reference.tier(tier_code).validity_years
    if valid_until is None or not years:
        return None
    try:
        return valid_until.replace(year=valid_until.year - years)
    except ValueError:  # 29 February
        return valid_until.replace(year=valid_until.year - years, day=28)


def review_rule_set_name_for(tier_code: str, *, year: int | None, on: dt.date | None,
                             folder: Path | None = None) -> str:
    """The rule set a 复核 of ``year`` was judged by (as tiers.assess.choice chooses it): the
    one a transition rule names for the tier's 复核 of that year (the 2026 小巨人复核 under
    the 2022 rules), else the one in force on ``on`` ('' before any was) — marked
    ``PRESUMED_MARK`` (2026办法（推定）) when the title it renews (the term before ``on``)
    began under another and no source says which rules its 复核 took (``presumed_over``):
    a presumption is not recorded as a fact."""
    for rule_set in rule_sets(folder).values():
        if year is not None and tier_code in rule_set.tiers and any(
                use.tier_code == tier_code and year in use.years for use in rule_set.reviews):
            return rule_set.name
    name = rule_set_name_for(tier_code, on=on, folder=folder)
    if on is not None and presumed_over(tier_code, name, term_start(tier_code, on),
                                        folder=folder):
        return name + PRESUMED_MARK
    return name


def rule_set_name_for(tier_code: str, *, on: dt.date | None = None,
                      folder: Path | None = None) -> str:
    """The rule set in force for ``tier_code`` on ``on`` (today), to record on a
    recognition; '' when none of the stored rule sets was in force then (a 2019 title, a
    2026 title under rules not yet entered, a local title)."""
    on = on or dt.date.today()
    in_force = [rs for rs in rule_sets(folder).values()
                if tier_code in rs.tiers and rs.effective_from <= on
                and (rs.superseded_on is None or on < rs.superseded_on)]
    return max(in_force, key=lambda rs: rs.effective_from).name if in_force else ""
