"""inputs of the 2022 13-indicator score (专精特新中小企业评价): the Ⅰ类 rights that are 高价值
or 自主研发, 市级 and 市级以下 research centres, the 数字化 level, the 质量 items met, the lead
product's field and the platform's 特色化 points, one column each in 年度数据 (issue #17)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 00:10:00

Only nullable columns are added (no value is guessed for earlier years); the schema upgrade
runs every revision in one transaction (tiers.storage.schema), so a failure leaves the database
at the revision it had.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

COLUMNS = (
    ('ip_class1_high_value', sa.Integer()),
    ('ip_class1_own', sa.Integer()),
    ('municipal_rd_centers', sa.Integer()),
    ('lower_rd_centers', sa.Integer()),
    ('digital_level', sa.Integer()),
    ('quality_items', sa.Integer()),
    ('lead_field_class', sa.Integer()),
    ('distinctive_score', sa.Integer()),
)


def upgrade() -> None:
    # a column already there (a database stamped back to an older revision, as the upgrade
    # tests make them) is kept as it is, not added twice
    present = {column['name'] for column in
               sa.inspect(op.get_bind()).get_columns('annual_figures')}
    missing = [(name, column_type) for name, column_type in COLUMNS if name not in present]
    if not missing:
        return
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        for name, column_type in missing:
            batch_op.add_column(sa.Column(name, column_type, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('annual_figures', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
