"""What the libraries log (SQLAlchemy's pool when a server's connection is lost: "Exception
during reset or similar" with an English traceback; pg_dump's own report) goes to the
log file, tiers.log in the user's log folder, not to the terminal: with no handler
configured, Python's last resort printed it on stderr above the command's one Chinese line
(the audit of the twenty-third session, a server stopped in the middle of tiers export).

Run in a process of its own: pytest's own log handlers would keep the last resort from
printing anything here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import logging, sys
import tiers.storage.database as storage
from tiers.storage.faults import DatabaseError

def lost(*args, **kwargs):
    try:
        raise OSError("the connection is lost")
    except OSError:
        logging.getLogger("sqlalchemy.pool.impl.QueuePool").error(
            "Exception during reset or similar", exc_info=True)
    raise DatabaseError("与数据库服务器的连接中断了（服务器重启或网络断开）。请稍后重试")

storage.open_database = lost
from ui.cli.main import main
sys.exit(main(["--db", sys.argv[1], "info"]))
"""


def _run(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess:
    database = tmp_path / "tiers.sqlite3"
    database.write_bytes(b"")
    env = {name: value for name, value in os.environ.items() if name != "TIERS_DEBUG"}
    env.update(HOME=str(tmp_path / "home"), XDG_STATE_HOME=str(tmp_path / "state"),
               PYTHONPATH=str(ROOT), **environment)
    return subprocess.run([sys.executable, "-c", PROBE, str(database)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def test_a_library_traceback_goes_to_the_log_file_not_the_terminal(tmp_path):
    done = _run(tmp_path)
    assert done.returncode == 1
    assert done.stderr == "错误：与数据库服务器的连接中断了（服务器重启或网络断开）。请稍后重试\n"
    logged = (tmp_path / "state" / "Tiers" / "log" / "tiers.log").read_text(encoding="utf-8")
    assert "Exception during reset or similar" in logged and "Traceback" in logged
    assert "the connection is lost" in logged


def test_tiers_debug_shows_it_on_the_terminal_too(tmp_path):
    done = _run(tmp_path, TIERS_DEBUG="1")
    assert "Exception during reset or similar" in done.stderr and "Traceback" in done.stderr


def test_pg_dump_cut_off_by_the_server_is_said_in_chinese():
    """pg_dump's report of a server stopped under it read 详情见日志文件 alone, the one case
    of a lost connection the tools' reasons did not know."""
    from tiers.storage.server.dump import _reason

    told = _reason("pg_dump: error: query failed: server closed the connection unexpectedly\n"
                   "\tThis probably means the server terminated abnormally\n")
    assert told == "与数据库服务器的连接中断了（服务器重启或网络断开），备份或恢复没有完成"
    assert _reason("pg_dump: error: connection to server at \"127.0.0.1\", port 1 failed: "
                   "Connection refused") == "无法连接服务器"
