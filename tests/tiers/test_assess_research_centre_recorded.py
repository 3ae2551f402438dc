"""`tiers assess … --tier 小巨人` (2022暂行办法) said of 自建或与高等院校、科研机构联合建立研发机构
“数据库中没有这项信息，需人工核实（供参考：……省部级研发机构 1 个（2025年度））”: the database
had the very count that meets it (tester28a #2). A research centre recorded at any level
meets it now (its count ≥ 1); none recorded leaves it to verify — the rule text's 技术研究院,
院士专家工作站… need not be counted by level — and no longer by a text that says the database
has nothing while it shows a count. 创新型's 直通：拥有经认定的省部级以上研发机构 likewise. The
county's verdict columns agree with each firm's assessment."""

from __future__ import annotations

import pytest

from tests.tiers.test_assess_edges_2022 import GIANT, INNOVATIVE, RULES, Y, assessed, figures
from tiers.assess import MANUAL, MET, FirmData, assess, rules_for
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import county_of

LAB = "innovation/innovation_general/lab"
ROUTE = "announce/route_lab"
NOTHING = "数据库中没有这项信息"


@pytest.mark.parametrize("changes, status", [
    ({0: {"provincial_rd_centers": 1}}, MET),  # tester28a: 省部级研发机构 1 个
    ({0: {"national_rd_centers": 2}}, MET),
    ({0: {"municipal_rd_centers": 1}}, MET),
    ({0: {"lower_rd_centers": 1}}, MET),
    ({0: {"national_rd_centers": 0, "provincial_rd_centers": 0, "municipal_rd_centers": 0,
          "lower_rd_centers": 0}}, MANUAL),  # none by level: perhaps one of another kind
    ({}, MANUAL),
])
def test_a_research_centre_recorded_meets_the_little_giant_condition(changes, status):
    lab = assessed("little_giant", GIANT, changes, held={"zjtx"})[LAB]
    assert lab.status == status
    if status == MET:
        assert lab.detail.startswith("满足：拥有"), lab.detail


def test_a_count_recorded_is_never_called_nothing():
    found = assessed("little_giant", GIANT, {0: {"national_rd_centers": 0,
                                                  "provincial_rd_centers": 0}},
                     held={"zjtx"})
    other = found[f"{LAB}/lab_other"]
    assert other.status == MANUAL and NOTHING not in other.detail, other.detail
    assert "省部级研发机构 0 个（2025年度）" in other.detail
    # nothing recorded at all: the database has nothing on it, as before
    assert found_detail({}).startswith(NOTHING)


def found_detail(changes):
    return assessed("little_giant", GIANT, changes, held={"zjtx"})[f"{LAB}/lab_other"].detail


@pytest.mark.parametrize("changes, status", [
    ({0: {"provincial_rd_centers": 1}}, MET),
    ({0: {"national_rd_centers": 1}}, MET),
    ({0: {"national_rd_centers": 0, "provincial_rd_centers": 0}}, MANUAL),
    ({}, MANUAL),
])
def test_the_innovative_route_by_a_recognised_centre(changes, status):
    assert assessed("innovative", INNOVATIVE, changes)[ROUTE].status == status


def test_the_county_columns_agree():
    firms = {}
    for number, changes in enumerate([{0: {"provincial_rd_centers": 1}}, {},
                                      {0: {"lower_rd_centers": 0, "national_rd_centers": 0}},
                                      {0: {"municipal_rd_centers": 3}}], start=1):
        firms[number] = FirmData(enterprise_id=number, credit_code="", name=f"企业{number}",
                                 figures=figures(GIANT, changes), held=frozenset({"zjtx"}))
    rules = rules_for("little_giant", RULES)
    columns = verdicts(county_of(firms), rules, Y)
    for position, firm in enumerate(firms.values()):
        item = assess(firm, rules, Y)
        assert (columns.readiness[position], columns.manual[position],
                columns.core_manual[position]) == (item.readiness, item.manual,
                                                   item.core_manual), firm.name
