"""The planner's statistics right after a large write on a server.

PostgreSQL's autovacuum analyses a table about a minute after it grew; until then the
planner guesses its size and spread. A city that imports a second county's package (or
the same county's again) in that minute got plans for empty tables: 28.9 s instead of
22.1 s for a package of 100,000 firms (the ANALYZE itself took 1.5 s). ANALYZE is the tables' owner's, and officers' logins own
nothing, so ``tiers server init`` installs a SECURITY DEFINER function (fixed search_path,
no arguments: it analyses only the firms' tables and the change log) that editors and
admins may call, and a large import calls it before its commit, inside its transaction:
the statistics (pg_statistic) commit or roll back with the rows they describe; the size
estimates ANALYZE writes in place (reltuples, relpages) stay either way, as they would
after any ANALYZE.

Statistics are a help, never a condition: a table that another session holds (an ANALYZE
of its own, an index being built) is skipped after a second instead of making the import
wait or fail, the whole is given about ten seconds at most, a server whose init predates
the function is simply not analysed, and any error of the ANALYZE is rolled back to a
savepoint of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from psycopg import sql
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

ANALYSE_FROM = 20_000  # rows written by one transaction before the tables are analysed
FUNCTION = "public.tiers_analyze_tables()"

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION public.tiers_analyze_tables() RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp SET lock_timeout = '1s' AS $$
DECLARE
    one text;
    started timestamptz := clock_timestamp();
BEGIN
    -- the firms' tables and the change log, and only those the definer owns: an admin
    -- (who may create tables) cannot have the owner analyse a table of his making
    FOR one IN
        SELECT t.relname::text FROM pg_class t
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' AND t.relkind = 'r'
          AND t.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
          AND (t.relname IN ('enterprise', 'change') OR t.oid IN (
               SELECT c.conrelid FROM pg_constraint c
               WHERE c.contype = 'f' AND c.confrelid = 'public.enterprise'::regclass))
        ORDER BY 1
    LOOP
        EXIT WHEN clock_timestamp() - started > interval '10 seconds';  -- a budget in all
        BEGIN
            EXECUTE format('ANALYZE public.%I', one);
        EXCEPTION WHEN lock_not_available THEN
            NULL;  -- held by another session: autovacuum will do it
        END;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION public.tiers_analyze_tables() FROM PUBLIC;
"""


def install(connection, admin: sql.Identifier, editor: sql.Identifier) -> None:
    """The function, executable by the admin and editor groups (viewers write nothing)."""
    connection.execute(FUNCTION_SQL)
    connection.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {function} TO {admin}, {editor}")
                       .format(function=sql.SQL(FUNCTION), admin=admin, editor=editor))


@contextmanager
def analysed_afterwards(connection: Connection, *, rows: int) -> Iterator[None]:
    """Around a transaction's large write (about ``rows`` rows) on a server: the tables
    analysed at its end, before the commit, where the server has the function and this
    login may run it."""
    yield
    if rows < ANALYSE_FROM:
        return
    callable_here = connection.exec_driver_sql(
        f"SELECT to_regprocedure('{FUNCTION}') IS NOT NULL "
        f"AND has_function_privilege(to_regprocedure('{FUNCTION}'), 'EXECUTE')").scalar()
    if not callable_here:
        return
    # in a savepoint of its own: whatever goes wrong (a statement timeout of the server's)
    # loses the statistics, never the import
    connection.exec_driver_sql("SAVEPOINT tiers_statistics")
    try:
        connection.exec_driver_sql(f"SELECT {FUNCTION}")
    except DBAPIError:
        connection.exec_driver_sql("ROLLBACK TO SAVEPOINT tiers_statistics")
    connection.exec_driver_sql("RELEASE SAVEPOINT tiers_statistics")
