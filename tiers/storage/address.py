"""Where a database is: a file on this computer (SQLite) or a PostgreSQL server named by a
URL. Every place that accepts a path (``--db``, ``TIERS_DB``, the client's 设置) accepts a
URL too; this module tells the two apart and spells the URL the way the engine needs it.
Light on purpose: the command line uses it before SQLAlchemy is imported."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tiers.errors import InvalidInput

# which driver serves a plain postgresql:// URL: psycopg 3 (its COPY is the bulk writer's)
SERVER_SCHEMES = {"postgresql": "postgresql+psycopg", "postgres": "postgresql+psycopg",
                  "postgresql+psycopg": "postgresql+psycopg"}


def is_url(target: str | Path | None) -> bool:
    """A URL (scheme://…), not a file path. Checked on the text: Path() would fold "//"."""
    return isinstance(target, str) and "://" in target


def resolve(target: str | Path | None) -> Path | str:
    """A file path (expanded, not yet checked) or a server URL as the engine needs it.
    None: ``TIERS_DB`` or the app-data default."""
    if target is None or target == "":
        target = os.environ.get("TIERS_DB") or None
    if target is None:
        from tiers.storage.location import default_path

        return default_path()
    if is_url(str(target)):
        return engine_url(str(target))
    return Path(target).expanduser()


def engine_url(url: str) -> str:
    """postgresql://user@host:port/db (or postgres://) → the same with the psycopg driver.
    Any other scheme is refused in Chinese: Tiers runs on SQLite files and PostgreSQL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme.startswith("sqlite"):
        return url
    if scheme not in SERVER_SCHEMES:
        raise InvalidInput(f"不支持的数据库地址：{shown(url)}（应为本机的数据库文件，"
                           "或 postgresql://用户名@服务器:端口/数据库名）")
    try:
        parts.port  # noqa: B018  (urllib checks the port only when asked)
    except ValueError:
        raise InvalidInput(f"数据库地址中的端口不对：{shown(url)}（端口应为数字，如 5432）") from None
    if not parts.hostname and not parts.path.strip("/"):
        raise InvalidInput(f"数据库地址不完整：{shown(url)}（应为 postgresql://用户名@服务器:端口/数据库名）")
    return urlunsplit((SERVER_SCHEMES[scheme], *parts[1:]))


def shown(url: str | Path) -> str:
    """The URL for messages and logs: the password replaced by ***."""
    text = str(url)
    if not is_url(text):
        return text
    if text.startswith("postgresql+psycopg://"):  # the driver is ours, not the user's business
        text = "postgresql://" + text[len("postgresql+psycopg://"):]
    parts = urlsplit(text)
    if parts.password is None:
        return text
    user = parts.username or ""
    host = parts.hostname or ""
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # a mistyped port: shown as written
        port = ":" + parts.netloc.rsplit(":", 1)[-1]
    return urlunsplit((parts.scheme, f"{user}:***@{host}{port}", *parts[2:]))


def in_place(target: str | Path | None) -> bool:
    """Whether the database ``target`` names (as resolve takes it) is there already: a
    server's, or a file (also given as a sqlite:// address) that is not empty. An address
    that cannot be read counts as there: opening it says what is wrong."""
    try:
        found = resolve(target)
    except InvalidInput:
        return True
    if isinstance(found, str):
        parts = urlsplit(found)
        if not parts.scheme.lower().startswith("sqlite"):
            return True
        found = Path(parts.path[1:])  # sqlite:///relative, sqlite:////absolute
    try:
        return found.is_file() and found.stat().st_size > 0
    except OSError:
        return False
