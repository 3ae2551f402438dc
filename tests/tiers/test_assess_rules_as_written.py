"""Every condition reads as its source writes it ("不低于90%", "超过50%", "1000万元以上"), never
as a symbol, and the words agree with the edge the data keeps (op): the loader refuses a rule
file where they do not (issue #17)."""

from __future__ import annotations

import pytest

from tiers.assess import rule_sets, rules
from tiers.assess.rules import EDGE_WORDS, edge_words_in

SYMBOLS = "≥≤＞＜<>"


def every_condition():
    for rule_set in rule_sets().values():
        for tier in rule_set.tiers.values():
            for condition in tier.walk():
                yield rule_set.name, tier.tier_code, condition


@pytest.mark.parametrize("name", sorted(rule_sets()))
def test_no_title_is_written_with_a_symbol(name):
    for tier in rule_sets()[name].tiers.values():
        for condition in tier.walk():
            titles = [condition.title, *(i.title for i in condition.indicators)]
            assert not any(s in title for title in titles for s in SYMBOLS), condition.id


def test_every_threshold_of_every_rule_set_says_its_edge_as_the_data_keeps_it():
    thresholds = [(name, code, c) for name, code, c in every_condition()
                  if c.kind == "threshold"]
    assert len(thresholds) > 40  # 2022, 2026 and both 单项冠军 sets
    for name, code, condition in thresholds:
        assert condition.op in EDGE_WORDS and condition.value is not None, condition.id
        assert edge_words_in(condition.title, condition.op), (name, code, condition.id)


@pytest.mark.parametrize(("tier", "condition_id", "title"), [
    ("innovative", "score", "评价得分达到60分以上（其中创新能力不低于20分、成长性及专业化均不低于15分）"),
    ("innovative", "route_equity", "直通：近三年新增股权融资总额（合格机构投资者的实缴额）500万元以上"),
    ("zjtx", "rd_amount", "上年度研发费用总额不低于100万元"),
    ("zjtx", "rd_ratio", "上年度研发费用占营业收入总额比重不低于3%"),
    ("zjtx", "revenue_amount", "上年度营业收入总额在1000万元以上"),
    ("zjtx", "route_rd", "直通：近两年研发费用总额均值在1000万元以上"),
    ("little_giant", "main_ratio", "主营业务收入总额占营业收入总额比重不低于70%"),
    ("little_giant", "main_growth", "近2年主营业务收入平均增长率不低于5%"),
    ("little_giant", "debt_ratio", "截至上年末资产负债率不高于70%"),
    ("little_giant", "market_share", "主导产品在全国细分市场占有率达到10%以上"),
    ("little_giant", "small_rd_staff", "研发人员占企业职工总数比重50%以上"),
])
def test_the_2022_conditions_read_as_written(tier, condition_id, title):
    found = {c.id: c for c in rules.rules_for(tier, "2022暂行办法").walk()}
    assert found[condition_id].title == title


def test_a_2026_edge_that_is_out_reads_as_such():
    lead = {c.id: c for c in rules.rules_for("little_giant", "2026办法").walk()}["lead_product"]
    assert lead.op == ">" and "超过50%" in lead.title


RULE = """
[rule_set]
name = "示例办法"
effective_from = 2027-01-01

[[tier]]
code = "innovative"

[[tier.condition]]
id = "revenue"
kind = "threshold"
title = "TITLE"
metric = "revenue"
op = "OP"
value = 1000
source = "（示例）"
"""


@pytest.mark.parametrize(("title", "op", "message"), [
    ("营业收入≥1000万元", ">=", "不用 ≥ ≤ 等符号"),
    ("营业收入超过1000万元", ">=", "未照原文写明边界"),  # 超过 leaves the edge out
    ("营业收入不低于1000万元", ">", "未照原文写明边界"),
    ("营业收入不高于1000万元", "<", "未照原文写明边界"),  # 不高于 is not 低于
    ("营业收入不低于1000万元", "<", "未照原文写明边界"),
])
def test_a_rule_file_whose_words_do_not_match_its_edge_is_refused(tmp_path, title, op,
                                                                   message):
    path = tmp_path / "rule.toml"
    path.write_text(RULE.replace("TITLE", title).replace("OP", op), encoding="utf-8")
    with pytest.raises(rules.RuleError, match=message) as caught:
        rules.load_rule_set(path)
    assert "rule.toml" in str(caught.value) and "revenue" in str(caught.value)


@pytest.mark.parametrize(("title", "op"), [
    ("营业收入不低于1000万元", ">="), ("营业收入1000万元以上", ">="), ("营业收入超过1000万元", ">"),
    ("营业收入高于1000万元", ">"), ("营业收入不高于1000万元", "<="), ("营业收入低于1000万元", "<")])
def test_a_rule_file_written_as_its_source_loads(tmp_path, title, op):
    path = tmp_path / "rule.toml"
    path.write_text(RULE.replace("TITLE", title).replace("OP", op), encoding="utf-8")
    condition = rules.load_rule_set(path).tiers["innovative"].conditions[0]
    assert (condition.title, condition.op) == (title, op)
