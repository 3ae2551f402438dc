"""A server's backup is a pg_dump file and its restore a pg_restore in one transaction: a
round trip brings the data (and the rights) back; a broken file changes nothing; only an
admin backs up and only the owner restores."""

from __future__ import annotations

import psycopg
import pytest

from tiers.errors import Refused
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.storage.database import open_database
from tiers.storage.faults import DatabaseError, FileRefused
from tiers.storage.server.dump import ARCHIVE_MAGIC, dump_server, restore_server

pytestmark = pytest.mark.server_only


def _notes(bureau) -> str:
    with psycopg.connect(bureau.url) as connection:
        return connection.execute("SELECT notes FROM enterprise WHERE id = %s",
                                  (bureau.wujin_firm,)).fetchone()[0]


def _set_notes(bureau, text: str) -> None:
    database = open_database(bureau.url)
    try:
        with database.session() as session:
            enterprises.update(session, bureau.wujin_firm, {"notes": text})
    finally:
        database.dispose()


def test_backup_and_restore_round_trip(bureau, tmp_path):
    _set_notes(bureau, "备份时的内容")
    database = open_database(bureau.url_of("admin"))
    try:
        made = database.backup(tmp_path)  # a folder: a dated .dump file in it
    finally:
        database.dispose()
    assert made.suffix == ".dump" and made.read_bytes().startswith(ARCHIVE_MAGIC)
    assert not list(tmp_path.glob("*.partial"))
    _set_notes(bureau, "备份之后的修改")
    before = restore_server(bureau.url, made)
    assert _notes(bureau) == "备份时的内容"
    assert before.parent == tmp_path and "before-restore" in before.name
    restore_server(bureau.url, before)  # the restore itself can be undone
    assert _notes(bureau) == "备份之后的修改"
    restore_server(bureau.url, made)
    # the rights came back with the data
    with bureau.connect_as("editor") as editor, pytest.raises(psycopg.errors.InsufficientPrivilege):
        editor.execute("UPDATE enterprise SET notes = 'x' WHERE id = %s", (bureau.xinbei_firm,))
    with bureau.connect_as("admin") as admin:
        assert admin.execute("SELECT count(*) FROM tiers_user_county").fetchone()[0] == 2


def test_a_broken_backup_changes_nothing(bureau, tmp_path):
    made = dump_server(bureau.url, tmp_path / "whole.dump")
    broken = tmp_path / "broken.dump"
    data = made.read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])  # cut off: pg_restore fails half-way
    _set_notes(bureau, "恢复失败也不丢")
    with pytest.raises(DatabaseError, match="^恢复失败（数据库未作改动）"):
        restore_server(bureau.url, broken)
    assert _notes(bureau) == "恢复失败也不丢"
    database = open_database(bureau.url)
    try:
        with database.session() as session:
            assert session.get(Enterprise, bureau.xinbei_firm) is not None
    finally:
        database.dispose()


def _rights(bureau) -> tuple[int, int]:
    with psycopg.connect(bureau.url) as connection:
        return connection.execute(
            "SELECT (SELECT count(*) FROM pg_policies WHERE schemaname = 'public'),"
            " (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'tiers_%')").fetchone()


def test_a_restore_that_fails_half_way_changes_nothing(bureau, tmp_path):
    """pg_restore --clean drops the policies, triggers and constraints first; a table it
    cannot drop (a view of someone's depends on it) stops it half-way: one transaction puts
    back all that was dropped."""
    made = dump_server(bureau.url, tmp_path / "whole.dump")
    before = _rights(bureau)
    with psycopg.connect(bureau.url) as connection:
        connection.execute("CREATE VIEW someones_view AS SELECT name FROM enterprise")
    _set_notes(bureau, "恢复失败也不丢")
    with pytest.raises(DatabaseError, match="^恢复失败（数据库未作改动）"):
        restore_server(bureau.url, made)
    assert _notes(bureau) == "恢复失败也不丢"
    assert _rights(bureau) == before and before[0] > 0
    with bureau.connect_as("editor") as editor, pytest.raises(psycopg.errors.InsufficientPrivilege):
        editor.execute("UPDATE enterprise SET notes = 'x' WHERE id = %s", (bureau.xinbei_firm,))


def test_not_a_backup_is_refused(bureau, tmp_path):
    other = tmp_path / "roster.dump"
    other.write_text("名单", encoding="utf-8")
    with pytest.raises(FileRefused, match="不是服务器数据库的备份"):
        restore_server(bureau.url, other)


def test_only_an_admin_backs_up_and_only_the_owner_restores(bureau, tmp_path):
    with pytest.raises(Refused, match="只有 Tiers 管理员或数据库所有者可以备份"):
        dump_server(bureau.url_of("viewer"), tmp_path)
    made = dump_server(bureau.url_of("admin"), tmp_path / "by-admin.dump")
    with pytest.raises(Refused, match="只有数据库的所有者"):
        restore_server(bureau.url_of("admin"), made)


def test_a_restore_into_another_database_keeps_that_databases_rights(bureau, new_target,
                                                                     tmp_path):
    """A county's backup restored into a test copy on the same server: the copy's grants
    and policies are its own groups', not the source's, so the source's editor gets
    nothing there (before, he could write every firm of the copy)."""
    from tiers.storage.server.roles import group_roles
    from tiers.storage.server.setup import init_server

    made = dump_server(bureau.url, tmp_path / "county.dump")
    copy = new_target()
    init_server(copy)
    copy_url = copy.replace("postgresql+psycopg://", "postgresql://")
    try:
        restore_server(copy_url, made)
        editor_of_source = bureau.url_of("editor").rsplit("/", 1)[0] + "/" + copy_url.rsplit("/", 1)[1]
        with psycopg.connect(editor_of_source) as stranger, pytest.raises(
                psycopg.errors.InsufficientPrivilege):
            stranger.execute("UPDATE enterprise SET notes = 'x'")
        with psycopg.connect(copy_url) as owner:
            named = {row[0] for row in owner.execute(
                "SELECT unnest(roles)::text FROM pg_policies WHERE tablename = 'enterprise'")}
        assert named and named <= set(group_roles(copy_url.rsplit("/", 1)[1]).values())
    finally:
        name = copy_url.rsplit("/", 1)[1]
        with psycopg.connect(bureau.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as su:
            su.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in group_roles(name).values():
                su.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_a_file_that_is_no_dump_is_not_written_over(bureau, tmp_path):
    """``tiers backup 名单.xlsx`` by mistake replaced the list with the dump (#17)."""
    roster = tmp_path / "名单.xlsx"
    roster.write_bytes(b"PK\x03\x04 the officer's list")
    database = open_database(bureau.url_of("admin"))
    try:
        with pytest.raises(Refused, match="已存在且不是服务器数据库备份，不会覆盖它"):
            database.backup(roster)
        made = database.backup(tmp_path / "备份.dump")
        assert database.backup(made) == made  # an earlier dump of the name is replaced
    finally:
        database.dispose()
    assert roster.read_bytes() == b"PK\x03\x04 the officer's list"


def test_a_file_saved_under_the_name_while_pg_dump_ran_is_kept(bureau, tmp_path, monkeypatch):
    """The check ran only before pg_dump, which takes a while on a large database; a file
    saved under the name meanwhile was replaced (review27). Now kept, the dump removed;
    an empty file is still replaced."""
    from tiers.storage.server import dump

    target = tmp_path / "备份.dump"
    real = dump._run

    def meanwhile(command, environment, context):
        real(command, environment, context)
        target.write_bytes(b"PK\x03\x04 the officer's list, saved just now")

    monkeypatch.setattr(dump, "_run", meanwhile)
    with pytest.raises(Refused, match="已存在且不是服务器数据库备份，不会覆盖它"):
        dump_server(bureau.url, target)
    assert target.read_bytes() == b"PK\x03\x04 the officer's list, saved just now"
    assert [p.name for p in tmp_path.iterdir()] == ["备份.dump"]
    monkeypatch.undo()
    target.write_bytes(b"")
    assert dump_server(bureau.url, target) == target
    assert target.read_bytes().startswith(ARCHIVE_MAGIC)


def test_another_databases_dump_is_not_written_over(bureau, new_target, tmp_path):
    """``tiers backup`` of the test copy onto bk/tiers_city.dump replaced the city's dump
    without a word (review27b #4; a SQLite backup refuses another database's): the archive's
    header names its database, and only this database's dump is replaced."""
    from tiers.storage.server.dump import archive_database
    from tiers.storage.server.roles import group_roles
    from tiers.storage.server.setup import init_server

    city = dump_server(bureau.url, tmp_path / "tiers_city.dump")
    kept = city.read_bytes()
    name = bureau.url.rsplit("/", 1)[1]
    assert archive_database(kept[:4096]) == name
    copy = new_target()
    init_server(copy)
    copy_url = copy.replace("postgresql+psycopg://", "postgresql://")
    copy_name = copy_url.rsplit("/", 1)[1]
    try:
        with pytest.raises(Refused, match=f"是另一个数据库的备份（服务器数据库 {name}），"
                                          f"不是本库（{copy_name}）的备份"):
            dump_server(copy_url, city)
        assert city.read_bytes() == kept
        assert sorted(p.name for p in tmp_path.iterdir()) == ["tiers_city.dump"]
        assert dump_server(bureau.url, city) == city  # its own database's: replaced
        assert archive_database(city.read_bytes()[:4096]) == name
    finally:
        with psycopg.connect(bureau.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as su:
            su.execute(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')
            for role in group_roles(copy_name).values():
                su.execute(f'DROP ROLE IF EXISTS "{role}"')
