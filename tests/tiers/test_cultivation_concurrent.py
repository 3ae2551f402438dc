"""Two officers putting one firm into the 培育库 for the same target at once on a server
(different years, or one editing another entry to that target): the second waits for the
first to commit, then reads its entry and is refused, so the firm never has two entries of
one target (before, both read the firm's standing without a lock and both were written)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import CultivationEntry
from tiers.services import cultivation, enterprises
from tiers.services.errors import ValidationError
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only

TARGET = "专精特新中小企业"


@pytest.fixture
def firm(database):
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                            "name": "常州竞争科技有限公司"}).id
        other = cultivation.add(session, firm, {"target_tier": "创新型中小企业",
                                                "target_year": 2026}).id
    return firm, other


@pytest.fixture
def second_client(db_target):
    other = open_database(db_target)
    yield other
    other.dispose()


def _second_add(firm, other_entry):
    return lambda session: cultivation.add(session, firm, {"target_tier": TARGET,
                                                           "target_year": 2027}, user="乙")


def _second_edit(firm, other_entry):
    return lambda session: cultivation.edit(session, other_entry, {"target_tier": TARGET},
                                            user="乙")


@pytest.mark.parametrize("second_write", [_second_add, _second_edit], ids=["add", "edit"])
def test_the_second_officer_waits_and_is_refused(database, second_client, firm, second_write):
    firm_id, other_entry = firm
    write = second_write(firm_id, other_entry)
    finished = threading.Event()
    outcome: dict = {}

    def second() -> None:
        try:
            with second_client.session() as session:
                write(session)
                outcome["written"] = True
        except Exception as exc:  # noqa: BLE001 - checked below
            outcome["error"] = exc
        finally:
            finished.set()

    with database.session() as session:
        cultivation.add(session, firm_id, {"target_tier": TARGET, "target_year": 2026},
                        user="甲")
        worker = threading.Thread(target=second)
        worker.start()
        # without the lock the second one reads no entry of the target and writes its own
        assert not finished.wait(1.0), outcome
    worker.join(timeout=60)
    assert "written" not in outcome
    assert isinstance(outcome.get("error"), ValidationError), outcome
    assert "该企业已在培育库中" in str(outcome["error"].fields["target_tier"])
    with database.session() as session:
        rows = session.execute(select(CultivationEntry.target_tier, CultivationEntry.target_year)
                               .where(CultivationEntry.enterprise_id == firm_id)
                               .order_by(CultivationEntry.id)).all()
    assert [tuple(r) for r in rows] == [("innovative", 2026), ("zjtx", 2026)]
