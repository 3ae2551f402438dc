"""A firm that moved from 新北区 to 武进区: 武进's newer package lists it as a conflict (新北's
earlier package brought it); when 新北's next package no longer sends it, it is handed to
武进 (the county that still reports it), not binned unsaid (tester24 item 1): its
县（市、区） becomes 武进区, it and its records are 武进's, so that 武进's package imported again
sets them with 武进's data. Undone with 新北's batch; a package imported twice hands nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from importers.undo import UndoRefused, undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported, sent
from tiers.exchange import preview_package
from tiers.model.orm import Change, Enterprise, ImportBatch, Recognition
from tiers.progress import drain
from tiers.services import enterprises


def _moved(county, city, tmp_path):
    """Both counties sent; a 新北 firm moved to 武进 (武进's next package: a conflict);
    新北's next package, without it, read. (firm's credit code, 新北's second package)"""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    imported(city, sent(county, tmp_path / "xb1.zip", XINBEI, DAY))
    with county.session() as session:
        # (one with 梯度认定: that they go with it is checked)
        firm = session.scalars(select(Enterprise).where(
            Enterprise.county_code == XINBEI,
            Enterprise.id.in_(select(Recognition.enterprise_id)))
            .order_by(Enterprise.id)).first()
        code = firm.credit_code
        enterprises.update(session, firm.id, {"county": "武进区", "town": "湖塘镇",
                                              "contact_phone": "0519-55556666"})
    wj2 = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    assert len(imported(city, wj2).conflicts) == 1
    xb2 = sent(county, tmp_path / "xb2.zip", XINBEI, DAY + dt.timedelta(days=2))
    return code, xb2, wj2


def _firm(city, code):
    with city.session() as session:
        firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
        records = session.scalars(select(Recognition.source_county).where(
            Recognition.enterprise_id == firm.id, Recognition.source_package_id.is_not(None)))
        return (firm.deleted_at, firm.county_code, firm.county_name, firm.source_county,
                firm.contact_phone, firm.town, set(records))


def test_the_firm_another_county_carries_is_handed_to_it_not_binned(county, city, tmp_path):
    code, xb2, wj2 = _moved(county, city, tmp_path)
    with city.session() as session:
        preview = preview_package(session, xb2)
    assert preview.deleted_firms == []
    assert preview.deleted["enterprises"] == 0
    note = next(problem for problem in preview.problems if code in problem)
    assert "新北区本次未再报送，武进区的数据包（导入批次 3）报送了这家企业" in note
    assert "不移入回收站，改由武进区报送" in note
    assert any("县（市、区） 新北区 → 武进区" in line for line in preview.updated_values)
    before = _firm(city, code)
    assert before[1:4] == (XINBEI, "新北区", XINBEI)

    result = imported(city, xb2)
    assert result.deleted["enterprises"] == 0 and any(code in p for p in result.problems)
    deleted_at, county_code, county_name, source, phone, town, records = _firm(city, code)
    assert deleted_at is None
    assert (county_code, county_name, source) == (WUJIN, "武进区", WUJIN)
    assert records == {WUJIN}  # its records went with it: not deleted as 新北's
    assert phone != "0519-55556666"  # 新北's data, until 武进's package sets it

    # 武进's package imported again is no longer a conflict: it sets 武进's data
    again = imported(city, wj2)
    assert again.conflicts == []
    after = _firm(city, code)
    assert after[0] is None and (after[4], after[5]) == ("0519-55556666", "湖塘镇")


def test_handing_over_is_undone_with_the_batch_and_happens_once(county, city, tmp_path):
    code, xb2, _ = _moved(county, city, tmp_path)
    before = _firm(city, code)
    batch = imported(city, xb2).batch_id
    with city.session() as session:  # imported twice: nothing more to hand over
        twice = preview_package(session, xb2)
    assert not any(code in problem for problem in twice.problems)
    assert twice.updated["enterprises"] == 0 and twice.deleted["enterprises"] == 0
    with city.session() as session:
        drain(undo_batch(session, batch))
    assert _firm(city, code) == before


def test_a_city_edit_of_the_firm_handed_over_is_still_the_citys(county, city, tmp_path):
    """The hand-over is not a package sending the firm: it keeps the package its data came
    from (新北's first) and says nothing of it agrees with 新北's second, so the city's own
    edit made before is still seen as the city's when 武进's package sets the firm
    (本市和区县都修改过, counted), not overwritten unsaid (reviewer, session 24)."""
    code, xb2, wj2 = _moved(county, city, tmp_path)
    with city.session() as session:
        firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
        source = firm.source_package_id
        enterprises.update(session, firm.id, {"contact_phone": "0519-11112222"}, user="市局")
        session.commit()
    batch = imported(city, xb2).batch_id
    with city.session() as session:
        firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
        assert firm.source_package_id == source
        assert firm.contact_phone == "0519-11112222"
        logged = session.scalars(select(Change.field).where(
            Change.import_batch_id == batch, Change.enterprise_id == firm.id)).all()
    assert "contact_phone" not in logged and "source_package_id" not in logged
    again = imported(city, wj2)  # 武进's data now set: over the city's edit, and said so
    assert again.city_edits_overwritten >= 1
    assert _firm(city, code)[4] == "0519-55556666"


def test_the_takers_package_is_not_undone_under_the_hand_over(county, city, tmp_path):
    """武进's package that carried the firm as a conflict, undone while 新北's newer one
    (which handed the firm to 武进 on its word) stands: it was allowed, said 恢复字段 0 个,
    and left the firm 武进区 with 新北's 镇街, reported by no county (tester29 #1: 武进区
    未报送, 新北区 without it). The hand-over stands on the conflict the undone package
    recorded, not on a row it wrote, so nothing blocked it. Refused whole, naming the firm
    and the batch to undo first; undone in that order, the firm is 新北's again."""
    code, xb2, wj2 = _moved(county, city, tmp_path)
    with city.session() as session:
        taker = session.scalar(select(func.max(ImportBatch.id)))  # 武进's, with the conflict
        firm = session.scalars(select(Enterprise).where(Enterprise.credit_code == code)).one()
        name = firm.name
    before = _firm(city, code)
    handing = imported(city, xb2).batch_id
    handed = _firm(city, code)
    assert handed[1:4] == (WUJIN, "武进区", WUJIN)
    with city.session() as session, pytest.raises(UndoRefused) as caught:
        drain(undo_batch(session, taker))
    message = str(caught.value)
    assert caught.value.later_batches == [handing], message
    assert f"请先撤销批次 {handing}，再撤销批次 {taker}。这次没有做任何改动。" in message, message
    assert f"企业“{name}”（{code}）" in message and "改由武进区报送" in message, message
    assert _firm(city, code) == handed  # nothing written
    with city.session() as session:  # newest first: the hand-over, then the taker's package
        drain(undo_batch(session, handing))
        session.commit()
    assert _firm(city, code) == before
    with city.session() as session:
        drain(undo_batch(session, taker))
        session.commit()
    assert _firm(city, code)[1:4] == (XINBEI, "新北区", XINBEI)
