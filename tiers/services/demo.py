"""A realistic synthetic county for newcomers, screenshots and benchmarks.

Everything is marked as demo data (``is_demo`` and one import batch named 演示数据), so it
can be told apart and removed with ``tiers undo-import``. Written through SQLAlchemy Core
in one transaction: 100k enterprises take seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tiers.assess import rules
from tiers.model import credit_code, ladder, reference
from tiers.model.names import name_key
from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    CultivationEntry,
    Enterprise,
    ImportBatch,
    Recognition,
    SupportMeasure,
    utcnow,
)
from tiers.model.pinyin import initials, sort_key
from tiers.progress import Job, Progress
from tiers.services import demo_figures, demo_ladder
from tiers.services.audit import current_user
from tiers.services.demo_ladder import LADDER_CODES
from tiers.storage import dialect

COUNTIES = {  # county code → towns (武进区 first: the demo county)
    "320412": ["湖塘镇", "牛塘镇", "洛阳镇", "遥观镇", "横林镇", "横山桥镇", "雪堰镇", "前黄镇",
               "礼嘉镇", "嘉泽镇", "湟里镇", "南夏墅街道", "西湖街道", "常州经开区"],
    "320411": ["薛家镇", "罗溪镇", "孟河镇", "春江街道", "新桥街道"],
    "320402": ["青龙街道", "茶山街道", "郑陆镇"],
}
# a firm's name starts with one of these; COUNTY_PREFIX stands for its own county's short
# name (武进, 新北, 天宁): a 新北区 firm named 武进… looked wrong in the city's reports
COUNTY_PREFIX = "{county}"
PREFIXES = ["常州", "江苏", COUNTY_PREFIX, "常州市", "江苏省"]
BRANDS = list("恒立天合新誉华纳东方亚邦光洋腾龙中天科华精研博瑞瑞声星宇汇丰金源鼎泰顺达宏图"
              "长海明锐信达凯旋创美安捷中创鑫源正大盛欧普迪远航嘉诚")
TRADES = [("液压", "液压油缸", "C08"), ("精密机械", "精密齿轮", "C32"),
          ("新材料", "碳纤维复合材料", "C17"), ("电子", "功率半导体器件", "C25"),
          ("光伏科技", "光伏组件", "C02"), ("智能装备", "工业机器人", "C31"),
          ("汽车部件", "动力电池模组", "C43"), ("纺织", "功能性面料", "C15"),
          ("医疗器械", "医用导管", "C22"), ("电气", "智能配电柜", "C04"),
          ("环保设备", "污水处理设备", "C34"), ("数控", "五轴数控机床", "C32"),
          ("传感技术", "压力传感器", "C12"), ("软件", "工业控制软件", "C40"),
          ("轨道装备", "轨道车辆制动系统", "C29"), ("食品机械", "灌装设备", "C50")]
SUFFIXES = ["有限公司", "股份有限公司", "科技有限公司", "集团有限公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"
OFFICERS = ["陈晓东", "王丽", "周建华", "孙敏"]
STEM_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _stem(rng: random.Random, county: str, used: set[str]) -> str:
    while True:
        org = "MA" + "".join(rng.choice(STEM_ALPHABET) for _ in range(6))
        code = credit_code.make("91" + county + org)
        if code not in used:
            used.add(code)
            return code


def _local_title(rng: random.Random, enterprise_id: int, tier_code: str, today: dt.date,
                 batch_id: int, chain_code: str | None = None) -> dict:
    tier = reference.tier(tier_code)
    recognized = today - dt.timedelta(days=rng.randint(30, 1400))
    return {
        "enterprise_id": enterprise_id, "tier_code": tier_code, "level": tier.level,
        "issuer": "常州市工业和信息化局" if tier.level == "市级" else tier.issuer,
        "batch_label": f"{recognized.year}年度", "batch_year": recognized.year,
        "is_review": False, "review_of_batch": "", "document_number": "",
        "recognized_on": recognized,
        "valid_until": ladder.default_valid_until(tier_code, recognized_on=recognized,
                                                  batch_year=recognized.year),
        "revoked_on": None, "revoke_reason": "", "chain_code": chain_code,
        "rule_set": "", "note": "", "import_batch_id": batch_id, "is_pending": False}


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


DEMO_TABLES = [model.__table__ for model in (Enterprise, Recognition, AnnualFigures,
                                             SupportMeasure, ChainRole, CultivationEntry)]


@dataclass
class _Records:
    """The rows of one chunk of demo firms, inserted together."""

    enterprises: list[dict] = field(default_factory=list)
    recognitions: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    roles: list[dict] = field(default_factory=list)
    entries: list[dict] = field(default_factory=list)

    def insert(self, session: Session) -> None:
        session.execute(insert(Enterprise), self.enterprises)
        for model, data in ((Recognition, self.recognitions), (AnnualFigures, self.figures),
                            (SupportMeasure, self.measures), (ChainRole, self.roles),
                            (CultivationEntry, self.entries)):
            if data:
                session.execute(insert(model), data)


@dataclass
class _County:
    """What every demo firm draws from: the random source (the same seed gives the same
    county, which the snapshot tests rely on: keep the order of the draws), the day, the
    batch, and the codes and names already taken."""

    rng: random.Random
    today: dt.date
    now: dt.datetime
    batch_id: int
    used_codes: set[str]
    used_names: set[str]


@cache
def county_words(county_code: str) -> tuple[str, str, str]:
    """A demo county's short name (武进), its bureau (常州市武进区工业和信息化局) and the
    prefix of its documents (武工信): a firm's measures name its own county's bureau."""
    county = reference.division(county_code)
    city = reference.division(county.parent_code) if county else None
    name = county.name if county else ""
    short = name[:-1] if len(name) > 2 and name[-1] in "区县市" else name
    return short, f"{city.name if city else ''}{name}工业和信息化局", f"{short[:1]}工信"


def _unique_name(county: _County, county_code: str, trade: str) -> str:
    rng = county.rng
    while True:
        brand = "".join(rng.sample(BRANDS, 2))
        suffix = rng.choice(SUFFIXES)
        if trade.endswith("科技") and suffix.startswith("科技"):
            suffix = suffix[2:]  # not "光伏科技科技有限公司"
        prefix = rng.choice(PREFIXES)
        if prefix == COUNTY_PREFIX:
            prefix = county_words(county_code)[0]
        name = f"{prefix}{brand}{trade}{suffix}"
        if len(county.used_names) > 5000:  # many firms: add a distinguishing mark
            name = name.replace("有限公司", f"（{rng.choice(COUNTIES[county_code])}）有限公司", 1)
        if name_key(name) not in county.used_names:
            county.used_names.add(name_key(name))
            return name


def _enterprise_row(county: _County, enterprise_id: int, county_code: str, name: str,
                    product: str, founded: dt.date) -> dict:
    rng, now = county.rng, county.now
    return {
        "id": enterprise_id, "credit_code": _stem(rng, county_code, county.used_codes),
        "name": name, "name_key": name_key(name), "pinyin_initials": initials(name),
        "pinyin_key": sort_key(name),
        "county_code": county_code, "county_name": reference.division(county_code).name,
        "town": rng.choice(COUNTIES[county_code]), "industry": "制造业",
        "main_product": product, "founded_on": founded,
        "legal_representative": _person(rng), "contact_person": _person(rng),
        "contact_phone": f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
        "size": rng.choices(["中型", "小型", "微型"], [2, 5, 2])[0],
        "listing_status": rng.choices(["未上市", "拟上市", "北交所"], [20, 3, 1])[0],
        "tags": "演示数据", "notes": "", "legacy_code": "", "is_demo": True,
        "created_at": now, "updated_at": now, "import_batch_id": county.batch_id,
    }


def _ladder_titles(county: _County, enterprise_id: int, top: int, year: int) -> list[dict]:
    """The national and provincial rungs up to ``top``, each a later batch than the one
    below, from ``year`` (tiers.services.demo_ladder), and the 复核 that renewed those
    whose three years were over before the demo's day."""
    rng, today = county.rng, county.today
    titles, given = [], []
    chosen = demo_ladder.rungs(top, year, today)
    if chosen and chosen[0].tier_code != demo_ladder.LADDER_CODES[0]:
        # 省级专精特新 before 创新型 existed (demo_ladder.INNOVATIVE_FROM): none is held, but
        # the 创新型 the demo once gave it, the year before, is drawn as it was (and its
        # 复核: _reviews), so the county's other values stay as they were; it is dropped
        chosen = [demo_ladder.Rung(demo_ladder.LADDER_CODES[0],
                                   f"{chosen[0].batch_year - 1}年度",
                                   chosen[0].batch_year - 1, False), *chosen]
        dropped = True
    else:
        dropped = False
    for position, rung in enumerate(chosen):
        tier = reference.tier(rung.tier_code)
        month, day = _date_draws(rng, tier, year + len(titles), today)
        above = chosen[position + 1] if position + 1 < len(chosen) else None
        recognized = demo_ladder.recognized_on(
            rung, month, day, today,
            before_call=above is not None and above.batch_year == rung.batch_year)
        number = rng.randint(100, 600) if tier.level == "省级" else None
        titles.append(_title(county, enterprise_id, rung, recognized, number))
        given.append(rung)
    reviews = _reviews(county, enterprise_id, given, titles)
    if dropped:  # (the 创新型 that never was, and its 复核)
        titles = titles[1:]
        reviews = [title for title in reviews if title["tier_code"] != given[0].tier_code]
    return titles + reviews


def _reviews(county: _County, enterprise_id: int, given: list[demo_ladder.Rung],
             titles: list[dict]) -> list[dict]:
    """Most titles past their three years were renewed by a 复核 (again three years later
    if need be), the rest lapsed; drawn from a generator of the firm's own, so the county's
    other values are as they were without 复核. A rung the rung above needs (专精特新 holds
    创新型, 小巨人 专精特新) is renewed, whatever the draw, for as long as that one was given
    or renewed: from the top rung down."""
    today, rng = county.today, None
    chains: list[list[tuple[demo_ladder.Rung, dict]]] = []
    for rung, title in zip(given, titles, strict=True):
        chain = [(rung, title)]
        while (review := _review_due(chain, today)) is not None:
            rng = rng or random.Random(f"复核-{enterprise_id}")
            if rng.random() >= demo_ladder.REVIEWED:
                break
            chain.append((review, _review(county, enterprise_id, chain[-1], review, rng)))
        chains.append(chain)
    kept = random.Random(f"复核（须保持）-{enterprise_id}")
    for below, above in reversed(list(itertools.pairwise(chains))):
        last = above[-1][1]
        needed = today if last["is_pending"] else last["recognized_on"] or today
        while below[-1][1]["valid_until"] < needed \
                and (review := _review_due(below, today)) is not None:
            below.append((review, _review(county, enterprise_id, below[-1], review, kept)))
    return [title for chain in chains for _, title in chain[1:]]


def _review_due(chain: list[tuple[demo_ladder.Rung, dict]],
                today: dt.date) -> demo_ladder.Rung | None:
    """The 复核 batch that renews the chain's last title, once it has run out."""
    rung, title = chain[-1]
    if title["valid_until"] is None or title["valid_until"] >= today:
        return None
    return demo_ladder.review_of(rung, today)


def _review(county: _County, enterprise_id: int, renewed: tuple[demo_ladder.Rung, dict],
            review: demo_ladder.Rung, rng: random.Random) -> dict:
    """The 复核 of ``renewed``, dated the day after it ran out (the year's 复核 list goes
    with the title's end; it was dated by a draw, up to seven months after or before it);
    at its batch's own date when no batch came out that year (单项冠军 of 2025)."""
    rung, title = renewed
    month, day = rng.randint(6, 12), rng.randint(1, 28)
    on = title["valid_until"] + dt.timedelta(days=1)
    if on.year < review.batch_year:
        on = demo_ladder.recognized_on(review, month, day, county.today)
    number = rng.randint(100, 600) if title["level"] == "省级" else None
    return _title(county, enterprise_id, review, on, number, review_of=rung.batch_label)


def _title(county: _County, enterprise_id: int, rung: demo_ladder.Rung,
           recognized: dt.date | None, number: int | None, *, review_of: str = "") -> dict:
    tier = reference.tier(rung.tier_code)
    return {
        "enterprise_id": enterprise_id, "tier_code": tier.code, "level": tier.level,
        "issuer": tier.issuer, "batch_label": rung.batch_label,
        "batch_year": rung.batch_year, "is_review": bool(review_of),
        "review_of_batch": review_of,
        # the 公示 list gives no 文号: the final list does
        "document_number": f"苏工信中小〔{rung.batch_year}〕{number}号"
        if number is not None and recognized is not None else "",
        "recognized_on": recognized,
        "valid_until": ladder.default_valid_until(
            tier.code, recognized_on=recognized, batch_year=rung.batch_year),
        "revoked_on": None, "revoke_reason": "", "chain_code": None,
        "rule_set": (_review_rule_set(rung, recognized) if review_of
                     else _rule_set(rung, recognized)),
        "note": demo_ladder.INVENTED_NOTE if rung.invented else "",
        "import_batch_id": county.batch_id, "is_pending": rung.pending}


def _rule_set(rung: demo_ladder.Rung, recognized: dt.date | None) -> str:
    """The rule set a title was recognised under: the one in force when its list came out
    (rules.rule_set_name_for). '' before any stored one was (a 专精特新 or 创新型 of 2021,
    before the 2022暂行办法 of 2022-06-01: the provincial rules and the ministry's 2018
    notice of those years are not stored as rule sets); 单项冠军 under its own 2016方案 or
    2023办法, never the 2022暂行办法 (which has no 单项冠军); a 专精特新 or 小巨人 recognised
    from 2026-04-01, under the 2026办法."""
    on = recognized or dt.date(rung.batch_year, *demo_ladder.PUBLICITY_STARTS)
    return rules.rule_set_name_for(rung.tier_code, on=on)


def _review_rule_set(rung: demo_ladder.Rung, recognized: dt.date | None) -> str:
    """The rule set a 复核 was judged by (as tiers.assess.choice chooses it): the one a
    transition rule names for the tier's 复核 of that year (the 2026 小巨人复核 under the
    2022 rules), else the one in force on the day ('' before any was: a 2021 复核 of
    创新型); not 2022暂行办法 for every 复核 up to the horizon (单项冠军's among them)."""
    on = recognized or dt.date(rung.batch_year, *demo_ladder.PUBLICITY_STARTS)
    return rules.review_rule_set_name_for(rung.tier_code, year=rung.batch_year, on=on)


def _date_draws(rng: random.Random, tier: reference.Tier, rung_year: int,
                today: dt.date) -> tuple[int, int]:
    """A title's month (6–12) and day, drawn as the demo always drew them, a third number
    when the date fell after ``today``: the same seed gives the same county (the snapshot
    tests rely on it), so the draws keep their number and order."""
    rung_year = min(today.year, rung_year)
    if tier.batches:
        batches = demo_ladder.numbered_batches(tier.code, today)
        later = [b for b in batches if b[1] >= rung_year] or [batches[-1]]
        rung_year = later[0][1]
    month, day = rng.randint(6, 12), rng.randint(1, 28)
    if dt.date(rung_year, month, day) > today:
        rng.randint(1, 60)
    return month, day


def _chain_and_local_titles(county: _County, records: _Records, enterprise_id: int,
                            top: int, chain: str) -> None:
    rng, today, batch_id = county.rng, county.today, county.batch_id
    if rng.random() < 0.35 or top >= 3:
        role = ("链主" if top >= 3 and rng.random() < 0.3
                else rng.choice(["核心配套", "配套企业"]))
        records.roles.append({"enterprise_id": enterprise_id, "chain_code": chain,
                              "role": role, "note": "", "import_batch_id": batch_id})
        if role == "链主":
            records.recognitions.append(_local_title(
                rng, enterprise_id, "chain_leader", today, batch_id, chain_code=chain))
    if 1 <= top <= 2 and rng.random() < 0.12:
        records.recognitions.append(_local_title(
            rng, enterprise_id, rng.choice(["city_zjtx", "hidden_champion"]), today,
            batch_id))


def _measures(county: _County, enterprise_id: int, county_code: str, top: int,
              year: int) -> list[dict]:
    rng, today = county.rng, county.today
    _short, bureau, documents = county_words(county_code)
    measures = []
    for _ in range(rng.choices([0, 1, 2], [5, 4, 1])[0] if top else 0):
        measure_year = rng.randint(max(2019, year), today.year)
        kind = rng.choice(["认定奖励", "奖补资金", "贷款贴息", "智改数转诊断服务",
                           "技术改造补助"])
        paid = dt.date(measure_year, rng.randint(1, 12), rng.randint(1, 28))
        measure = {
            "enterprise_id": enterprise_id, "kind": kind,
            "name": f"{measure_year}年度{kind}", "year": measure_year,
            "amount": Decimal(rng.choice([2, 5, 10, 20, 30, 50, 100])),
            "paid_on": paid, "implementer": bureau, "implementer_level": "县级",
            "policy_basis": f"{documents}〔{measure_year}〕{rng.randint(10, 99)}号",
            "status": "已兑现", "note": "", "import_batch_id": county.batch_id}
        # a payment of the year still to come is not made yet: left out (its draws made,
        # so the county's other values stay as they were); put on the day, as it was, early
        # in a year they made that year's bar of 扶持资金 the highest: 1460 万元 by 01-15
        if paid <= today:
            measures.append(measure)
    return measures


def _add_firm(county: _County, records: _Records, enterprise_id: int) -> None:
    """One demo firm with its titles, figures, support and perhaps a 培育库 entry."""
    rng, today = county.rng, county.today
    county_code = rng.choices(list(COUNTIES), [0.7, 0.2, 0.1])[0]
    trade, product, chain = rng.choice(TRADES)
    name = _unique_name(county, county_code, trade)
    founded = dt.date(rng.randint(1995, 2020), rng.randint(1, 12), rng.randint(1, 28))
    records.enterprises.append(
        _enterprise_row(county, enterprise_id, county_code, name, product, founded))
    top = rng.choices([0, 1, 2, 3, 4], [30, 40, 20, 8, 2])[0]
    year = rng.randint(2019, today.year)
    records.recognitions.extend(_ladder_titles(county, enterprise_id, top, year))
    _chain_and_local_titles(county, records, enterprise_id, top, chain)
    records.figures.extend(demo_figures.figures(rng, enterprise_id, today, county.batch_id,
                                                founded, top=top))
    records.measures.extend(_measures(county, enterprise_id, county_code, top, year))
    if top < 3 and rng.random() < 0.15:
        records.entries.append({"enterprise_id": enterprise_id,
                                "target_tier": LADDER_CODES[top], "target_year": today.year + 1,
                                "officer": rng.choice(OFFICERS), "status": "培育中", "note": ""})


def generate(session: Session, *, enterprises: int = 300, seed: int = 20261121,
             today: dt.date | None = None, progress_every: int = 10_000) -> Job[None]:
    """Insert the demo county; yields progress, the enterprises written so far."""
    now = utcnow()
    batch_id = session.execute(insert(ImportBatch).values(
        file_name="演示数据", sha256="demo", sheet="", kind="demo",
        mapping="{}", counts=json.dumps({"enterprises": enterprises}), created_at=now,
        user=current_user(), undone_by="")).inserted_primary_key[0]
    next_id = (session.scalar(select(func.max(Enterprise.id))) or 0) + 1
    county = _County(rng=random.Random(seed), today=today or dt.date.today(), now=now,
                     batch_id=batch_id,
                     used_codes=set(session.scalars(select(Enterprise.credit_code))),
                     used_names=set(session.scalars(select(Enterprise.name_key))))
    done = 0
    while done < enterprises:
        size = min(progress_every, enterprises - done)
        records = _Records()
        for offset in range(size):
            _add_firm(county, records, next_id + done + offset)
        records.insert(session)
        dialect.ids_given_by_hand(session.connection(), Enterprise.__table__)
        done += size
        if done == enterprises:  # before the last step: the caller may stop there
            dialect.statistics_after_bulk_write(session.connection(), DEMO_TABLES)
        yield Progress("生成演示数据", done, enterprises)
