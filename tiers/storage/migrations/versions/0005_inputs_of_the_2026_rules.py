"""inputs of the 2026 办法: the platform's 专精特新发展评价得分, 国内细分市场排名, 主导产品收入占比,
省部级/国家级研发机构 and the places in 科技奖励, one column each in 年度数据 (issue #17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 21:30:00

Only nullable columns are added (no value is guessed for earlier years), so on SQLite the
batch context adds them with ALTER TABLE ... ADD COLUMN and on PostgreSQL with the same
statement; the schema upgrade runs every revision in one transaction (tiers.storage.schema),
so a failure leaves the database at the revision it had.
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

COLUMNS = (
    ('development_score', sa.Numeric(precision=5, scale=1)),
    ('domestic_rank', sa.Integer()),
    ('lead_product_ratio', sa.Numeric(precision=7, scale=3)),
    ('national_rd_centers', sa.Integer()),
    ('provincial_rd_centers', sa.Integer()),
    ('national_award_rank', sa.Integer()),
    ('provincial_award_rank', sa.Integer()),
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
