"""A firm 公示中 for a tier (on the province's 公示 list, not yet final) is not that tier's
candidate: the county would recommend again a firm already put forward. It is left out of
the candidates like a holder, but counted apart (另有 N 家已在公示中) in the county-wide
ranking, the per-firm path, the 拟推荐 report and the CLI; its own 对标预审 says so. A 公示中
title of a lower tier is still not held (its next rung, and the prerequisite, as before)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import good_zjtx
from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tiers import assess, reports
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.reports import ReportRequest
from tiers.services import recognitions
from ui.cli.main import main

OLD = ("--rules", "2022暂行办法")
LAST = dict(revenue=1900, main_revenue=1700, rd_expense=90)


# this year's lists: open as of TODAY and as of the day the command line runs (it assesses
# as of today, and a list older than last year has lapsed)
OPEN_YEAR = max(TODAY.year, dt.date.today().year)


def publicise(session, firm, tier, batch_year=OPEN_YEAR, **values):
    return recognitions.add(session, firm.id, {"tier_code": tier, "batch_year": batch_year,
                                               "batch_label": f"{batch_year}年度",
                                               "is_pending": True, **values})


@pytest.fixture
def firms(session, enterprise_factory):
    def firm(name, held=("innovative",)):
        return add_firm(session, enterprise_factory, name, this_year=good_zjtx(),
                        last_year=LAST, held=held)

    found = {
        "ready": firm("常州甲科技有限公司"),
        "pending": firm("常州公示科技有限公司"),  # on this year's 专精特新 公示 list
        "pending_giant": firm("常州公示巨人科技有限公司"),  # on the 小巨人 公示 list
        "renewing": firm("常州复核科技有限公司", held=("zjtx",)),  # holds it: 复核 公示中
        "stale": firm("常州旧公示科技有限公司"),  # a 2019 公示 never confirmed, long over
        "withdrawn": firm("常州撤回科技有限公司"),  # 公示中, then revoked
        "pending_innovative": firm("常州公示创新科技有限公司", held=()),
    }
    publicise(session, found["pending"], "zjtx")
    publicise(session, found["pending_giant"], "little_giant", batch_label="第八批")
    publicise(session, found["renewing"], "zjtx", is_review=True)
    publicise(session, found["stale"], "zjtx", batch_year=2019)
    withdrawn = publicise(session, found["withdrawn"], "zjtx")
    session.flush()
    recognitions.revoke(session, withdrawn.id, reason="公示期间撤回", on=dt.date(2026, 1, 5))
    publicise(session, found["pending_innovative"], "innovative")
    session.flush()
    return {key: value.id for key, value in found.items()}


def test_publicised_firms_are_counted_not_listed(session, firms):
    found = assess.candidates(session, "zjtx", today=TODAY, include_not_ready=True)
    ids = {item.enterprise_id for item in found.ranked + found.flagged}
    assert {firms["ready"], firms["stale"], firms["withdrawn"],
            firms["pending_innovative"]} <= ids
    assert not {firms["pending"], firms["pending_giant"], firms["renewing"]} & ids
    # the one renewing its title holds it: counted as held, not as 公示中
    assert (found.excluded_held, found.excluded_pending) == (1, 2)
    giant = assess.candidates(session, "little_giant", today=TODAY, include_not_ready=True)
    assert firms["pending_giant"] not in {i.enterprise_id for i in giant.ranked}
    assert firms["pending"] in {i.enterprise_id for i in giant.ranked}  # not 专精特新 yet
    assert giant.excluded_pending == 1
    innovative = assess.candidates(session, "innovative", today=TODAY, include_not_ready=True)
    assert innovative.excluded_pending == 1
    assert firms["pending_innovative"] not in {i.enterprise_id for i in innovative.ranked}


@pytest.mark.parametrize("tier", ["zjtx", "little_giant", "innovative"])
def test_the_ranked_list_and_the_per_firm_list_agree(session, firms, tier):
    ranked = drain(assess.ranked_steps(session, tier, today=TODAY, include_not_ready=True))
    listed = assess.candidates(session, tier, today=TODAY, include_not_ready=True)
    assert [i.enterprise_id for i in ranked.listed()] == [
        i.enterprise_id for i in listed.ranked + listed.flagged]
    assert (ranked.excluded_held, ranked.excluded_pending) == (
        listed.excluded_held, listed.excluded_pending)
    assert listed.excluded_pending
    # and so does the list over firms loaded beforehand (the report's and the summary's path)
    loaded = assess.load_firms(session, years=range(Y - 3, Y + 1), today=TODAY)
    preloaded = assess.candidates(session, tier, today=TODAY, include_not_ready=True,
                                  firms=loaded)
    assert [i.enterprise_id for i in preloaded.ranked] == [
        i.enterprise_id for i in listed.ranked]
    assert preloaded.excluded_pending == listed.excluded_pending


def test_the_firm_itself_says_it_is_publicised(session, firms):
    item = assess.assess_enterprise(session, firms["pending"], today=TODAY)
    # a 公示中 专精特新 is not 专精特新 yet: its next rung is still 专精特新
    assert item.tier_code == "zjtx" and item.current_tier == "创新型中小企业"
    assert item.pending_tier == "省级专精特新中小企业" and not item.already_held
    assert item.verdict.startswith(
        "已在省级专精特新中小企业公示名单中（公示中，待正式认定），不再推荐；")
    assert item.readiness == assess.READY  # the figures still judged, as for a holder
    assert item.to_dict()["pending_tier"] == "省级专精特新中小企业"
    giant = assess.assess_enterprise(session, firms["pending"], "little_giant", today=TODAY)
    assert giant.pending_tier == "" and "公示" not in giant.verdict
    assert any("专精特新" in leaf.title for leaf in giant.leaves(assess.NOT_MET))
    # on a higher tier's list: not a 专精特新 candidate either, and it says which list
    higher = assess.assess_enterprise(session, firms["pending_giant"], "zjtx", today=TODAY)
    assert higher.pending_tier == "专精特新“小巨人”企业"
    assert higher.verdict.startswith("已在专精特新“小巨人”企业公示名单中")
    for key in ("stale", "withdrawn", "renewing", "ready"):
        other = assess.assess_enterprise(session, firms[key], "zjtx", today=TODAY)
        assert other.pending_tier == "" and "公示名单" not in other.verdict


def test_a_lower_tier_publicised_is_not_held(session, firms):
    every = assess.assess_enterprise_all(session, firms["pending_innovative"], today=TODAY)
    by_tier = {item.tier_code: item for item in every}
    assert by_tier["innovative"].pending_tier == "创新型中小企业"
    assert not any(item.already_held for item in every)
    zjtx = by_tier["zjtx"]
    assert zjtx.pending_tier == "" and zjtx.current_tier == ""
    assert any(leaf.kind == "holds" for leaf in zjtx.leaves(assess.NOT_MET))
    assert assess.next_tier(frozenset()) == assess.assess_enterprise(
        session, firms["pending_innovative"], today=TODAY).tier_code


def test_report_rows_and_note(session, firms, tmp_path):
    excluded: dict[str, int] = {}
    rows = assess.candidates_report_rows(session, "zjtx", today=TODAY, excluded=excluded)
    assert excluded == {"held": 1, "pending": 2, "pending_names": [
        "常州公示巨人科技有限公司", "常州公示科技有限公司"]}
    assert "常州公示科技有限公司" not in {row["name"] for row in rows}
    target = tmp_path / "candidates.xlsx"
    request = ReportRequest(tier="专精特新", status="全部", unit="某县工业和信息化局",
                            filled_by="王丽", phone="0519-86310000", filled_on=TODAY,
                            today=TODAY)
    drain(reports.export_steps(session, "candidates", target, request))
    cells = [str(value) for row in CalamineWorkbook.from_path(str(target))
             .get_sheet_by_index(0).to_python() for value in row]
    assert "常州公示科技有限公司" not in cells and "常州甲科技有限公司" in cells
    assert any(cell.startswith("注：另有 2 家企业已在省级专精特新中小企业（或更高梯度）的公示名单中")
               for cell in cells)


# --- CLI ------------------------------------------------------------------------------------

def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def cli_db(db_target, session, firms):
    """The database for the command line, and the credit code of the firm 公示中."""
    code = session.get(Enterprise, firms["pending"]).credit_code
    session.commit()
    return str(db_target), code


def test_cli_counts_them_apart(capsys, cli_db):
    cli_db, code = cli_db
    status, out, _ = run(capsys, "--db", cli_db, "assess", "--year", str(Y), "--json")
    by_tier = {row["tier"]: row for row in json.loads(out)}
    assert status == 0
    assert (by_tier["省级专精特新中小企业"]["公示中"], by_tier["省级专精特新中小企业"]["已持有"]) == (2, 1)
    assert by_tier["专精特新“小巨人”企业"]["公示中"] == 1
    assert by_tier["创新型中小企业"]["公示中"] == 1
    status, out, _ = run(capsys, "--db", cli_db, "assess", "--year", str(Y))
    header = out.splitlines()[0]
    assert "已在公示中（不列入）" in header
    status, out, err = run(capsys, "--db", cli_db, "assess", "--tier", "zjtx", "--year",
                           str(Y), *OLD)
    assert status == 0 and "常州公示科技有限公司" not in out and "常州甲科技有限公司" in out
    assert "另有 2 家已在公示中" in err and "已认定该梯度或更高 1 家" in err
    status, out, _ = run(capsys, "--db", cli_db, "assess", "--tier", "zjtx", "--year",
                         str(Y), "--json", "--all", *OLD)
    assert "常州公示科技有限公司" not in {row["name"] for row in json.loads(out)["candidates"]}
    status, out, _ = run(capsys, "--db", cli_db, "assess", code, "--year", str(Y), *OLD)
    assert status == 0 and "预审目标：省级专精特新中小企业" in out
    assert "结论：已在省级专精特新中小企业公示名单中（公示中，待正式认定），不再推荐" in out
    status, out, _ = run(capsys, "--db", cli_db, "assess", code, "--year", str(Y), "--json",
                         *OLD)
    assert json.loads(out)["pending_tier"] == "省级专精特新中小企业"
