"""Undo, as a new user met it: a roster whose firms later imports built on, kept values named
by firm, and undos that would change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from importers.undo import UndoRefused
from tests.conftest import make_code
from tests.importers.helpers import import_file, table_counts, undo, write_xlsx
from tiers.model.orm import Change, Enterprise, ImportBatch, SupportMeasure
from tiers.services import enterprises
from ui.cli.main import main

FIRMS = [("常州甲科技有限公司", 11), ("常州乙机械有限公司", 12), ("常州丙电子有限公司", 13)]


def _roster(tmp_path, name="名录.xlsx", phone="0519-1"):
    return write_xlsx(tmp_path / name, {"名录": [
        ["企业名称", "统一社会信用代码", "联系电话"],
        *[[firm, make_code(serial), f"{phone}{serial}"] for firm, serial in FIRMS]]})


def _support(tmp_path, name, firms):
    return write_xlsx(tmp_path / name, {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "拨付日期"],
        *[[firm, make_code(serial), "认定奖励", project, 20, "2024.3.1"]
          for firm, serial, project in firms]]})


def _undone(database, batch_id):
    with database.session() as session:
        return session.get(ImportBatch, batch_id).undone_at is not None


def _change_count(database):
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Change))


def test_firms_later_imports_built_on_refuse_the_undo_until_those_are_undone(
        database, tmp_path):
    _, roster = import_file(database, _roster(tmp_path), kind="roster")
    (firm_a, _), (firm_b, _) = FIRMS[0], FIRMS[1]
    _, first = import_file(database, _support(tmp_path, "s1.xlsx", [
        (firm_a, 11, "小巨人奖励"), (firm_a, 11, "技改补助"), (firm_b, 12, "小巨人奖励")]),
        kind="support")
    _, second = import_file(database, _support(tmp_path, "s2.xlsx", [
        (firm_b, 12, "专精特新奖励")]), kind="support")
    before, changes = table_counts(database), _change_count(database)

    with pytest.raises(UndoRefused) as refused:
        undo(database, roster)
    message = str(refused.value)
    assert refused.value.later_batches == [second, first]  # newest first
    first_line = message.split("\n")[0]
    assert f"请先撤销批次 {second}、批次 {first}（从最新的开始），再撤销批次 {roster}" in first_line
    assert f"　· 企业“{firm_a}”有之后导入的记录（批次 {first}：扶持措施 2 条）" in message
    assert (f"　· 企业“{firm_b}”有之后导入的记录（批次 {second}：扶持措施 1 条；"
            f"批次 {first}：扶持措施 1 条）") in message
    assert "编号" not in message and "手工" not in message
    # the third firm nobody built on is not listed, and nothing was written
    assert FIRMS[2][0] not in message
    assert not _undone(database, roster)
    assert table_counts(database) == before and _change_count(database) == changes

    # the later batches do not build on each other: either can go first
    undo(database, first)
    with pytest.raises(UndoRefused) as refused:
        undo(database, roster)
    assert refused.value.later_batches == [second] and firm_a not in str(refused.value)
    undo(database, second)
    # their undo wrote audit rows on the firms: that is no hand edit
    result = undo(database, roster)
    assert result.kept == [] and result.removed["enterprise"] == 3
    assert _undone(database, roster)
    with database.session() as session:
        assert session.scalars(select(Enterprise)).all() == []
        assert session.scalars(select(SupportMeasure)).all() == []


def test_a_later_roster_that_changed_a_field_the_batch_set_blocks_its_undo(database, tmp_path):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(11), "name": FIRMS[0][0],
                                            "contact_phone": "原电话"}).id
    _, first = import_file(database, _roster(tmp_path, "a.xlsx", "A-"), kind="roster")
    _, second = import_file(database, _roster(tmp_path, "b.xlsx", "B-"), kind="roster")
    with pytest.raises(UndoRefused) as refused:
        undo(database, first)
    assert refused.value.later_batches == [second]
    assert f"　· 企业“{FIRMS[0][0]}”的“联系电话”之后又被批次 {second} 改为“B-11”" in str(
        refused.value)
    assert not _undone(database, first)
    undo(database, second)
    result = undo(database, first)
    assert result.restored == 1 and result.kept == []
    with database.session() as session:
        assert enterprises.get(session, firm).contact_phone == "原电话"
        assert session.scalar(select(func.count()).select_from(Enterprise)) == 1


def test_kept_values_name_the_firm_not_its_id(database, tmp_path):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(11), "name": FIRMS[0][0],
                                            "contact_phone": "原电话"}).id
    _, batch = import_file(database, _roster(tmp_path), kind="roster")
    with database.session() as session:
        enterprises.update(session, firm, {"contact_phone": "人工电话"})
        edited = session.scalar(select(Enterprise.id).where(Enterprise.name == FIRMS[1][0]))
        enterprises.update(session, edited, {"address": "人工地址"})
    result = undo(database, batch)
    reasons = {k["reason"] for k in result.kept}
    assert reasons == {
        f"企业“{FIRMS[0][0]}”的“联系电话”导入后又被改为“人工电话”，予以保留",
        f"企业“{FIRMS[1][0]}”导入后又被手工修改过（地址），予以保留"}
    kept = {k["enterprise_id"]: k for k in result.kept}
    assert kept[firm]["name"] == FIRMS[0][0] and kept[firm]["credit_code"] == make_code(11)
    assert result.removed["enterprise"] == 1  # 丙, untouched since
    assert _undone(database, batch)


def test_an_undo_that_would_keep_everything_is_refused_and_leaves_the_batch(
        database, tmp_path):
    path = write_xlsx(tmp_path / "one.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码"], [FIRMS[0][0], make_code(11)]]})
    _, batch = import_file(database, path, kind="roster")
    with database.session() as session:
        firm = session.scalar(select(Enterprise.id))
        enterprises.update(session, firm, {"contact_phone": "0519-8888"})
    before, changes = table_counts(database), _change_count(database)
    with pytest.raises(UndoRefused) as refused:
        undo(database, batch)
    assert refused.value.later_batches == []
    assert str(refused.value).startswith(f"导入批次 {batch} 没有可撤销的内容")
    assert f"企业“{FIRMS[0][0]}”导入后又被手工修改过（联系电话）" in str(refused.value)
    assert not _undone(database, batch)
    assert table_counts(database) == before and _change_count(database) == changes


def test_cli_undo_import_refuses_with_status_2_and_names_the_batch_to_undo_first(
        database, tmp_path, capsys, db_target):
    db = ["--db", str(db_target)]
    _, roster = import_file(database, _roster(tmp_path), kind="roster")
    _, later = import_file(database, _support(tmp_path, "s.xlsx", [
        (FIRMS[0][0], 11, "小巨人奖励")]), kind="support")
    assert main([*db, "undo-import", str(roster)]) == 2
    assert f"请先撤销批次 {later}，再撤销批次 {roster}。这次没有做任何改动。" in (
        capsys.readouterr().err)
    assert main([*db, "undo-import", str(later)]) == 0
    assert main([*db, "undo-import", str(roster)]) == 0
    assert _undone(database, roster)


def test_measures_named_when_a_later_correction_blocks_or_a_hand_edit_keeps_them(
        database, tmp_path):
    from tiers.services import measures

    with database.session() as session:
        for firm, serial in FIRMS[:2]:
            enterprises.create(session, {"credit_code": make_code(serial), "name": firm})
    _, batch = import_file(database, _support(tmp_path, "s.xlsx", [
        (FIRMS[0][0], 11, "小巨人奖励"), (FIRMS[1][0], 12, "技改补助")]), kind="support")
    corrected = write_xlsx(tmp_path / "s2.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "扶持类别", "项目名称", "金额（万元）", "拨付日期"],
        [FIRMS[0][0], make_code(11), "认定奖励", "小巨人奖励", 30, "2024.3.1"]]})
    _, later = import_file(database, corrected, kind="support")
    with pytest.raises(UndoRefused) as refused:
        undo(database, batch)
    assert (f"　· 企业“{FIRMS[0][0]}”的扶持措施“小巨人奖励”之后又被批次 {later} 修改"
            in str(refused.value))
    undo(database, later)
    with database.session() as session:
        hand = session.scalar(select(SupportMeasure.id).where(
            SupportMeasure.name == "小巨人奖励"))
        measures.edit(session, hand, {"note": "人工备注"})
    result = undo(database, batch)
    assert [k["reason"] for k in result.kept] == [
        f"企业“{FIRMS[0][0]}”的扶持措施“小巨人奖励”导入后又被手工修改过，予以保留"]
    assert result.removed["support_measure"] == 1
    with database.session() as session:
        assert session.scalars(select(SupportMeasure.name)).all() == ["小巨人奖励"]


def test_an_undo_refused_for_the_logins_rights_says_each_reason_once(
        database, tmp_path, monkeypatch):
    """An editor's undo of a province's list touching one zone's 30 firms and another
    county's: two lines, each naming the first few and counting the rest (names_cut), not
    30 long lines of the same reason (review28)."""
    from importers.undo import plan as undo_plan
    from tiers.progress import drain
    from tiers.services.unit import UnitCounties
    from tiers.storage.write_rights import WriteRights

    officer = WriteRights(counties=frozenset({"320412"}), role="editor",
                          county_names=("武进区",), unit=UnitCounties((("320412", "武进区"),)))
    rows = [["企业名称", "统一社会信用代码", "县区"]]
    rows += [[f"溧阳开发区{i:02d}号有限公司", make_code(600 + i, "320400"), "溧阳经济开发区"]
             for i in range(30)]
    rows += [["常州新北某某有限公司", make_code(690, "320411"), "新北区"],
             ["常州武进自己有限公司", make_code(691, "320412"), "武进区"]]
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名单.xlsx", {"名单": rows}))
    monkeypatch.setattr(undo_plan, "write_rights", lambda session: officer)
    with database.session() as session:
        refusal = drain(undo_plan.plan_undo(session, batch_id)).refusal()
    lines = str(refusal).split("\n")
    assert lines[0] == (f"不能撤销导入批次 {batch_id}：撤销要改动的企业中有 31 家您的账号不能修改（见下），"
                        "请有权限的同事或管理员撤销。这次没有做任何改动。")
    assert lines[1].startswith("　· 溧阳开发区00号有限公司、溧阳开发区01号有限公司、溧阳开发区02号有限公司"
                               " 等 30 家：县（市、区）写作“溧阳经济开发区”，不是已知的区县")
    assert lines[2] == ("　· 常州新北某某有限公司：属于新北区，您的账号只能修改武进区的企业"
                        "（如需修改，请该区县的同事或管理员修改）")
    assert len(lines) == 3 and len(refusal.items) == 20
