"""A county's package cannot be undone under a newer package of that county still in
effect (found by the break campaign of #17): a newer package that changes nothing is
recorded as sent only and touches no row of the earlier one, so nothing blocked the undo
of the earlier package — every firm of the county was removed while 报送情况 still showed
the county as 已报送 with all its firms (the newer package's line). Undo goes newest first,
as for any other import; a neighbour's package is no county's newer package."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from importers.undo import UndoRefused, undo_batch
from importers.undo import plan as undo_plan
from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported, sent
from tiers.exchange.status import package_status
from tiers.model.orm import Enterprise
from tiers.progress import drain


def _firms(database, county: str) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(Enterprise).where(
            Enterprise.county_code == county, Enterprise.deleted_at.is_(None)))


def _undo(database, batch_id: int):
    with database.session() as session:
        result = drain(undo_batch(session, batch_id))
        session.commit()
    return result


def test_the_package_under_a_receipt_is_undone_only_after_it(county, city, tmp_path):
    first = imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY)).batch_id
    neighbour = imported(city, sent(county, tmp_path / "xb.zip", XINBEI, DAY)).batch_id
    again = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1)))
    assert again.only_sent and again.batch_id is not None
    firms = _firms(city, WUJIN)
    assert firms > 0
    with pytest.raises(UndoRefused, match=f"武进区之后又报送了数据包（批次 {again.batch_id}") as caught:
        _undo(city, first)
    assert caught.value.later_batches == [again.batch_id]
    assert _firms(city, WUJIN) == firms
    with city.session() as session:
        line = next(s for s in package_status(session, year=DAY.year) if s.code == WUJIN)
    assert line.sent and line.batch_id == again.batch_id and line.firms == firms
    # the neighbour's package is not 武进区's: undone as before
    _undo(city, neighbour)
    assert _firms(city, XINBEI) == 0
    # newest first: the receipt, then the package under it
    _undo(city, again.batch_id)
    _undo(city, first)
    assert _firms(city, WUJIN) == 0
    with city.session() as session:
        assert not any(s.sent for s in package_status(session, year=DAY.year))


def test_refused_at_once_and_saying_why(county, city, tmp_path, monkeypatch):
    """Under a newer package that only records a receipt, refused before the batch's
    change log is read (seconds for a county of 100k firms: whatever else it holds, the
    newer package goes first, and it changed no row to name), in words true of it: it used
    and changed nothing the batch wrote. (A newer package that changed rows has each of
    them named: tests/importers/test_undo_texts_of_packages.py.)"""
    first = imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY)).batch_id
    again = imported(city, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1)))
    assert again.only_sent

    def read(*_: object) -> None:
        raise AssertionError("the change log of a blocked undo was read")

    monkeypatch.setattr(undo_plan, "later_changes", read)
    with pytest.raises(UndoRefused) as caught:
        _undo(city, first)
    message = str(caught.value)
    # one sentence: which county sent which newer batch, and to undo that first (it was
    # said twice: 同一区县之后又导入了较新的数据包（批次 7）, then 武进区之后又报送了…（批次 7…）)
    assert message.startswith(f"不能撤销导入批次 {first}：武进区之后又报送了数据包（批次 "
                              f"{again.batch_id}，报送时间 ")
    assert message.endswith(f"，报送情况以它为准。请先撤销批次 {again.batch_id}，再撤销批次 "
                            f"{first}。这次没有做任何改动。")
    assert "用到或修改了" not in message and "\n" not in message
    assert message.count(f"批次 {again.batch_id}") == 2  # the reason, and what to undo first
    assert caught.value.later_batches == [again.batch_id]


def test_several_newer_packages_named_once_by_county(county, city, tmp_path):
    """Three newer packages of the county: it is named once with its batches, newest
    first, and 报送情况 stands on the newest (it read 武进区之后又报送了数据包（…），报送情况以它为准
    three times over, one run-on sentence)."""
    batches = [imported(city, sent(county, tmp_path / f"wj{n}.zip", WUJIN,
                                   DAY + dt.timedelta(days=n))).batch_id for n in range(4)]
    with pytest.raises(UndoRefused) as caught:
        _undo(city, batches[0])
    message = str(caught.value)
    first, *newer = batches
    assert message.startswith(f"不能撤销导入批次 {first}：武进区之后又报送了 3 个数据包（批次 {newer[2]}，"
                              "报送时间 "), message
    assert message.count("武进区") == 1 and message.count("报送情况以") == 1, message
    assert f"；批次 {newer[1]}，报送时间 " in message and f"；批次 {newer[0]}，报送时间 " in message
    assert f"），报送情况以最新的为准。请先撤销批次 {newer[2]}、批次 {newer[1]}、批次 {newer[0]}（从最新的开始），" \
        f"再撤销批次 {first}。" in message, message


def test_many_newer_packages_are_counted_past_the_cap():
    """Past REFUSAL_SHOWN packages the rest are counted, as detail_lines counts its lines;
    the batches to undo first too."""
    from importers.undo.text import REFUSAL_SHOWN, blocked_message

    def block(county: str, batch: int) -> dict:
        return {"entity": "exchange_package", "entity_id": batch, "enterprise_id": None,
                "field": "", "batches": [batch], "county": county,
                "package": f"批次 {batch}，报送时间 2026-01-01 09:00", "reason": "…"}

    many = REFUSAL_SHOWN + 5
    blocked = [block("武进区", 100 + n) for n in range(many, 0, -1)] + [block("新北区", 50)]
    later = sorted({b for item in blocked for b in item["batches"]}, reverse=True)
    message = blocked_message(1, later, blocked)
    assert message.count("报送时间") == REFUSAL_SHOWN, message
    assert f"武进区之后又报送了 {many} 个数据包（批次 {100 + many}，" in message
    assert "；……另有 5 个），报送情况以最新的为准；另有 1 个区县之后也报送了数据包。" in message, message
    assert "新北区" not in message
    assert f"请先撤销批次 {100 + many}、" in message
    assert f"等 {many + 1} 批（从最新的开始），再撤销批次 1。" in message, message
    assert message.count("批次 ") == 2 * REFUSAL_SHOWN + 1 + 1, message
