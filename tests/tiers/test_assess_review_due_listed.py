"""A title held whose 复核 round is this year (第五批（2023年）小巨人 valid until 2026-12-31, on
2026-12-07) was left out of the 候选企业 as 已认定该梯度或更高, and the firm's own 对标预审 led
with 已是…（有效期内） (badge 已认定) although its rule reason said 2026年复核…按2022暂行办法
(tester28a #1). It is that 复核: listed and judged by its round's rules, counted in the line
(其中 N 家按复核规则（2022暂行办法）预审), marked 复核：… — in the client, `tiers assess
--tier` and the firm's assessment alike. A title renewed already, one of a later round and
a firm holding a higher tier are still 已认定."""

from __future__ import annotations

import datetime as dt
import json

from tests.tiers.test_assess_edges import Y
from tests.tiers.test_assess_review_exemptions import _firm_in_db
from tiers import assess
from tiers.progress import drain
from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from ui.assessment_display import SETTLED_COLOUR, headline_colour
from ui.candidate_details import ranked_rows
from ui.candidate_summary import summary_text
from ui.cli import main as cli

TODAY = dt.date(2026, 12, 7)
ENDS = dt.date(2026, 12, 31)
HEADLINE = "专精特新“小巨人”企业（第五批（2023年），有效期至 2026-12-31）处于2026年复核轮次内"


def _giant(session, enterprise_factory, name, *, batch_year=2023, label="第五批",
           valid_until=ENDS, renewed=False, champion=False):
    firm = _firm_in_db(session, enterprise_factory, name, {})
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2022,
                                        "valid_until": dt.date(2025, 12, 31)})
    recognitions.add(session, firm.id, {"tier_code": "little_giant", "batch_year": batch_year,
                                        "batch_label": label, "valid_until": valid_until})
    if renewed:  # its 2026 复核 recorded already
        recognitions.add(session, firm.id, {"tier_code": "little_giant", "batch_year": 2026,
                                            "is_review": True,
                                            "valid_until": dt.date(2029, 12, 31)})
    if champion:
        recognitions.add(session, firm.id, {"tier_code": "single_champion",
                                            "batch_year": 2024,
                                            "valid_until": dt.date(2027, 12, 31)})
    return firm


def _firms(session, enterprise_factory):
    due = _giant(session, enterprise_factory, "常州天元传动科技有限公司")
    renewed = _giant(session, enterprise_factory, "常州已复核科技有限公司", renewed=True)
    later = _giant(session, enterprise_factory, "常州第七批科技有限公司", batch_year=2025,
                   label="第七批", valid_until=dt.date(2028, 12, 31))
    higher = _giant(session, enterprise_factory, "常州单项冠军科技有限公司", champion=True)
    session.flush()
    return due, renewed, later, higher


def test_a_title_due_this_year_is_listed_as_its_复核(session, enterprise_factory):
    due, renewed, later, higher = _firms(session, enterprise_factory)
    found = drain(assess.ranked_steps(session, "little_giant", today=TODAY, year=Y,
                                      include_not_ready=True))
    listed = {item.enterprise_id for item in found.listed()}
    assert due.id in listed and not listed & {renewed.id, later.id, higher.id}
    assert found.excluded_held == 3
    assert found.review_rule_sets() == {"2022暂行办法": 1}
    line = summary_text(lambda text: text, found, True)
    assert "其中 1 家按复核规则（2022暂行办法）预审" in line, line
    assert "已认定该梯度或更高 3 家（不列入）" in line, line
    assert {row["enterprise_id"]: row["review"] for row in ranked_rows(found)} == {due.id: True}
    # the firm's own assessment: the same 复核, the same verdict and rules as its row
    item = assess.assess_enterprise(session, due.id, "little_giant", today=TODAY, year=Y)
    assert item.rule_set == "2022暂行办法" and "2026年复核" in item.rule_reason
    assert item.review == HEADLINE
    assert item.verdict.startswith(HEADLINE + "；") and "已是" not in item.verdict
    assert not item.settled_held and headline_colour(item) != SETTLED_COLOUR
    rows = {row["enterprise_id"]: row for row in assess.candidates_report_rows(
        session, "little_giant", today=TODAY, year=Y, include_not_ready=True,
        include_flagged=True)}
    assert (rows[due.id]["verdict"], rows[due.id]["rule_set"], rows[due.id]["review"]) == (
        item.verdict, item.rule_set, item.review)
    # held and not due: 已是…（有效期内）, as before
    for firm in (renewed, later):
        held = assess.assess_enterprise(session, firm.id, "little_giant", today=TODAY, year=Y)
        assert held.settled_held and held.verdict.startswith("已是"), held.verdict
        assert headline_colour(held) == SETTLED_COLOUR


def test_the_preloaded_lists_agree(session, enterprise_factory):
    """``tiers assess --summary`` ranks firms loaded once (county_of): the same 复核 listed."""
    due, *_ = _firms(session, enterprise_factory)
    plan = assess.year_plan(session, today=TODAY, year=Y)
    firms = assess.load_firms(session, years=plan.span(3), today=TODAY)
    found = assess.candidates(session, "little_giant", today=TODAY, plan=plan, firms=firms,
                              include_not_ready=True)
    [item] = [i for i in found.ranked + found.flagged if i.enterprise_id == due.id]
    assert item.review == HEADLINE and found.excluded_held == 3


def test_the_command_line_lists_and_counts_it(capsys, new_target, code):
    today = dt.date.today()  # the command judges on the real day
    path = new_target("due.sqlite3")
    database = open_database(path)
    with database.session() as session:
        for serial, name in ((1, "常州本年复核科技有限公司"), (2, "常州有效期内科技有限公司")):
            firm = enterprises.create(session, {"credit_code": code(serial), "name": name,
                                                "county": "武进区", "town": "湖塘镇"})
            years = 3 if serial == 1 else 1  # its round this year, or in two years
            recognitions.add(session, firm.id, {
                "tier_code": "little_giant", "batch_year": today.year - years,
                "valid_until": dt.date(today.year - years + 3, 12, 31)})
    database.dispose()
    assert cli.main(["--db", str(path), "assess", "--tier", "小巨人", "--all"]) == 0
    out, err = capsys.readouterr()
    [line] = [line for line in out.splitlines() if "常州本年复核科技有限公司" in line]
    assert "复核：" in line and "常州有效期内科技有限公司" not in out
    assert "其中 1 家按复核规则（" in err and "已认定该梯度或更高 1 家" in err, err
    assert cli.main(["--db", str(path), "assess", "--tier", "小巨人", "--all", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    [row] = listed["candidates"]
    assert row["review"].endswith(f"处于{today.year}年复核轮次内") and listed["已持有"] == 1
