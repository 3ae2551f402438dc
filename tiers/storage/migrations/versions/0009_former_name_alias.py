"""former names kept for matching only: a name an officer linked in an import and asked to
remember (a 简称 such as 恒立精工) is another way lists write the firm, not a 曾用名; it
matches like one but is not printed as 曾用名 in the 档案 and reports nor sent in 数据包

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 13:30:00

One NOT NULL column with a constant default, as 0008: SQLite adds it with ALTER TABLE ... ADD
COLUMN (no table copy), PostgreSQL without rewriting the table. Every name stored before is
kept as a former name (false): which of them were remembered from a link cannot be told
apart afterwards, and a former name shown is safer than one lost.
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = {column['name'] for column in
               sa.inspect(op.get_bind()).get_columns('former_name')}
    if 'is_alias' in present:  # a database stamped back to an older revision
        return
    with op.batch_alter_table('former_name', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_alias', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('former_name', schema=None) as batch_op:
        batch_op.drop_column('is_alias')
