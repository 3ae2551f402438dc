"""Two officers' bulk actions (or a bulk action beside an import) on the same firms of one
server: the second waits until the first has committed and then reads what it wrote, so
its change log holds the true old values and undoing it gives back the first one's, never
a value from before both (found by benchmarks/break_writes.py's concurrent pairs)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import undo
from tiers.model.orm import Change, CultivationEntry
from tiers.services import bulk, cultivation, enterprises
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only


@pytest.fixture
def firms(database):
    with database.session() as session:
        ids = [enterprises.create(session, {"credit_code": make_code(i), "county": "武进区",
                                            "name": f"常州并发{i}科技有限公司"}).id
               for i in range(1, 4)]
        for firm in ids:
            cultivation.add(session, firm, {"target_tier": "专精特新中小企业",
                                            "target_year": 2026, "officer": "王明"})
    return ids


@pytest.fixture
def second_client(db_target):
    other = open_database(db_target)
    yield other
    other.dispose()


def _officers(database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(CultivationEntry.officer)
                                    .order_by(CultivationEntry.enterprise_id)))


def test_a_second_bulk_action_waits_for_the_first_and_logs_its_values(
        database, second_client, firms):
    finished = threading.Event()
    outcome: dict = {}

    def second() -> None:
        try:
            with second_client.session() as other:
                outcome["result"] = bulk.apply(other, "officer", firms, {"officer": "乙"},
                                               user="乙")
        except Exception as exc:  # noqa: BLE001 - shown by the assertion below
            outcome["error"] = exc
        finally:
            finished.set()

    with database.session() as session:
        first = bulk.apply(session, "officer", firms[:2], {"officer": "甲"}, user="甲")
        worker = threading.Thread(target=second)
        worker.start()
        # the second one waits for this transaction (it would have read 王明 and written)
        assert not finished.wait(1.0)
    worker.join(timeout=60)
    assert "error" not in outcome, outcome.get("error")
    assert _officers(database) == ["乙", "乙", "乙"]
    with database.session() as session:
        old = {(row.entity_id, row.new_value): row.old_value for row in session.scalars(
            select(Change).where(Change.import_batch_id == outcome["result"].batch_id,
                                 Change.field == "officer"))}
    assert sorted(old.values()) == ['"王明"', '"甲"', '"甲"']
    undo(database, outcome["result"].batch_id)  # the first one's values, not 王明's
    assert _officers(database) == ["甲", "甲", "王明"]
    assert first.batch_id is not None
