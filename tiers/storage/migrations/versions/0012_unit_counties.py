"""本单位负责的区县: the divisions this database's own unit answers for (a county, or a 设区市
for all its counties), so that an import of a province-wide list into a county's database
leaves the other counties' firms out unless the officer takes them in

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:00:00

A new table only, empty: created on SQLite and PostgreSQL; nothing set means nothing
changes. On a server, `tiers server init` (run after every upgrade) grants it as every
table: read by all, written by admins only. Every import plan reads it, so an upgrade of
a server whose groups exist grants that much at once: an editor's import would otherwise
fail on it until init is run again.

The group roles' names are frozen here as they were at this revision (the app's
tiers.storage.server.roles may change; a migration must do what it did when written).
"""
import hashlib
import re

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table('unit_county'):  # stamped back to an older revision
        return
    op.create_table(
        'unit_county',
        sa.Column('code', sa.String(length=6), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint('code', name='pk_unit_county'))
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        database = bind.execute(sa.text('SELECT current_database()')).scalar_one()
        groups = _group_roles(database)
        existing = set(bind.execute(sa.text('SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)'),
                                    {'names': list(groups.values())}).scalars())
        for role, name in groups.items():
            if name in existing:
                rights = 'ALL' if role == 'admin' else 'SELECT'
                quoted = name.replace('"', '""')
                op.execute(f'GRANT {rights} ON unit_county TO "{quoted}"')


# tiers.storage.server.roles as of revision 0012, frozen
_ROLES = ('admin', 'editor', 'viewer')
_LONGEST_PART = 40  # what fits in a role's name with the prefix and suffix (63 bytes)


def _group_roles(database: str) -> dict[str, str]:
    """{"admin": "tiers_<db>_admin", …}: lower-case letters, digits and _; a database name
    of other characters (or too long) shortened and made unique by a hash of the whole."""
    part = re.sub(r'[^a-z0-9_]', '_', database.lower())
    if part != database or len(part) > _LONGEST_PART:
        digest = hashlib.sha1(database.encode('utf-8')).hexdigest()[:8]
        part = f'{part[:_LONGEST_PART - 9]}_{digest}'
    return {role: f'tiers_{part}_{role}' for role in _ROLES}


def downgrade() -> None:
    op.drop_table('unit_county')
