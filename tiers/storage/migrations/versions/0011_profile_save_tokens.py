"""profile save tokens: each 保存 of the firm window carries a token that its transaction
writes here, so that a 保存 again after one whose answer was lost (the server's connection
broken at the commit) finds it written and writes nothing twice

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 23:00:00

A new table only, nothing rewritten: created empty on SQLite and PostgreSQL. Its foreign key
to enterprise makes the server's rights (tiers server init) treat it as a record of the firm:
an editor writes tokens for his counties' firms only.
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table('profile_save'):  # stamped back to an older revision
        return
    op.create_table(
        'profile_save',
        sa.Column('token', sa.String(length=36), nullable=False),
        sa.Column('enterprise_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'],
                                name='fk_profile_save_enterprise_id_enterprise',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token', name='pk_profile_save'))
    op.create_index('ix_profile_save_enterprise_id', 'profile_save', ['enterprise_id'])


def downgrade() -> None:
    op.drop_index('ix_profile_save_enterprise_id', table_name='profile_save')
    op.drop_table('profile_save')
