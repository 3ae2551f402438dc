"""A server to connect to, and its password kept by the operating system's credential store.

The client's settings remember the server's host, port, database and user
(``ServerAddress``); the password goes to the credential store through ``keyring``
(Windows Credential Manager, the Secret Service of a Linux desktop, the macOS Keychain),
never into a file of ours. Where there is no such store (a Linux desktop without a Secret
Service, a bare X server) nothing is remembered: the client asks at each start and says
why. Back-ends that would write the password in plain text are not used either.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from tiers.errors import StorageError

KEYRING_SERVICE = "Tiers 数据库服务器"
DEFAULT_PORT = 5432
DEFAULT_DATABASE = "tiers"

NO_STORE = ("这台电脑没有可用的系统密码库（Windows 凭据管理器或 Linux 桌面的 Secret Service），"
            "Tiers 无法记住服务器密码，每次启动时需要输入；密码不会以明文保存在任何文件中。")


class PasswordStoreUnavailable(StorageError):
    """No credential store (or only one that would keep the password in plain text)."""

    def __init__(self, message: str = NO_STORE) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class ServerAddress:
    """Where the bureau's database is: what the settings file may hold (no password)."""

    host: str
    port: int = DEFAULT_PORT
    database: str = DEFAULT_DATABASE
    user: str = ""

    def url(self, password: str | None = None) -> str:
        """postgresql://user:password@host:port/database, each part quoted."""
        login = quote(self.user, safe="")
        if password:
            login += ":" + quote(password, safe="")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"postgresql://{login}@{host}:{self.port}/{quote(self.database, safe='')}"

    def label(self) -> str:
        """For the officer: 服务器 host:port 上的数据库 name（用户 user）."""
        return f"服务器 {self.host}:{self.port} 上的数据库 {self.database}（用户 {self.user}）"

    @property
    def key(self) -> str:
        """The credential store's name for this login."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    def missing(self) -> list[str]:
        """The fields still empty, by their Chinese names."""
        return [name for name, value in (("服务器地址", self.host), ("数据库名称", self.database),
                                         ("用户名", self.user)) if not value.strip()]

    @classmethod
    def from_url(cls, url: str) -> tuple[ServerAddress, str | None]:
        """The address of a postgresql:// URL and its password (None when not given)."""
        parts = urlsplit(url)
        password = unquote(parts.password) if parts.password is not None else None
        return cls(host=parts.hostname or "localhost", port=parts.port or DEFAULT_PORT,
                   database=unquote(parts.path.lstrip("/")) or DEFAULT_DATABASE,
                   user=unquote(parts.username or "")), password


def _store():
    """The keyring back-end, or PasswordStoreUnavailable."""
    import keyring

    backend = keyring.get_keyring()
    if _is_unusable(backend):
        raise PasswordStoreUnavailable()
    return backend


def _is_unusable(backend) -> bool:
    """keyring's "fail" and "null" back-ends store nothing; keyrings.alt's file back-ends
    would keep the password in a file (plain text or a weakly encrypted one): none of them."""
    kind = type(backend)
    if kind.__module__.startswith(("keyring.backends.fail", "keyring.backends.null",
                                   "keyrings.alt")):
        return True
    inner = getattr(backend, "backends", None)  # the chainer: usable if any part is
    if inner is not None:
        return all(_is_unusable(part) for part in inner) or not inner
    return False


def store_available() -> bool:
    try:
        _store()
    except PasswordStoreUnavailable:
        return False
    return True


def saved_password(address: ServerAddress) -> str | None:
    """The password kept for this login, None when none is (or there is no store)."""
    from keyring.errors import KeyringError

    try:
        return _store().get_password(KEYRING_SERVICE, address.key)
    except (PasswordStoreUnavailable, KeyringError):
        return None


def remember_password(address: ServerAddress, password: str) -> None:
    """Keep the password in the credential store; PasswordStoreUnavailable if there is none
    (then nothing is written anywhere)."""
    from keyring.errors import KeyringError

    try:
        _store().set_password(KEYRING_SERVICE, address.key, password)
    except KeyringError as exc:
        # (the back-end's own words are English: the log has them through the cause)
        raise PasswordStoreUnavailable("系统密码库没有保存密码（可能已锁定或被拒绝）。"
                                       "Tiers 不会以明文保存密码，下次启动时请再输入。") from exc

