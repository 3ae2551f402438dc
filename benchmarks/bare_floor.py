"""The floor of the roster benchmarks: the same firms' ids fetched by the bare driver
(sqlite3 or psycopg, no SQLAlchemy, no ORM), sorted by name, with a plain LIKE for a
search. What the roster query costs beyond it is Tiers' own work."""

from __future__ import annotations

from tiers.storage.database import Database


def bare_ids(database: Database, like: str | None = None) -> list[int]:
    on_server = database.engine.dialect.name == "postgresql"
    mark = "%s" if on_server else "?"
    where = "deleted_at IS NULL"
    parameters: tuple = ()
    if like:
        where += f" AND name {'ILIKE' if on_server else 'LIKE'} {mark}"
        parameters = (f"%{like}%",)
    raw = database.engine.raw_connection()  # (on a server: checked out as the roster's are)
    try:
        cursor = raw.cursor()
        cursor.execute(f"SELECT id FROM enterprise WHERE {where} ORDER BY name", parameters)
        return [row[0] for row in cursor.fetchall()]
    finally:
        raw.close()
