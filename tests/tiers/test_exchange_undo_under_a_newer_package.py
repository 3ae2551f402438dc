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
