"""A throw-away PostgreSQL cluster for the tests: initdb into a temporary folder, a free port
on 127.0.0.1, trust authentication for local connections, fsync off (nothing here must
survive a crash of the machine). Used by .ci/run and by tests/conftest.py when the suite is
asked to run on PostgreSQL without a server given.

    python tests/pg_cluster.py start FOLDER   # prints the server's URL
    python tests/pg_cluster.py stop FOLDER

The server binaries are found on PATH or in /usr/lib/postgresql/*/bin (Debian's layout).
PostgreSQL refuses to run as root: as root, the cluster runs as the user ``postgres``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

SUPERUSER = "postgres"
# members of this group log in over TCP with a password (scram), the others are trusted:
# the tests of a wrong password need a server that checks one
PASSWORD_GROUP = "tiers_password_login"


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise SystemExit(f"PostgreSQL's {name} was not found (apt-get install postgresql)")
    return candidates[-1]


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _require_passwords_of(hba: Path, group: str) -> None:
    """pg_hba.conf takes the first line that matches: this one before initdb's "trust"."""
    line = f"host    all    +{group}    127.0.0.1/32    scram-sha-256\n"
    hba.write_text(line + hba.read_text())


def start(folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    subprocess.run(_as_owner([_binary("initdb"), "-D", str(data), "-U", SUPERUSER,
                              "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]),
                   check=True, stdout=subprocess.DEVNULL)
    _require_passwords_of(data / "pg_hba.conf", PASSWORD_GROUP)
    port = _free_port()
    options = (f"-c port={port} -c listen_addresses=127.0.0.1 -c fsync=off "
               f"-c synchronous_commit=off -c full_page_writes=off "
               f"-c unix_socket_directories={folder} -c max_connections=200")
    subprocess.run(_as_owner([_binary("pg_ctl"), "-D", str(data), "-o", options,
                              "-l", str(folder / "server.log"), "-w", "start"]),
                   check=True, stdout=subprocess.DEVNULL)
    url = f"postgresql://{SUPERUSER}@127.0.0.1:{port}/postgres"
    (folder / "url").write_text(url)
    return url


def stop(folder: Path) -> None:
    data = folder / "data"
    if (data / "postmaster.pid").exists():
        subprocess.run(_as_owner([_binary("pg_ctl"), "-D", str(data), "-m", "immediate",
                                  "stop"]), check=False, stdout=subprocess.DEVNULL)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    elif action == "stop":
        stop(where)
    else:
        raise SystemExit(f"unknown action {action}")
