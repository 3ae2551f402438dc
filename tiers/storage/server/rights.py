"""The rights on one Tiers database, as SQL that PostgreSQL enforces for every client (the
desktop, the command line, or psql with an officer's login):

- **admin** does all; **editor** reads every firm (an import must find a neighbouring
  county's firm by its credit code rather than try to create it again) and writes only the
  firms of his counties and their records; **viewer** reads his counties (all when he has
  none: a city or province officer) and writes nothing. Table privileges say who may write
  at all; row-level security says which rows.
- A write to another county's firm is refused loudly: a guard trigger raises
  ``insufficient_privilege`` naming the officer's counties (a policy alone would let an
  UPDATE match no row and say nothing). The policies check the new row as well, so that no
  firm can be moved into or out of a county the editor does not hold.
- Who did it is the login: triggers set the change log's ``user`` (and an import batch's)
  to ``session_user``, whatever the client sent.

The users' counties are kept in ``tiers_user_county``, a table of the server only (the
SQLite schema has none). Functions that read it are SECURITY DEFINER with a fixed
search_path, so that the policies see it and nobody can slip in a table of his own.
Everything here is idempotent: ``tiers server init`` runs it again after an upgrade."""

from __future__ import annotations

from psycopg import Connection, sql

# the tables whose rows belong to one enterprise (through enterprise_id); a table added by
# a later migration is found by its foreign key (child_tables)
COUNTY_TABLE = "enterprise"
USERS_COUNTIES = "tiers_user_county"
COUNTY_REFUSED = "tiers: county refused"  # the guard's message; faults.py reads its detail

USERS_TABLE_SQL = f"""
CREATE TABLE IF NOT EXISTS public.{USERS_COUNTIES} (
    login name NOT NULL,
    county_code varchar(6) NOT NULL,
    county_name varchar(50) NOT NULL DEFAULT '',
    PRIMARY KEY (login, county_code)
)"""

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION public.tiers_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
        OR pg_has_role(session_user, {admin}, 'MEMBER')
        OR pg_has_role(session_user, (SELECT datdba FROM pg_database
                                      WHERE datname = current_database()), 'MEMBER')
$$;

CREATE OR REPLACE FUNCTION public.tiers_sees_all() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT public.tiers_is_admin()
        OR pg_has_role(session_user, {editor}, 'MEMBER')
        OR NOT EXISTS (SELECT 1 FROM public.tiers_user_county WHERE login = session_user)
$$;

CREATE OR REPLACE FUNCTION public.tiers_may_edit(county text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT public.tiers_is_admin()
        OR (pg_has_role(session_user, {editor}, 'MEMBER')
            AND EXISTS (SELECT 1 FROM public.tiers_user_county
                        WHERE login = session_user AND county_code = county))
$$;

CREATE OR REPLACE FUNCTION public.tiers_county_of(firm integer) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT county_code FROM public.enterprise WHERE id = firm
$$;

CREATE OR REPLACE FUNCTION public.tiers_my_counties() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT coalesce(string_agg(coalesce(nullif(county_name, ''), county_code), '、'
                               ORDER BY county_code), '')
    FROM public.tiers_user_county WHERE login = session_user
$$;

CREATE OR REPLACE FUNCTION public.tiers_guard_county() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    row_before jsonb := CASE WHEN TG_OP IN ('UPDATE', 'DELETE') THEN to_jsonb(OLD) END;
    row_after jsonb := CASE WHEN TG_OP IN ('INSERT', 'UPDATE') THEN to_jsonb(NEW) END;
    county text;
BEGIN
    IF public.tiers_is_admin() THEN
        RETURN coalesce(NEW, OLD);
    END IF;
    FOREACH county IN ARRAY ARRAY[
        CASE WHEN row_before IS NULL THEN NULL
             WHEN TG_TABLE_NAME = 'enterprise' THEN coalesce(row_before->>'county_code', '')
             ELSE public.tiers_county_of((row_before->>'enterprise_id')::integer)
        END,
        CASE WHEN row_after IS NULL THEN NULL
             WHEN TG_TABLE_NAME = 'enterprise' THEN coalesce(row_after->>'county_code', '')
             ELSE public.tiers_county_of((row_after->>'enterprise_id')::integer)
        END]
    LOOP
        -- NULL: no row on that side, or a record whose firm is being deleted with it (the
        -- firm's own row was guarded); a firm without a county ('') is an admin's
        IF county IS NOT NULL AND NOT public.tiers_may_edit(county) THEN
            RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
                MESSAGE = 'tiers: county refused',
                DETAIL = public.tiers_my_counties(),
                HINT = county;
        END IF;
    END LOOP;
    RETURN coalesce(NEW, OLD);
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
    connection.execute(sql.SQL(FUNCTIONS_SQL).format(
        admin=sql.Literal(groups["admin"]), editor=sql.Literal(groups["editor"])))
    _grant(connection, admin, editor, viewer)
    owned = [COUNTY_TABLE, *child_tables(connection)]
    for table in owned:
        _guard(connection, table, admin=admin, editor=editor, viewer=viewer)
    _guard_change_log(connection, admin=admin, editor=editor, viewer=viewer)


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
        # the import writer advances a sequence past the ids it wrote (setval)
        "GRANT UPDATE ON ALL SEQUENCES IN SCHEMA public TO {editor}",
        "GRANT INSERT, UPDATE ON import_batch TO {editor}",
        "GRANT INSERT ON change TO {editor}",
        # the change log is append-only for everyone but an admin (and its owner)
        "REVOKE UPDATE, DELETE, TRUNCATE ON change FROM {editor}, {viewer}",
        "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {editor}, {viewer}",
        f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {USERS_COUNTIES} FROM {{editor}}, {{viewer}}",
    ]
    for statement in statements:
        connection.execute(sql.SQL(statement).format(
            everyone=everyone, admin=admin, editor=editor, viewer=viewer))


def _policy(connection: Connection, table: str, name: str, text: str, **names) -> None:
    connection.execute(sql.SQL("DROP POLICY IF EXISTS {name} ON {table}").format(
        name=sql.Identifier(name), table=sql.Identifier(table)))
    connection.execute(sql.SQL(text).format(
        name=sql.Identifier(name), table=sql.Identifier(table), **names))


def _guard(connection: Connection, table: str, **groups: sql.Identifier) -> None:
    """Row-level security and the guard trigger on the enterprise or one of its tables."""
    ident = sql.Identifier(table)
    connection.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {table} TO {editor}").format(
        table=ident, editor=groups["editor"]))
    connection.execute(sql.SQL("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY").format(table=ident))
    if table == COUNTY_TABLE:
        county = "county_code"
        # the subselects without a reference to the row are evaluated once per query
        viewer_sees = ("(SELECT public.tiers_sees_all()) OR county_code IN "
                       f"(SELECT county_code FROM public.{USERS_COUNTIES} WHERE login = session_user)")
    else:
        county = "public.tiers_county_of(enterprise_id)"
        viewer_sees = ("(SELECT public.tiers_sees_all()) OR enterprise_id IN "
                       "(SELECT id FROM public.enterprise)")  # the enterprise's policy applies
    policies = {
        "tiers_admin": "CREATE POLICY {name} ON {table} FOR ALL TO {admin} USING (true) WITH CHECK (true)",
        "tiers_editor_read": "CREATE POLICY {name} ON {table} FOR SELECT TO {editor} USING (true)",
        "tiers_viewer_read": f"CREATE POLICY {{name}} ON {{table}} FOR SELECT TO {{viewer}} USING ({viewer_sees})",
        "tiers_editor_insert": f"CREATE POLICY {{name}} ON {{table}} FOR INSERT TO {{editor}} "
                               f"WITH CHECK (public.tiers_may_edit({county}))",
        # the old row is the guard trigger's: USING (true) lets it refuse loudly
        "tiers_editor_update": f"CREATE POLICY {{name}} ON {{table}} FOR UPDATE TO {{editor}} "
                               f"USING (true) WITH CHECK (public.tiers_may_edit({county}))",
        "tiers_editor_delete": "CREATE POLICY {name} ON {table} FOR DELETE TO {editor} USING (true)",
    }
    for name, text in policies.items():
        _policy(connection, table, name, text, **groups)
    connection.execute(sql.SQL("DROP TRIGGER IF EXISTS tiers_guard_county ON {table}").format(
        table=ident))
    connection.execute(sql.SQL(
        "CREATE TRIGGER tiers_guard_county BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION public.tiers_guard_county()").format(table=ident))


def _guard_change_log(connection: Connection, **groups: sql.Identifier) -> None:
    """The change log and the import batches: everyone in scope reads, editors append, and
    the server writes who did it."""
    connection.execute("ALTER TABLE change ENABLE ROW LEVEL SECURITY")
    policies = {
        "tiers_admin": "CREATE POLICY {name} ON {table} FOR ALL TO {admin} USING (true) WITH CHECK (true)",
        "tiers_editor_read": "CREATE POLICY {name} ON {table} FOR SELECT TO {editor} USING (true)",
        "tiers_viewer_read": "CREATE POLICY {name} ON {table} FOR SELECT TO {viewer} USING ("
                             "(SELECT public.tiers_sees_all()) OR enterprise_id IS NULL "
                             "OR enterprise_id IN (SELECT id FROM public.enterprise))",
        "tiers_editor_append": "CREATE POLICY {name} ON {table} FOR INSERT TO {editor} WITH CHECK (true)",
    }
    for name, text in policies.items():
        _policy(connection, "change", name, text, **groups)
    for table in ("change", "import_batch"):
        connection.execute(sql.SQL("DROP TRIGGER IF EXISTS tiers_stamp_login ON {table}").format(
            table=sql.Identifier(table)))
        connection.execute(sql.SQL(
            "CREATE TRIGGER tiers_stamp_login BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION public.tiers_stamp_login()").format(
                table=sql.Identifier(table)))
