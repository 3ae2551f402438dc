"""Names stored before invisible characters were refused are cleaned by the 0003 upgrade:
the name and its keys, each change in the change log, nothing else touched (issue #14,
item 10: a zero-width character in a stored key made a clean import a second firm)."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import make_code
from tiers.model.names import name_key
from tiers.queries import roster
from tiers.services import enterprises
from tiers.storage.database import make_engine, open_database

DIRTY = "常州\u200b隐形\u202e字符\x07有限公司"
CLEAN = "常州隐形字符有限公司"


def test_stored_names_with_invisible_characters_are_cleaned_by_the_upgrade(db_target):
    path = db_target
    database = open_database(path)
    with database.session() as session:
        dirty = enterprises.create(session, {"credit_code": make_code(1), "name": "占位有限公司"}).id
        clean = enterprises.create(session, {"credit_code": make_code(2), "name": "常州干净有限公司"}).id
    database.dispose()
    # as a release before the cleaning stored it: the raw name and the key made from it
    raw = make_engine(path)
    with raw.begin() as connection:
        connection.execute(text("UPDATE enterprise SET name = :name, name_key = :key"
                                " WHERE id = :id"),
                           {"name": DIRTY, "key": DIRTY.replace("有限公司", ""), "id": dirty})
        connection.execute(text(
            "INSERT INTO former_name (enterprise_id, name, name_key, pinyin_initials)"
            " VALUES (:id, :name, :name, '')"), {"id": clean, "name": "旧\u2060名\u200d称"})
        connection.execute(text("ALTER TABLE enterprise DROP COLUMN version"))  # nor 0004's
        connection.execute(text("UPDATE alembic_version SET version_num = '0002'"))

    database = open_database(path)  # upgrades to the head
    with database.session() as session:
        firm = enterprises.get(session, dirty)
        assert firm.name == CLEAN and firm.name_key == name_key(CLEAN)
        assert [f.name for f in enterprises.get(session, clean).former_names] == ["旧名称"]
        assert enterprises.get(session, clean).name == "常州干净有限公司"
        # a clean import of the same name now finds the firm instead of making a second
        assert roster.roster_ids(session, roster.RosterFilter(search=CLEAN)) == [dirty]
    with raw.connect() as connection:
        changes = connection.execute(text(
            'SELECT entity, entity_id, field, old_value, new_value, "user" FROM change'
            """ WHERE "user" = '（数据库升级）' ORDER BY entity""")).all()
    raw.dispose()
    assert [(e, f) for e, _, f, *_ in changes] == [("enterprise", "name"), ("former_name", "name")]
    assert changes[0][1] == dirty and CLEAN in changes[0][4] and "\u200b" in changes[0][3]
    database.dispose()
