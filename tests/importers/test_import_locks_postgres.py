"""Two officers importing at once on one server, through two engines (two clients): into
the same county, the second waits with a message, then finds its preview outdated; into
two counties, neither waits; an edit that lands while an import writes makes the import
refuse rather than write over it; a wait too long is refused in Chinese."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from importers import apply_plan, drain, undo_batch
from importers.apply import PlanOutdated
from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, write_xlsx
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.storage import import_locks
from tiers.storage.database import open_database
from tiers.storage.import_locks import ImportBusy, Waiting

pytestmark = pytest.mark.server_only

HEADER = ["序号", "企业名称", "统一社会信用代码", "县（市、区）", "联系电话"]
FIRMS = 5


def _roster(tmp_path, phone: str, *, county: str = "武进区", first: int = 1):
    rows = [[n, f"常州{county}{n}号机械有限公司", make_code(n + first), county, f"{phone}-{n}"]
            for n in range(1, FIRMS + 1)]
    return write_xlsx(tmp_path / f"{phone}.xlsx", {"企业名录": [HEADER, *rows]})


@pytest.fixture
def second_client(db_target):
    """Another officer's client: an engine of its own on the same server database."""
    other = open_database(db_target)
    yield other
    other.dispose()


def _phones(database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(Enterprise.contact_phone)))


def test_a_second_import_into_the_county_waits_then_finds_its_preview_outdated(
        database, second_client, tmp_path, monkeypatch):
    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.01)
    import_file(database, _roster(tmp_path, "base"))
    first = plan_file(database, _roster(tmp_path, "A"))
    second = plan_file(second_client, _roster(tmp_path, "B"))
    with database.session() as session:
        writing = apply_plan(session, first)
        assert next(writing).stage == "写入"  # holds 武进区's import lock, mid-write
        with pytest.raises(PlanOutdated), second_client.session() as other:
            waiting = apply_plan(other, second)
            for _ in range(3):  # it waits, saying why, for as long as the first one writes
                step = next(waiting)
                assert isinstance(step, Waiting)
                assert step.stage == "另一位同事正在向武进区导入，请稍候"
            drain(writing)
            session.commit()
            drain(waiting)  # the first landed: the second's preview is out of date
    assert _phones(database) == {f"A-{n}" for n in range(1, FIRMS + 1)}


def test_imports_into_two_counties_do_not_wait_for_each_other(database, second_client,
                                                                tmp_path):
    wujin = plan_file(database, _roster(tmp_path, "W"))
    xinbei = plan_file(second_client, _roster(tmp_path, "X", county="新北区", first=100))
    with database.session() as session, second_client.session() as other:
        writing = apply_plan(session, wujin)
        assert next(writing).stage == "写入"
        also_writing = apply_plan(other, xinbei)
        assert next(also_writing).stage == "写入"  # no wait for 武进区's lock
        drain(writing)
        session.commit()
        assert drain(also_writing).batch_id is not None
    assert len(_phones(database)) == 2 * FIRMS


def test_an_edit_landing_while_the_import_writes_makes_it_refuse(database, second_client,
                                                                 tmp_path):
    import_file(database, _roster(tmp_path, "base"))
    update = plan_file(database, _roster(tmp_path, "A"))
    with pytest.raises(PlanOutdated), database.session() as session:
        writing = apply_plan(session, update)
        next(writing)  # checked and writing
        with second_client.session() as other:  # an officer saves a firm meanwhile
            firm = other.scalar(select(Enterprise.id).where(
                Enterprise.credit_code == make_code(2)))
            enterprises.update(other, firm, {"contact_phone": "手工-2"})
        drain(writing)
    assert "手工-2" in _phones(database) and "A-1" not in _phones(database)


def test_a_wait_beyond_the_limit_is_refused_in_chinese(database, second_client, tmp_path,
                                                       monkeypatch):
    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(import_locks, "WAIT_SECONDS", 0.05)
    first = plan_file(database, _roster(tmp_path, "A"))
    second = plan_file(second_client, _roster(tmp_path, "B"))
    with database.session() as session:
        writing = apply_plan(session, first)
        next(writing)
        with pytest.raises(ImportBusy) as refused, second_client.session() as other:
            drain(apply_plan(other, second))
        drain(writing)
    assert "另一位同事向武进区导入已超过" in str(refused.value)
    assert "未写入任何数据" in str(refused.value)


def test_an_undo_holds_the_county_while_it_plans_and_writes(database, second_client,
                                                            tmp_path, monkeypatch):
    monkeypatch.setattr(import_locks, "POLL_SECONDS", 0.01)
    _plan, batch = import_file(database, _roster(tmp_path, "base"))
    update = plan_file(second_client, _roster(tmp_path, "A"))
    with database.session() as session:
        undoing = undo_batch(session, batch)
        next(undoing)  # planning, with 武进区's lock
        with pytest.raises(PlanOutdated), second_client.session() as other:
            importing = apply_plan(other, update)
            assert isinstance(next(importing), Waiting)
            drain(undoing)
            session.commit()
            drain(importing)
    assert _phones(database) == set()


def test_an_edit_committed_after_a_later_one_still_outdates_the_plan(database, second_client,
                                                                     db_target, tmp_path):
    """On a server ids are taken at insert, not at commit: an edit logged with a lower id
    that commits after the plan was made must still make the plan outdated."""
    import_file(database, _roster(tmp_path, "base"))

    def firm(session, serial):
        return session.scalar(select(Enterprise.id).where(
            Enterprise.credit_code == make_code(serial)))

    third_client = open_database(db_target)
    try:
        with second_client.session() as slow:
            enterprises.update(slow, firm(slow, 2), {"contact_phone": "慢-2"})
            slow.flush()  # its change row has taken the lower id, not yet committed
            with third_client.session() as quick:
                enterprises.update(quick, firm(quick, 3), {"contact_phone": "快-3"})
            update = plan_file(database, _roster(tmp_path, "A"))  # sees the quick one only
        # the slow one committed since
        with pytest.raises(PlanOutdated), database.session() as session:
            drain(apply_plan(session, update))
    finally:
        third_client.dispose()
    assert {"慢-2", "快-3"} <= _phones(database)
