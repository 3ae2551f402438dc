"""One rule for a place's short form (review27 #12): a zone's area (unit.UnitCounties
covers_firm, 溧阳经济开发区 for 溧阳市) and a county's own bureau (status.names_county, 溧阳工信局)
checked it differently — the zones against the district's own city only, so 鼓楼, which is
南京's and 徐州's, was taken as the database's own 鼓楼区 for a zone of either city."""

from __future__ import annotations

import pytest

from tiers.exchange.status import county_bureaus
from tiers.model import reference
from tiers.services.unit import UnitCounties

NANJING_GULOU, XUZHOU_GULOU = "320106", "320302"


@pytest.mark.parametrize(("code", "short"), [
    ("320481", "溧阳"),  # 溧阳市
    ("320400", "常州"),  # 常州市 (a 设区市: its own name begins with it)
    ("320412", "武进"),  # 武进区
    ("320803", ""),  # 淮安区: 淮安 is 淮安市's
    ("320800", "淮安"),  # 淮安市 itself
    ("320703", ""),  # 连云区: 连云 begins 连云港市
    (NANJING_GULOU, ""),  # 鼓楼区 of 南京 and of 徐州
    (XUZHOU_GULOU, ""),
    ("999999", ""),
])
def test_a_divisions_short_form_only_where_it_is_no_other_place(code, short):
    assert reference.short_name(code) == short


def test_a_zone_named_by_a_short_form_two_cities_share_is_not_decided_by_it():
    gulou = UnitCounties(((XUZHOU_GULOU, "鼓楼区"),))
    # 鼓楼软件园 may be 南京's: not the database's by its name; known here, it is
    assert not gulou.covers_firm(None, "鼓楼软件园")
    assert gulou.covers_firm(None, "鼓楼软件园", existing=True)
    # nor another database's (徐州市's own 鼓楼区 is no other place's 鼓楼 either)
    assert UnitCounties((("320481", "溧阳市"),)).covers_firm(None, "鼓楼软件园", existing=True)
    # a short form that is one place's still decides
    liyang = UnitCounties((("320481", "溧阳市"),))
    assert liyang.covers_firm(None, "溧阳经济开发区")
    assert not UnitCounties((("320412", "武进区"),)).covers_firm(None, "溧阳经济开发区",
                                                               existing=True)


def test_the_bureau_of_a_county_level_city_by_its_short_form_the_same_rule():
    assert "溧阳工信局" in county_bureaus("320481", "溧阳市")
    assert "淮安工信局" not in county_bureaus("320803", "淮安区")
    assert "溧阳工信局" in county_bureaus(None, "溧阳市")  # the code not known: by its name
