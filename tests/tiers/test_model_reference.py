from tiers.model import reference


def test_fifty_chains_in_fourteen_clusters_ten_excellent_advantage_unknown():
    chains = reference.chains()
    assert len(chains) == 50
    assert len({c.cluster for c in chains}) == 14
    excellent = {c.name for c in chains if c.excellence}
    assert excellent == {"特高压设备", "起重机", "车联网", "品牌服装", "先进碳材料", "生物医药",
                         "集成电路", "高技术船舶", "轨道交通装备", "大数据+"}
    assert all(c.advantage is None for c in chains)  # not guessed


def test_divisions_13_cities_95_counties():
    divisions = reference.divisions()
    assert len([d for d in divisions if d.level == "设区市"]) == 13
    assert len([d for d in divisions if d.level == "县级" and d.current]) == 95


def test_county_resolution():
    assert reference.resolve_county("常州市武进区") == ("320412", "武进区")
    assert reference.resolve_county("320684") == ("320614", "海门区")  # retired code
    assert reference.resolve_county("徐州市鼓楼区") == ("320302", "鼓楼区")
    assert reference.resolve_county("鼓楼区") == (None, "鼓楼区")  # ambiguous: no guess
    assert reference.resolve_county("江宁开发区") == (None, "江宁开发区")


def test_tier_aliases_and_titles():
    assert reference.resolve_tier("国家级专精特新小巨人企业") == "little_giant"
    assert reference.resolve_tier("专精特新\"小巨人\"企业") == "little_giant"
    assert reference.resolve_tier("小巨人企业（制造类）") == "zjtx"  # Jiangsu 2019 name
    assert reference.tier_in_title("关于江苏省第五批专精特新“小巨人”企业名单的公示") == "little_giant"
    assert reference.tier_in_title("2019年度省级专精特新小巨人企业复核名单") == "zjtx"
    assert reference.resolve_tier("不存在的称号") is None


def test_ladder_is_ordered():
    ladder = [t for t in reference.tiers() if t.ladder]
    assert [t.code for t in sorted(ladder, key=lambda t: t.rank)] == [
        "innovative", "zjtx", "little_giant", "single_champion"]
    assert reference.tier("chain_leader").needs_chain


def test_batch_years_from_data():
    assert reference.batch_number("第五批") == 5
    assert reference.batch_number("第 5 批") == 5
    assert reference.batch_number("第十二批") == 12
    assert reference.batch_number("2023年度") is None
    assert reference.batch_year("little_giant", "第五批") == 2023
    assert reference.batch_year("single_champion", "第八批") == 2024
    assert reference.batch_year("zjtx", "2023年度") is None
    assert reference.batch_year("little_giant", "第九十九批") is None


def test_allowed_levels():
    assert reference.tier("little_giant").levels == ("国家级",)
    assert "市级" in reference.tier("innovative").levels
