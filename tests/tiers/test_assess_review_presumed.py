"""A 2026 复核 of a 省级专精特新 title was judged and recorded by the 2026办法 as a fact, with
no source: domain.md keeps the 2022 rules as the basis of the 2026 复核 of older batches,
names a transition only for 小巨人 (工信厅企业函〔2026〕117号), and Jiangsu's own 2026 复核
notice was not obtained (review29). The 2026办法 stays the default, but said as presumed,
with the 2022 result beside it, in the verdict, its report row's 依据 and on the 复核 pass
recorded (2026办法（推定）). The 小巨人 117号 复核 (2022 rules, sourced), a title recognised
under the 2026办法 and a new application presume nothing."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_edges import Y
from tests.tiers.test_assess_review_exemptions import _firm_in_db
from tiers import assess
from tiers.assess import FirmData, rules
from tiers.assess.choice import choose
from tiers.progress import drain
from tiers.services import recognitions

TODAY = dt.date(2026, 12, 7)
ENDS = dt.date(2026, 12, 27)
PRESUMED = "省级复核通知未取得，按现行办法推定"
HEADLINE = "省级专精特新中小企业（2023年度，有效期至 2026-12-27）处于2026年复核轮次内"


def _held(code, until, **more):
    return FirmData(enterprise_id=1, credit_code="", name="", held=frozenset({code, *more}),
                    valid_until={code: until})


def test_the_choice_says_which_复核_rules_are_presumed():
    due = choose("zjtx", on=TODAY, firm=_held("zjtx", ENDS))
    assert (due.name, due.review, due.presumed_over) == ("2026办法", True, "2022暂行办法")
    assert PRESUMED in due.reason, due.reason
    # 小巨人 2026: 工信厅企业函〔2026〕117号 names the 2022 rules — a fact, not a presumption
    giant = choose("little_giant", on=TODAY,
                   firm=_held("little_giant", dt.date(2026, 12, 31), zjtx=None))
    assert (giant.name, giant.presumed_over) == ("2022暂行办法", "")
    assert "推定" not in giant.reason
    # a title recognised under the 2026办法, reviewed under it: nothing presumed
    later = choose("zjtx", on=dt.date(2029, 6, 1), firm=_held("zjtx", dt.date(2029, 12, 31)))
    assert (later.name, later.presumed_over) == ("2026办法", "")
    # a new application, and the officer's own pick: nothing presumed
    assert choose("zjtx", on=TODAY).presumed_over == ""
    assert choose("zjtx", on=TODAY, firm=_held("zjtx", ENDS), named="2026办法").presumed_over == ""


def _due(session, enterprise_factory, *, valid_until=ENDS):
    # 2024年度研发费用 240 / 9500 = 2.5%: short under the 2026办法 (每年 ≥3%), not under the
    # 2022暂行办法 (上年度 only)
    firm = _firm_in_db(session, enterprise_factory, "常州推定复核科技有限公司",
                       {1: {"rd_expense": 240}})
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2023,
                                        "batch_label": "2023年度", "valid_until": valid_until})
    session.flush()
    return firm


def test_the_verdict_says_presumed_and_gives_the_2022_result(session, enterprise_factory):
    firm = _due(session, enterprise_factory)
    item = assess.assess_enterprise(session, firm.id, "zjtx", today=TODAY, year=Y)
    old = assess.assess_enterprise(session, firm.id, "zjtx", rule_set="2022暂行办法",
                                   today=TODAY, year=Y)
    assert item.rule_set == "2026办法" and item.readiness_label == "差一项", item.verdict
    assert old.readiness_label != item.readiness_label, old.verdict  # (2022: its score to fill)
    beside = f"{PRESUMED}；按2022暂行办法：{old.readiness_text}"
    assert item.presumed == beside
    assert item.verdict.startswith(f"{HEADLINE}；按2026办法（{PRESUMED}）："), item.verdict
    assert item.verdict.endswith(f"；按2022暂行办法：{old.readiness_text}"), item.verdict
    assert PRESUMED in item.rule_reason
    # the officer's own pick says nothing of the kind
    assert not old.presumed and PRESUMED not in old.verdict
    # the 候选企业 list and the 拟推荐 rows say the same, the 依据 cell with the 2022 result
    rows = {row["enterprise_id"]: row for row in assess.candidates_report_rows(
        session, "zjtx", today=TODAY, year=Y, include_not_ready=True, include_flagged=True)}
    row = rows[firm.id]
    assert (row["verdict"], row["rule_set"]) == (item.verdict, "2026办法")
    assert row["rule_set_shown"] == f"2026办法（推定）；按2022暂行办法：{old.readiness_text}"
    found = drain(assess.ranked_steps(session, "zjtx", today=TODAY, year=Y,
                                      include_not_ready=True))
    assert found.presumed_of(firm.id) == "2022暂行办法"
    [detail] = assess.ranking.details(session, found, [firm.id]).values()
    assert detail.verdict == item.verdict


def test_a_title_run_out_in_its_round_is_presumed_alike(session, enterprise_factory):
    firm = _due(session, enterprise_factory, valid_until=dt.date(2026, 6, 30))
    item = assess.assess_enterprise(session, firm.id, "zjtx", today=TODAY, year=Y)
    assert item.rule_set == "2026办法" and item.presumed.startswith(PRESUMED), item.verdict
    assert f"按2026办法（{PRESUMED}）：" in item.verdict


def test_a_复核_pass_records_its_rule_set_as_presumed(session, enterprise_factory):
    firm = enterprise_factory("常州复核记录科技有限公司")
    zjtx = recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2026,
                                               "is_review": True,
                                               "recognized_on": dt.date(2026, 12, 28)})
    giant = recognitions.add(session, firm.id, {"tier_code": "little_giant",
                                                "batch_year": 2026, "is_review": True,
                                                "recognized_on": dt.date(2026, 9, 1)})
    assert zjtx.rule_set == "2026办法（推定）"
    assert giant.rule_set == "2022暂行办法"  # 117号: a fact
    # a title recognised under the 2026办法 and reviewed under it; a 2025 复核: facts
    assert rules.review_rule_set_name_for("zjtx", year=2029, on=dt.date(2029, 12, 28)) \
        == "2026办法"
    assert rules.review_rule_set_name_for("zjtx", year=2025, on=dt.date(2025, 12, 28)) \
        == "2022暂行办法"
    # one the officer gave is kept as given
    given = recognitions.add(session, firm.id, {"tier_code": "innovative", "batch_year": 2026,
                                                "is_review": True, "rule_set": "2026办法",
                                                "recognized_on": dt.date(2026, 12, 28)})
    assert given.rule_set == "2026办法"
