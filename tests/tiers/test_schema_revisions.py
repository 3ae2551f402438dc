"""Opening a database reads its revision and the program's newest without Alembic (a
quarter of a second of imports for every command); what it reads must be what Alembic
itself says, on every engine and at every revision."""

from __future__ import annotations

import subprocess
import sys

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from tiers.storage import schema
from tiers.storage.database import make_engine


def alembic_scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(schema.MIGRATIONS))
    return ScriptDirectory.from_config(config)


def test_the_migration_files_read_as_alembic_reads_them():
    scripts = alembic_scripts()
    assert schema.head_revision() == scripts.get_current_head()
    assert schema.known_revisions() == {script.revision for script in scripts.walk_revisions()}


def alembic_revision(engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_the_revision_of_a_database_is_alembics_at_every_step(database, new_target):
    assert schema.current_revision(database.engine) == alembic_revision(database.engine)
    assert schema.current_revision(database.engine) == schema.head_revision()
    target = new_target("steps.sqlite3", migrated=False)
    engine = make_engine(target)
    try:
        assert schema.current_revision(engine) is None  # a new database: no version table
        revisions = [script.revision for script in alembic_scripts().walk_revisions()]
        for revision in reversed(revisions):
            command.upgrade(schema.migrations_config(engine), revision)
            assert schema.current_revision(engine) == alembic_revision(engine) == revision
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM alembic_version"))
        assert schema.current_revision(engine) is None == alembic_revision(engine)
    finally:
        engine.dispose()


def test_a_command_does_not_import_alembic(tmp_path):
    def imports_alembic(*command: str) -> bool:
        probe = ("import sys; from ui.cli.main import main; "
                 f"main(['--db', {str(tmp_path / 't.sqlite3')!r}, *{list(command)!r}]); "
                 "print('alembic' in sys.modules)")
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True)
        return done.stdout.split()[-1] == "True"

    assert imports_alembic("demo", "--enterprises", "3")  # a new file is upgraded: needed
    assert not imports_alembic("enterprises")
