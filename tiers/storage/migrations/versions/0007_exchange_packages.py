"""exchange packages (数据包, issue #16): the packages applied at this database, the counties
each one covered, and on every record which package (and county) it came from

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 00:20:00

New tables and nullable columns only (records entered here keep no provenance: NULL), so
on SQLite the batch context adds the columns with ALTER TABLE ... ADD COLUMN; the schema
upgrade runs every revision in one transaction (tiers.storage.schema), so a failure leaves
the database at the revision it had.
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# the tables whose rows a package carries, and so may have come from one
SOURCED = ('enterprise', 'former_name', 'recognition', 'chain_role', 'support_measure',
           'annual_figures', 'cultivation_entry')


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table('exchange_package'):
        op.create_table(
            'exchange_package',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('import_batch_id', sa.Integer(), nullable=False),
            sa.Column('file_name', sa.String(length=500), nullable=False),
            sa.Column('sha256', sa.String(length=64), nullable=False),
            sa.Column('source_unit', sa.String(length=200), nullable=False),
            sa.Column('package_date', sa.DateTime(), nullable=False),
            sa.Column('tiers_version', sa.String(length=30), nullable=False),
            sa.Column('counts', sa.Text(), nullable=False),
            sa.ForeignKeyConstraint(['import_batch_id'], ['import_batch.id'],
                                    name='fk_exchange_package_import_batch_id_import_batch'),
            sa.PrimaryKeyConstraint('id', name='pk_exchange_package'))
        op.create_index('ix_exchange_package_import_batch_id', 'exchange_package',
                        ['import_batch_id'])
        op.create_table(
            'exchange_package_county',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('package_id', sa.Integer(), nullable=False),
            sa.Column('county_code', sa.String(length=6), nullable=False),
            sa.Column('county_name', sa.String(length=50), nullable=False),
            sa.Column('firms', sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(['package_id'], ['exchange_package.id'],
                                    name='fk_exchange_package_county_package_id_exchange_package',
                                    ondelete='CASCADE'),
            sa.PrimaryKeyConstraint('id', name='pk_exchange_package_county'))
        op.create_index('ix_exchange_package_county_county_code', 'exchange_package_county',
                        ['county_code'])
    # what is already there (a database stamped back to an older revision, as the upgrade
    # tests make them) is kept as it is, not added twice
    for table in SOURCED:
        present = {column['name'] for column in inspector.get_columns(table)}
        with op.batch_alter_table(table, schema=None) as batch_op:
            if 'source_package_id' not in present:
                batch_op.add_column(sa.Column('source_package_id', sa.Integer(), nullable=True))
                batch_op.add_column(sa.Column('source_county', sa.String(length=6),
                                              nullable=True))
            if table == 'cultivation_entry' and 'import_batch_id' not in present:
                batch_op.add_column(sa.Column('import_batch_id', sa.Integer(), nullable=True))
                batch_op.create_foreign_key(
                    'fk_cultivation_entry_import_batch_id_import_batch', 'import_batch',
                    ['import_batch_id'], ['id'])
        indexes = {index['name'] for index in inspector.get_indexes(table)}
        if f'ix_{table}_source_county' not in indexes:
            op.create_index(f'ix_{table}_source_county', table, ['source_county'])


def downgrade() -> None:
    for table in SOURCED:
        op.drop_index(f'ix_{table}_source_county', table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source_county')
            batch_op.drop_column('source_package_id')
            if table == 'cultivation_entry':
                batch_op.drop_constraint('fk_cultivation_entry_import_batch_id_import_batch',
                                         type_='foreignkey')
                batch_op.drop_column('import_batch_id')
    op.drop_table('exchange_package_county')
    op.drop_table('exchange_package')
