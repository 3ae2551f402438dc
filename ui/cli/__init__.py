"""The command line, ``tiers COMMAND …``: a face over the same services as the desktop client.
Qt-free (an import-linter contract says so); only the gui command starts the client."""
