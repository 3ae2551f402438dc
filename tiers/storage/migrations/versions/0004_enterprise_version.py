"""enterprise version: a counter raised by every write to a firm or its records, checked
when the enterprise window saves, so that two officers editing one firm lose nothing

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 21:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN with a constant default on both databases: SQLite does not copy the
    # table for it, PostgreSQL fills it without rewriting; inside the one upgrade transaction
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False,
                                      server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_column('version')
