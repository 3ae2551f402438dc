"""Where the data lives: opening a database, migrations, backups, the bulk writer per engine.
The only package that knows which database engine is underneath."""
