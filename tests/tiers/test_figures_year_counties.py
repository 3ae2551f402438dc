"""The figures year per county: counties report at their own pace, so each firm is judged on
its own county's figures year in every view (the candidate lists, the 拟推荐企业名单 report,
培育库, the firm's window, the command line); a firm without a county, or whose county has no
figures, on the whole database's. Before, the firm's window counted its county, 培育库 the
whole database and the lists the county chosen or the whole database: on a demo of three
districts where 新北区 was behind, the whole-database list judged a 新北 firm on 2026 (缺数据)
while its own window said 2025."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from sqlalchemy import select

from tiers import assess
from tiers.assess.candidates import LOOKBACK
from tiers.assess.figures_year import figures_year
from tiers.assess.ranking import details
from tiers.model.orm import AnnualFigures, CultivationEntry, Enterprise
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.reports.candidates import candidate_rows
from tiers.services import demo
from tiers.storage.database import open_database
from ui.cli.main import main

FIRMS = 300
MADE = dt.date(2026, 12, 6)  # the demo's figures reach 2025; its firms: 天宁 31, 新北 54, 武进 215
LOOKED = dt.date(2027, 1, 10)  # 上年度 is 2026
BEHIND = "新北区 2026 年度数据尚未录入，该区按 2025 年度数据预审"
COLUMNS = [c.key for c in AnnualFigures.__table__.columns
           if c.key not in ("id", "year", "import_batch_id")]


def make_demo(session):
    drain(demo.generate(session, enterprises=FIRMS, seed=20261121, today=MADE))
    session.flush()


def report_2026(session, counties: tuple[str, ...], **only) -> None:
    """The firms of ``counties`` report 2026: their 2025 figures again (or only ``only``)."""
    rows = session.scalars(select(AnnualFigures).join(Enterprise)
                           .where(AnnualFigures.year == 2025,
                                  Enterprise.county_name.in_(counties))).all()
    for row in rows:
        values = {"enterprise_id": row.enterprise_id, **only} if only else {
            key: getattr(row, key) for key in COLUMNS}
        session.add(AnnualFigures(year=2026, **values))
    session.flush()


def firm_of(session, county: str) -> int:
    return session.scalar(select(Enterprise.id).where(Enterprise.county_name == county)
                          .order_by(Enterprise.id).limit(1))


@pytest.fixture
def behind(session):
    """天宁区 and 武进区 reported 2026, 新北区 not yet: the database's year is 2026."""
    make_demo(session)
    report_2026(session, ("天宁区", "武进区"))
    return session


def years_by_firm(found) -> dict[int, int]:
    return {item.enterprise_id: item.figures_year for item in found.ranked + found.flagged}


def test_each_firm_is_judged_on_its_own_countys_year_in_every_view(behind):
    session = behind
    assert figures_year(session, today=LOOKED).year == 2026  # the whole database's
    assert {name: figures_year(session, today=LOOKED, county=name).year
            for name in ("天宁区", "新北区", "武进区")} == {
        "天宁区": 2026, "新北区": 2025, "武进区": 2026}
    # the whole database's list: 新北's firms on 2025, the others on 2026, said in the note
    found = assess.candidates(session, "innovative", today=LOOKED, include_not_ready=True)
    years = years_by_firm(found)
    listed = found.ranked + found.flagged
    xinbei = next(i.enterprise_id for i in listed if i.county == "新北区")
    wujin = next(i.enterprise_id for i in listed if i.county == "武进区")
    assert found.figures_year == 2026 and found.year_note == BEHIND
    assert years[xinbei] == 2025 and years[wujin] == 2026
    assert found.counts()["缺数据"] < FIRMS // 5  # not 新北's 54 firms 缺数据
    # the list of the county alone, and the other path (firms preloaded) agree
    county = assess.candidates(session, "innovative", today=LOOKED, county="新北区",
                               include_not_ready=True)
    assert county.figures_year == 2025 and years_by_firm(county)[xinbei] == 2025
    assert county.year_note == "2026 年度数据尚未录入，按 2025 年度数据预审"
    firms = assess.load_firms(session, years=range(2025 - LOOKBACK, 2027), today=LOOKED)
    preloaded = assess.candidates(session, "innovative", today=LOOKED, firms=firms,
                                  include_not_ready=True)

    def seen(result):
        return [(i.enterprise_id, i.readiness, i.figures_year, i.year_note)
                for i in result.ranked + result.flagged]
    assert seen(preloaded) == seen(found) and preloaded.year_note == BEHIND
    ranked = drain(assess.ranked_steps(session, "innovative", today=LOOKED,
                                       include_not_ready=True))
    detailed = details(session, ranked, [xinbei, wujin])
    assert (detailed[xinbei].figures_year, detailed[wujin].figures_year) == (2025, 2026)
    assert [i.enterprise_id for i in ranked.listed()] == [
        i.enterprise_id for i in found.ranked + found.flagged]
    # the report
    rows = drain(candidate_rows(session, ReportRequest(tier="创新型中小企业", today=LOOKED,
                                                       filled_on=LOOKED)))
    by_id = {row["enterprise_id"]: row["figures_year"] for row in rows}
    assert by_id and all(by_id[i] == years[i] for i in by_id)
    # the firm's window
    for item in assess.assess_enterprise_all(session, xinbei, today=LOOKED):
        assert item.figures_year == 2025
    assert figures_year(session, today=LOOKED, enterprise_id=wujin).year == 2026
    # 培育库
    session.add(CultivationEntry(enterprise_id=xinbei, target_tier="innovative",
                                 target_year=2027))
    session.flush()
    overview = {s.enterprise_id: s for s in assess.cultivation_overview(session,
                                                                        today=LOOKED)}
    assert overview[xinbei].current.figures_year == 2025
    assert overview[xinbei].previous.figures_year == 2024
    assert all(s.current.figures_year == years_by_firm(found).get(i, s.current.figures_year)
               for i, s in overview.items())


def test_a_firm_without_a_county_or_whose_county_has_no_figures(session):
    """Only 天宁区 (31 of 300) reported 2026: the database's year is 2025, 天宁's own 2026."""
    make_demo(session)
    report_2026(session, ("天宁区",))
    before = assess.candidates(session, "innovative", today=LOOKED, include_not_ready=True)
    lost = session.get(Enterprise, next(i.enterprise_id for i in before.ranked
                                        if i.county == "武进区"))
    lost.county_code, lost.county_name = None, ""  # no county
    new = session.scalars(select(Enterprise).where(Enterprise.county_name == "武进区")
                          .order_by(Enterprise.id.desc()).limit(1)).one()
    new.county_code, new.county_name = "320481", "溧阳市"  # a county without figures at all
    for row in session.scalars(select(AnnualFigures)
                               .where(AnnualFigures.enterprise_id == new.id)):
        session.delete(row)
    session.flush()
    assert figures_year(session, today=LOOKED).year == 2025
    assert figures_year(session, today=LOOKED, county="天宁区").year == 2026
    for firm_id in (lost.id, new.id):
        assert figures_year(session, today=LOOKED, enterprise_id=firm_id).year == 2025
        assert {i.figures_year for i in assess.assess_enterprise_all(
            session, firm_id, today=LOOKED)} == {2025}
    found = assess.candidates(session, "innovative", today=LOOKED, include_not_ready=True)
    years = years_by_firm(found)
    assert found.figures_year == 2025 and years[lost.id] == 2025
    assert {i.figures_year for i in found.ranked + found.flagged if i.county == "天宁区"} == {
        2026}
    assert "天宁区按 2026 年度数据预审" in found.year_note


def test_a_headcount_list_is_not_a_years_figures(session):
    """2026 rows carrying only 从业人员 (a headcount list) do not count as reported."""
    make_demo(session)
    report_2026(session, ("天宁区", "新北区", "武进区"), employees=50)
    chosen = figures_year(session, today=LOOKED)
    assert chosen.year == 2025
    assert chosen.note == "2026 年度数据尚未录入，按 2025 年度数据预审"


def test_the_command_line_agrees_for_a_firm_of_a_county_behind(db_target, capsys):
    database = open_database(db_target)
    with database.session() as session:
        make_demo(session)
        report_2026(session, ("天宁区", "武进区"))
    database.dispose()
    db = ["--db", str(db_target)]
    with time_machine.travel(dt.datetime(2027, 1, 10, 2, 0, tzinfo=dt.UTC), tick=False):
        assert main([*db, "assess", "--tier", "创新型", "--all", "--json"]) == 0
        found = json.loads(capsys.readouterr().out)
        rows = {row["enterprise_id"]: row for row in found["candidates"]}
        xinbei = next(row for row in rows.values() if row["county"] == "新北区")
        assert xinbei["figures_year"] == 2025 and xinbei["figures_year_note"]
        code = xinbei["credit_code"]
        assert main([*db, "assess", code, "--tier", "创新型", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["figures_year"] == 2025
        assert {row["figures_year"] for row in rows.values()} == {2025, 2026}
        assert main([*db, "assess", "--json"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert {(row["figures_year"], row["figures_year_note"]) for row in summary} == {
            (2026, BEHIND)}


def test_the_command_line_says_last_year_only_when_it_is(db_target, capsys):
    database = open_database(db_target)
    with database.session() as session:
        make_demo(session)
        code = session.get(Enterprise, firm_of(session, "武进区")).credit_code
    database.dispose()
    db = ["--db", str(db_target)]
    with time_machine.travel(dt.datetime(2026, 12, 10, 2, 0, tzinfo=dt.UTC), tick=False):
        assert main([*db, "assess", code, "--tier", "创新型"]) == 0
        assert "\n数据年度：2025年度（上年度）\n" in capsys.readouterr().out
        # an explicit year is said as it is: 2024 is not 上年度
        assert main([*db, "assess", code, "--tier", "创新型", "--year", "2024"]) == 0
        out = capsys.readouterr().out
        assert "\n数据年度：2024年度\n" in out and "（上年度）" not in out
