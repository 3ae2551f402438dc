"""Helpers for the tests of a client on a server: a credential store in memory (the real one
is never touched), logins of their own on the test server, a port where nothing answers."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

PASSWORD_GROUP = "tiers_password_login"  # tests/pg_cluster.py: its members need a password


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A credential store that lives in this dict only."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    store = MemoryKeyring()
    keyring.set_keyring(store)
    yield store
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """As on a Linux desktop without a Secret Service (or under Xvfb)."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def plain_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def admin(url: str):
    import psycopg

    return psycopg.connect(plain_url(url), autocommit=True)


def with_login(url: str, user: str, password: str | None = None) -> str:
    """``url`` (a superuser's) with another login."""
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(plain_url(url))
    login = quote(user) + (f":{quote(password)}" if password is not None else "")
    return urlunsplit((parts.scheme, f"{login}@{parts.hostname}:{parts.port}", *parts[2:]))


@contextmanager
def login(database_url: str, *, password: str | None = None,
          rights: bool = True) -> Iterator[str]:
    """A login role of its own on the test server (dropped afterwards), with reading and
    writing rights on the database's tables unless ``rights`` is False; with a password,
    a member of the group that must give one. Yields the name."""
    from psycopg import sql

    name = f"officer_{uuid.uuid4().hex[:10]}"
    with admin(database_url) as connection:
        if password is not None:
            connection.execute(f"DO $$ BEGIN CREATE ROLE {PASSWORD_GROUP} NOLOGIN; "
                               "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
            connection.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(name), sql.Literal(password), sql.Identifier(PASSWORD_GROUP)))
        else:
            connection.execute(f"CREATE ROLE {name} LOGIN")
        if rights:
            connection.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                               f"public TO {name}")
            connection.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}")
    try:
        yield name
    finally:
        with admin(database_url) as connection:
            connection.execute(f"DROP OWNED BY {name}")
            connection.execute(f"DROP ROLE {name}")


def checks_passwords(database_url: str, user: str) -> bool:
    """Whether the server refuses this login with a wrong password (a server that trusts
    every local login cannot test a wrong password)."""
    import psycopg

    try:
        psycopg.connect(with_login(database_url, user, "surely-wrong"), connect_timeout=5).close()
    except psycopg.OperationalError:
        return True
    return False


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (taken and given back)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers: a server that hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


class CommitCutter:
    """A TCP relay in front of the test server that, once ``armed``, passes a transaction's
    COMMIT on to the server, takes the server's answer and drops the connection instead of
    passing it back: the commit is done, the client hears only that the connection broke
    (as when the network fails just then). ``url`` is the server's URL through the relay."""

    def __init__(self, server_url: str) -> None:
        import threading
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(server_url)
        self.target = (parts.hostname, parts.port)
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        port = self.listener.getsockname()[1]
        login = parts.netloc.rsplit("@", 1)[0]
        query = "&".join(q for q in (parts.query, "sslmode=disable") if q)  # plain text: COMMIT read
        self.url = urlunsplit((parts.scheme, f"{login}@127.0.0.1:{port}", parts.path, query, ""))
        self.armed = threading.Event()
        self.cut = threading.Event()  # a commit's answer was dropped
        self._threads = threading
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self.target)
            cutting = self._threads.Event()
            for pump in (self._up, self._down):
                self._threads.Thread(target=pump, args=(client, server, cutting),
                                     daemon=True).start()

    def _up(self, client: socket.socket, server: socket.socket, cutting) -> None:
        try:
            while data := client.recv(65536):
                # a simple query 'Q' … "COMMIT": from now on the answer is not passed back
                if self.armed.is_set() and data.startswith(b"Q") and b"COMMIT" in data.upper():
                    self.armed.clear()
                    cutting.set()
                server.sendall(data)
        except OSError:
            pass

    def _down(self, client: socket.socket, server: socket.socket, cutting) -> None:
        try:
            while data := server.recv(65536):
                if cutting.is_set():  # the commit's answer: dropped, and the line with it
                    self.cut.set()
                    break
                client.sendall(data)
        except OSError:
            pass
        for end in (client, server):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
