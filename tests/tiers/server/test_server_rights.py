"""The rights that PostgreSQL itself enforces on a Tiers server database: an editor of
武进区 changes his county's firms and nothing else, through the services and through plain
SQL with his own login; a viewer writes nothing; the change log records the login whatever
a client sends; a disabled login cannot connect."""

from __future__ import annotations

import psycopg
import pytest

from tiers.errors import Refused
from tiers.model.orm import Change, Enterprise
from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from tiers.storage.faults import DatabaseError
from tiers.storage.server.users import disable_user

pytestmark = pytest.mark.server_only

REFUSED_OUTSIDE_WUJIN = "没有修改武进区以外企业的权限"


@pytest.fixture
def as_(bureau):
    """open_database with one officer's login; disposed at the end."""
    opened = []

    def open_as(who: str):
        database = open_database(bureau.url_of(who))
        opened.append(database)
        return database

    yield open_as
    for database in opened:
        database.dispose()


def test_editor_changes_a_firm_of_his_county_through_the_services(bureau, as_):
    database = as_("editor")
    with database.session() as session:
        changed = enterprises.update(session, bureau.wujin_firm, {"notes": "走访：扩产"})
        recognitions.add(session, bureau.wujin_firm, {"tier_code": "创新型", "batch_year": 2024})
    assert changed.fields["notes"] == ("", "走访：扩产")
    with database.session() as session:
        assert session.get(Enterprise, bureau.wujin_firm).notes == "走访：扩产"


def test_editor_cannot_change_another_countys_firm_through_the_services(bureau, as_):
    database = as_("editor")
    with pytest.raises(DatabaseError) as refused, database.session() as session:
        enterprises.update(session, bureau.xinbei_firm, {"notes": "越权"})
    assert str(refused.value) == REFUSED_OUTSIDE_WUJIN
    with pytest.raises(DatabaseError, match=REFUSED_OUTSIDE_WUJIN), database.session() as session:
        enterprises.soft_delete(session, bureau.xinbei_firm)
    # new rows are the policies' to refuse: they cannot name his counties
    for write in (lambda s: recognitions.add(s, bureau.xinbei_firm, {"tier_code": "创新型", "batch_year": 2024}),
                  lambda s: enterprises.create(s, {"credit_code": _code(3, "320411"),
                                                   "name": "常州新北新建有限公司", "county": "新北区"})):
        with pytest.raises(DatabaseError, match="^没有修改您负责的区县以外企业的权限$"), \
                database.session() as session:
            write(session)
    # nor move his own firm into another county: told that this is what he may not do
    # (not that the firm is another county's: it is his)
    for county in ("新北区", ""):
        with pytest.raises(DatabaseError) as refused, database.session() as session:
            enterprises.update(session, bureau.wujin_firm, {"county": county})
        assert str(refused.value) == ("编辑账号不能把企业改到武进区以外的区县"
                                      "（企业迁往别的区县时，请管理员修改所属区县）")
    with database.session() as session:
        firm = session.get(Enterprise, bureau.xinbei_firm)
        assert (firm.notes, firm.deleted_at, firm.county_code) == ("", None, "320411")
        assert not firm.recognitions
        assert session.get(Enterprise, bureau.wujin_firm).county_code == "320412"


def _code(serial: int, county: str) -> str:
    from tiers.model import credit_code

    return credit_code.make(f"91{county}MA{serial:06d}")


@pytest.mark.parametrize(("statement", "told"), [
    ("UPDATE enterprise SET notes = 'x' WHERE county_code = '320411'", "武进区"),
    ("UPDATE enterprise SET county_code = '320412' WHERE county_code = '320411'", "武进区"),
    ("DELETE FROM enterprise WHERE county_code = '320411'", "武进区"),
    ("UPDATE recognition SET note = 'x'", "武进区"),  # the admin adds one in 新北区 below
    ("DELETE FROM annual_figures", "武进区"),
    ("UPDATE enterprise SET county_code = '320411' WHERE county_code = '320412'", "武进区"),
    ("INSERT INTO former_name (enterprise_id, name, name_key, pinyin_initials) "
    "SELECT id, '旧名', '旧名', '' FROM enterprise WHERE county_code = '320411'", None),
    ("INSERT INTO enterprise (credit_code, name, name_key, pinyin_initials, pinyin_key, legacy_code,"
    " county_code, county_name, town, address, industry, main_product, legal_representative,"
    " contact_person, contact_phone, size, listing_status, tags, notes, is_demo, created_at,"
    " updated_at) VALUES ('X', 'x', 'x', '', '', '', '320411', '新北区', '', '', '', '', '', '',"
    " '', '', '', '', '', false, now(), now())", None),
])
def test_editor_cannot_change_another_countys_firm_with_plain_sql(bureau, statement, told):
    """The old row's county is the guard's (it names his counties), a new row's the
    policies'."""
    with bureau.connect_as("admin") as admin:
        admin.execute("INSERT INTO recognition (enterprise_id, tier_code, level, issuer, batch_label,"
                      " is_review, review_of_batch, document_number, revoke_reason, rule_set, note)"
                      " VALUES (%s, 'innovative', '省级', '', '', false, '', '', '', '', '')",
                      (bureau.xinbei_firm,))
        admin.execute("INSERT INTO annual_figures (enterprise_id, year, note) VALUES (%s, 2024, '')",
                      (bureau.xinbei_firm,))
    with bureau.connect_as("editor") as crafted, \
            pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        crafted.execute(statement)
    assert refused.value.diag.message_detail == told
    if "county_code = '320411' WHERE county_code = '320412'" in statement:  # his own, moved
        from tiers.storage import faults
        from tiers.storage.server import rights

        assert refused.value.diag.message_primary == rights.MOVE_REFUSED == faults.MOVE_REFUSED
    with bureau.connect_as("admin") as admin:
        assert admin.execute("SELECT notes, county_code FROM enterprise WHERE id = %s",
                             (bureau.xinbei_firm,)).fetchone() == ("", "320411")


def test_editor_can_change_his_own_firm_with_plain_sql(bureau):
    with bureau.connect_as("editor") as own:
        updated = own.execute("UPDATE enterprise SET notes = 'y' WHERE county_code = '320412'")
        assert updated.rowcount == 1


def test_editor_reads_every_county(bureau):
    """An import must find a neighbouring county's firm by its code, not create it again."""
    with bureau.connect_as("editor") as editor:
        assert editor.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 2


def test_viewer_cannot_write_at_all(bureau, as_):
    with bureau.connect_as("viewer") as crafted:
        for statement in ("UPDATE enterprise SET notes = 'x'",
                          "DELETE FROM change",
                          "INSERT INTO tiers_user_county (login, county_code) VALUES (session_user, '320411')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                crafted.execute(statement)
            crafted.rollback()
    database = as_("viewer")
    with pytest.raises(DatabaseError, match="^您的账号没有这项操作的权限"), database.session() as session:
        enterprises.update(session, bureau.wujin_firm, {"notes": "x"})


def test_viewer_of_a_county_reads_only_it_and_a_city_viewer_reads_all(bureau):
    with bureau.connect_as("admin") as admin:
        admin.execute("INSERT INTO recognition (enterprise_id, tier_code, level, issuer, batch_label,"
                      " is_review, review_of_batch, document_number, revoke_reason, rule_set, note)"
                      " SELECT id, 'innovative', '省级', '', '', false, '', '', '', '', '' FROM enterprise")
    with bureau.connect_as("xinbei_viewer") as county:
        assert county.execute("SELECT county_code FROM enterprise").fetchall() == [("320411",)]
        assert county.execute("SELECT count(*) FROM recognition").fetchone()[0] == 1
    with bureau.connect_as("viewer") as city:
        assert city.execute("SELECT count(*) FROM enterprise").fetchone()[0] == 2
        assert city.execute("SELECT count(*) FROM recognition").fetchone()[0] == 2


def test_admin_changes_every_county(bureau, as_):
    database = as_("admin")
    with database.session() as session:
        enterprises.update(session, bureau.xinbei_firm, {"notes": "市局核实"})
        enterprises.update(session, bureau.wujin_firm, {"notes": "市局核实"})


def test_the_change_log_records_the_login_whatever_the_client_sends(bureau, as_):
    database = as_("editor")
    with database.session() as session:
        changed = enterprises.update(session, bureau.wujin_firm, {"notes": "改"}, user="别人的名字")
        assert changed.changed
    with bureau.connect_as("editor") as crafted:
        crafted.execute("INSERT INTO change (at, \"user\", entity, entity_id, action, field)"
                        " VALUES (now(), 'admin', 'enterprise', %s, 'update', 'notes')",
                        (bureau.wujin_firm,))
        crafted.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            crafted.execute("UPDATE change SET \"user\" = 'admin'")
    with as_("admin").session() as session:
        users = {c.user for c in session.query(Change).filter_by(enterprise_id=bureau.wujin_firm)
                 if c.action == "update"}
    assert users == {bureau.logins["editor"]}


def test_current_user_is_the_login_on_a_server(bureau, as_):
    from tiers.services.audit import current_user

    with as_("editor").session() as session:
        assert current_user(session) == bureau.logins["editor"]


def test_a_disabled_login_cannot_connect_and_its_records_stay(bureau, as_):
    with as_("editor").session() as session:
        enterprises.update(session, bureau.wujin_firm, {"notes": "停用前的修改"})
    disable_user(bureau.url, bureau.logins["editor"])  # the owner (here a superuser)
    with pytest.raises(psycopg.OperationalError):
        bureau.connect_as("editor").close()
    with as_("admin").session() as session:
        assert session.get(Enterprise, bureau.wujin_firm).notes == "停用前的修改"
        assert {c.user for c in session.query(Change)} >= {bureau.logins["editor"]}


def test_only_the_owner_adds_or_disables_and_no_login_gets_createrole(bureau):
    """Not even a Tiers admin: on PostgreSQL 15 a login with CREATEROLE can grant itself
    any role of the server (another database's admin group, pg_execute_server_program)."""
    from tiers.storage.server.users import add_user

    for who in ("editor", "admin"):
        with pytest.raises(Refused, match="只有数据库的所有者"):
            add_user(bureau.url_of(who), f"intruder_{who}", "admin", [], "long-enough-1")
    with pytest.raises(Refused, match="只有数据库的所有者"):
        disable_user(bureau.url_of("viewer"), bureau.logins["editor"])
    with bureau.connect_as("admin") as admin:
        assert not admin.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = "
                                 "session_user").fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            admin.execute("GRANT pg_execute_server_program TO CURRENT_USER")


def test_an_editor_cannot_forge_the_change_log_or_rewrite_batches(bureau):
    """A forged change row in another officer's batch would make its undo "restore" a value
    on any firm; a rewritten batch would hide or unblock a file; setval would break every
    later insert."""
    with bureau.connect_as("editor") as editor:
        for statement, params in (
                ("INSERT INTO change (entity, entity_id, enterprise_id, action, field, old_value,"
                 " new_value, at, \"user\") VALUES ('enterprise', %s, %s, 'update', 'name',"
                 " '\"假名\"', '\"x\"', now(), '')", (bureau.xinbei_firm, bureau.xinbei_firm)),
                ("UPDATE import_batch SET file_name = 'x.xlsx'", None),
                ("SELECT setval('enterprise_id_seq', 2147483647)", None)):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                editor.execute(statement, params)
            editor.rollback()


_LOG_LINE = ("INSERT INTO change (entity, entity_id, enterprise_id, action, field, old_value,"
             " new_value, at, \"user\") VALUES ('enterprise', %s, %s, 'update', 'notes',"
             " '\"\"', '\"x\"', now(), '')")


def test_an_editor_cannot_log_changes_of_a_firm_not_made_yet(bureau):
    """A change row for a firm id not used yet (the next one, or any later) was let in as
    "a firm his undo has just removed"; so was one of another county's firm once it was
    gone. A firm he removed himself (his undo logs its removal, then what else it undoes)
    may still be logged."""
    with psycopg.connect(bureau.url) as owner:
        next_id = owner.execute("SELECT nextval('enterprise_id_seq')").fetchone()[0]
        xinbei_gone = owner.execute(
            "INSERT INTO enterprise (credit_code, name, name_key, pinyin_initials, pinyin_key,"
            " legacy_code, county_code, county_name, town, address, industry, main_product,"
            " legal_representative, contact_person, contact_phone, size, listing_status, tags,"
            " notes, is_demo, created_at, updated_at, version) VALUES ('X1', 'x', 'x', '', '', '',"
            " '320411', '新北区', '', '', '', '', '', '', '', '', '', '', '', false, now(), now(),"
            " 1) RETURNING id").fetchone()[0]
        owner.execute(_LOG_LINE.replace("'update'", "'delete'"), (xinbei_gone, xinbei_gone))
        owner.execute("DELETE FROM enterprise WHERE id = %s", (xinbei_gone,))
    with bureau.connect_as("editor") as editor:
        for firm in (next_id + 1, next_id + 1000, 2_000_000_000, xinbei_gone):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                editor.execute(_LOG_LINE, (firm, firm))
            editor.rollback()
        # his own firm: its removal logged by him while it was his, then gone
        editor.execute(_LOG_LINE.replace("'update'", "'delete'"),
                       (bureau.wujin_firm, bureau.wujin_firm))
        editor.execute("DELETE FROM enterprise WHERE id = %s", (bureau.wujin_firm,))
        editor.execute(_LOG_LINE, (bureau.wujin_firm, bureau.wujin_firm))
        editor.commit()
    with psycopg.connect(bureau.url) as owner:
        logged = owner.execute("SELECT enterprise_id, count(*) FROM change WHERE field = 'notes'"
                               " AND old_value = '\"\"' GROUP BY 1 ORDER BY 1").fetchall()
    assert logged == [(bureau.wujin_firm, 2), (xinbei_gone, 1)]


def test_an_editor_saves_his_firms_with_their_save_tokens_and_no_others(bureau, as_, code):
    """The firm window's save stores its token (profile_save) as a record of the firm: an
    editor's save of his county's firm, or of a new one there, takes it and a save again
    writes nothing; a token for another county's firm is refused like its records."""
    import uuid

    from tiers.services.profile import NEW, AlreadySaved, RecordEdit, load, save_profile

    database = as_("editor")
    measure = RecordEdit(NEW, values={"kind": "资金奖励", "name": "技改", "amount": "5",
                                      "year": "2025"})
    for firm, basic in ((bureau.wujin_firm, {"notes": "走访"}),
                        (None, {"credit_code": code(9, "320412"), "name": "常州武进新建有限公司",
                                "county": "武进区"})):
        token = str(uuid.uuid4())
        for attempt in range(2):
            with database.session() as session:
                base = load(session, firm) if firm else None
                if attempt == 0:
                    saved = save_profile(session, firm, basic, base=base, token=token,
                                         measure_edits=[measure])
                else:
                    with pytest.raises(AlreadySaved):
                        save_profile(session, firm, basic, base=base, token=token,
                                     measure_edits=[measure])
        with database.session() as session:
            assert len(session.get(Enterprise, saved.enterprise_id).support_measures) == 1
    with bureau.connect_as("editor") as editor, \
            pytest.raises(psycopg.errors.InsufficientPrivilege):
        editor.execute("INSERT INTO profile_save (token, enterprise_id, at) VALUES"
                       " ('forged', %s, now())", (bureau.xinbei_firm,))


def test_an_editors_save_prunes_his_countys_old_tokens_and_no_others(bureau, as_):
    """A save drops the tokens older than a month of its firm's county: an editor's save
    of a 武进区 firm must not touch 新北区's (the guard would refuse the row and fail his
    save), and does drop 武进区's."""
    from tiers.services.profile import load, save_profile

    with psycopg.connect(bureau.url) as owner:
        for token, firm in (("old-wujin", bureau.wujin_firm), ("old-xinbei", bureau.xinbei_firm)):
            owner.execute("INSERT INTO profile_save (token, enterprise_id, at) VALUES"
                          " (%s, %s, now() - interval '40 days')", (token, firm))
    database = as_("editor")
    with database.session() as session:
        save_profile(session, bureau.wujin_firm, {"notes": "走访"},
                     base=load(session, bureau.wujin_firm), token="new-wujin")
    with psycopg.connect(bureau.url) as owner:
        left = {token for (token,) in owner.execute("SELECT token FROM profile_save")}
    assert left == {"old-xinbei", "new-wujin"}


def test_the_password_verifier_is_the_one_postgresql_makes(bureau):
    """The verifier made on this computer (so that no plain password reaches the server's
    log) equals the server's own for the same salt: the login will work with password
    authentication (the test cluster trusts every local login, so logging in proves
    nothing here)."""
    import base64

    from tiers.storage.server.scram import verifier

    with psycopg.connect(bureau.url, autocommit=True) as superuser:
        superuser.execute("SET password_encryption = 'scram-sha-256'")
        superuser.execute(f'ALTER ROLE "{bureau.logins["viewer"]}" PASSWORD \'密码 Pass-1\'')
        stored = superuser.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                   (bureau.logins["viewer"],)).fetchone()[0]
        ours = superuser.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s",
                                 (bureau.logins["editor"],)).fetchone()[0]
    iterations, salt = stored.split("$")[1].split(":")
    assert verifier("密码 Pass-1", salt=base64.b64decode(salt), iterations=int(iterations)) == stored
    assert ours.startswith("SCRAM-SHA-256$4096:")  # what user add stored


def test_an_editor_cannot_mark_another_countys_import_undone(bureau):
    """Marked undone without being undone, a 武进区 import could never be undone again."""
    from tests.tiers.server.conftest import XINBEI

    bureau.add("xinbei_editor", "editor", [XINBEI])
    with psycopg.connect(bureau.url) as owner:
        batch = owner.execute(
            "INSERT INTO import_batch (file_name, sha256, sheet, kind, mapping, counts,"
            " created_at, \"user\", undone_by) VALUES ('武进区名录.xlsx', repeat('0', 64), 'S',"
            " 'roster', '{}', '{}', now(), '', '') RETURNING id").fetchone()[0]
        owner.execute("INSERT INTO change (entity, entity_id, enterprise_id, action, field,"
                      " at, \"user\", import_batch_id) VALUES ('enterprise', %s, %s, 'create',"
                      " '', now(), '', %s)", (bureau.wujin_firm, bureau.wujin_firm, batch))
    with bureau.connect_as("xinbei_editor") as stranger:
        for statement in ("UPDATE import_batch SET undone_at = now() WHERE id = %s",
                          "UPDATE import_batch SET counts = '{\"x\": 1}' WHERE id = %s"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                stranger.execute(statement, (batch,))
            stranger.rollback()
    with bureau.connect_as("editor") as colleague:  # 武进区's own editor may undo it
        colleague.execute("UPDATE import_batch SET undone_at = now() WHERE id = %s", (batch,))
