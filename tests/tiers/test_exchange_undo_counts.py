"""Undoing a newer package: it counts the values the officer saw in the preview (one
corrected name is 还原字段 1 个, not 2: the package each row last came from is put back as
well, but is bookkeeping, not a value), and it leaves no 本市修改过 behind for the next
preview of that package (the undo's lines are no edit of the city's)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from importers.undo import plan_undo, undo_batch
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import preview_package
from tiers.model.orm import Enterprise
from tiers.progress import drain
from tiers.services import enterprises


def _sent_again_with(county, city, tmp_path, values=None):
    """The county's first package imported here; then the county changes its first firm
    (``values``; by default its name corrected) and exports a newer package: the firm's
    name before, its credit code, and the newer package (not imported yet)."""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        name, code = firm.name, firm.credit_code
        enterprises.update(session, firm.id, values or {"name": name + "（更正）"})
        session.commit()
    return name, code, sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))


def test_a_corrected_name_is_one_value_to_put_back(county, city, tmp_path):
    old_name, code, newer = _sent_again_with(county, city, tmp_path)
    with city.session() as session:
        assert preview_package(session, newer).values_updated == 1
        first_package = enterprises.by_code(session, code).source_package_id
    batch = imported(city, newer).batch_id
    with city.session() as session:
        plan = drain(plan_undo(session, batch))
    assert plan.restored == 1, plan.restores
    with city.session() as session:
        result = drain(undo_batch(session, batch))
        session.commit()
    assert result.restored == 1
    with city.session() as session:
        firm = enterprises.by_code(session, code)
        assert firm.name == old_name and firm.source_package_id == first_package


def test_a_newer_package_undone_leaves_no_city_edit_behind(county, city, tmp_path):
    """The city undoes a newer package (the undo puts the old name back, a line of no batch):
    previewed again, the package's name correction is the county's, not 本市修改过 — the
    city changed nothing itself."""
    newer = _sent_again_with(county, city, tmp_path)[2]
    batch = imported(city, newer).batch_id
    with city.session() as session:
        drain(undo_batch(session, batch))
        session.commit()
    with city.session() as session:
        again = preview_package(session, newer)
    assert again.values_updated == 1
    assert again.city_edits_overwritten == 0, again.updated_values
    assert not any("本市修改过" in line for line in again.updated_values)


def test_a_hand_edit_after_an_undone_package_is_still_the_citys(county, city, tmp_path):
    _, code, newer = _sent_again_with(county, city, tmp_path)
    batch = imported(city, newer).batch_id
    with city.session() as session:
        drain(undo_batch(session, batch))
        session.commit()
    with city.session() as session:  # then an officer here corrects the name his own way
        firm = enterprises.by_code(session, code)
        enterprises.update(session, firm.id, {"name": "市里改的名称有限公司"})
        session.commit()
    with city.session() as session:
        again = preview_package(session, newer)
    assert again.city_edits_overwritten == 1, again.updated_values
    assert "市里改的名称有限公司（本市）" in again.updated_values[0]


def test_a_roster_imported_and_undone_between_leaves_no_city_edit_behind(county, city, tmp_path):
    """Between a newer package and its undo, the city imports a roster that changes the same
    phone and undoes it: the phone is the older package's again, and the next preview of
    the newer package must not call its phone 本市修改过 (the roster's two lines, import and
    undo, were counted as the city's edits: review of the sixteenth session)."""
    from tests.importers.helpers import import_file, undo, write_xlsx

    name, code, newer = _sent_again_with(county, city, tmp_path,
                                         {"contact_phone": "0519-88880001"})
    package_batch = imported(city, newer).batch_id
    roster = write_xlsx(tmp_path / "名录.xlsx", {"企业名录": [
        ["企业名称", "统一社会信用代码", "联系电话"], [name, code, "0519-66660002"]]})
    _, roster_batch = import_file(city, roster)
    assert roster_batch is not None
    undo(city, roster_batch)
    with city.session() as session:
        drain(undo_batch(session, package_batch))
        session.commit()
    with city.session() as session:
        again = preview_package(session, newer)
    assert again.values_updated == 1, again.updated_values
    assert again.city_edits_overwritten == 0, again.updated_values


def test_an_undo_that_keeps_the_hand_edited_value_still_undoes_the_package(county, city,
                                                                           tmp_path):
    """The newer package corrected a name, and an officer here changed it again by hand:
    its undo keeps the officer's name (nothing to put back as a value) but still undoes the
    package — the firm is the older package's again — rather than refusing as having
    nothing to undo (review: this condition had no test)."""
    _, code, newer = _sent_again_with(county, city, tmp_path)
    with city.session() as session:
        first_package = enterprises.by_code(session, code).source_package_id
    batch = imported(city, newer).batch_id
    with city.session() as session:
        firm = enterprises.by_code(session, code)
        enterprises.update(session, firm.id, {"name": "市里改的名称有限公司"})
        session.commit()
    with city.session() as session:
        result = drain(undo_batch(session, batch))
        session.commit()
    assert result.restored == 0
    with city.session() as session:
        firm = enterprises.by_code(session, code)
        assert firm.name == "市里改的名称有限公司"
        assert firm.source_package_id == first_package
