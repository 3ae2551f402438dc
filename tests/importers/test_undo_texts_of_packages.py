"""Why the undo of a county's first package is refused while a newer package builds on it,
in words: the newer package's bookkeeping (which package a row came from) is not a field an
officer knows, a firm it moved to the recycle bin says so, and a record it deleted is named
in Chinese (the message read "source_package_id" and "recognition 编号 14")."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from sqlalchemy import select

from importers.undo import plan_undo
from importers.undo.text import what_changed
from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from tiers.model.orm import Enterprise, Recognition
from tiers.progress import drain
from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database


def _change(field, entity="enterprise", action="update", entity_id=1):
    return SimpleNamespace(entity=entity, field=field, action=action, entity_id=entity_id)


def test_a_packages_bookkeeping_is_not_named_and_the_bin_is():
    changes = [_change("name"), _change("source_package_id"), _change("source_county"),
               _change("deleted_at")]
    assert what_changed(changes) == "企业名称、移入回收站"


def test_the_refusal_names_every_record_in_chinese(new_target, tmp_path):
    county = county_database(new_target("county.sqlite3"), enterprises=60)
    city = open_database(new_target("city.sqlite3"))
    try:
        def send(path, when):
            return imported(city, sent(county, path, WUJIN, when)).batch_id

        first = send(tmp_path / "wj1.zip", DAY)
        with county.session() as session:
            firm_ids = session.scalars(select(Enterprise.id).join(Recognition).where(
                Enterprise.county_code == WUJIN).order_by(Enterprise.id).distinct()).all()
            enterprises.soft_delete(session, firm_ids[0])
            enterprises.update(session, firm_ids[1], {"name": "常州更正后名称科技有限公司"})
            recognitions.delete(session, session.scalars(select(Recognition.id).where(
                Recognition.enterprise_id == firm_ids[2])).first())
        send(tmp_path / "wj2.zip", DAY + dt.timedelta(days=1))
        with city.session() as session:
            refusal = str(drain(plan_undo(session, first)).refusal())
        assert refusal and "批次" in refusal
        assert "source_" not in refusal and "recognition" not in refusal
        assert "删除时间" not in refusal and "移入回收站" in refusal
        assert "认定之后被批次" in refusal
    finally:
        city.dispose()
        county.dispose()


def test_a_newer_packages_provenance_is_named_in_words(new_target, tmp_path):
    """The undo of a county's second package while a third one updated another field of
    the same firm: the third package wrote the firm's provenance (source_package_id) over
    the second's, which blocks the undo; the refusal read 企业“…”的“source_package_id”之后
    又被批次 3 改为“3” (found by the break campaign of #21 on the merge path)."""
    county = county_database(new_target("county.sqlite3"), enterprises=60)
    city = open_database(new_target("city.sqlite3"))
    try:
        def send(path, when):
            return imported(city, sent(county, path, WUJIN, when)).batch_id

        def county_changes(values):
            with county.session() as session:
                firm = session.scalars(select(Enterprise).where(
                    Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
                enterprises.update(session, firm.id, values)
                return firm.name

        send(tmp_path / "wj1.zip", DAY)
        county_changes({"contact_phone": "0519-7000"})
        second = send(tmp_path / "wj2.zip", DAY + dt.timedelta(days=1))
        name = county_changes({"notes": "第三个数据包的备注"})
        third = send(tmp_path / "wj3.zip", DAY + dt.timedelta(days=2))
        with city.session() as session:
            plan = drain(plan_undo(session, second))
        refusal = str(plan.refusal())
        assert refusal and f"批次 {third}" in refusal
        assert "source_" not in refusal, refusal
        reasons = [entry["reason"] for entry in plan.blocked]
        assert f"企业“{name}”之后又被批次 {third} 更新" in reasons, reasons
    finally:
        city.dispose()
        county.dispose()


def test_a_later_restore_from_the_bin_is_named_as_such(database, tmp_path):
    """An import's undo is refused while a later 回收站 恢复 (a batch since #25) built on its
    firms: the refusal named that batch 移入回收站, the very opposite of what it did (the
    break campaign of #26: 批次 3：移入回收站；批次 2：删除 for a restore after a trash)."""
    from tests.conftest import make_code
    from tests.importers.helpers import import_file
    from tiers.services import bulk

    roster = tmp_path / "名录.csv"
    roster.write_text("企业名称,统一社会信用代码,县（市、区）\n"
                      f"常州恢复精密机械有限公司,{make_code(7)},武进区\n", encoding="utf-8")
    _, first = import_file(database, roster)
    with database.session() as session:
        firm = session.scalar(select(Enterprise.id))
    for action in ("trash", "restore"):
        with database.session() as session:
            drain(bulk.apply_steps(session, action, [firm], {}))
    with database.session() as session:
        refusal = str(drain(plan_undo(session, first)).refusal())
    assert "批次 3：从回收站恢复" in refusal, refusal
    assert "批次 3：移入回收站" not in refusal


def test_records_that_cannot_go_back_name_their_firms_and_batches_in_order(new_target, tmp_path):
    """A county's second package deleted records of two firms; the city's own lists changed
    both firms since (batches 3 and 4). The refusal read 2023年年度数据所属的企业之后又被批次
    4、3 改动 once per record (年 twice, no firm, the batches backwards: tester29 #2): now
    one line for the firms the same batches changed, each firm and record named."""
    from tests.importers.helpers import import_file
    from tiers.model.orm import AnnualFigures
    from tiers.services import figures

    county = county_database(new_target("county.sqlite3"), enterprises=60)
    city = open_database(new_target("city.sqlite3"))
    try:
        def send(path, when):
            return imported(city, sent(county, path, WUJIN, when)).batch_id

        send(tmp_path / "wj1.zip", DAY)
        with county.session() as session:
            rows = session.execute(
                select(Enterprise.id, Enterprise.name, Enterprise.credit_code, AnnualFigures.id,
                       AnnualFigures.year).join(AnnualFigures)
                .where(Enterprise.county_code == WUJIN)
                .order_by(Enterprise.id, AnnualFigures.year)).all()
            firms = list(dict.fromkeys((row[1], row[2]) for row in rows))[:2]
            first, second = ([row for row in rows if row[1] == name] for name, _ in firms)
            gone = [first[0], first[1], second[0]]
            for row in gone:
                figures.delete(session, row[3])
            session.commit()
        deleting = send(tmp_path / "wj2.zip", DAY + dt.timedelta(days=1))
        later = []
        for phone in ("0519-3333", "0519-4444"):
            roster = tmp_path / f"名录{phone}.csv"
            roster.write_text("企业名称,统一社会信用代码,县（市、区）,联系电话\n" + "".join(
                f"{name},{code},武进区,{phone}\n" for name, code in firms), encoding="utf-8")
            later.append(import_file(city, roster)[1])
        with city.session() as session:
            plan = drain(plan_undo(session, deleting))
        refusal = str(plan.refusal())
        (a, _), (b, _) = firms
        line = (f"本批次删除的“{a}”的{gone[0][4]}年度数据、“{a}”的{gone[1][4]}年度数据、"
                f"“{b}”的{gone[2][4]}年度数据无法放回：它们所属的企业“{a}”、“{b}”之后又被"
                f"批次 {later[0]}、{later[1]} 改动")
        assert refusal.splitlines().count(f"　· {line}") == 1, refusal
        # the line is said once, yet each record it names is an item of its own, with its
        # own ids and firm (all three carried the first's)
        held = [item for item in plan.refusal().items if item["entity"] == "annual_figures"]
        assert sorted(item["name"] for item in held) == sorted([a, a, b]), held
        assert len({item["entity_id"] for item in held}) == 3, held
        assert len({item["enterprise_id"] for item in held}) == 2, held
        assert "年年度" not in refusal and "所属的企业之后" not in refusal, refusal
        assert f"请先撤销批次 {later[1]}、批次 {later[0]}（从最新的开始）" in refusal, refusal
    finally:
        city.dispose()
        county.dispose()


def test_held_records_of_one_firm_and_of_many_are_cut_and_counted():
    from importers.undo.text import held_text, record_text

    assert record_text("annual_figures", 7, {"year": 2023}) == "2023年度数据"
    one = [("常州恒华纺织有限公司", f"{year}年度数据") for year in (2023, 2024, 2025, 2026)]
    assert held_text(one[:1], [9, 10]) == (
        "本批次删除的企业“常州恒华纺织有限公司”的2023年度数据无法放回：这家企业之后又被批次 9、10 改动")
    assert held_text(one, [9]).startswith(
        "本批次删除的企业“常州恒华纺织有限公司”的2023年度数据、2024年度数据、2025年度数据 等 4 条无法放回")
    many = [(f"常州{n}公司", "2023年度数据") for n in range(5)]
    assert held_text(many, [3, 4]) == (
        "本批次删除的“常州0公司”的2023年度数据、“常州1公司”的2023年度数据、“常州2公司”的2023年度数据"
        " 等 5 条无法放回：它们所属的企业“常州0公司”、“常州1公司”、“常州2公司” 等 5 家之后又被批次 3、4 改动")
