"""Names stored before invisible characters were refused are cleaned by the 0003 upgrade:
the name and its keys, each change in the change log, nothing else touched (issue #14,
item 10: a zero-width character in a stored key made a clean import a second firm)."""

from __future__ import annotations

import sqlite3

from tests.conftest import make_code
from tiers.model.names import name_key
from tiers.queries import roster
from tiers.services import enterprises
from tiers.storage.database import open_database

DIRTY = "常州\u200b隐形\u202e字符\x07有限公司"
CLEAN = "常州隐形字符有限公司"


def test_stored_names_with_invisible_characters_are_cleaned_by_the_upgrade(tmp_path):
    path = tmp_path / "old.sqlite3"
    database = open_database(path)
    with database.session() as session:
        dirty = enterprises.create(session, {"credit_code": make_code(1), "name": "占位有限公司"}).id
        clean = enterprises.create(session, {"credit_code": make_code(2), "name": "常州干净有限公司"}).id
    database.dispose()
    # as a release before the cleaning stored it: the raw name and the key made from it
    raw = sqlite3.connect(path)
    raw.execute("UPDATE enterprise SET name = ?, name_key = ? WHERE id = ?",
                (DIRTY, DIRTY.replace("有限公司", ""), dirty))
    raw.execute("INSERT INTO former_name (enterprise_id, name, name_key, pinyin_initials)"
                " VALUES (?, ?, ?, '')", (clean, "旧\u2060名\u200d称", "旧\u2060名\u200d称"))
    raw.execute("ALTER TABLE enterprise DROP COLUMN version")  # nor the column of 0004
    raw.execute("UPDATE alembic_version SET version_num = '0002'")
    raw.commit()
    raw.close()

    database = open_database(path)  # upgrades to the head
    with database.session() as session:
        firm = enterprises.get(session, dirty)
        assert firm.name == CLEAN and firm.name_key == name_key(CLEAN)
        assert [f.name for f in enterprises.get(session, clean).former_names] == ["旧名称"]
        assert enterprises.get(session, clean).name == "常州干净有限公司"
        # a clean import of the same name now finds the firm instead of making a second
        assert roster.roster_ids(session, roster.RosterFilter(search=CLEAN)) == [dirty]
    changes = sqlite3.connect(path).execute(
        "SELECT entity, entity_id, field, old_value, new_value, user FROM change"
        " WHERE user = '（数据库升级）' ORDER BY entity").fetchall()
    assert [(e, f) for e, _, f, *_ in changes] == [("enterprise", "name"), ("former_name", "name")]
    assert changes[0][1] == dirty and CLEAN in changes[0][4] and "\u200b" in changes[0][3]
    database.dispose()
