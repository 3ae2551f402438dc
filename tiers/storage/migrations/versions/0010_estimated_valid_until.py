"""有效期至 推算: a recognition whose list (or officer) gave no 有效期至 gets one computed by
Tiers (the tier's validity from the 认定日期, from the end of the title a 复核 renews, or to
the end of batch year + validity); the flag says so, so that the firm window and `tiers show`
write it as 推算 and not as a date read from the list

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 19:50:00

One NOT NULL column with a constant default, as 0008 and 0009: SQLite adds it with ALTER
TABLE ... ADD COLUMN (no table copy), PostgreSQL without rewriting the table. Every date
stored before stays as it was and unflagged (false): a computed date and one a list gave
cannot be told apart afterwards, and nothing is rewritten behind the officer's back.
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    present = {column['name'] for column in
               sa.inspect(op.get_bind()).get_columns('recognition')}
    if 'valid_until_estimated' in present:  # a database stamped back to an older revision
        return
    with op.batch_alter_table('recognition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_until_estimated', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('recognition', schema=None) as batch_op:
        batch_op.drop_column('valid_until_estimated')
