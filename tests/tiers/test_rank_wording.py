"""A place (排名前三) is worded as a place: a larger number is worse, so 第 4 名 is 未进前 3 名
(it read 4 名，高于 3 名, backwards), 第 2 名 在前 3 名之内, and the gap 差 1 名."""

from __future__ import annotations

from tests.tiers.test_assess_2026 import ISSUE_FIRM, Y, row
from tiers import assess
from tiers.assess import MET, NOT_MET, FirmData, rules_for


def _rank_leaf(rank: int):
    years = {y: dict(v) for y, v in ISSUE_FIRM.items()}
    years[Y].update(domestic_rank=rank, market_share=5)
    firm = FirmData(enterprise_id=1, credit_code="91320412MA0000000X", name="常州排名科技有限公司",
                    figures={y: row(**v) for y, v in years.items()}, held=frozenset({"zjtx"}))
    result = assess.assess(firm, rules_for("little_giant", "2026办法"), Y)
    return dict(result.walk())["market/domestic_rank"]


def test_a_rank_outside_the_first_three_reads_as_not_in_them():
    leaf = _rank_leaf(4)
    assert leaf.status == NOT_MET
    assert leaf.detail == f"国内细分市场排名 第 4 名（{Y}年度），未进前 3 名"
    assert leaf.gap == "差 1 名"


def test_a_rank_within_the_first_three_reads_as_in_them():
    leaf = _rank_leaf(2)
    assert leaf.status == MET
    assert leaf.detail == f"国内细分市场排名 第 2 名（{Y}年度），在前 3 名之内"
