"""A ``tiers`` process for the race tests: it loads everything once, then for each command
line (JSON argv) read from stdin answers "ready", waits for "go" and runs the command as
``tiers`` would, answering one JSON line: exit status, stdout, stderr (a traceback if the
command raised one). Two of these started together write the same database at the same
instant, without each command paying for a process start."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback

from tiers.storage import database as storage
from tiers.storage.database import Database, open_database
from ui.cli import main as cli

_opened: list[Database] = []


def _open_database(*args, **kwargs) -> Database:
    database = open_database(*args, **kwargs)
    _opened.append(database)
    return database


def _run(argv: list[str]) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except BaseException:  # noqa: BLE001 - reported to the test, which fails on it
            traceback.print_exc()
            status = -1
        finally:
            # closed as when a ``tiers`` process ends: a connection left open would lose
            # its POSIX locks when the next command opens and closes the file (issue #14,
            # item 4), and then its writes with them
            while _opened:
                _opened.pop().dispose()
    return {"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}


def serve() -> None:
    import importers.apply  # noqa: F401 - loaded before the race, as the CLI does lazily
    import importers.read.sources  # noqa: F401
    import importers.undo  # noqa: F401

    # every command opens its database through here (ui.cli.common imports it when run)
    storage.open_database = _open_database
    answer = sys.stdout
    for line in sys.stdin:
        argv = json.loads(line)
        print("ready", file=answer, flush=True)
        if sys.stdin.readline().strip() != "go":
            return
        print(json.dumps(_run(argv), ensure_ascii=False), file=answer, flush=True)


if __name__ == "__main__":
    serve()
