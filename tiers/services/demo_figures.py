"""The demo firms' annual figures, skewed as a county's are: most firms small, a few large.

The county's size and market share were drawn evenly (revenue 800 万元 to 8 亿元, share 0.1% to
30%): 106 of 300 firms met 单项冠军's 近3年平均主营业务收入 4 亿元, two thirds had a 10% national
share, and 270 were 单项冠军 candidates. A real county's tracked firms are mostly small
(a few thousand 万元), a handful pass 4 亿元, and market share goes with the rung a firm holds
(a 小巨人 leads its niche; a firm on no rung rarely has 10% of a national market). The same
draws are made as before, in the same order, only mapped onto these distributions (the
inverse of a log-normal), so every other value of the county is as it was.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal
from statistics import NormalDist

# per rung held (0 none, 1 创新型, 2 专精特新, 3 小巨人, 4 单项冠军): the median revenue in 万元
# and its spread (the σ of its logarithm), and the median national market share in %
MEDIAN_REVENUE = {0: 3000, 1: 5000, 2: 22000, 3: 25000, 4: 60000}
REVENUE_SPREAD = {0: 0.9, 1: 0.9, 2: 0.5, 3: 0.7, 4: 0.5}
MEDIAN_SHARE = {0: 0.8, 1: 1.5, 2: 20.0, 3: 20.0, 4: 25.0}
SHARE_SPREAD = 0.9
STANDARD = NormalDist()


def _log_normal(position: float, median: float, spread: float) -> float:
    """The value at ``position`` (0–1, exclusive) of a log-normal with that median."""
    return median * math.exp(spread * STANDARD.inv_cdf(position))


def _revenue(draw: int, top: int) -> Decimal:
    """上上年度's revenue in 万元 from an even draw of 800–80,000 (as the demo drew it)."""
    position = (draw - 800 + 0.5) / (80000 - 800 + 1)
    return Decimal(max(300, round(_log_normal(position, MEDIAN_REVENUE[top],
                                              REVENUE_SPREAD[top]))))


def _market_share(draw: int, top: int) -> Decimal:
    """The lead product's national market share in % from an even draw of 1–300."""
    share = _log_normal((draw - 0.5) / 300, MEDIAN_SHARE[top], SHARE_SPREAD)
    return Decimal(min(800, max(1, round(share * 10)))) / 10


def _main_percent(draw: int, top: int) -> Decimal:
    """主营业务收入 as % of revenue, from an even draw of 60–99: a firm holding 专精特新 or
    higher got it by being focused (the title asks for 80% from 2026), so 70–99 rather than
    60–99 (80–99 made every 专精特新 whose title lapses at the year's end a candidate again)."""
    return Decimal(draw if top < 2 else 70 + (draw - 60) * 29 // 39)


def _rd_permille(draw: int, top: int) -> Decimal:
    """R&D as ‰ of revenue, from an even draw of 10–90: 25–95 for a firm holding 小巨人 or
    higher (recognised for its R&D; 1% would not have got it the title)."""
    return Decimal(draw if top < 3 else 25 + (draw - 10) * 70 // 80)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def figures(rng: random.Random, enterprise_id: int, today: dt.date, batch_id: int,
            founded: dt.date, *, top: int) -> list[dict]:
    """Three consistent years of figures: revenue grows (or shrinks) year on year, R&D
    staff are part of the workforce, liabilities part of the assets. A firm's size and its
    product's market share follow the rung it holds (``top``, as demo_ladder counts)."""
    rows = []
    revenue = _revenue(rng.randint(800, 80000), top)
    employees = rng.randint(20, 800)
    share = _market_share(rng.randint(1, 300), top)
    for fig_year in range(today.year - 3, today.year):
        revenue = _cents(revenue * (1 + Decimal(rng.randint(-8, 25)) / 100))
        employees = max(10, int(employees * rng.uniform(0.9, 1.15)))
        assets = _cents(revenue * Decimal(rng.randint(80, 200)) / 100)
        rows.append({
            "enterprise_id": enterprise_id, "year": fig_year, "revenue": revenue,
            "main_revenue": _cents(revenue * _main_percent(rng.randint(60, 99), top) / 100),
            "net_profit": _cents(revenue * Decimal(rng.randint(-3, 15)) / 100),
            "rd_expense": _cents(revenue * _rd_permille(rng.randint(10, 90), top) / 1000),
            "employees": employees, "rd_staff": max(1, employees * rng.randint(5, 40) // 100),
            "total_assets": assets,
            "total_liabilities": _cents(assets * Decimal(rng.randint(20, 90)) / 100),
            "ip_class1": rng.randint(0, 12), "ip_class2": rng.randint(0, 40),
            "niche_years": Decimal(max(1, fig_year - founded.year)),
            "market_share": share, "equity_financing": None, "note": "",
            "import_batch_id": batch_id})
    _inputs_of_2026(enterprise_id, rows)
    _inputs_of_the_2022_score(enterprise_id, rows)
    return rows


def _inputs_of_2026(enterprise_id: int, rows: list[dict]) -> None:
    """The 2026 办法's inputs (platform score, domestic rank, lead product, research centres,
    awards), drawn from a generator of their own so that every other demo value stays as it
    was before these fields existed."""
    rng = random.Random(f"2026办法-{enterprise_id}")
    rank = rng.randint(1, 40)
    national, provincial = int(rng.random() < 0.05), rng.choice((0, 0, 0, 1, 2))
    for row in rows:
        row.update({
            "development_score": Decimal(rng.randint(300, 900)) / 10,
            "domestic_rank": max(1, rank + rng.randint(-2, 2)),
            "lead_product_ratio": Decimal(rng.randint(400, 990)) / 10,
            "national_rd_centers": national, "provincial_rd_centers": provincial,
            "national_award_rank": rng.randint(1, 8) if rng.random() < 0.02 else None,
            "provincial_award_rank": rng.randint(1, 8) if rng.random() < 0.06 else None})


def _inputs_of_the_2022_score(enterprise_id: int, rows: list[dict]) -> None:
    """The 2022 13-indicator score's inputs (kinds of Ⅰ类 rights and research centres, 数字化,
    质量, 领域, 特色化), from a generator of their own like the 2026 inputs."""
    rng = random.Random(f"2022评价-{enterprise_id}")
    municipal, lower = rng.choice((0, 0, 1)), rng.choice((0, 1, 1, 2))
    field_class, digital = rng.choice((1, 2, 3, 3)), rng.choice((1, 2, 2, 3))
    for row in rows:
        class1 = row["ip_class1"] or 0
        row.update({
            "ip_class1_high_value": min(class1, rng.choice((0, 0, 0, 1))),
            "ip_class1_own": min(class1, rng.randint(0, 3)),
            "municipal_rd_centers": municipal, "lower_rd_centers": lower,
            "digital_level": digital, "quality_items": rng.randint(0, 3),
            "lead_field_class": field_class, "distinctive_score": rng.randint(3, 13)})
