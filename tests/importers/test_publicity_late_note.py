"""A 公示 list read after its final list says its other firms were most likely left out
(lists16). Only a final list says that: firms the officer confirmed by hand when the 公示
ended, or held some other way (the demo county), say nothing of who else the batch left out
(reviews of the sixteenth session)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, write_xlsx
from tiers.model.orm import Enterprise, Recognition
from tiers.progress import drain
from tiers.services import demo, recognitions

HEADER = ["序号", "企业名称", "统一社会信用代码"]
FIRMS = [[number, f"常州公示{number}号有限公司", make_code(number)] for number in range(1, 8)]
PUBLICITY_TITLE = "关于江苏省第五批专精特新“小巨人”企业名单的公示"
FINAL_TITLE = "江苏省第五批专精特新“小巨人”企业名单"


def _publicity(tmp_path, firms, name="公示.xlsx"):
    return write_xlsx(tmp_path / name, {"附件1": [[PUBLICITY_TITLE], HEADER, *firms]})


def _late_notes(plan) -> list[str]:
    return [p.message for p in plan.all_problems() if "不在其中" in p.message]


def test_firms_confirmed_by_hand_are_no_final_list(database, tmp_path):
    """The 公示 over, the officer confirmed its firms (tiers confirm-batch): a 公示 list of
    the batch naming more firms is no 公示 after a final list, nothing was left out."""
    import_file(database, _publicity(tmp_path, FIRMS[:5]))
    with database.session() as session:
        assert len(recognitions.confirm_batch(session, tier="小巨人", batch_label="第五批")) == 5
    plan = plan_file(database, _publicity(tmp_path, FIRMS, "补充公示.xlsx"))
    assert plan.counts()["created"] == 2 and plan.counts()["unchanged"] == 5
    assert _late_notes(plan) == []


def test_the_note_counts_the_final_lists_firms_not_those_confirmed_by_hand(database, tmp_path):
    """Three firms confirmed by the final list, two more by hand in the enterprise window
    (确认认定): the note counts the final list's three and says the two were confirmed by
    hand."""
    import_file(database, _publicity(tmp_path, FIRMS[:5]))
    final = write_xlsx(tmp_path / "名单.xlsx", {"名单": [[FINAL_TITLE], HEADER, *FIRMS[:3]]})
    plan, _ = import_file(database, final)
    assert len(plan.not_in_final_list) == 2
    with database.session() as session:
        for recognition in session.scalars(select(Recognition).where(
                Recognition.is_pending.is_(True))).all():
            recognitions.confirm(session, recognition.id, user="张三")
    plan = plan_file(database, _publicity(tmp_path, FIRMS, "补充公示.xlsx"))
    assert _late_notes(plan) == [
        "专精特新“小巨人”企业 第五批已有 3 家企业认定有效（认定名单已导入，另有 2 家为手工确认），"
        "这份公示名单上的 2 家企业（第 8、9 行）不在其中，将记为“公示中”："
        "如认定名单已公布，这些企业多半未入选，这份公示名单可不必导入"]


def test_a_real_publicity_list_on_the_demo_county_warns_of_nothing_left_out(
        database, tmp_path):
    """An officer trying Tiers on the demo county imports this year's real 公示 list: the
    demo's 2026年度 firms held 省级专精特新 as if its final list were in, and every row of
    the real list was reported as left out of it. In December a county holds the year's
    provincial batch 公示中 (Jiangsu calls for it in September); and the batches the demo
    holds (the 小巨人 第八批, final since the summer) came from no final list either."""
    with database.session() as session:
        drain(demo.generate(session, enterprises=300, today=dt.date(2026, 12, 4)))
        provincial = session.execute(select(Recognition.is_pending).where(
            Recognition.tier_code == "zjtx", Recognition.batch_label == "2026年度")).scalars()
        assert set(provincial) == {True}
        giants = session.scalar(select(func.count()).where(
            Recognition.tier_code == "little_giant", Recognition.batch_label == "第八批",
            Recognition.is_pending.is_(False)))
        provincial_firms = select(Recognition.enterprise_id).where(
            Recognition.tier_code != "innovative")
        innovative = session.scalars(select(Enterprise).join(Recognition).where(
            Recognition.tier_code == "innovative", Enterprise.county_code == "320412",
            Enterprise.id.not_in(provincial_firms))  # on its first rung: next, 专精特新
            .order_by(Enterprise.id).limit(3)).all()
        county_firms = [[n + 1, firm.name, firm.credit_code, "武进区"]
                        for n, firm in enumerate(innovative)]
    assert giants > 0
    new_firms = [[4 + n, f"常州真实{n}号精密机械有限公司", make_code(900 + n), "武进区"]
                 for n in range(3)]
    for title in ("2026年度江苏省专精特新中小企业拟认定名单公示",
                  "关于江苏省第八批专精特新“小巨人”企业名单的公示"):
        publicity = write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
            [title], [*HEADER, "县（市、区）"], *county_firms, *new_firms]})
        plan = plan_file(database, publicity)
        assert plan.metadata["pending"] and plan.counts()["created"] == 3
        assert _late_notes(plan) == []
        assert not [p for p in plan.all_problems() if p.severity == "warning"], [
            p.message for p in plan.all_problems()]


def test_a_tiers_roster_read_back_is_no_final_list(database, new_target, tmp_path):
    """The county confirmed its batch and sent its 名单 to the city; a new city database
    read it. A 公示 list of the batch naming more firms was then said to come after a final
    list (the 名单's import counted as one): its other firms "多半未入选", which nobody knew."""
    from tiers import reports
    from tiers.reports.base import ReportRequest
    from tiers.storage.database import open_database

    import_file(database, write_xlsx(tmp_path / "名单.xlsx", {
        "名单": [[FINAL_TITLE], HEADER, *FIRMS[:3]]}))
    with database.session() as session:
        roster = drain(reports.export_steps(session, "roster", tmp_path / "roster.xlsx",
                                            ReportRequest()))
    city = open_database(new_target("city.sqlite3"))
    try:
        plan, _batch = import_file(city, roster)
        assert plan.counts()["created"] == 3 and plan.metadata["own_report"] == "roster"
        plan = plan_file(city, _publicity(tmp_path, FIRMS, "补充公示.xlsx"))
        assert plan.counts()["created"] == 4 and plan.counts()["unchanged"] == 3
        assert _late_notes(plan) == []
    finally:
        city.dispose()


def test_a_final_list_undone_is_no_final_list(database, tmp_path):
    """A final list imported, one of its recognitions edited by hand, the import undone:
    the edited one is kept, but no final list is in effect any more."""
    from tests.importers.helpers import undo

    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名单.xlsx", {
        "名单": [[FINAL_TITLE], HEADER, *FIRMS[:3]]}))
    with database.session() as session:
        first = session.scalar(select(Recognition.id).order_by(Recognition.id).limit(1))
        recognitions.edit(session, first, {"document_number": "工信部企业函〔2023〕158号"},
                          user="张三")
    plan = plan_file(database, _publicity(tmp_path, FIRMS, "补充公示.xlsx"))
    assert len(_late_notes(plan)) == 1  # the final list in effect: the note is right
    result = undo(database, batch_id)
    assert result.kept
    with database.session() as session:
        held = session.scalar(select(func.count()).select_from(Recognition).where(
            Recognition.is_pending.is_(False)))
    assert held == 1
    plan = plan_file(database, _publicity(tmp_path, FIRMS, "补充公示.xlsx"))
    assert _late_notes(plan) == []
