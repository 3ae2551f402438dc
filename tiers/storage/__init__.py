"""Where the data lives: opening a database, migrations, backups. The only package that knows
which database engine is underneath."""
