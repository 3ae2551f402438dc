"""pinyin sort key: names sort the way Chinese users expect (by pinyin, not code point)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:08:24.132548
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pinyin_key', sa.String(length=1000), nullable=False,
                                      server_default=''))
        batch_op.create_index(batch_op.f('ix_enterprise_pinyin_key'), ['pinyin_key'],
                              unique=False)
    # fill the key of every existing enterprise (the same function new rows use)
    from tiers.model.pinyin import sort_key

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM enterprise")).all()
    if rows:
        bind.execute(sa.text("UPDATE enterprise SET pinyin_key = :key WHERE id = :id"),
                     [{"id": row_id, "key": sort_key(name)} for row_id, name in rows])


def downgrade() -> None:
    with op.batch_alter_table('enterprise', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_pinyin_key'))
        batch_op.drop_column('pinyin_key')
