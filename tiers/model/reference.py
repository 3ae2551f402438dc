"""Reference data loaded once from ``resources/``: tiers, chains, divisions, pick-lists."""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

from tiers.model.names import name_key

LEVELS = ("国家级", "省级", "市级", "县级")


def resource_path(name: str) -> Path:
    return Path(str(importlib_resources.files("resources").joinpath(name)))


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    short: str
    rank: int
    level: str
    issuer: str
    validity_years: int
    ladder: bool
    local: bool
    needs_chain: bool
    aliases: tuple[str, ...] = field(default=())
    batches: tuple[tuple[str, int], ...] = field(default=())  # (第五批, 2023)
    levels: tuple[str, ...] = field(default=())  # the levels a recognition may have
    number_label: str = "文号"  # what its document_number is called (科技型: 入库编号)
    # renewed by a 复核 round (批次年度 + validity); False: none, a title run out is applied
    # for anew (科技型: its 入库编号 is re-evaluated every year, domain.md §2.5, README)
    review: bool = True


@dataclass(frozen=True)
class Chain:
    code: str  # "C01".."C50"
    number: int
    name: str
    cluster_no: int
    cluster: str
    excellence: bool
    advantage: bool | None  # None: not known (the seed's bold marking is lost)


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # 省 / 设区市 / 县级
    parent_code: str
    current: bool
    replaced_by: str


@lru_cache(maxsize=1)
def tiers() -> tuple[Tier, ...]:
    with resource_path("tiers.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(
        Tier(
            code=item["code"], name=item["name"], short=item["short"], rank=item["rank"],
            level=item["level"], issuer=item["issuer"],
            validity_years=item["validity_years"], ladder=item.get("ladder", False),
            local=item.get("local", False), needs_chain=item.get("needs_chain", False),
            aliases=tuple(item.get("aliases", ())),
            batches=tuple(item.get("batches", {}).items()),
            levels=tuple(item.get("levels", (item["level"],))),
            number_label=item.get("number_label", "文号"),
            review=item.get("review", True),
        )
        for item in data["tier"]
    )


def number_heading(tier_codes: Iterable[str] | None = None) -> str:
    """What the numbers of recognitions of these tiers are called (文号; 科技型中小企业: 入库编号):
    one word when they all share it, both ("文号/入库编号") when they differ; None: every tier."""
    codes = list(tier_codes) if tier_codes is not None else [t.code for t in tiers()]
    words = list(dict.fromkeys(tier(code).number_label for code in codes)) or ["文号"]
    return "/".join(sorted(words, key=lambda word: word != "文号"))


def tier(code: str) -> Tier:
    for item in tiers():
        if item.code == code:
            return item
    raise KeyError(code)


@lru_cache(maxsize=1)
def _tier_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for item in tiers():
        for text in (item.code, item.name, item.short, *item.aliases):
            lookup[name_key(text)] = item.code
    return lookup


def resolve_tier(text: str | None) -> str | None:
    """Tier code for a code, name, short name or alias as rosters write it; None if unknown."""
    if not text:
        return None
    return _tier_lookup().get(name_key(text))


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                   "九": 9, "十": 10}


def batch_number(label: str | None) -> int | None:
    """第五批 / 第5批 / 第十批 → 5 / 5 / 10; None when the label names no batch number."""
    match = re.search(r"第\s*([0-9０-９]+|[一二三四五六七八九十]+)\s*批", label or "")
    if not match:
        return None
    text = match.group(1)
    if text[0] in _CHINESE_DIGITS:
        if text == "十":
            return 10
        if text.startswith("十"):
            return 10 + _CHINESE_DIGITS[text[1]]
        if len(text) == 2 and text[1] == "十":
            return _CHINESE_DIGITS[text[0]] * 10
        if len(text) == 3 and text[1] == "十":
            return _CHINESE_DIGITS[text[0]] * 10 + _CHINESE_DIGITS[text[2]]
        return _CHINESE_DIGITS.get(text)
    return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def batch_year(tier_code: str, label: str | None) -> int | None:
    """The year a numbered batch of a tier was recognised (第五批 小巨人 → 2023), from the
    tier's ``batches`` data; None when unknown."""
    number = batch_number(label)
    if number is None:
        return None
    for known_label, year in tier(tier_code).batches:
        if batch_number(known_label) == number:
            return year
    return None


def tier_in_title(title: str) -> str | None:
    """The tier named inside a longer title such as "第五批专精特新“小巨人”企业名单".
    The longest alias that occurs wins, so 小巨人 inside 省级专精特新小巨人 is not mistaken."""
    key = name_key(title)
    best: tuple[int, str] | None = None
    for alias, code in _tier_lookup().items():
        if len(alias) >= 2 and alias in key and (best is None or len(alias) > best[0]):
            best = (len(alias), code)
    return best[1] if best else None


@lru_cache(maxsize=1)
def chains() -> tuple[Chain, ...]:
    with resource_path("chains.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        Chain(
            code=f"C{int(row['chain_no']):02d}", number=int(row["chain_no"]),
            name=row["chain"], cluster_no=int(row["cluster_no"]), cluster=row["cluster"],
            excellence=row["excellence"] == "1",
            advantage=None if row["advantage"] == "" else row["advantage"] == "1",
        )
        for row in rows
    )


def resolve_chain(text: str | None) -> str | None:
    """Chain code for a code (C07), number (7) or name (应急装备), tolerant of brackets."""
    if not text:
        return None
    key = name_key(text)
    for chain in chains():
        if key in {chain.code.lower(), str(chain.number), name_key(chain.name)}:
            return chain.code
    for chain in chains():
        if name_key(chain.name) in key:
            return chain.code
    return None


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    with resource_path("divisions.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            Division(code=row["code"], name=row["name"], level=row["level"],
                     parent_code=row["parent_code"], current=row["status"] == "current",
                     replaced_by=row["replaced_by"])
            for row in csv.DictReader(handle)
        )


def division(code: str) -> Division | None:
    for item in divisions():
        if item.code == code:
            return item
    return None


@cache
def short_name(code: str) -> str:
    """A division's name without its last character, as places are written short in the
    names of zones and bureaus (溧阳 for 溧阳市, 常州 for 常州市, 武进 for 武进区); "" when
    that would be read as another place: one character left, the beginning of a 设区市's
    name other than its own (淮安区 → 淮安 is 淮安市's, 连云区 → 连云 begins 连云港市), or,
    for a county, another current county's short form as well (鼓楼区 of 南京 and of 徐州). The one rule
    for a zone's area (tiers.services.unit) and a bureau's county (tiers.exchange.status)."""
    found = division(code)
    if found is None:
        return ""
    short = found.name[:-1]
    if len(short) < 2:
        return ""
    for item in divisions():
        if not item.current or item.code == found.code:
            continue
        if item.level == "设区市" and item.name.startswith(short):
            return ""
        if found.level == item.level == "县级" and item.name[:-1] == short:
            return ""
    return short


def resolve_county(text: str | None) -> tuple[str | None, str]:
    """(division code or None, display name) for a county written as a code, a name
    (武进区), or with its city (常州市武进区). Unknown names (开发区, 园区) keep their text
    with no code: they are real reporting units without a GB/T 2260 code."""
    if not text:
        return None, ""
    raw = "".join(str(text).split())
    counties = [d for d in divisions() if d.level == "县级"]
    for item in counties:
        if raw == item.code:
            current = division(item.replaced_by) if item.replaced_by else item
            return current.code, current.name
    matches = [d for d in counties if d.current and raw.endswith(d.name)]
    if not matches:  # 武进 for 武进区, 常州武进 for 常州市武进区
        matches = [d for d in counties if d.current and len(d.name) > 2
                   and raw.endswith(d.name[:-1])]
    if len(matches) == 1:
        return matches[0].code, matches[0].name
    for item in matches:  # 鼓楼区 exists in 南京 and 徐州: the city prefix decides
        city = division(item.parent_code)
        if city and (raw.startswith(city.name) or raw.startswith(city.name[:-1])):
            return item.code, item.name
    if not matches:  # a county abolished since (戚墅堰区, 金坛市): the one that replaced it
        for item in counties:
            if item.replaced_by and raw.endswith(item.name) and len(item.name) > 2:
                current = division(item.replaced_by) or item
                return current.code, current.name
    return None, raw


def industry_bureau(county_codes: list[str] | tuple[str, ...], *,
                    receives_packages: bool = False) -> str:
    """The bureau that reports for a database of these counties, as a proposal for its
    报送单位 / 填报单位: 常州市武进区工业和信息化局 for one district (溧阳市工业和信息化局 for a
    county-level city, 沛县工业和信息化局 for a county), 常州市工业和信息化局 for
    several of one city, or for a database that receives the counties' packages (the
    city's, holding so far the one county whose package came first); "" when that is not
    known (no county code, or several cities)."""
    found = [division(code) for code in dict.fromkeys(c for c in county_codes if c)]
    if not found or any(item is None or item.level != "县级" for item in found):
        return ""
    cities = {item.parent_code for item in found}
    if len(cities) != 1:
        return ""
    city = division(cities.pop())
    if city is None:
        return ""
    if len(found) == 1 and not receives_packages:
        county = found[0].name
        # a district's bureau is named with its city (常州市武进区工业和信息化局); a county-level
        # city's and a county's by itself (溧阳市工业和信息化局, 沛县工业和信息化局): 常州市溧阳市
        # was proposed (tester24)
        return f"{city.name}{county}工业和信息化局" if county.endswith("区") \
            else f"{county}工业和信息化局"
    return f"{city.name}工业和信息化局"


@lru_cache(maxsize=1)
def pick_lists() -> dict[str, tuple[str, ...]]:
    with resource_path("support_kinds.toml").open("rb") as handle:
        data = tomllib.load(handle)
    # (its [categories], what each kind's amount means: tiers.model.support_categories)
    return {key: tuple(value) for key, value in data.items() if isinstance(value, list)}


def county_of_credit_code(code: str) -> tuple[str, str] | None:
    """The county of the registering authority, from positions 3–8 of a credit code
    (91320412… → 320412 武进区), when that is a Jiangsu county (an old code is followed to
    the county that replaced it); None for a 设区市 (320400) or anywhere else. The importer
    gives a new firm this county when its file has none; the new-enterprise form too."""
    return _county_of_division(code[2:8]) if len(code) >= 8 else None


def no_county_in_credit_code(code: str) -> str:
    """Why positions 3–8 of a credit code give no county (county_of_credit_code None), in
    Chinese, ending 未能推断区县; "" when they give one. A zone's registry (苏州工业园区
    320594…, 江北新区) has no GB/T 2260 code and no zone is mapped to a county here: the
    county is for the user to write, and the importer says so (domain auditor's #7)."""
    why = registry_not_a_county(code)
    return f"{why}，未能推断区县" if why else ""


def registry_not_a_county(code: str) -> str:
    """What positions 3–8 of a credit code are when they give no county (a 设区市's own
    registry, another province's, no current county: 可能为开发区、园区); "" when they give
    one. For a sentence that says itself that the county is not known."""
    region = code[2:8]
    if county_of_credit_code(code) is not None:
        return ""
    found = division(region)
    if found is not None:  # the province's or a 设区市's own registry (91320400…)
        return f"信用代码中的登记机关代码 {region} 为{found.name}本级，不是县级区划"
    if not region.startswith("32"):
        return f"信用代码中的登记机关代码 {region} 不是江苏省的区划（登记机关在省外）"
    return f"信用代码中的登记机关代码 {region} 不是现行县级区划（可能为开发区、园区）"


@lru_cache(maxsize=512)
def _county_of_division(division_code: str) -> tuple[str, str] | None:
    found = division(division_code)
    if found is None or found.level != "县级":
        return None
    if found.replaced_by:
        found = division(found.replaced_by) or found
    return found.code, found.name
