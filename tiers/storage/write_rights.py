"""Which firms the login may change, asked before a write so that a preview can say so per
firm (the server refuses the write anyway: tiers/storage/server/rights.py). SQLite has no
logins: everything is writable."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class WriteRights:
    """``counties`` None: every firm; else only firms in these county codes (empty: none)."""

    counties: frozenset[str] | None = None
    may_write: bool = True  # False: a viewer, who changes nothing

    def allows(self, county_code: str | None) -> bool:
        if not self.may_write:
            return False
        return self.counties is None or (county_code or "") in self.counties


def write_rights(session: Session) -> WriteRights:
    """The login's rights as the server's own functions and tables decide them."""
    if session.get_bind().dialect.name != "postgresql":
        return WriteRights()
    if session.execute(text("SELECT to_regprocedure('public.tiers_is_admin()')")
                       ).scalar_one() is None:
        return WriteRights()  # a server database without roles yet: its owner writes all
    if session.execute(text("SELECT public.tiers_is_admin()")).scalar_one():
        return WriteRights()
    if not session.execute(text("SELECT has_table_privilege('public.enterprise', 'UPDATE')")
                           ).scalar_one():
        return WriteRights(counties=frozenset(), may_write=False)
    from tiers.storage.server.rights import USERS_COUNTIES  # (psycopg: a server's alone)

    codes = session.execute(text(f"SELECT county_code FROM public.{USERS_COUNTIES} "
                                 "WHERE login = session_user")).scalars()
    return WriteRights(counties=frozenset(codes))
