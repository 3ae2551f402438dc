"""``tiers`` with no command: the desktop client. The only module of the command line that
reaches the Qt face, and only when the client is asked for."""

from __future__ import annotations

import argparse

from ui.cli.common import CliError


def run_gui(args: argparse.Namespace) -> int:
    try:
        from ui.app import run  # the GUI (and Qt) only when asked for
    except ImportError as exc:
        raise CliError(f"桌面客户端尚未就绪（{exc}）。可用 tiers --help 查看命令行功能。") from exc
    return run(db_path=args.db)
