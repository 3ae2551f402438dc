"""`tiers assess` and the 尚未取得前提认定 group (a firm short only of the prerequisite
title, tests/tiers/test_assess_prerequisite_group.py): the ranked list names it and counts it
in a '其中…' line — over the whole list, whatever --limit shows —, and the summary counts it
per tier as the candidates do."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from tests.tiers.test_assess_county import OLD, TODAY, Y
from tests.tiers.test_assess_prerequisite_group import LABEL, add_county
from tiers import assess
from ui.cli.main import main

SAID = (f"其中{LABEL} 1 家（须先取得创新型中小企业称号（经设区市公告并报省工信厅备案），"
        "取得后方可申报）")


@pytest.fixture
def county(session, enterprise_factory):
    found = add_county(session, enterprise_factory)
    session.commit()
    return found


def test_the_command_line_counts_it(capsys, db_target, database, county):
    status = main(["--db", str(db_target), "assess", "--tier", "专精特新", "--year", str(Y),
                   *OLD])
    captured = capsys.readouterr()
    assert status == 0
    line = next(line for line in captured.out.splitlines() if "常州丁科技有限公司" in line)
    assert LABEL in line and "差一项" not in line
    assert "省级专精特新中小企业候选企业 4 家（依据：2022暂行办法" in captured.err
    assert SAID in captured.err
    # the summary names no rule set: on TODAY, when the 2022 rules were in force, the
    # fixture's 专精特新 firm short of the 创新型 title is the one counted
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(10)), tick=False):
        status = main(["--db", str(db_target), "assess", "--year", str(Y), "--json"])
    summary = {item["tier"]: item for item in json.loads(capsys.readouterr().out)}
    assert status == 0
    assert summary["省级专精特新中小企业"][LABEL] == 1
    with database.session() as session:
        for code in assess.assessable_tiers():
            found = assess.candidates(session, code, year=Y, today=TODAY)
            assert summary[found.tier_name][LABEL] == found.counts()[LABEL], code
            assert summary[found.tier_name]["差一项"] == found.counts()["差一项"], code
    assert main(["--db", str(db_target), "assess", "--year", str(Y)]) == 0
    assert LABEL in capsys.readouterr().out.splitlines()[0]


def test_counted_before_the_limit(capsys, db_target, county):
    """--limit shows the first firms: the total and the group are still the whole list's
    (the firm short of the title ranks last, so the first two leave it out)."""
    status = main(["--db", str(db_target), "assess", "--tier", "专精特新", "--year", str(Y),
                   "--limit", "2", *OLD])
    captured = capsys.readouterr()
    assert status == 0
    assert "常州丁科技有限公司" not in captured.out
    assert "省级专精特新中小企业候选企业 4 家，列出前 2 家（依据：2022暂行办法" in captured.err
    assert SAID in captured.err


def test_the_json_numbers_are_kept(capsys, db_target, county):
    """`tiers assess CODE --json` gives ``readiness`` as a number scripts may read: the
    groups keep the numbers they had (不符合 4, 数据存疑 5) and the newer group has its own (6);
    ``readiness_label`` names it."""
    numbers = {}
    for key in ("ready", "one_short", "missing", "no_title", "no_title_far"):
        status = main(["--db", str(db_target), "assess", county[key].credit_code,
                       "--tier", "专精特新", "--year", str(Y), "--json", *OLD])
        found = json.loads(capsys.readouterr().out)
        assert status == 0
        numbers[found["readiness_label"]] = found["readiness"]
    assert numbers == {"条件均满足": 0, "差一项": 2, "缺数据": 3, LABEL: 6, "不符合": 4}
