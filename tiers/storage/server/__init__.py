"""The shared server: what only a PostgreSQL database of a bureau has and a SQLite file does
not: the logins' group roles, the per-county rights that PostgreSQL itself enforces
(row-level security and a guard trigger), the change log's user set by the server, the
users' administration and the server's backups (pg_dump, pg_restore).

Each module holds one idea: ``connection`` (a psycopg connection from a Tiers URL, errors
told in Chinese), ``roles`` (the group roles' names), ``rights`` (the SQL of grants,
policies and triggers), ``setup`` (``tiers server init``), ``users`` (``tiers user …``),
``scram`` (a password's verifier, so that no plain password crosses the wire), ``dump``
(``tiers backup``/``tiers restore`` on a server), ``statistics`` (the planner's statistics
after a large import), ``conflicts`` (报送情况's conflicts as a county viewer may know them)."""
