"""The county view: candidates ranked by readiness from the database, in a few queries;
the 培育库 with last year's comparison; 拟推荐企业名单 rows; the CLI."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import sqlite3

import pytest
from sqlalchemy import event

from tests.conftest import good_zjtx, make_code
from tiers import assess
from tiers.progress import Cancelled, drain
from tiers.services import cultivation, figures, recognitions
from ui.cli.main import main

# before the 2026 办法 took effect (2026-04-01): these county cases are worked under the 2022
# rules; the command line, which runs today, is told so with --rules
TODAY = dt.date(2026, 3, 20)
OLD = ("--rules", "2022暂行办法")
Y = 2025


def add_firm(session, enterprise_factory, name, *, this_year=None, last_year=None, held=(),
             expired=()):
    firm = enterprise_factory(name)
    if this_year is not None:
        figures.set_year(session, firm.id, Y, this_year)
    if last_year is not None:
        figures.set_year(session, firm.id, Y - 1, last_year)
        # 近2年平均增长率 needs the year before too
        figures.set_year(session, firm.id, Y - 2, dict(revenue=1800, main_revenue=1600))
    for tier in held:
        recognitions.add(session, firm.id, {"tier_code": tier, "batch_year": 2024,
                                            "recognized_on": dt.date(2024, 10, 1)})
    for tier in expired:
        recognitions.add(session, firm.id, {"tier_code": tier, "batch_year": 2019,
                                            "recognized_on": dt.date(2019, 10, 1)})
    session.flush()
    return firm


@pytest.fixture
def county(session, enterprise_factory):
    last = dict(revenue=1900, main_revenue=1700, rd_expense=90)
    firms = {
        "ready": add_firm(session, enterprise_factory, "常州甲科技有限公司",
                          this_year=good_zjtx(), last_year=last, held=["innovative"]),
        "one_short": add_firm(session, enterprise_factory, "常州乙科技有限公司",
                              this_year=good_zjtx(rd_expense=50), last_year=last,
                              held=["innovative"]),
        "missing": add_firm(session, enterprise_factory, "常州丙科技有限公司",
                            this_year=good_zjtx(niche_years=None), last_year=last,
                            held=["innovative"]),
        "far": add_firm(session, enterprise_factory, "常州丁科技有限公司",
                        this_year=good_zjtx(rd_expense=50, niche_years=1), last_year=last,
                        held=["innovative"]),
        "holder": add_firm(session, enterprise_factory, "常州戊科技有限公司",
                           this_year=good_zjtx(), last_year=last, held=["zjtx"]),
        "higher": add_firm(session, enterprise_factory, "常州己科技有限公司",
                           this_year=good_zjtx(), last_year=last,
                           held=["innovative", "little_giant"]),
        "lapsed": add_firm(session, enterprise_factory, "常州庚科技有限公司",
                           this_year=good_zjtx(), last_year=last, held=["innovative"],
                           expired=["zjtx"]),
        "nonsense": add_firm(session, enterprise_factory, "常州辛科技有限公司",
                             this_year=good_zjtx(rd_expense=5000), last_year=last,
                             held=["innovative"]),
    }
    return firms


def test_candidates_ranked_by_readiness_excluding_holders(session, county):
    found = assess.candidates(session, "专精特新", today=TODAY)
    assert found.figures_year == Y and found.rule_set == "2022暂行办法"
    names = [item.name for item in found.ranked]
    ids = [item.enterprise_id for item in found.ranked]
    # every condition is met for 甲 and the lapsed 庚 (whose old 专精特新 title expired),
    # the 13-indicator score a number from its recorded inputs (66): 条件均满足, with only the
    # routine basic conditions to check; then 差一项, 缺数据
    assert set(ids[:2]) == {county["ready"].id, county["lapsed"].id}
    assert ids[2:] == [county["one_short"].id, county["missing"].id]
    assert [item.readiness for item in found.ranked] == [
        assess.READY, assess.READY, assess.ONE_SHORT, assess.DATA_MISSING]
    assert "常州戊科技有限公司" not in names and "常州己科技有限公司" not in names
    assert found.excluded_held == 2
    assert found.not_ready == 1  # 丁 is two conditions short
    assert [item.name for item in found.flagged] == ["常州辛科技有限公司"]
    counts = found.counts()
    assert counts["条件均满足"] == 2 and counts["待人工核实"] == 0
    assert counts["不符合"] == 1 and counts["数据存疑"] == 1
    with_far = assess.candidates(session, "zjtx", today=TODAY, include_not_ready=True)
    assert with_far.ranked[-1].enterprise_id == county["far"].id


def test_one_short_names_the_gap(session, county):
    found = assess.candidates(session, "zjtx", today=TODAY)
    short = next(item for item in found.ranked if item.enterprise_id == county["one_short"].id)
    # 50 万元 < 100 万元 and 2.5% < 3%: one condition of the rule text, with two parts short
    [leaf] = short.leaves(assess.NOT_MET)
    assert leaf.id == "rd" and short.readiness == assess.ONE_SHORT
    assert leaf.gap == "差 50 万元；差 0.5 个百分点，约 10 万元"
    assert short.verdict.startswith("差一项：上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%"
                                    "（差 50 万元；差 0.5 个百分点，约 10 万元）")


def test_candidates_load_in_a_few_queries(database, session, county):
    statements = []

    def count(*_args):
        statements.append(1)

    # the county's columns are read through the driver's own cursor, which SQLAlchemy's
    # events do not see: SQLite's trace sees every statement (scans of the recognitions:
    # titles held, lost and off the ladder in one, those 公示中 in another; the detail of
    # the firms listed, load_firms, the same two)
    raw = session.connection().connection.dbapi_connection
    traced: list[str] = []
    if isinstance(raw, sqlite3.Connection):
        raw.set_trace_callback(traced.append)
    event.listen(database.engine, "before_cursor_execute", count)
    try:
        assess.candidates(session, "little_giant", today=TODAY)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
        if isinstance(raw, sqlite3.Connection):
            raw.set_trace_callback(None)
    scans = [text for text in traced if re.search(r"\bFROM recognition\b", text)]
    if isinstance(raw, sqlite3.Connection):  # (PostgreSQL's driver has no trace)
        assert len(scans) <= 4, scans
    # (which figures year: one grouped count, tiers.assess.figures_year; firms, figures,
    # titles held, titles 公示中; whether a 公示 batch is still open is asked only of the
    # batches found 公示中, none here: held_by.open_publicity; and whose unit the database
    # records, one small read: the firms are the unit's by default, tiers.queries.unit_scope)
    assert len(statements) <= 6
    statements.clear()
    event.listen(database.engine, "before_cursor_execute", count)
    try:  # a year given: no count
        assess.candidates(session, "little_giant", today=TODAY, year=TODAY.year - 1)
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert len(statements) <= 5


def test_one_enterprise_defaults_to_its_next_tier(session, county):
    item = assess.assess_enterprise(session, county["ready"].id, today=TODAY)
    assert item.tier_code == "zjtx" and item.current_tier == "创新型中小企业"
    assert item.readiness == assess.READY
    every = assess.assess_enterprise_all(session, county["holder"].id, today=TODAY)
    assert [a.tier_code for a in every] == ["innovative", "zjtx", "little_giant",
                                            "single_champion"]
    assert every[0].already_held and every[1].already_held and not every[2].already_held
    assert every[1].verdict.startswith("已是省级专精特新中小企业")


def test_cultivation_overview_compares_with_last_year(session, enterprise_factory):
    firm = add_firm(session, enterprise_factory, "常州培育科技有限公司",
                    this_year=good_zjtx(), last_year=good_zjtx(rd_expense=50),
                    held=["innovative"])
    figures.set_year(session, firm.id, Y - 3, dict(revenue=1700, main_revenue=1500))
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2026,
                                       "officer": "王丽"})
    session.flush()
    [entry] = assess.cultivation_overview(session, today=TODAY)
    assert entry.officer == "王丽" and entry.target_tier == "zjtx"
    assert entry.current.figures_year == Y and entry.previous.figures_year == Y - 1
    assert entry.previous.readiness == assess.ONE_SHORT
    assert entry.current.readiness == assess.READY
    assert entry.trend == "进步"
    assert "结论：差一项 → 条件均满足" in entry.changes
    assert "评价得分：64 分 → 66 分" in entry.changes
    assert any(change.startswith("上年度研发费用总额不低于100万元：不满足 → 满足")
               for change in entry.changes)
    # the same in a few words, for the 培育名单's cell: which condition, not its whole title
    assert entry.summary.startswith("差一项→条件均满足；研发费用")
    assert "转为满足" in entry.summary and entry.summary.endswith("得分64→66")
    assert len(entry.summary) <= 30


def test_report_rows_for_the_recommendation_list(session, county):
    rows = assess.candidates_report_rows(session, "zjtx", today=TODAY)
    keys = {key for key, _ in assess.CANDIDATE_REPORT_COLUMNS}
    assert keys <= set(rows[0])
    assert [row["seq"] for row in rows] == [1, 2, 3, 4]
    assert rows[0]["readiness"] == "条件均满足" and rows[0]["rule_set"] == "2022暂行办法"
    assert rows[0]["readiness_text"] == "条件均满足（另有1项待核实）"
    assert rows[0]["manual"].startswith("基本条件")
    short = rows[2]
    assert short["name"] == "常州乙科技有限公司" and "差" in short["gaps"]
    assert "需人工核实" not in short["manual"] and short["manual"]


def test_unknown_tier_is_a_clear_error(session):
    with pytest.raises(assess.AssessError, match="未知的梯度"):
        assess.candidates(session, "宇宙第一")
    with pytest.raises(assess.AssessError, match="尚无链主企业的认定标准"):
        assess.candidates(session, "链主")


# --- CLI ------------------------------------------------------------------------------------

def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def cli_db(db_target, session, county):
    session.commit()
    return str(db_target)


def test_cli_one_firm_in_detail(capsys, cli_db):
    code = make_code(2)  # 乙: one short
    status, out, _ = run(capsys, "--db", cli_db, "assess", code, "--tier", "专精特新",
                         "--year", str(Y), *OLD)
    assert status == 0
    assert "预审目标：省级专精特新中小企业" in out and "依据：2022暂行办法" in out
    assert "[不满足]" in out and "差距：差 50 万元" in out
    status, out, _ = run(capsys, "--db", cli_db, "assess", code, "--year", str(Y), "--json",
                         *OLD)
    data = json.loads(out)
    assert data["tier_code"] == "zjtx" and data["figures_year"] == Y


def test_cli_candidates_list_and_summary(capsys, cli_db):
    status, out, err = run(capsys, "--db", cli_db, "assess", "--tier", "zjtx", "--year",
                           str(Y), "--json", *OLD)
    rows = json.loads(out)["candidates"]
    assert status == 0 and [r["readiness"] for r in rows] == [
        "条件均满足", "条件均满足", "差一项", "缺数据"]
    status, out, err = run(capsys, "--db", cli_db, "assess", "--tier", "zjtx", "--year",
                           str(Y), *OLD)
    assert status == 0 and "条件均满足（另有1项待核实）" in out
    status, out, err = run(capsys, "--db", cli_db, "assess", "--year", str(Y))
    # (the summary of every tier uses the rule sets in force today)
    assert status == 0 and "省级专精特新中小企业" in out and "单项冠军2023办法" in out
    assert "2026办法" in out
    header = out.splitlines()[0].split()
    assert header[1:4] == ["条件均满足", "待人工核实", "差一项"]


def test_cli_errors_are_one_line(capsys, cli_db):
    status, _, err = run(capsys, "--db", cli_db, "assess", "--tier", "zjtx", "--rules", "无此办法")
    assert status == 1 and err.startswith("错误：没有名为“无此办法”的规则集")
    status, _, err = run(capsys, "--db", cli_db, "assess", make_code(999))
    assert status == 1 and err.startswith("错误：")


def test_county_filter_and_flagged_rows(session, county, enterprise_factory):
    other = enterprise_factory("南京壬科技有限公司", county="江宁区")
    figures.set_year(session, other.id, Y, good_zjtx())
    session.flush()
    everyone = assess.candidates(session, "zjtx", today=TODAY)
    assert other.id in {item.enterprise_id for item in everyone.ranked + everyone.flagged}
    local = assess.candidates(session, "zjtx", today=TODAY, county="武进区")
    assert other.id not in {item.enterprise_id for item in local.ranked + local.flagged}
    rows = assess.candidates_report_rows(session, "zjtx", today=TODAY, county="武进区",
                                         include_flagged=True)
    flagged = rows[-1]
    assert flagged["readiness"] == "数据存疑" and "研发费用高于营业收入" in flagged["gaps"]


def test_cli_cultivation(capsys, db_target, session, enterprise_factory):
    firm = add_firm(session, enterprise_factory, "常州培育二科技有限公司",
                    this_year=good_zjtx(rd_expense=50), last_year=good_zjtx(),
                    held=["innovative"])
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2026,
                                       "officer": "周建华"})
    session.commit()
    status, out, err = run(capsys, "--db", str(db_target), "assess", "--cultivation",
                           "--year", str(Y), *OLD)
    assert status == 0 and "常州培育二科技有限公司" in out and "责任人：周建华" in out
    assert "变化：退步" in out and "满足 → 不满足" in out
    status, out, _ = run(capsys, "--db", str(db_target), "assess", "--cultivation",
                         "--year", str(Y), "--json", *OLD)
    [item] = json.loads(out)
    assert item["trend"] == "退步" and item["readiness"] == "差一项"


def test_candidates_report_progress_and_can_be_cancelled(session, county, monkeypatch):
    module = importlib.import_module("tiers.assess.candidates")  # the name is also a function
    monkeypatch.setattr(module, "PROGRESS_EVERY", 3)
    seen = []
    drain(assess.candidate_steps(session, "zjtx", today=TODAY),
          lambda step: seen.append((step.stage, step.done, step.total)))
    # reading the county, judging its eight firms, then the five firms listed are assessed
    # in detail, not all eight
    assert seen == [("读取企业数据", 0, 0), ("预审", 0, 8), ("预审", 3, 5)]

    with pytest.raises(Cancelled):
        drain(assess.candidate_steps(session, "zjtx", today=TODAY), lambda step: True)


# --- 单项冠军: readiness does not overstate, the 4亿元 rule holds ----------------------------

def champion(**overrides):
    values = dict(revenue=50000, main_revenue=40000, niche_years=12, market_share=30)
    values.update(overrides)
    return values


def test_champion_candidates_wait_for_checks_and_a_giant_ranks_first(session,
                                                                     enterprise_factory):
    plain = add_firm(session, enterprise_factory, "常州一科技有限公司", this_year=champion())
    giant = add_firm(session, enterprise_factory, "常州芭科技有限公司", this_year=champion(),
                     held=["innovative", "zjtx", "little_giant"])
    small = add_firm(session, enterprise_factory, "常州茨科技有限公司",
                     this_year=champion(revenue=30000, main_revenue=24000))
    small_giant = add_firm(session, enterprise_factory, "常州德科技有限公司",
                           this_year=champion(revenue=30000, main_revenue=24000),
                           held=["little_giant"])
    found = assess.candidates(session, "单项冠军", today=TODAY, rule_set="单项冠军2016方案")
    ids = [item.enterprise_id for item in found.ranked]
    assert [item.readiness for item in found.ranked] == [
        assess.TO_VERIFY, assess.TO_VERIFY, assess.TO_VERIFY, assess.PREREQUISITE]
    # a 小巨人 before a firm with no title (whose name sorts first); below 4亿元 without
    # the title: not 差一项 but 尚未取得前提认定 (it must become a 小巨人 first)
    assert ids[0] in (giant.id, small_giant.id) and ids[1] in (giant.id, small_giant.id)
    assert ids[2:] == [plain.id, small.id]
    assert found.counts()["条件均满足"] == 0 and found.counts()["待人工核实"] == 3
    last = found.ranked[-1]
    assert last.verdict.startswith(
        "尚未取得前提认定：年销售收入4亿元以下：须先入选专精特新“小巨人”企业")


def test_demo_county_single_champion_is_never_all_met_on_data_alone(session):
    from tiers.services import demo

    for _ in demo.generate(session, enterprises=300, today=TODAY):
        pass
    session.flush()
    found = assess.candidates(session, "single_champion", today=TODAY)
    firms = assess.load_firms(session, years=range(Y - 3, Y + 1), today=TODAY)
    assert found.ranked, "the demo county has champion candidates"
    for item in found.ranked:
        assert item.readiness != assess.READY, item.verdict
        if item.readiness == assess.TO_VERIFY:
            firm = firms[item.enterprise_id]
            revenue = firm.figures[Y]["revenue"]
            assert revenue >= 40000 or firm.holds_or_higher("little_giant"), item.name
    ranks = [item.readiness for item in found.ranked]
    assert ranks == sorted(ranks)
