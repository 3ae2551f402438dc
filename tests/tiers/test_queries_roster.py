import datetime as dt

import pytest

from tiers.model import ladder
from tiers.queries import dashboard, profiles, roster
from tiers.queries.roster import RosterFilter
from tiers.services import chains, enterprises, recognitions

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def county(session, enterprise_factory):
    """Four firms: a valid 小巨人 (also 省专精特新), an expiring 省专精特新, an expired 创新型,
    and one with no title in another county."""
    a = enterprise_factory("常州恒立液压有限公司", town="湖塘镇")
    recognitions.add(session, a.id, {"tier_code": "zjtx", "batch_year": 2024})
    recognitions.add(session, a.id, {"tier_code": "小巨人", "batch_label": "第六批",
                                     "recognized_on": dt.date(2024, 8, 1)})
    chains.set_role(session, a.id, "高档数控机床", "链主")
    b = enterprise_factory("江苏天合光能有限公司", town="牛塘镇")
    recognitions.add(session, b.id, {"tier_code": "zjtx", "recognized_on": dt.date(2024, 1, 10)})
    c = enterprise_factory("常州东方纺织有限公司", town="湖塘镇")
    recognitions.add(session, c.id, {"tier_code": "创新型", "batch_year": 2021})
    d = enterprise_factory("常州新北电子有限公司", county="新北区", town="薛家镇")
    enterprises.add_former_name(session, d.id, "常州老字号电子厂")
    return a, b, c, d


def names(session, **filters):
    return [r["name"] for r in roster.roster(session, RosterFilter(today=TODAY, **filters))]


def test_status_of():
    assert ladder.status_of(valid_until=dt.date(2026, 12, 1), revoked_on=None,
                            today=TODAY) == ladder.EXPIRING
    assert ladder.status_of(valid_until=dt.date(2027, 12, 1), revoked_on=None,
                            today=TODAY) == ladder.VALID
    assert ladder.status_of(valid_until=dt.date(2026, 11, 20), revoked_on=None,
                            today=TODAY) == ladder.EXPIRED
    assert ladder.status_of(valid_until=None, revoked_on=dt.date(2026, 1, 1),
                            today=TODAY) == ladder.REVOKED


def test_current_tier_is_the_highest_in_force(session, county):
    rows = {r["name"]: r for r in roster.roster(session, RosterFilter(today=TODAY))}
    assert rows["常州恒立液压有限公司"]["tier_code"] == "little_giant"
    assert rows["江苏天合光能有限公司"]["tier_code"] == "zjtx"
    assert rows["江苏天合光能有限公司"]["status"] == "即将到期"  # valid until 2027-01-09
    assert rows["常州东方纺织有限公司"]["tier_code"] is None  # 2021 创新型 expired end of 2024
    assert rows["常州恒立液压有限公司"]["chains"] == "高档数控机床（链主）"


def test_filters(session, county):
    assert names(session, tier="省级专精特新") == ["常州恒立液压有限公司", "江苏天合光能有限公司"]
    assert names(session, tier="小巨人", level="国家级") == ["常州恒立液压有限公司"]
    assert names(session, tier="创新型") == []  # in force only, unless a status is given
    assert names(session, tier="创新型", status="已到期") == ["常州东方纺织有限公司"]
    assert names(session, status="即将到期") == ["江苏天合光能有限公司"]
    assert names(session, expiring_days=60) == ["江苏天合光能有限公司"]
    assert names(session, county="新北区") == ["常州新北电子有限公司"]
    assert names(session, town="湖塘镇") == ["常州东方纺织有限公司", "常州恒立液压有限公司"]
    assert names(session, chain="C32") == ["常州恒立液压有限公司"]
    assert names(session, year=2021, status="已到期") == ["常州东方纺织有限公司"]


def test_search(session, county):
    assert names(session, search="czhl") == ["常州恒立液压有限公司"]
    assert names(session, search="CZHL") == ["常州恒立液压有限公司"]
    assert names(session, search="天合") == ["江苏天合光能有限公司"]
    assert names(session, search="老字号") == ["常州新北电子有限公司"]  # former name
    assert names(session, search="czlzh") == ["常州新北电子有限公司"]  # former name initials
    code = county[1].credit_code
    assert names(session, search=code[-8:].lower()) == ["江苏天合光能有限公司"]
    assert names(session, search="常州 纺织") == ["常州东方纺织有限公司"]
    assert names(session, search="100%_") == []  # LIKE wildcards are literal


def test_sort_in_sql(session, county):
    ids = roster.roster_ids(session, RosterFilter(today=TODAY), sort="tier", descending=True)
    rows = roster.roster_rows(session, ids, today=TODAY)
    assert [r["tier_code"] for r in rows][:2] == ["little_giant", "zjtx"]
    with pytest.raises(roster.QueryError):
        roster.roster_ids(session, RosterFilter(), sort="drop table")


def test_bad_filters_are_refused(session):
    with pytest.raises(roster.QueryError):
        roster.count(session, RosterFilter(tier="金牌"))
    with pytest.raises(roster.QueryError):
        roster.count(session, RosterFilter(level="省里"))


def test_counts_by_tier(session, county):
    by_county = {r["area"]: r for r in dashboard.counts_by_tier(session, today=TODAY)}
    # the 小巨人 that is also 省专精特新 stands on the ladder once, as 小巨人
    assert by_county["武进区"]["zjtx"] == 1 and by_county["武进区"]["little_giant"] == 1
    assert by_county["武进区"]["innovative"] == 0
    held = {r["area"]: r for r in dashboard.holders_by_tier(session, today=TODAY)}
    assert held["武进区"]["zjtx"] == 2 and held["武进区"]["little_giant"] == 1
    by_town = {r["area"]: r for r in dashboard.counts_by_tier(session, by="town",
                                                              county="武进区", today=TODAY)}
    assert set(by_town) == {"湖塘镇", "牛塘镇"}


def test_counts_by_tier_counts_each_firm_once_under_its_highest_ladder_title(
        session, enterprise_factory):
    """各县区/各镇街梯度企业数 is a stacked bar of firms: a firm with two titles counted under
    each made 湖塘镇's one firm a bar of 2 (and 新北区's 82 firms ~110)."""
    def firm(name, town, *codes, **values):
        made = enterprise_factory(name, town=town)
        for code in codes:
            recognitions.add(session, made.id, {"tier_code": code, "batch_year": 2025,
                                                **values})
        return made

    firm("常州两级一有限公司", "湖塘镇", "创新型", "zjtx")  # -> 省专精特新
    firm("常州两级二有限公司", "湖塘镇", "创新型", "市级专精特新")  # -> 创新型 (the ladder's)
    firm("常州只有市级有限公司", "湖塘镇", "市级专精特新")  # not counted: no ladder title
    leader = firm("常州只是链主有限公司", "湖塘镇")
    chains.set_role(session, leader.id, "高档数控机床", "链主")  # 链主 alone: no tier
    firm("常州公示中有限公司", "湖塘镇", "zjtx", is_pending=True)  # not held yet
    firm("常州牛塘一家有限公司", "牛塘镇", "创新型", "zjtx", "小巨人")  # -> 小巨人
    by_town = {r["area"]: r for r in dashboard.counts_by_tier(
        session, by="town", county="武进区", today=TODAY)}
    hutang = {code: n for code, n in by_town["湖塘镇"].items() if code != "area" and n}
    # (the chart stacks the ladder's tiers only: a local title was counted and never drawn,
    # and the README said each bar was the area's firms with a title)
    assert hutang == {"zjtx": 1, "innovative": 1}
    niutang = {code: n for code, n in by_town["牛塘镇"].items() if code != "area" and n}
    assert niutang == {"little_giant": 1}
    # each bar is its area's firms holding a title of the ladder: 4 hold a title, one of
    # them only a local one
    holding = {r["name"] for r in roster.roster(session, RosterFilter(today=TODAY))
               if r["tier_code"]}
    assert len(holding) == 4
    assert sum(n for row in by_town.values() for code, n in row.items()
               if code != "area") == 3
    # the titles in force per tier stay counted per tier (the 汇总表's 有效)
    held = {r["area"]: r for r in dashboard.holders_by_tier(
        session, by="town", county="武进区", today=TODAY)}
    assert held["湖塘镇"]["innovative"] == 2 and held["湖塘镇"]["zjtx"] == 1
    assert held["牛塘镇"]["innovative"] == 1 and held["牛塘镇"]["zjtx"] == 1


def test_expiring_soonest_first(session, county):
    rows = dashboard.expiring(session, days=3650, today=TODAY)
    assert [r["valid_until"] for r in rows] == sorted(r["valid_until"] for r in rows)
    assert rows[0]["name"] == "江苏天合光能有限公司" and rows[0]["days_left"] == 49


def test_profile(session, county):
    profile = profiles.profile(session, county[0].id, today=TODAY)
    assert profile["tier"] == "专精特新“小巨人”企业"
    assert len(profile["recognitions"]) == 2
    assert profile["chains"][0]["cluster"] == "高端装备集群"


def test_a_renewed_title_is_not_expired(session, enterprise_factory):
    """已到期 lists titles a firm has lost: one renewed by a later title of the same tier,
    in force today (a 复核, or a new recognition), is not; nor is the firm listed for it.
    A renewal 公示中 or revoked does not count, and another tier held does not either."""
    renewed = enterprise_factory("常州复核通过有限公司")
    recognitions.add(session, renewed.id, {"tier_code": "zjtx", "batch_year": 2021})
    recognitions.add(session, renewed.id, {"tier_code": "zjtx", "batch_year": 2024,
                                           "is_review": True})
    lapsed = enterprise_factory("常州未获复核有限公司")
    recognitions.add(session, lapsed.id, {"tier_code": "zjtx", "batch_year": 2021})
    recognitions.add(session, lapsed.id, {"tier_code": "创新型", "batch_year": 2025})
    waiting = enterprise_factory("常州复核公示有限公司")
    recognitions.add(session, waiting.id, {"tier_code": "zjtx", "batch_year": 2021})
    recognitions.add(session, waiting.id, {"tier_code": "zjtx", "batch_year": 2026,
                                           "is_pending": True})
    revoked = enterprise_factory("常州复核撤销有限公司")
    recognitions.add(session, revoked.id, {"tier_code": "zjtx", "batch_year": 2021})
    again = recognitions.add(session, revoked.id, {"tier_code": "zjtx", "batch_year": 2024})
    recognitions.revoke(session, again.id, reason="弄虚作假", on=dt.date(2026, 3, 1))
    lost = ["常州复核公示有限公司", "常州复核撤销有限公司", "常州未获复核有限公司"]
    assert sorted(names(session, status="已到期")) == lost
    assert sorted(names(session, tier="省级专精特新", status="已到期")) == lost
    assert names(session, year=2021, status="已到期", search="复核通过") == []
    assert names(session, status="有效", search="复核通过") == ["常州复核通过有限公司"]
