"""A server's schema and statistics: clients starting together on an old version upgrade it
once (on a file, SQLite's write lock does the same); a failed upgrade leaves the version it
had; after a bulk write the planner knows the new sizes; no JIT compilation."""

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


@pytest.mark.server_only
def test_an_upgrade_that_fails_on_a_server_leaves_it_at_its_version(new_target, monkeypatch):
    """All or nothing on PostgreSQL too: its DDL is transactional, so 0002's new column goes
    with the failed filling of the keys (on a file: tests/tiers/test_storage_upgrade.py)."""
    from sqlalchemy import inspect, text

    from tests.conftest import make_code
    from tiers.model import pinyin
    from tiers.storage.database import DatabaseError

    target = new_target(migrated=False)
    engine = make_engine(target)
    command.upgrade(schema.migrations_config(engine), "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO enterprise (credit_code, name, name_key, pinyin_initials, legacy_code,"
            " county_name, town, address, industry, main_product, legal_representative,"
            " contact_person, contact_phone, size, listing_status, tags, notes, is_demo,"
            " created_at, updated_at) VALUES (:code, '常州甲有限公司', '常州甲', '', '',"
            " '武进区', '', '', '', '', '', '', '', '', '', '', '', false, now(), now())"),
            {"code": make_code(1)})

    def broken(_name: str) -> str:
        raise RuntimeError("a fault in the middle of the upgrade")

    monkeypatch.setattr(pinyin, "sort_key", broken)
    with pytest.raises(DatabaseError, match="升级") as failed:
        open_database(target)
    assert "Traceback" not in str(failed.value)
    assert schema.current_revision(engine) == "0001"
    columns = {column["name"] for column in inspect(engine).get_columns("enterprise")}
    assert "pinyin_key" not in columns
    engine.dispose()
    monkeypatch.undo()
    database = open_database(target)
    assert schema.current_revision(database.engine) == schema.head_revision()
    database.dispose()


@pytest.mark.server_only
def test_the_planner_knows_the_demo_county_at_once(database):
    """Sizes known right after the bulk write, not when autovacuum comes by: with the
    statistics of empty tables the roster sorted by tier took minutes on 100,000 firms."""
    from sqlalchemy import text

    from tiers.services import demo

    with database.session() as session:
        for _ in demo.generate(session, enterprises=300):
            pass
    with database.session() as session:
        known = session.execute(text(
            "SELECT reltuples FROM pg_class WHERE relname = 'enterprise'")).scalar()
    assert known == 300


@pytest.mark.server_only
def test_queries_on_a_server_are_not_jit_compiled(database):
    """Compiling took longer than the roster's queries themselves (0.9–1.5 s for 0.3 s)."""
    from sqlalchemy import text

    with database.session() as session:
        assert session.execute(text("SHOW jit")).scalar() == "off"
