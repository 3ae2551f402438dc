"""报送情况's conflicts as a county viewer may know them.

A package's import records, per county of the package, the credit codes of its firms left
in conflict (another county's package brought them here first); 报送情况 reads those firms
as they are now (tiers.queries.package_conflicts). Under row-level security a viewer of
新北区 does not see the firm the city holds from 武进区's package, so the read found
nothing and took the conflict for settled: 冲突 1 in the batch, 0 on his line, and nothing
told him that one of his county's firms was not taken in.

``tiers server init`` therefore installs a SECURITY DEFINER function (fixed search_path)
that says, for one package batch and one county the caller reads, which of the recorded
codes are still in conflict and which county holds each: the same rule as the query's,
read past the row rules. It tells a county viewer only the credit codes his own county's
package sent and the county holding them, never the other county's firm itself (its name,
its records): those stay behind the row rules."""

from __future__ import annotations

FUNCTION = "public.tiers_package_conflicts(bigint, text)"

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION public.tiers_package_conflicts(batch bigint, county text)
RETURNS TABLE (code text, holder text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    listed jsonb;
BEGIN
    -- a county the caller reads, and a package of that county's in this batch: nobody
    -- learns where another county's firms are by asking about codes of his choosing
    IF NOT (public.tiers_sees_all() OR EXISTS (
            SELECT 1 FROM public.tiers_user_county u
            WHERE u.login = session_user AND u.county_code = county)) THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.exchange_package p
                   JOIN public.exchange_package_county pc ON pc.package_id = p.id
                   WHERE p.import_batch_id = batch AND pc.county_code = county) THEN
        RETURN;
    END IF;
    BEGIN
        SELECT b.counts::jsonb -> 'conflict_codes' -> county INTO listed
        FROM public.import_batch b WHERE b.id = batch;
    EXCEPTION WHEN invalid_text_representation THEN
        RETURN;  -- counts that are not JSON: nothing recorded by code
    END;
    IF listed IS NULL OR jsonb_typeof(listed) <> 'array' THEN
        RETURN;
    END IF;
    -- still in conflict: here, not in the recycle bin, brought by a package, and held by
    -- another county's (tiers.queries.package_conflicts.conflict_firms)
    RETURN QUERY
    SELECT e.credit_code::text, coalesce(e.source_county, '')::text
    FROM jsonb_array_elements(listed) AS item(value)
    JOIN public.enterprise e ON e.credit_code = item.value #>> '{}'
    WHERE jsonb_typeof(item.value) = 'string' AND e.deleted_at IS NULL
      AND e.source_package_id IS NOT NULL AND coalesce(e.source_county, '') <> county;
END
$$;
REVOKE ALL ON FUNCTION public.tiers_package_conflicts(bigint, text) FROM PUBLIC;
"""


def install(connection, admin, editor, viewer) -> None:  # psycopg connection, sql.Identifier
    """The function, executable by the three groups (it reads, and only what they may)."""
    from psycopg import sql

    connection.execute(FUNCTION_SQL)
    connection.execute(sql.SQL("GRANT EXECUTE ON FUNCTION {function} TO {admin}, {editor}, "
                               "{viewer}").format(function=sql.SQL(FUNCTION), admin=admin,
                                                  editor=editor, viewer=viewer))


def held_elsewhere(session, batch_id: int, county: str) -> dict[str, str] | None:
    """credit code → the county holding it, of the codes ``batch_id`` recorded in conflict
    for ``county`` that are in conflict still, read past the row rules (a SQLAlchemy
    session). None where the server cannot say: a server whose ``tiers server init``
    predates the function. A file hides no firm from anyone: {} (the queries leave which
    database this is to tiers.storage)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":
        return {}
    usable = session.execute(text(
        f"SELECT to_regprocedure('{FUNCTION}') IS NOT NULL "
        f"AND has_function_privilege(to_regprocedure('{FUNCTION}'), 'EXECUTE')")).scalar()
    if not usable:
        return None
    return dict(session.execute(text(
        "SELECT code, holder FROM public.tiers_package_conflicts(:batch, :county)"),
        {"batch": batch_id, "county": county}).all())
