"""The command line's help speaks Chinese, down to argparse's own headings, and names the
server URL that --db accepts."""

from __future__ import annotations

import re

import pytest

from ui.cli.main import main

ENGLISH = re.compile(r"usage:|positional arguments|options:|show this help|show program")


@pytest.mark.parametrize("argv", [["--help"], ["export", "--help"], ["import", "--help"],
                                  ["assess", "--help"]])
def test_help_has_no_english_headings(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：tiers")
    assert not ENGLISH.search(out), out


def test_help_names_the_server_url_and_hides_a_password(monkeypatch, capsys):
    monkeypatch.setenv("TIERS_DB", "postgresql://zhang:secret@10.0.0.5:5432/tiers")
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "postgresql://用户名@服务器:端口/数据库名" in out
    assert "secret" not in out and "zhang:***@10.0.0.5:5432" in out.replace("\n", "").replace(" ", "")
