"""The rights on one Tiers database, as SQL that PostgreSQL enforces for every client (the
desktop, the command line, or psql with an officer's login):

- **admin** does all; **editor** reads every firm (an import must find a neighbouring
  county's firm by its credit code rather than try to create it again) and writes only the
  firms of his counties and their records, and the firms without a county code (开发区)
  when granted them (county '') or when the unit's counties (unit_county) are all his; **viewer** reads his counties (all when he has
  none: a city or province officer) and writes nothing. Table privileges say who may write
  at all; row-level security says which rows.
- A change or removal of another county's firm (or of its records) is refused loudly: a
  guard trigger on the old row raises ``insufficient_privilege`` naming the officer's
  counties (a policy on the old row would let the UPDATE match no row and say nothing).
  New rows (inserted, or a firm moved to another county) are the policies' check: set-based,
  no trigger per inserted row (a row trigger made an editor's import of 100,000 rows ten
  times slower).
- Who did it is the login: triggers set the change log's ``user`` (and an import batch's)
  to ``session_user``, whatever the client sent.

The users' counties are kept in ``tiers_user_county``, a table of the server only (the
SQLite schema has none). Functions that read it are SECURITY DEFINER with a fixed
search_path, so that the policies see it and nobody can slip in a table of his own.
Everything here is idempotent: ``tiers server init`` runs it again after an upgrade."""

from __future__ import annotations

from psycopg import Connection, sql

from tiers.storage.server import conflicts, statistics

# the tables whose rows belong to one enterprise (through enterprise_id); a table added by
# a later migration is found by its foreign key (child_tables)
COUNTY_TABLE = "enterprise"
USERS_COUNTIES = "tiers_user_county"
USERS_LOG = "tiers_user_log"  # who added, disabled, enabled, changed which login, and when
COUNTY_REFUSED = "tiers: county refused"  # the guard's message; faults.py reads its detail
MOVE_REFUSED = "tiers: county move refused"  # an editor's own firm moved out of his counties

USERS_TABLE_SQL = f"""
CREATE TABLE IF NOT EXISTS public.{USERS_COUNTIES} (
    login name NOT NULL,
    county_code varchar(6) NOT NULL,
    county_name varchar(50) NOT NULL DEFAULT '',
    PRIMARY KEY (login, county_code)
)"""

# the administration of the logins, kept on the server beside the counties: a login's
# role, counties and state live in PostgreSQL's catalogue, which keeps no history
USERS_LOG_SQL = f"""
CREATE TABLE IF NOT EXISTS public.{USERS_LOG} (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    by_login name NOT NULL DEFAULT session_user,
    login name NOT NULL,
    action varchar(20) NOT NULL,
    detail text NOT NULL DEFAULT ''
)"""

FUNCTIONS_SQL = """
-- PL/pgSQL rather than SQL: a SECURITY DEFINER SQL function is planned again at every
-- call, and the guard calls these once per changed row (measured: 400 µs a row, 10 times
-- the insert itself, before; a few µs after)
CREATE OR REPLACE FUNCTION public.tiers_is_admin() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        OR pg_has_role(session_user, {admin}, 'MEMBER')
        OR pg_has_role(session_user, (SELECT datdba FROM pg_database
                                      WHERE datname = current_database()), 'MEMBER');
END
$$;

CREATE OR REPLACE FUNCTION public.tiers_sees_all() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN public.tiers_is_admin()
        OR pg_has_role(session_user, {editor}, 'MEMBER')
        OR NOT EXISTS (SELECT 1 FROM public.tiers_user_county WHERE login = session_user);
END
$$;

-- an editor may write the firms without a county code (a 开发区, a blank county): granted
-- them all (his county '', tiers user set --county none), or the bureau's own officer
-- (本单位负责的区县 recorded and every one of them his). The client narrows the latter to
-- the firms the unit's rule places in the unit (tiers.services.unit.covers_firm): the
-- server cannot read a credit code's or a zone's place, and guards the login. So for the
-- unit's own officer the server is wider than the client on purpose, and stays the final
-- guard: the client asks WriteRights.allows before every write (imports, bulk actions,
-- 数据核查, the undo of a batch, the firm window's save and move: both where the firm is
-- and where it goes; the 培育库's and 产业链's pages) and refuses itself what this would
-- let through (WriteRights.server_writes)
CREATE OR REPLACE FUNCTION public.tiers_writes_uncounted() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM public.tiers_user_county u
                   WHERE u.login = session_user AND u.county_code = '')
        OR (EXISTS (SELECT 1 FROM public.unit_county)
            AND NOT EXISTS (SELECT 1 FROM public.unit_county c WHERE NOT EXISTS (
                SELECT 1 FROM public.tiers_user_county u
                WHERE u.login = session_user AND u.county_code = c.code)));
END
$$;

CREATE OR REPLACE FUNCTION public.tiers_my_counties() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(string_agg(coalesce(nullif(county_name, ''), county_code), '、'
                               ORDER BY county_code = '', county_code), '')  -- 开发区 last
    FROM public.tiers_user_county WHERE login = session_user
$$;

-- The old row's county, before an editor's UPDATE or DELETE: refused loudly with his
-- counties (the policies' check of the new row comes after BEFORE triggers; a policy on the
-- old row would make the statement match no row and say nothing). Rows being inserted are
-- the policies' alone: no trigger per inserted row, so an import stays set-based.
CREATE OR REPLACE FUNCTION public.tiers_refuse_county(county text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF county = '' AND public.tiers_writes_uncounted() THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.tiers_user_county u
                   WHERE u.login = session_user AND u.county_code = county) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'tiers: county refused', DETAIL = public.tiers_my_counties(), HINT = county;
    END IF;
END
$$;

-- the firm's own row (its county is in it); his own firm moved out of his counties is
-- refused here too, saying so (the policy's check of the new row could only say "another
-- county's firm", which reads as if the firm were not his)
CREATE OR REPLACE FUNCTION public.tiers_guard_firm() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM public.tiers_refuse_county(coalesce(OLD.county_code, ''));
    IF TG_OP = 'UPDATE' AND NEW.county_code IS DISTINCT FROM OLD.county_code
            AND NOT EXISTS (SELECT 1 FROM public.tiers_user_county u
                            WHERE u.login = session_user AND u.county_code = NEW.county_code)
            AND NOT (coalesce(NEW.county_code, '') = '' AND public.tiers_writes_uncounted()) THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'tiers: county move refused', DETAIL = public.tiers_my_counties(),
            HINT = coalesce(NEW.county_code, '');
    END IF;
    RETURN coalesce(NEW, OLD);
END
$$;

-- a record of a firm (its county is the firm's)
CREATE OR REPLACE FUNCTION public.tiers_guard_record() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    county text;
BEGIN
    SELECT coalesce(e.county_code, '') INTO county FROM public.enterprise e WHERE e.id = OLD.enterprise_id;
    IF FOUND THEN  -- else a record deleted together with its firm, whose row was guarded
        PERFORM public.tiers_refuse_county(county);
    END IF;
    RETURN coalesce(NEW, OLD);
END
$$;

-- an editor's update of an import batch: the counts only of his own batch (its import
-- fills them in at its end), and "undone" only on a batch whose changed firms are all in
-- his counties (or gone): else he could mark another county's import undone without
-- undoing it, and nobody could undo it any more
CREATE OR REPLACE FUNCTION public.tiers_guard_batch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    outside text;
BEGIN
    IF NEW.counts IS DISTINCT FROM OLD.counts AND OLD."user" <> session_user THEN
        RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
            MESSAGE = 'tiers: not your batch';
    END IF;
    IF NEW.undone_at IS DISTINCT FROM OLD.undone_at THEN
        SELECT coalesce(e.county_code, '') INTO outside
        FROM public.change c JOIN public.enterprise e ON e.id = c.enterprise_id
        WHERE c.import_batch_id = OLD.id AND NOT EXISTS (
            SELECT 1 FROM public.tiers_user_county u
            WHERE u.login = session_user AND u.county_code = e.county_code)
          AND NOT (coalesce(e.county_code, '') = '' AND public.tiers_writes_uncounted())
        LIMIT 1;
        IF FOUND THEN
            PERFORM public.tiers_refuse_county(outside);
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION public.tiers_stamp_login() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'change' THEN
        NEW."user" := session_user;
    ELSIF TG_OP = 'INSERT' THEN
        NEW."user" := session_user;
    ELSIF NEW.undone_at IS DISTINCT FROM OLD.undone_at AND NEW.undone_at IS NOT NULL THEN
        NEW.undone_by := session_user;
    ELSE
        NEW."user" := OLD."user";
        NEW.undone_by := OLD.undone_by;
    END IF;
    RETURN NEW;
END
$$;
"""


def child_tables(connection: Connection) -> list[str]:
    """The tables whose rows belong to an enterprise: a foreign key to enterprise.id."""
    rows = connection.execute("""
        SELECT DISTINCT child.relname FROM pg_constraint c
        JOIN pg_class child ON child.oid = c.conrelid
        JOIN pg_class parent ON parent.oid = c.confrelid
        JOIN pg_namespace n ON n.oid = child.relnamespace
        WHERE c.contype = 'f' AND parent.relname = 'enterprise' AND n.nspname = 'public'
        ORDER BY 1""").fetchall()
    return [row[0] for row in rows]


def install(connection: Connection, groups: dict[str, str]) -> None:
    """The users' table, the functions, grants, policies and triggers, for the groups
    ``{"admin": name, "editor": name, "viewer": name}`` (which exist already)."""
    admin, editor, viewer = (sql.Identifier(groups[r]) for r in ("admin", "editor", "viewer"))
    connection.execute(USERS_TABLE_SQL)
    connection.execute(USERS_LOG_SQL)
    connection.execute(sql.SQL(FUNCTIONS_SQL).format(
        admin=sql.Literal(groups["admin"]), editor=sql.Literal(groups["editor"])))
    _grant(connection, admin, editor, viewer)
    statistics.install(connection, admin, editor)
    conflicts.install(connection, admin, editor, viewer)
    owned = [COUNTY_TABLE, *child_tables(connection)]
    for table in owned:
        _guard(connection, table, groups["editor"], admin=admin, editor=editor, viewer=viewer)
    _guard_change_log(connection, groups["editor"], admin=admin, editor=editor, viewer=viewer)
    _guard_submissions(connection, admin=admin, editor=editor, viewer=viewer)


def _grant(connection: Connection, admin: sql.Identifier, editor: sql.Identifier,
           viewer: sql.Identifier) -> None:
    everyone = sql.SQL(", ").join([admin, editor, viewer])
    statements = [
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        "GRANT USAGE ON SCHEMA public TO {everyone}",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO {everyone}",
        "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {everyone}",
        "GRANT ALL ON ALL TABLES IN SCHEMA public TO {admin}",
        "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {admin}",
        # editors take ids with nextval (USAGE); setval would let one break every insert
        "REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA public FROM {editor}",
        # a batch's file, hash and owner are not theirs to rewrite: only what an import
        # fills in at its end (counts) and what an undo marks
        "REVOKE UPDATE ON import_batch FROM {editor}",
        "GRANT INSERT ON import_batch TO {editor}",
        "GRANT UPDATE (counts, undone_at, undone_by) ON import_batch TO {editor}",
        "GRANT INSERT ON change TO {editor}",
        # the change log is append-only for everyone but an admin (and its owner)
        "REVOKE UPDATE, DELETE, TRUNCATE ON change FROM {editor}, {viewer}",
        "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {editor}, {viewer}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {USERS_COUNTIES} FROM {{editor}}, {{viewer}}",
        # the logins' history: written by the users' administration alone (the database's
        # owner), read by admins
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {USERS_LOG} FROM {{admin}}, {{editor}}, {{viewer}}",
        f"REVOKE SELECT ON {USERS_LOG} FROM {{editor}}, {{viewer}}",
    ]
    for statement in statements:
        connection.execute(sql.SQL(statement).format(
            everyone=everyone, admin=admin, editor=editor, viewer=viewer))


def _policy(connection: Connection, table: str, name: str, text: str, **names) -> None:
    connection.execute(sql.SQL("DROP POLICY IF EXISTS {name} ON {table}").format(
        name=sql.Identifier(name), table=sql.Identifier(table)))
    connection.execute(sql.SQL(text).format(
        name=sql.Identifier(name), table=sql.Identifier(table), **names))


def _uncounted(column: str) -> str:
    """A firm without a county code that the login may write (tiers_writes_uncounted,
    once per statement)."""
    return f"(coalesce({column}, '') = '' AND (SELECT public.tiers_writes_uncounted()))"


def _guard(connection: Connection, table: str, editor_name: str, **groups: sql.Identifier) -> None:
    """Row-level security and the guard trigger on the enterprise or one of its tables."""
    ident = sql.Identifier(table)
    connection.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {table} TO {editor}").format(
        table=ident, editor=groups["editor"]))
    connection.execute(sql.SQL("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY").format(table=ident))
    mine = f"(SELECT u.county_code FROM public.{USERS_COUNTIES} u WHERE u.login = session_user)"
    # uncorrelated subselects: evaluated once per statement (an InitPlan, or a hashed
    # SubPlan probed per row), so that a policy costs next to nothing on 100,000 rows
    if table == COUNTY_TABLE:
        editable = f"county_code IN {mine} OR {_uncounted('county_code')}"
        viewer_sees = f"(SELECT public.tiers_sees_all()) OR county_code IN {mine}"
    else:
        editable = ("enterprise_id IN (SELECT e.id FROM public.enterprise e WHERE "
                    f"e.county_code IN {mine} OR {_uncounted('e.county_code')})")
        viewer_sees = ("(SELECT public.tiers_sees_all()) OR enterprise_id IN "
                       "(SELECT id FROM public.enterprise)")  # the enterprise's policy applies
    policies = {
        "tiers_admin": "CREATE POLICY {name} ON {table} FOR ALL TO {admin} USING (true) WITH CHECK (true)",
        "tiers_editor_read": "CREATE POLICY {name} ON {table} FOR SELECT TO {editor} USING (true)",
        "tiers_viewer_read": f"CREATE POLICY {{name}} ON {{table}} FOR SELECT TO {{viewer}} USING ({viewer_sees})",
        "tiers_editor_insert": f"CREATE POLICY {{name}} ON {{table}} FOR INSERT TO {{editor}} "
                               f"WITH CHECK ({editable})",
        # the old row is the guard trigger's: USING (true) lets it refuse loudly
        "tiers_editor_update": f"CREATE POLICY {{name}} ON {{table}} FOR UPDATE TO {{editor}} "
                               f"USING (true) WITH CHECK ({editable})",
        "tiers_editor_delete": "CREATE POLICY {name} ON {table} FOR DELETE TO {editor} USING (true)",
    }
    for name, text in policies.items():
        _policy(connection, table, name, text, **groups)
    connection.execute(sql.SQL("DROP TRIGGER IF EXISTS tiers_guard_county ON {table}").format(
        table=ident))
    # WHEN: only an editor is limited to counties, and the test runs without entering the
    # function (an admin's or the owner's update of 100,000 rows pays next to nothing)
    connection.execute(sql.SQL(
        "CREATE TRIGGER tiers_guard_county BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW "
        "WHEN (pg_has_role(session_user, {editor_name}, 'MEMBER') AND NOT public.tiers_is_admin()) "
        "EXECUTE FUNCTION {function}()").format(
            table=ident, editor_name=sql.Literal(editor_name),
            function=sql.SQL("public.tiers_guard_firm" if table == COUNTY_TABLE
                             else "public.tiers_guard_record")))


def _guard_change_log(connection: Connection, editor_name: str,
                      **groups: sql.Identifier) -> None:
    """The change log and the import batches: everyone in scope reads, editors append, and
    the server writes who did it."""
    connection.execute("ALTER TABLE change ENABLE ROW LEVEL SECURITY")
    policies = {
        "tiers_admin": "CREATE POLICY {name} ON {table} FOR ALL TO {admin} USING (true) WITH CHECK (true)",
        "tiers_editor_read": "CREATE POLICY {name} ON {table} FOR SELECT TO {editor} USING (true)",
        "tiers_viewer_read": "CREATE POLICY {name} ON {table} FOR SELECT TO {viewer} USING ("
                             "(SELECT public.tiers_sees_all()) OR enterprise_id IS NULL "
                             "OR enterprise_id IN (SELECT id FROM public.enterprise))",
        # an editor logs changes of his counties' firms only, and only into batches of his
        # own: a forged row in another's batch would make its undo "restore" that value
        "tiers_editor_append": "CREATE POLICY {name} ON {table} FOR INSERT TO {editor} WITH CHECK ("
                               "(enterprise_id IS NULL OR enterprise_id IN (SELECT e.id FROM "
                               "public.enterprise e WHERE e.county_code IN (SELECT u.county_code "
                               "FROM public.tiers_user_county u WHERE u.login = session_user) "
                               f"OR {_uncounted('e.county_code')})"
                               # a firm his undo (or 彻底删除) has just removed: gone, and
                               # he logged its removal himself while it was his (the login
                               # is stamped by the server). An id never used has no such
                               # row: "gone" alone let him log changes of any future firm
                               " OR (NOT EXISTS (SELECT 1 FROM public.enterprise g "
                               "WHERE g.id = enterprise_id) AND EXISTS (SELECT 1 FROM "
                               "public.change d WHERE d.enterprise_id = change.enterprise_id "
                               "AND d.entity = 'enterprise' AND d.action IN ('delete', 'purge') "
                               "AND d.\"user\" = session_user)))"
                               " AND (import_batch_id IS NULL OR import_batch_id IN (SELECT b.id "
                               "FROM public.import_batch b WHERE b.\"user\" = session_user)))",
    }
    for name, text in policies.items():
        _policy(connection, "change", name, text, **groups)
    connection.execute("DROP TRIGGER IF EXISTS tiers_guard_batch ON import_batch")
    connection.execute(sql.SQL(
        "CREATE TRIGGER tiers_guard_batch BEFORE UPDATE ON import_batch FOR EACH ROW "
        "WHEN (pg_has_role(session_user, {editor_name}, 'MEMBER') AND NOT public.tiers_is_admin()) "
        "EXECUTE FUNCTION public.tiers_guard_batch()").format(
            editor_name=sql.Literal(editor_name)))
    for table in ("change", "import_batch"):
        connection.execute(sql.SQL("DROP TRIGGER IF EXISTS tiers_stamp_login ON {table}").format(
            table=sql.Identifier(table)))
        connection.execute(sql.SQL(
            "CREATE TRIGGER tiers_stamp_login BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION public.tiers_stamp_login()").format(
                table=sql.Identifier(table)))


def _guard_submissions(connection: Connection, **groups: sql.Identifier) -> None:
    """导入记录 and 报送情况 follow what a viewer reads: a viewer of 新北区 sees the import
    batches that changed a firm he sees (or a package that reported his county) and the
    packages' lines of his counties, not every county's. Editors read all (as they read
    every firm); admins do all. A viewer of no county (the city's) sees all."""
    mine = f"(SELECT u.county_code FROM public.{USERS_COUNTIES} u WHERE u.login = session_user)"
    viewer_sees = {
        # the change log's and the firms' own policies apply inside: a batch that created a
        # firm he sees (the demo data logs no changes), a change he sees of a firm he sees
        # (EXISTS per batch probes the batch's changes by their index), or a package he sees
        "import_batch": "(SELECT public.tiers_sees_all()) "
                        "OR id IN (SELECT f.import_batch_id FROM public.enterprise f) "
                        "OR EXISTS (SELECT 1 FROM public.change c "
                        "WHERE c.import_batch_id = import_batch.id AND c.enterprise_id IN "
                        "(SELECT e.id FROM public.enterprise e)) "
                        "OR id IN (SELECT p.import_batch_id FROM public.exchange_package p)",
        "exchange_package": "(SELECT public.tiers_sees_all()) OR id IN "
                            "(SELECT pc.package_id FROM public.exchange_package_county pc)",
        "exchange_package_county": f"(SELECT public.tiers_sees_all()) OR county_code IN {mine}",
    }
    for table, sees in viewer_sees.items():
        connection.execute(sql.SQL("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY").format(
            table=sql.Identifier(table)))
        policies = {
            "tiers_admin": "CREATE POLICY {name} ON {table} FOR ALL TO {admin} "
                           "USING (true) WITH CHECK (true)",
            "tiers_editor_read": "CREATE POLICY {name} ON {table} FOR SELECT TO {editor} USING (true)",
            "tiers_viewer_read": f"CREATE POLICY {{name}} ON {{table}} FOR SELECT TO {{viewer}} "
                                 f"USING ({sees})",
        }
        if table == "import_batch":  # an editor's import records its batch and its counts
            policies["tiers_editor_insert"] = ("CREATE POLICY {name} ON {table} FOR INSERT "
                                               "TO {editor} WITH CHECK (true)")
            policies["tiers_editor_update"] = ("CREATE POLICY {name} ON {table} FOR UPDATE "
                                               "TO {editor} USING (true) WITH CHECK (true)")
        for name, text in policies.items():
            _policy(connection, table, name, text, **groups)
