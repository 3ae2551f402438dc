"""A firm short only of the prerequisite title (a 小巨人 candidate that is not yet a
省级专精特新中小企业) is two rungs away, not 差一项: it is 尚未取得前提认定, ranked after 缺数据,
counted apart in the candidates, the command line, its --json and the 拟推荐 report, and the
county's columns reach the same verdict as the detailed assessment — with data missing too:
short of the title, it cannot apply whatever else is missing. On the 公示 list for the
prerequisite, it says so as before (…，正式名单公布后方可申报). (The command line and the
候选企业 line: tests/ui/cli/test_assess_prerequisite_command.py and
tests/ui/test_candidates_prerequisite_summary.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import good_zjtx
from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tests.tiers.test_assess_evaluate import firm, giant_firm, zjtx_firm
from tiers import assess, reports
from tiers.assess.columnar import verdicts
from tiers.assess.county_columns import county_of
from tiers.assess.ranking import assessed_rank_key
from tiers.assess.results import NOT_MET
from tiers.progress import drain
from tiers.reports import ReportRequest

LABEL = "尚未取得前提认定"
LAST = dict(revenue=1900, main_revenue=1700, rd_expense=90)
RULES_2022 = "2022暂行办法"


def run(tier, years, held=(), pending=(), batches=None):
    data = firm(years, held)
    data.pending = frozenset(pending)
    data.pending_batches = batches or {}
    return data, assess.assess(data, assess.rules_for(tier, RULES_2022), Y)


def test_short_only_of_the_prerequisite_is_not_one_short():
    _, result = run("little_giant", giant_firm(), held={"innovative"})
    assert result.shortfalls == 1 and result.missing == 0
    assert result.readiness == assess.PREREQUISITE
    assert result.readiness_label == result.readiness_text == LABEL
    assert not result.verdict.startswith("差一项")
    assert result.verdict.startswith("尚未取得前提认定：须先取得省级专精特新中小企业称号（")
    assert "取得后方可申报；其余条件数据所及均满足" in result.verdict
    # the same firm holding the title, short of one figure: 差一项 as before
    _, short = run("little_giant", giant_firm(ip_class1=1), held={"zjtx"})
    assert short.readiness == assess.ONE_SHORT and short.verdict.startswith("差一项：")
    # short of the title and of a figure: 不符合, as before
    _, far = run("little_giant", giant_firm(ip_class1=1), held={"innovative"})
    assert far.readiness == assess.NOT_READY


def test_on_the_prerequisite_list_says_so():
    batches = {"zjtx": "2026年度"}
    _, result = run("little_giant", giant_firm(), held={"innovative"}, pending={"zjtx"},
                    batches=batches)
    assert result.readiness == assess.PREREQUISITE and not result.pending_tier
    leaf = next(leaf for leaf in result.leaves(NOT_MET))
    said = "已在省级专精特新中小企业2026年度公示名单中，正式名单公布后方可申报"
    assert leaf.gap == said
    assert result.verdict.startswith(f"尚未取得前提认定：须先取得省级专精特新中小企业称号（{said}）；")
    assert "取得后方可申报" not in result.verdict.replace(said, "")


def test_short_only_of_the_prerequisite_with_data_missing():
    """Data missing does not make it 缺数据 (which would read 另差 1 项 and rank it above the
    firms short of the title alone): the verdict names the title, then the data missing."""
    _, result = run("little_giant", giant_firm(niche_years=None), held={"innovative"})
    assert (result.shortfalls, result.missing) == (1, 1)
    assert result.readiness == assess.PREREQUISITE and result.readiness_label == LABEL
    assert result.verdict.startswith("尚未取得前提认定：须先取得省级专精特新中小企业称号（")
    assert ("取得后方可申报；其余条件缺数据：缺少2025年度从事特定细分市场年限，另有 7 项需人工核实"
            in result.verdict)
    assert "另差" not in result.verdict
    # in the group, after the firm whose other conditions lack no data
    _, complete = run("little_giant", giant_firm(), held={"innovative"})
    _, missing_more = run("little_giant", giant_firm(niche_years=None, market_share=None),
                          held={"innovative"})
    missing_more.enterprise_id, complete.enterprise_id = 3, 2
    _, data_missing = run("little_giant", giant_firm(niche_years=None), held={"zjtx"})
    data_missing.enterprise_id = 4
    assert data_missing.readiness == assess.DATA_MISSING
    ranked = sorted([missing_more, result, complete, data_missing], key=assessed_rank_key)
    assert ranked == [data_missing, complete, result, missing_more]


def test_the_county_columns_agree():
    cases = [
        ({"innovative"}, (), giant_firm()),
        ({"innovative"}, {"zjtx"}, giant_firm()),
        ({"zjtx"}, (), giant_firm(ip_class1=1)),
        ({"innovative"}, (), giant_firm(ip_class1=1)),
        ((), (), giant_firm(revenue=Decimal("9000"))),
        # short of the title only, with data missing: still apart, not 缺数据
        ({"innovative"}, (), giant_firm(niche_years=None)),
        ({"innovative"}, (), giant_firm(niche_years=None, market_share=None)),
        # the title held, data missing: 缺数据 as before
        ({"zjtx"}, (), giant_firm(niche_years=None)),
    ]
    firms, detailed = {}, {}
    for number, (held, pending, years) in enumerate(cases, start=1):
        data, result = run("little_giant", years, held=held, pending=pending)
        data.enterprise_id = number
        firms[number], detailed[number] = data, result
    rules = assess.rules_for("little_giant", RULES_2022)
    found = verdicts(county_of(firms), rules, Y)
    assert [found.readiness[n - 1] for n in firms] == [detailed[n].readiness for n in firms]
    assert [found.shortfalls[n - 1] for n in firms] == [detailed[n].shortfalls for n in firms]
    assert found.readiness[:2] == [assess.PREREQUISITE] * 2
    assert found.readiness[5:] == [assess.PREREQUISITE] * 2 + [assess.DATA_MISSING]
    assert [found.missing[n - 1] for n in firms] == [detailed[n].missing for n in firms]
    # 2022 专精特新 without the 创新型 title, under the same columns
    _, zjtx = run("zjtx", zjtx_firm())
    zjtx_firms = {1: firm(zjtx_firm())}
    column = verdicts(county_of(zjtx_firms), assess.rules_for("zjtx", RULES_2022), Y)
    assert column.readiness == [zjtx.readiness] == [assess.PREREQUISITE]


def add_county(session, enterprise_factory) -> dict:
    """One firm per group for 专精特新 under the 2022 rules (as of TODAY): ready, one short,
    data missing, short only of the 创新型 title, short of it and of a figure."""
    return {
        "ready": add_firm(session, enterprise_factory, "常州甲科技有限公司",
                          this_year=good_zjtx(), last_year=LAST, held=["innovative"]),
        "one_short": add_firm(session, enterprise_factory, "常州乙科技有限公司",
                              this_year=good_zjtx(rd_expense=50), last_year=LAST,
                              held=["innovative"]),
        "missing": add_firm(session, enterprise_factory, "常州丙科技有限公司",
                            this_year=good_zjtx(niche_years=None), last_year=LAST,
                            held=["innovative"]),
        "no_title": add_firm(session, enterprise_factory, "常州丁科技有限公司",
                             this_year=good_zjtx(), last_year=LAST),
        "no_title_far": add_firm(session, enterprise_factory, "常州戊科技有限公司",
                                 this_year=good_zjtx(rd_expense=50), last_year=LAST),
    }


@pytest.fixture
def county(session, enterprise_factory):
    return add_county(session, enterprise_factory)


def test_candidates_group_it_apart(session, county):
    found = assess.candidates(session, "专精特新", today=TODAY)
    by_id = {item.enterprise_id: item for item in found.ranked}
    assert by_id[county["no_title"].id].readiness == assess.PREREQUISITE
    assert county["no_title_far"].id not in by_id  # two short: 不符合, not listed
    # after 缺数据: the firms that can apply come first
    assert [item.enterprise_id for item in found.ranked][-1] == county["no_title"].id
    counts = found.counts()
    assert (counts["差一项"], counts["缺数据"], counts[LABEL], counts["不符合"]) == (1, 1, 1, 1)
    # the ranking from the columns alone (the 候选企业 view) says the same
    ranked = assess.ranked_steps(session, "专精特新", today=TODAY)
    listed = drain(ranked)
    assert listed.counts() == counts
    # with the 不符合 listed, still before them: ranked by the group's rank, not its number
    for everyone in (assess.candidates(session, "专精特新", today=TODAY, include_not_ready=True),
                     drain(assess.ranked_steps(session, "专精特新", today=TODAY,
                                               include_not_ready=True))):
        order = [item.enterprise_id for item in everyone.ranked]
        assert order[-2:] == [county["no_title"].id, county["no_title_far"].id]
    assert assess.prerequisite_count(listed.rules, counts[LABEL]) == (
        f"{LABEL} 1 家（须先取得创新型中小企业称号（经设区市公告并报省工信厅备案），取得后方可申报）")
    # the 拟推荐 rows name the group as it is
    rows = assess.candidates_report_rows(session, "专精特新", today=TODAY)
    by_name = {row["name"]: row for row in rows}
    assert by_name["常州丁科技有限公司"]["readiness"] == LABEL
    assert by_name["常州丁科技有限公司"]["gaps"].startswith("须先取得创新型中小企业称号")


def test_the_report_lists_and_explains_it(session, county, tmp_path):
    from tests.tiers.test_reports_candidates import SIGNATURE, cells, data_rows

    path = tmp_path / "candidates.xlsx"
    request = ReportRequest(tier="专精特新", year=Y, **SIGNATURE, filled_on=TODAY, today=TODAY)
    drain(reports.export_steps(session, "candidates", path, request))
    rows = cells(path)
    listed = {row[3]: row for row in data_rows(rows)}
    assert listed["常州丁科技有限公司"][7] == LABEL
    text = "\n".join(str(row[0]) for row in rows)
    assert f"{LABEL} 1 家" in text  # the subtitle's counts
    assert (f"注：{LABEL} 1 家（须先取得创新型中小企业称号（经设区市公告并报省工信厅备案），"
            "取得后方可申报），其余条件均满足、待人工核实或缺数据，不属“差一项”。") in text


