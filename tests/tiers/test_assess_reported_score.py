"""Under the 2026 rules the score condition is a plain bar on the 专精特新发展评价得分 the
firm reports (the platform's figure): that figure is the tier's 评价得分, shown as the 2022
rules' computed score is — in the candidates' 评价得分 column and the 拟推荐 report, ranked
by it (a higher score first among equals), on the county's columns as on the detailed path,
and beside its bar (及格线) in the assessment. Not recorded: no score, as before."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tiers.test_assess_edges import ZJTX_2026
from tests.tiers.test_assess_edges import figures as edge_figures
from tiers import assess
from tiers.assess.candidates import report_row
from tiers.assess.county_columns import county_of, load_county
from tiers.assess.cultivation import change_summary, changes_between
from tiers.assess.firm import FirmData
from tiers.assess.ranking import rank
from tiers.progress import drain
from tiers.services import figures, recognitions

Y = 2025
TODAY = dt.date(2026, 6, 1)
RULES_2026 = "2026办法"


def zjtx_2026(enterprise_id, score):
    return FirmData(enterprise_id=enterprise_id, credit_code=f"9132041200000000{enterprise_id}",
                    name="常州甲公司", figures=edge_figures(ZJTX_2026, {0: {
                        "development_score": score}}), held=frozenset({"innovative"}))


def test_the_reported_score_is_the_score():
    rules = assess.rules_for("zjtx", RULES_2026)
    item = assess.assess(zjtx_2026(1, "65.5"), rules, Y)
    assert item.score is not None and item.score.text == "65.5 分"
    assert item.score.pass_line == 50 and item.score.exact
    assert report_row(item, 1)["score"] == "65.5 分"
    whole = assess.assess(zjtx_2026(2, 70), rules, Y)
    assert whole.score.text == "70 分"
    unknown = assess.assess(zjtx_2026(3, None), rules, Y)
    assert unknown.score is None and report_row(unknown, 1)["score"] == ""
    # the same firms from the county's columns, ranked by the score among equals
    firms = {i: zjtx_2026(i, score) for i, score in ((1, "65.5"), (2, 70), (3, None))}
    found = rank(county_of(firms), rules, Y, today=TODAY)
    assert [(i.enterprise_id, i.score_low) for i in found.ranked][:2] == [
        (2, 70), (1, assess.assess(firms[1], rules, Y).score.low)]


@pytest.mark.parametrize("code", ["zjtx", "little_giant"])
def test_read_from_the_database(session, enterprise_factory, code):
    firm = enterprise_factory("常州评分科技有限公司")
    for year, row in edge_figures(ZJTX_2026, {0: {"development_score": "72.5"}}).items():
        figures.set_year(session, firm.id, year, {k: v for k, v in row.items()
                                                  if v is not None})
    recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 9, 1)})
    session.flush()
    found = drain(assess.ranked_steps(session, code, rule_set=RULES_2026, year=Y,
                                      today=TODAY, include_not_ready=True))
    [item] = [i for i in found.listed() if i.enterprise_id == firm.id]
    assert str(item.score_low) == "72.5"
    rows = assess.candidates_report_rows(session, code, rule_set=RULES_2026, year=Y,
                                         today=TODAY, include_not_ready=True)
    assert [row["score"] for row in rows if row["enterprise_id"] == firm.id] == ["72.5 分"]
    # (the county's columns hold it as the ORM gives it, whatever the driver read)
    columns = load_county(session, years=range(Y - 3, Y + 1), today=TODAY)
    assert str(columns.column("development_score", Y)[0]) in ("72.5", "72.50")


def test_a_cultivation_change_gives_the_reported_score_once():
    # short of 50 both years, 38.8 then 45: the 评价得分 line says it, no 差距由…变为… beside
    tier_rules = assess.rules_for("zjtx", RULES_2026)
    before = assess.assess(zjtx_2026(1, "38.8"), tier_rules, Y)
    after = assess.assess(zjtx_2026(1, "45"), tier_rules, Y)
    changes = changes_between(before, after)
    assert "评价得分：38.8 分 → 45 分" in changes
    assert not any("差距由" in line and "评价得分" in line for line in changes), changes
    assert "差距有变" not in change_summary(before, after)
