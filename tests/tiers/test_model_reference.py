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
        "tech_sme", "innovative", "zjtx", "little_giant", "single_champion"]
    # 科技型中小企业: one year, numbered by its 入库编号 (domain.md §2.5)
    assert reference.tier("tech_sme").validity_years == 1
    assert reference.tier("tech_sme").number_label == "入库编号"
    assert reference.tier("innovative").number_label == "文号"
    assert reference.resolve_tier("入库科技型中小企业") == "tech_sme"
    assert reference.batch_year("little_giant", "第八批") == 2026
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


# issue #17: codes and names of counties abolished since 2010 lead to the county that took
# their area, so that a credit code issued before the change still gives the right county
RETIRED = {"320202": "320213", "320203": "320213", "320204": "320213", "320405": "320412",
           "320482": "320413", "320982": "320904", "320802": "320812", "320811": "320812",
           "320829": "320813", "320621": "320685", "320103": "320104", "320107": "320106",
           "320124": "320117", "320125": "320118", "320502": "320508", "320503": "320508",
           "320504": "320508", "320584": "320509", "320705": "320706", "320721": "320707",
           "321011": "321003", "321088": "321012", "321284": "321204", "320304": "320302",
           "320323": "320312", "320684": "320614", "320602": "320613", "320611": "320613"}


def test_every_retired_code_leads_to_a_current_county_of_the_same_city():
    for old, new in RETIRED.items():
        retired = reference.division(old)
        assert retired is not None and not retired.current and retired.replaced_by == new, old
        current = reference.division(new)
        assert current is not None and current.current and current.level == "县级", new
        assert current.parent_code == retired.parent_code, old
        assert reference.resolve_county(old) == (new, current.name)


def test_retired_names_resolve_to_the_county_that_replaced_them():
    assert reference.resolve_county("戚墅堰区") == ("320412", "武进区")
    assert reference.resolve_county("常州市戚墅堰区") == ("320412", "武进区")
    assert reference.resolve_county("金坛市") == ("320413", "金坛区")
    assert reference.resolve_county("海安县") == ("320685", "海安市")
    assert reference.resolve_county("大丰市") == ("320904", "大丰区")
    # a current name still wins over a retired one, and ambiguity is still not guessed
    assert reference.resolve_county("海安市") == ("320685", "海安市")
    assert reference.resolve_county("鼓楼区") == (None, "鼓楼区")


def test_credit_code_county_follows_an_old_code_to_todays_county():
    """91320684… was registered by 海门市, a district since 2020 (320614 海门区); 320602
    崇川区 and 320611 港闸区 became 320613 崇川区 (domain.md, areacodes result.csv)."""
    assert reference.county_of_credit_code("91320684MA0000001X") == ("320614", "海门区")
    assert reference.county_of_credit_code("91320611MA0000001X") == ("320613", "崇川区")
    assert reference.no_county_in_credit_code("91320684MA0000001X") == ""
    assert reference.no_county_in_credit_code("91320412MA0000001X") == ""


def test_credit_code_of_no_county_says_why():
    """A zone's registry (苏州工业园区 320594…, no GB/T 2260 code) gives no county, and no
    zone is mapped to a county: the reason is told instead."""
    assert reference.county_of_credit_code("91320594MA0000001X") is None
    assert reference.no_county_in_credit_code("91320594MA0000001X") == (
        "信用代码中的登记机关代码 320594 不是现行县级区划（可能为开发区、园区），未能推断区县")
    assert reference.no_county_in_credit_code("91320400MA0000001X") == (
        "信用代码中的登记机关代码 320400 为常州市本级，不是县级区划，未能推断区县")
    assert reference.no_county_in_credit_code("91320000MA0000001X") == (
        "信用代码中的登记机关代码 320000 为江苏省本级，不是县级区划，未能推断区县")
    assert reference.no_county_in_credit_code("91330100MA0000001X") == (
        "信用代码中的登记机关代码 330100 不是江苏省的区划（登记机关在省外），未能推断区县")
