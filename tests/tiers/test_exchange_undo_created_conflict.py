"""Undoing the package that created a firm another county's later package also sends (undo29's
neighbour, undo29b). 武进's package brings firm F; the firm moves to 新北 in the county, and
新北's next package sends it too: a conflict (both report it; nothing of 新北's was written,
only the credit code in its batch's counts). Undoing 武进's package then deleted F, and
新北's conflict pointed at nothing: 报送情况 no longer listed it, 新北's 企业数 still left it
out, and the city could not know that 新北 reports the firm (新北's data for it is in 新北's
package only). The undo is refused whole, naming the firm and 新北's batch to undo first;
in that order, importing 新北's package again brings the firm as 新北's: nothing of 新北's lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from importers.undo import UndoRefused, plan_undo, undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported, moved_to_xinbei
from tiers.exchange import package_status
from tiers.model.orm import Enterprise
from tiers.progress import drain

CITY = "320400"


def _conflicts(city) -> list[str]:
    """The credit codes 报送情况 lists as 新北's conflicts."""
    with city.session() as session:
        line = next(line for line in package_status(session, city_code=CITY, year=DAY.year)
                    if line.code == XINBEI)
        return [firm.credit_code for firm in line.conflict_firms]


def _firm(city, code):
    with city.session() as session:
        return session.execute(select(
            Enterprise.deleted_at, Enterprise.county_code, Enterprise.source_county)
            .where(Enterprise.credit_code == code)).one_or_none()


def test_the_package_that_created_a_firm_another_county_also_sends_is_not_undone_first(
        county, city, tmp_path):
    moved = moved_to_xinbei(county, city, tmp_path)  # 武进's: batch 1; 新北's first: 2
    conflicting = imported(city, moved.package)
    assert [c["credit_code"] for c in conflicting.conflicts] == [moved.code]
    later = conflicting.batch_id
    creating = 1
    assert _conflicts(city) == [moved.code]
    before = _firm(city, moved.code)
    assert before == (None, WUJIN, WUJIN)

    with city.session() as session, pytest.raises(UndoRefused) as caught:
        drain(undo_batch(session, creating))
    message = str(caught.value)
    assert caught.value.later_batches == [later], message
    assert message.startswith(f"不能撤销导入批次 {creating}："), message
    assert f"请先撤销批次 {later}，再撤销批次 {creating}。这次没有做任何改动。" in message, message
    assert f"企业“{moved.name}”（{moved.code}）是本批次新增的" in message, message
    assert f"新北区的数据包（批次 {later}）也报送了它" in message, message
    assert [item["credit_code"] for item in caught.value.items] == [moved.code]
    # nothing written: the firm is there, still listed as 新北's conflict
    assert _firm(city, moved.code) == before
    assert _conflicts(city) == [moved.code]
    with city.session() as session:  # the client's preview asks the same core
        assert str(drain(plan_undo(session, creating)).refusal()) == message

    # in the order said, nothing of 新北's is lost: its package imported again brings the
    # firm as 新北's
    for batch in (later, creating):
        with city.session() as session:
            drain(undo_batch(session, batch))
            session.commit()
    assert _firm(city, moved.code) is None
    again = imported(city, moved.package)
    assert again.conflicts == []
    assert _firm(city, moved.code) == (None, XINBEI, XINBEI)


def test_a_firm_the_other_countys_newest_package_no_longer_sends_does_not_block(
        county, city, tmp_path):
    """Only 新北's package in effect counts (as 报送情况 reads it): once 新北's next package
    no longer sends the firm, nothing of 新北's stands on it and the undo goes ahead."""
    import datetime as dt

    from tests.tiers.exchange_helpers import sent
    from tiers.services import enterprises

    moved = moved_to_xinbei(county, city, tmp_path)
    imported(city, moved.package)
    with county.session() as session:  # it moves back: 新北's next package is without it
        firm = session.scalars(select(Enterprise).where(
            Enterprise.credit_code == moved.code)).one()
        enterprises.update(session, firm.id, {"county": "武进区", "town": ""})
    imported(city, sent(county, tmp_path / "xb3.zip", XINBEI, DAY + dt.timedelta(days=2)))
    assert _conflicts(city) == []
    with city.session() as session:
        drain(undo_batch(session, 1))
        session.commit()
    assert _firm(city, moved.code) is None


def test_many_firms_are_one_line_per_batch_the_first_named():
    from importers.undo.text import reported_elsewhere_text

    firms = [(f"常州{n}公司", f"9132041200000000{n}X") for n in range(5)]
    assert reported_elsewhere_text(firms[:1], "新北区", 3) == (
        "企业“常州0公司”（91320412000000000X）是本批次新增的，新北区的数据包（批次 3）也报送了它"
        "（列为冲突，未合并）：撤销本批次会删除这家企业，就查不到新北区也报送了它。"
        "撤销批次 3 与本批次后，再导入一次新北区的那个数据包，它即作为新北区的企业新增")
    said = reported_elsewhere_text(firms, "新北区", 3)
    assert said.startswith(
        "企业“常州0公司”（91320412000000000X）、“常州1公司”（91320412000000001X）、"
        "“常州2公司”（91320412000000002X） 等 5 家是本批次新增的，新北区的数据包（批次 3）也报送了它们"), said
    assert "撤销本批次会删除这些企业，就查不到新北区也报送了它们" in said, said
    assert said.endswith("它们即作为新北区的企业新增"), said
