"""``--db`` before or after the command, for every command at every depth (tester27: README
writes ``tiers server init --db …`` and ``tiers backup 文件夹 --db …``, which worked, but
``tiers demo --enterprises 300 --db …`` and ``tiers info --db …`` were refused with
“无法识别的参数：--db”)."""

from __future__ import annotations

import argparse

import pytest

from ui.cli.main import build_parser, main


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(path, parser) of every command and sub-command (``package list``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                yield (*path, name), command
                yield from _commands(command, (*path, name))


ALL = list(_commands(build_parser()))


def test_every_command_is_found():
    names = {" ".join(path) for path, _ in ALL}
    assert {"demo", "info", "backup", "server init", "user add", "package list",
            "bulk", "import", "unit", "undo-import"} <= names, names


@pytest.mark.parametrize("path", [path for path, _ in ALL], ids=" ".join)
def test_every_command_takes_db_after_it(path):
    command = dict(ALL)[path]
    assert "--db" in command._option_string_actions, (
        f"tiers {' '.join(path)} … --db 不被接受")
    # not given after the command: the one before it (or TIERS_DB) stays
    assert command._option_string_actions["--db"].default is argparse.SUPPRESS


@pytest.mark.parametrize("argv", [
    ["demo", "--enterprises", "5", "--db", "{db}"],
    ["info", "--db", "{db}"],
    ["package", "list", "--db", "{db}"],
    ["user", "list", "--db", "{db}"],
    ["backup", "folder", "--db", "{db}"],
])
def test_after_or_before_the_command_is_the_same(argv):
    after = build_parser().parse_args([word.format(db="x.sqlite3") for word in argv])
    before = build_parser().parse_args(["--db", "x.sqlite3",
                                        *[w for w in argv if w not in ("--db", "{db}")]])
    neither = build_parser().parse_args([w for w in argv if w not in ("--db", "{db}")])
    assert after.db == before.db == "x.sqlite3"
    assert neither.db is None
    # written in both places: the one after the command, nearest to it, wins
    both = build_parser().parse_args(["--db", "y.sqlite3",
                                      *[word.format(db="x.sqlite3") for word in argv]])
    assert both.db == "x.sqlite3"


def test_demo_and_info_with_db_after_the_command_run(tmp_path, capsys):
    path = tmp_path / "试用.sqlite3"
    assert main(["demo", "--enterprises", "5", "--db", str(path)]) == 0
    assert path.exists()
    capsys.readouterr()
    assert main(["info", "--db", str(path)]) == 0
    assert str(path) in capsys.readouterr().out
