"""公示 lists are not recognitions yet: their firms are 公示中 (not held: not in the
dashboard, the roster's current tier or the reports) until the final list of the same tier
and batch arrives, or the officer confirms the batch; a final list names who it left out.
The wizard and the CLI say which of the two a file was taken as, and the officer can change
it (issue #16)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from importers import detect, open_source
from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, undo, write_xlsx
from tiers import reports
from tiers.model import ladder
from tiers.model.orm import Change, Recognition
from tiers.progress import drain
from tiers.queries import dashboard, profiles
from tiers.queries import roster as roster_query
from tiers.reports import data as report_data
from tiers.reports.base import ReportRequest
from tiers.services import recognitions
from ui.cli.main import main

FIRMS = [[number, f"常州公示{number}号有限公司", make_code(number)] for number in range(1, 6)]
HEADER = ["序号", "企业名称", "统一社会信用代码"]
PUBLICITY_TITLE = "关于江苏省第五批专精特新“小巨人”企业名单的公示"
FINAL_TITLE = "江苏省第五批专精特新“小巨人”企业名单"


def _publicity(tmp_path, title=PUBLICITY_TITLE, sheet="附件1"):
    return write_xlsx(tmp_path / "公示.xlsx", {sheet: [[title], HEADER, *FIRMS]})


def _final(tmp_path, firms=FIRMS[:3]):
    return write_xlsx(tmp_path / "名单.xlsx", {"名单": [[FINAL_TITLE], HEADER, *firms]})


def _statuses(database) -> dict[str, bool]:
    with database.session() as session:
        rows = session.execute(select(Recognition.enterprise_id, Recognition.is_pending)
                               .order_by(Recognition.enterprise_id)).all()
        return {enterprise_id: bool(pending) for enterprise_id, pending in rows}


@pytest.mark.parametrize(("title", "sheet"), [
    (PUBLICITY_TITLE, "附件1"), ("第五批专精特新“小巨人”拟认定企业名单", "Sheet1"),
    ("第五批专精特新“小巨人”企业名单", "拟入选企业"), ("第五批专精特新“小巨人”拟推荐企业", "S")])
def test_a_list_that_says_so_is_a_publicity_list(tmp_path, title, sheet):
    assert detect(open_source(_publicity(tmp_path, title, sheet))).metadata.pending
    assert not detect(open_source(_final(tmp_path))).metadata.pending


def test_pending_firms_are_not_counted_as_holding_the_tier(database, tmp_path):
    today = dt.date.today()
    plan, _batch = import_file(database, _publicity(tmp_path))
    assert plan.taken_as == "公示名单" and plan.counts()["created"] == 5
    assert set(_statuses(database).values()) == {True}
    with database.session() as session:
        assert dashboard.overview(session, today=today)["recognitions"] == 0
        assert sum(dashboard.tier_totals(session, today=today).values()) == 0
        ids = roster_query.roster_ids(session, roster_query.RosterFilter(today=today))
        rows = roster_query.roster_rows(session, ids, today=today)
        assert [(row["tier"], row["status"]) for row in rows] == [("", "公示中：小巨人")] * 5
        pending = roster_query.roster_ids(session, roster_query.RosterFilter(
            status=ladder.PENDING, today=today))
        held = roster_query.roster_ids(session, roster_query.RosterFilter(
            tier="小巨人", today=today))
        assert len(pending) == 5 and held == []
        profile = profiles.profile(session, ids[0])
        assert [r["status"] for r in profile["recognitions"]] == [ladder.PENDING]
        request = ReportRequest(today=today, status="全部")
        assert report_data.roster_count(session, request) == 0
        areas, table = report_data.summary_counts(session, ReportRequest(today=today),
                                                  by_town=False)
        assert table == {}
        assert drain(reports.export_steps(session, "roster", tmp_path / "r.xlsx",
                                          ReportRequest(today=today))).exists()


def test_the_final_list_confirms_and_names_who_it_left_out(database, tmp_path):
    import_file(database, _publicity(tmp_path))
    plan, batch_id = import_file(database, _final(tmp_path))
    assert plan.taken_as == "认定名单" and plan.counts()["updated"] == 3
    assert [(m["name"], m["batch_label"], m["batch_year"]) for m in plan.not_in_final_list] == [
        ("常州公示4号有限公司", "第五批", 2023), ("常州公示5号有限公司", "第五批", 2023)]
    assert _statuses(database) == {1: False, 2: False, 3: False, 4: True, 5: True}
    with database.session() as session:
        assert dashboard.overview(session)["recognitions"] == 3
        confirmed = session.scalars(select(Change.field).where(
            Change.import_batch_id == batch_id, Change.entity == "recognition")).all()
        assert confirmed == ["is_pending"] * 3  # each recorded, so the import can be undone
    again, _ = import_file(database, _final(tmp_path))  # nothing more to confirm
    assert again.counts()["unchanged"] == 3 and len(again.not_in_final_list) == 2
    undo(database, batch_id)  # the final list taken back: 公示中 again
    assert set(_statuses(database).values()) == {True}


def test_a_publicity_list_never_takes_back_a_recognition_held(database, tmp_path):
    import_file(database, _final(tmp_path))
    plan, _ = import_file(database, _publicity(tmp_path))
    assert plan.counts()["unchanged"] == 3 and plan.counts()["created"] == 2
    assert _statuses(database) == {1: False, 2: False, 3: False, 4: True, 5: True}


def test_a_publicity_list_after_its_final_list_says_who_the_final_list_left_out(
        database, tmp_path):
    """Imported late (the final list first), a 公示 list's extra firms were left out of the
    final list: the preview says so before they are written as 公示中."""
    import_file(database, _final(tmp_path))
    plan = plan_file(database, _publicity(tmp_path))
    notes = [p.message for p in plan.all_problems() if "不在其中" in p.message]
    assert notes == ["专精特新“小巨人”企业 第五批已有 3 家企业认定有效（认定名单已导入），"
                     "这份公示名单上的 2 家企业（第 6、7 行）不在其中，将记为“公示中”："
                     "如认定名单已公布，这些企业多半未入选，这份公示名单可不必导入"]
    first = plan_file(database, _publicity(tmp_path, title=PUBLICITY_TITLE.replace("五", "六")))
    assert not [p for p in first.all_problems() if "不在其中" in p.message]  # a new batch


def test_a_publicity_list_beside_a_review_list_of_the_same_batch_is_not_late(
        database, tmp_path):
    """A 复核 list of the same tier and year is another list: the new firms' 公示 after it
    is no 公示 after its final list."""
    review = write_xlsx(tmp_path / "复核.xlsx", {"名单": [
        ["2026年度江苏省专精特新中小企业复核通过名单"], HEADER, *FIRMS[:3]]})
    plan, _ = import_file(database, review)
    assert plan.metadata["is_review"] and plan.metadata["batch_label"] == "2026年度"
    publicity = write_xlsx(tmp_path / "公示.xlsx", {"名单": [
        ["2026年度江苏省专精特新中小企业拟认定名单公示"], HEADER, *FIRMS[3:]]})
    plan = plan_file(database, publicity)
    assert plan.metadata["pending"] and plan.counts()["created"] == 2
    assert not [p for p in plan.all_problems() if "不在其中" in p.message]


def test_a_review_list_leaves_no_firm_of_the_new_firms_publicity_out(database, tmp_path):
    """The new firms' 公示 of 2026年度, then the 复核 list of 2026年度: the 复核 list is
    another list, and none of the 公示's firms is left out of it (each was named as left
    out, with the advice to delete it: review of the sixteenth session)."""
    publicity = write_xlsx(tmp_path / "公示.xlsx", {"名单": [
        ["2026年度江苏省专精特新中小企业拟认定名单公示"], HEADER, *FIRMS[3:]]})
    import_file(database, publicity)
    review = write_xlsx(tmp_path / "复核.xlsx", {"名单": [
        ["2026年度江苏省专精特新中小企业复核通过名单"], HEADER, *FIRMS[:3]]})
    plan = plan_file(database, review)
    assert plan.metadata["is_review"]
    assert plan.not_in_final_list == []


def test_the_preview_says_a_publicity_lists_firms_are_only_proposed(database, tmp_path):
    """Each row of a 公示 list adds a recognition 公示中, and its preview says so; a firm
    holding the tier still is pointed out as listed again by the 公示, not as recognised
    again (found by the new-officer pass)."""
    import_file(database, _final(tmp_path, FIRMS[:1]))  # firm 1 holds 小巨人 第五批
    sixth = _publicity(tmp_path, title=PUBLICITY_TITLE.replace("五", "六"))
    plan = plan_file(database, sixth)
    assert [change.description for row in plan.rows for change in row.records] == [
        "小巨人 第六批（公示中）"] * 5
    duplicate = [p.message for p in plan.all_problems() if "请核对是否重复" in p.message]
    assert len(duplicate) == 1 and "这份公示名单又列入了它" in duplicate[0], duplicate
    final = plan_file(database, _final(tmp_path, FIRMS[1:2]))
    assert [change.description for row in final.rows for change in row.records] == [
        "小巨人 第五批"]


def test_the_officer_confirms_a_batch(database, tmp_path):
    import_file(database, _publicity(tmp_path))
    with database.session() as session:
        assert recognitions.pending_batches(session) == [
            {"tier_code": "little_giant", "tier": "专精特新“小巨人”企业",
             "batch_label": "第五批", "batch_year": 2023, "is_review": False,
             "count": 5, "both_kinds": False}]
        with pytest.raises(recognitions.NotFound, match="没有公示中的"):
            recognitions.confirm_batch(session, tier="小巨人", batch_label="第六批")
        assert len(recognitions.confirm_batch(session, tier="小巨人", batch_label="第五批",
                                              user="张三")) == 5
    assert set(_statuses(database).values()) == {False}


def test_the_cli_says_what_a_file_was_taken_as_and_takes_the_officers_word(
        database, db_target, tmp_path, capsys):
    publicity = _publicity(tmp_path)
    assert main(["--db", str(db_target), "import", str(publicity), "--dry-run"]) == 0
    assert "按公示名单导入" in capsys.readouterr().out
    assert main(["--db", str(db_target), "import", str(publicity), "--as", "认定",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["taken_as"] == "认定名单"
    assert set(_statuses(database).values()) == {False}


def test_the_cli_lists_who_the_final_list_left_out_and_confirms_a_batch(
        database, db_target, tmp_path, capsys):
    assert main(["--db", str(db_target), "import", str(_publicity(tmp_path))]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_target), "import", str(_final(tmp_path))]) == 0
    shown = capsys.readouterr().out
    assert "按认定名单导入" in shown and "不在本认定名单中的企业 2 家" in shown
    assert main(["--db", str(db_target), "import", str(_final(tmp_path)), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["taken_as"] == "认定名单"
    assert [m["credit_code"] for m in result["not_in_final_list"]] == [
        make_code(4), make_code(5)]
    assert main(["--db", str(db_target), "confirm-batch"]) == 0
    assert "第五批（2023年）  2 家" in capsys.readouterr().out
    assert main(["--db", str(db_target), "confirm-batch", "--tier", "小巨人", "--batch",
                 "第五批", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"confirmed": 2}
    assert main(["--db", str(db_target), "confirm-batch", "--tier", "小巨人"]) == 1
    assert "没有公示中的" in capsys.readouterr().err


def test_the_cli_roster_shows_what_a_firm_is_on_publicity_for(
        database, db_target, tmp_path, capsys):
    """`tiers enterprises` as the client's 企业库: a firm a 公示 list named shows
    （公示中：小巨人） in 当前梯度, not a blank that reads as “no tier at all”."""
    assert main(["--db", str(db_target), "import", str(_publicity(tmp_path))]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_target), "enterprises", "--status", "公示中"]) == 0
    table = capsys.readouterr().out
    assert table.count("（公示中：小巨人）") == 5, table
    assert main(["--db", str(db_target), "enterprises", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert sum('"（公示中：小巨人）"' in line for line in lines[1:]) == 5, lines


def test_the_firms_the_final_list_left_out_come_with_what_to_do(database, tmp_path, capsys):
    """The list of firms left out says how to settle each (delete the 公示中 entry, or
    confirm it): the wizard in the words of the enterprise window's buttons, the command
    line with its own command too (each face adds its own words)."""
    from ui.cli.import_report import print_not_in_final_list
    from ui.import_wizard import summary

    import_file(database, _publicity(tmp_path))
    plan = plan_file(database, _final(tmp_path))
    lines = summary.standing_lines(plan)[1:]
    assert lines[0].startswith("公示过但不在本认定名单中的企业 2 家")
    assert "常州公示4号有限公司" in lines[1]
    assert "“梯度认定”" in lines[-1] and "“删除”" in lines[-1]
    assert "“确认认定（公示结束）”" in lines[-1]
    print_not_in_final_list(plan, 1)
    printed = capsys.readouterr().out.splitlines()
    assert "另有 1 家" in printed[2] and "tiers confirm-batch" in printed[-1]


def test_a_title_still_publicised_is_not_called_one_in_force(database, tmp_path):
    """A firm on the 第五批 公示 but not on its final list stays 公示中: it holds nothing, so
    the 第六批 公示 listing it again is no duplicate of a title “仍在有效期内” (the tester's
    江苏上兴电气: 2025年度 公示中, then on the 2026年度 公示). The firms the final list did
    name still are pointed out."""
    import_file(database, _publicity(tmp_path))
    import_file(database, _final(tmp_path, FIRMS[:3]))  # firms 4 and 5 left 公示中
    sixth = _publicity(tmp_path, title=PUBLICITY_TITLE.replace("五", "六"))
    plan = plan_file(database, sixth)
    duplicate = {p.row for p in plan.all_problems() if "请核对是否重复" in p.message}
    assert duplicate == {3, 4, 5}, [p.message for p in plan.all_problems()]
