"""The firm's version (upgrade 0004): existing firms start at 1 on both databases; every
service write raises it once per transaction; a bulk writer (an import, its undo) raises
the firms it changed with one call (tiers.services.versions.bump_many)."""

from __future__ import annotations

from sqlalchemy import text

from tiers.services import enterprises, versions
from tiers.storage.database import make_engine, open_database
from tiers.storage.schema import current_revision, head_revision


def test_the_upgrade_gives_every_stored_firm_version_1(new_target, code):
    target = new_target()
    database = open_database(target)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "常州甲有限公司"}).id
    database.dispose()
    engine = make_engine(target)  # as a 0003 database was: no version column
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE enterprise DROP COLUMN version"))
        connection.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    engine.dispose()
    database = open_database(target)  # upgrades to the head
    assert current_revision(database.engine) == head_revision(database.engine)
    with database.session() as session:
        assert versions.current(session, firm) == 1
        enterprises.update(session, firm, {"address": "湖塘路1号"})
    with database.session() as session:
        assert versions.current(session, firm) == 2
    database.dispose()


def test_a_bulk_writer_raises_the_firms_it_changed_once_each(session, code):
    changed = enterprises.create(session, {"credit_code": code(1), "name": "常州甲有限公司"}).id
    other = enterprises.create(session, {"credit_code": code(2), "name": "常州乙有限公司"}).id
    session.flush()
    before = versions.current(session, changed), versions.current(session, other)
    versions.bump_many(session, [changed, changed])  # two changes of one firm
    assert versions.current(session, changed) == before[0] + 1  # once, for two changes
    assert versions.current(session, other) == before[1]
    versions.bump_many(session, [other, other])
    assert versions.current(session, other) == before[1] + 1
