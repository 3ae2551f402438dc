"""Several clients of one server start on an old version at once: one upgrades, the others
wait for it and find nothing left to do (on a file, SQLite's write lock does the same)."""

from __future__ import annotations

import threading

import pytest
from alembic import command

from tiers.storage import schema
from tiers.storage.database import make_engine, open_database


@pytest.mark.server_only
def test_clients_starting_together_on_an_old_server_upgrade_it_once(new_target):
    target = new_target(migrated=False)
    engine = make_engine(target)
    command.upgrade(schema.migrations_config(engine), "0001")
    engine.dispose()
    clients = 4
    ready = threading.Barrier(clients)
    failures: list[BaseException] = []

    def start_client() -> None:
        client = make_engine(target)
        try:
            ready.wait()
            schema.upgrade(client)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)
        finally:
            client.dispose()

    threads = [threading.Thread(target=start_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    database = open_database(target)
    assert schema.current_revision(database.engine) == schema.head_revision()
    database.dispose()
