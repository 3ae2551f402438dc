"""pending recognitions: a recognition read from a 公示 list (拟认定、拟推荐、拟入选) is
公示中 until its final list arrives or the officer confirms it; it is not a held tier
until then (issue #16)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 00:20:00

One NOT NULL column with a constant default: SQLite adds it with ALTER TABLE ... ADD COLUMN
(no table copy), PostgreSQL fills it without rewriting the table; every recognition stored
before was read from a final list, so false is right for all of them. (The exchange package
adds 0006 in parallel; the merge re-chains this revision onto it.)
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = {column['name'] for column in
               sa.inspect(op.get_bind()).get_columns('recognition')}
    if 'is_pending' in present:  # a database stamped back to an older revision
        return
    with op.batch_alter_table('recognition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('recognition', schema=None) as batch_op:
        batch_op.drop_column('is_pending')
