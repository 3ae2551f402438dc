"""Alembic environment. ``tiers.storage.schema.upgrade`` hands in a connection already inside
its one transaction (config.attributes["connection"]): the whole upgrade and its version stamp
commit together or not at all. Anything else (a test stepping to one revision) hands in the
engine (config.attributes["engine"]) and gets a transaction here."""

from alembic import context

from tiers.model.orm import Base

config = context.config


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():  # nothing to begin when the caller's is open
        context.run_migrations()


if "connection" in config.attributes:
    run(config.attributes["connection"])
else:
    with config.attributes["engine"].begin() as connection:
        run(connection)
