"""The command line, ``tiers COMMAND …``: a face over the same services as the desktop client.

``main`` assembles the parser from one module per command (demo, enterprises, show, backup,
info, imports — import/imports/undo-import —, export, assess; gui when no command is given),
each with ``register(subparsers)`` and its handler; ``common`` holds what they share.
Qt-free (an import-linter contract says so; only the gui command starts the client), and
nothing heavy is imported until a command runs (tests/ui/cli/test_parser_is_light.py).
"""
