"""A 公示中 title blocks a firm's candidacy only while its 公示 is open: once the batch has
its outcome (a firm of the same batch held by its final list's import), the firms still 公示中 were most likely
left out of the final list and are candidates again; a 公示 of a batch older than last year,
never confirmed, or one without a year, has lapsed. Both candidate paths (the county's
columns and the firms loaded one by one) and each firm's own 对标预审 agree, and the firms
left out are named (the officer sees who)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import good_zjtx
from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tiers import assess
from tiers.model.orm import ImportBatch
from tiers.progress import drain
from tiers.services import recognitions
from ui.cli.main import main

OLD = ("--rules", "2022暂行办法")
LAST = dict(revenue=1900, main_revenue=1700, rd_expense=90)


def listed(session, firm, tier, batch_year, *, label=None, pending=True, final_list=False,
           **values):
    """A recognition of the batch; ``final_list``: held by the import of its final list
    (an import batch of a 名单, neither a 公示 list nor Tiers's own report)."""
    label = label if label is not None else (f"{batch_year}年度" if batch_year else "")
    batch_id = None
    if final_list:
        batch = ImportBatch(file_name=f"{label}认定名单.xlsx", sha256="0" * 64,
                            kind="recognitions", mapping='{"metadata": {}}')
        session.add(batch)
        session.flush()
        batch_id = batch.id
    return recognitions.add(session, firm.id, {"tier_code": tier, "batch_year": batch_year,
                                               "batch_label": label, "is_pending": pending,
                                               **values}, import_batch_id=batch_id)


@pytest.fixture
def firms(session, enterprise_factory):
    def firm(name, held=("innovative",)):
        return add_firm(session, enterprise_factory, name, this_year=good_zjtx(),
                        last_year=LAST, held=held)

    found = {
        # the 2025年度 专精特新 batch has its final list: one firm confirmed, one left out
        "confirmed": firm("常州入选科技有限公司"),
        "dropped": firm("常州落选科技有限公司"),
        # the 2025 小巨人 第七批 has none yet: its firm waits (for 专精特新 and 小巨人)
        "waiting": firm("常州待定科技有限公司"),
        # 2024年度 专精特新, never confirmed, nobody of it held: over by now
        "old": firm("常州去年前公示科技有限公司"),
        "undated": firm("常州无年度公示科技有限公司"),  # no year: cannot be told open
        # the 2025 创新型 复核 has its outcome, the new firms' 2025 batch not yet
        "reviewed": firm("常州复核通过科技有限公司", held=()),
        "new_innovative": firm("常州新创新科技有限公司", held=()),
        # its batch's only held firm was revoked: no outcome said, still waiting
        "beside_revoked": firm("常州撤销旁科技有限公司"),
        "revoked": firm("常州被撤销科技有限公司"),
    }
    listed(session, found["confirmed"], "zjtx", 2025, pending=False, final_list=True,
           recognized_on=dt.date(2025, 12, 1))
    listed(session, found["dropped"], "zjtx", 2025)
    listed(session, found["waiting"], "little_giant", 2025, label="第七批")
    listed(session, found["old"], "zjtx", 2024)
    listed(session, found["undated"], "zjtx", None, label="第二批")
    listed(session, found["reviewed"], "innovative", 2025, is_review=True, pending=False,
           final_list=True, recognized_on=dt.date(2025, 11, 1))
    listed(session, found["new_innovative"], "innovative", 2025)
    listed(session, found["beside_revoked"], "zjtx", 2026, label="2026年度第一批")
    held = listed(session, found["revoked"], "zjtx", 2026, label="2026年度第一批",
                  pending=False, recognized_on=dt.date(2026, 2, 1))
    session.flush()
    recognitions.revoke(session, held.id, reason="材料不实", on=dt.date(2026, 3, 1))
    session.flush()
    return {key: value.id for key, value in found.items()}


def ids(found):
    return {item.enterprise_id for item in found.ranked + found.flagged}


def test_only_an_open_publicity_keeps_a_firm_out(session, firms):
    zjtx = assess.candidates(session, "zjtx", today=TODAY, include_not_ready=True)
    assert {firms[k] for k in ("dropped", "old", "undated", "new_innovative",
                               "reviewed")} <= ids(zjtx)
    assert not {firms[k] for k in ("waiting", "beside_revoked", "confirmed")} & ids(zjtx)
    assert zjtx.excluded_pending == 2
    assert zjtx.pending_names == ["常州待定科技有限公司", "常州撤销旁科技有限公司"]
    innovative = assess.candidates(session, "innovative", today=TODAY, include_not_ready=True)
    assert firms["new_innovative"] not in ids(innovative)
    assert innovative.pending_names == ["常州新创新科技有限公司"]
    # a year on, the 2025 小巨人 list is over too, confirmed or not
    later = assess.candidates(session, "little_giant", today=dt.date(2027, 3, 20),
                              include_not_ready=True)
    assert later.excluded_pending == 0 and firms["waiting"] in ids(later)


def test_the_probe_a_firm_left_out_of_a_final_list(session, firms):
    """The reviewer's case: on the 2025 公示 list, not on the final one (another firm of the
    batch confirmed): a 专精特新 candidate again, this year and the next."""
    for today in (TODAY, dt.date(2027, 3, 20)):
        found = assess.candidates(session, "zjtx", today=today, include_not_ready=True)
        assert firms["dropped"] in ids(found)
        item = assess.assess_enterprise(session, firms["dropped"], "zjtx", today=today)
        assert item.pending_tier == "" and "公示名单" not in item.verdict


@pytest.mark.parametrize("today", [TODAY, dt.date(2027, 3, 20)])
@pytest.mark.parametrize("tier", ["zjtx", "little_giant", "innovative"])
def test_every_path_agrees(session, firms, tier, today):
    ranked = drain(assess.ranked_steps(session, tier, today=today, include_not_ready=True))
    listed_ = assess.candidates(session, tier, today=today, include_not_ready=True)
    loaded = assess.load_firms(session, years=range(Y - 3, Y + 1), today=today)
    preloaded = assess.candidates(session, tier, today=today, include_not_ready=True,
                                  firms=loaded)
    assert [i.enterprise_id for i in ranked.listed()] == [
        i.enterprise_id for i in listed_.ranked + listed_.flagged] == [
        i.enterprise_id for i in preloaded.ranked + preloaded.flagged]
    assert ranked.pending_names == listed_.pending_names == preloaded.pending_names
    assert ranked.excluded_pending == len(ranked.pending_names)
    # and each firm's own assessment says 公示中 exactly for those left out as such
    names = {}
    for key, firm_id in firms.items():
        item = assess.assess_enterprise(session, firm_id, tier, today=today)
        if item.pending_tier:
            names[item.name] = key
    assert sorted(names) == ranked.pending_names


# --- where the officer sees who --------------------------------------------------------

def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def cli_db(db_target, session, enterprise_factory):
    """For the command line, which assesses as of today: this year's 专精特新 batch with one
    firm confirmed and one left 公示中 (left out of it), and another batch still open."""
    year = dt.date.today().year

    def firm(name):
        return add_firm(session, enterprise_factory, name, this_year=good_zjtx(),
                        last_year=LAST, held=("innovative",))

    listed(session, firm("常州入选科技有限公司"), "zjtx", year, pending=False,
           final_list=True, recognized_on=dt.date(year, 1, 1))
    listed(session, firm("常州落选科技有限公司"), "zjtx", year)
    listed(session, firm("常州待定科技有限公司"), "zjtx", year, label=f"{year}年度第二批")
    listed(session, firm("常州另待定科技有限公司"), "little_giant", year, label="第九批")
    session.commit()
    return str(db_target)


def test_cli_names_them(capsys, cli_db):
    status, out, err = run(capsys, "--db", cli_db, "assess", "--tier", "zjtx", "--year",
                           str(Y), *OLD)
    assert status == 0 and "常州落选科技有限公司" in out
    assert ("另有 2 家已在公示中（在该梯度或更高梯度的公示名单上），不列入："
            "常州另待定科技有限公司、常州待定科技有限公司") in err
    status, out, _ = run(capsys, "--db", cli_db, "assess", "--year", str(Y), "--json")
    by_tier = {row["tier"]: row for row in json.loads(out)}
    assert by_tier["省级专精特新中小企业"]["公示中企业"] == [
        "常州另待定科技有限公司", "常州待定科技有限公司"]
    assert by_tier["省级专精特新中小企业"]["公示中"] == 2
    assert by_tier["创新型中小企业"]["公示中企业"] == []
    status, out, _ = run(capsys, "--db", cli_db, "assess", "--year", str(Y))
    assert "常州待定科技有限公司" not in out  # the table counts; the names are in --json


def test_cli_says_nothing_of_none(capsys, cli_db):
    status, _, err = run(capsys, "--db", cli_db, "assess", "--tier", "innovative", "--year",
                         str(Y), *OLD)
    assert status == 0 and "已认定该梯度或更高 4 家" in err
    assert "公示" not in err and "另有" not in err


def test_one_firm_confirmed_by_hand_keeps_the_others_out_while_the_publicity_runs(
        session, enterprise_factory):
    """The review of the merged change: confirming one firm by hand (企业档案's 确认认定)
    while the 公示 still runs released every other firm of the list into the candidates
    (and the 拟推荐 report). Only the final list's import says who was left out."""
    def firm(name):
        return add_firm(session, enterprise_factory, name, this_year=good_zjtx(),
                        last_year=LAST, held=("innovative",))

    first, second = firm("常州先确认科技有限公司"), firm("常州仍公示科技有限公司")
    early = listed(session, first, "zjtx", TODAY.year)
    listed(session, second, "zjtx", TODAY.year)
    session.flush()
    recognitions.confirm(session, early.id)
    session.flush()
    found = assess.candidates(session, "zjtx", today=TODAY, include_not_ready=True)
    assert second.id not in ids(found) and found.pending_names == ["常州仍公示科技有限公司"]
    ranked = drain(assess.ranked_steps(session, "zjtx", today=TODAY, include_not_ready=True))
    assert ranked.pending_names == ["常州仍公示科技有限公司"]
    # the final list comes in (one firm on it): the other is a candidate again
    listed(session, firm("常州入选名单科技有限公司"), "zjtx", TODAY.year, pending=False,
           final_list=True)
    session.flush()
    found = assess.candidates(session, "zjtx", today=TODAY, include_not_ready=True)
    assert second.id in ids(found) and found.excluded_pending == 0
