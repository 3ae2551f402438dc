"""What the client remembers between runs (QSettings, organisation "Tiers")."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from tiers.errors import os_reason
from tiers.storage import officer as officer_file
from tiers.storage.credentials import DEFAULT_DATABASE, DEFAULT_PORT, ServerAddress

if TYPE_CHECKING:
    from tiers.storage.database import Database

ORGANISATION = "Tiers"
APPLICATION = "Tiers"


def database_key(database: Database) -> str:
    """A short, stable name of a database for settings kept per database: its file (the
    same file by any path, in any case where the system ignores it) or its server's
    login user@host:port/database (ServerAddress.key: the same whether the URL had the
    password or not, the default port or none, a ?password= or not; never the password)."""
    if database.path is not None:
        return _file_key(database.path)
    url = database.engine.url
    return _hashed(ServerAddress(host=url.host or "localhost", port=url.port or DEFAULT_PORT,
                                 database=url.database or DEFAULT_DATABASE,
                                 user=url.username or "").key)


def _file_key(path: str | Path) -> str:
    return _hashed(os.path.normcase(str(Path(path).resolve())))


def _hashed(where: str) -> str:
    return hashlib.sha1(where.encode("utf-8")).hexdigest()[:16]


def first_folder() -> str:
    """Where a file is offered before any folder was used for it: the user's 文档
    (Documents), where Windows and the desktops keep a user's files, else the home folder
    (a report saved straight into C:\\Users\\name is hard to find again)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


class AppSettings:
    """Typed access to QSettings. Tests pass their own QSettings (an ini file in tmp_path)."""

    def __init__(self, settings: QSettings | None = None) -> None:
        # the default format (native on Windows; tests switch it to ini files in tmp_path)
        self.settings = settings or QSettings(QSettings.defaultFormat(), QSettings.UserScope,
                                              ORGANISATION, APPLICATION)

    def _text(self, key: str, default: str = "") -> str:
        value = self.settings.value(key, default)
        return "" if value is None else str(value)

    def _set(self, key: str, value) -> None:
        self.settings.setValue(key, value)
        self.settings.sync()

    # reporting identity -------------------------------------------------------------
    # 填报单位 / 报送单位, per database: the city's database and a county's opened by the
    # same user sign as different bureaus (one remembered for all sent the city's name
    # with the county's data package)
    def organisation_of(self, database: Database) -> str:
        self._carry_over_organisation()
        return self._text(f"report/organisation_by_database/{database_key(database)}")

    def _carry_over_organisation(self) -> None:
        """Once: the one 填报单位 earlier releases kept for every database goes to the file
        it was used with (database/path, when not on a server), then is forgotten."""
        if not self.settings.contains("report/organisation"):
            return
        unit, path = self._text("report/organisation").strip(), self.database_path
        if unit and path and not self.uses_server:
            key = f"report/organisation_by_database/{_file_key(path)}"
            if not self._text(key):
                self.settings.setValue(key, unit)
        self.settings.remove("report/organisation")
        self.settings.sync()

    def set_organisation_of(self, database: Database, value: str) -> None:
        self._set(f"report/organisation_by_database/{database_key(database)}", value.strip())

    # 填报人 / 操作人 and 联系电话: in the officer file the core and the command line read
    # (tiers.storage.officer), not in these settings only (tester28a #2: the CLI's imports
    # recorded root, its reports had no 填报人). Kept here only while that file cannot be
    # written (a read-only folder; a file there that cannot be read, which is not written
    # over: ui.app says so at start), and moved there at the next start.
    @property
    def officer(self) -> str:  # 填报人
        return self._officer_value("name", "report/officer")

    @officer.setter
    def officer(self, value: str) -> None:
        self._store_officer("report/officer", name=value)

    @property
    def phone(self) -> str:  # 联系电话
        return self._officer_value("phone", "report/phone")

    @phone.setter
    def phone(self, value: str) -> None:
        self._store_officer("report/phone", phone=value)

    def _officer_value(self, field: str, key: str) -> str:
        self._carry_over_officer()
        return getattr(officer_file.read(), field) or self._text(key).strip()

    def store_officer(self, name: str, phone: str) -> str:
        """Both at once (设置, 导出报表): "" when the officer file took them, else why it did
        not, in Chinese with its path — they are then kept in these settings (fixd28 #2:
        设置 said nothing, and the officer thought the command line had them too)."""
        said = [self._store_officer("report/officer", name=name),
                self._store_officer("report/phone", phone=phone)]  # (both, whatever the first)
        return next(filter(None, said), "")

    def _store_officer(self, key: str, **value: str) -> str:
        try:
            officer_file.save(**value)
        except (OSError, officer_file.Unreadable) as exc:  # (remembered here meanwhile)
            self._set(key, next(iter(value.values())).strip())
            return (officer_file.problem() if isinstance(exc, officer_file.Unreadable)
                    else f"无法写入 {officer_file.path()}（{os_reason(exc)}）")
        if self.settings.contains(key):
            self.settings.remove(key)
            self.settings.sync()
        return ""

    def _carry_over_officer(self) -> None:
        """Once (the first start after the update): the name and phone earlier releases
        kept in these settings go to the officer file, unless it has its own already,
        then are forgotten here."""
        keys = [key for key in ("report/officer", "report/phone") if self.settings.contains(key)]
        if not keys:
            return
        stored = officer_file.read()
        try:
            officer_file.save(name=stored.name or self._text("report/officer").strip(),
                              phone=stored.phone or self._text("report/phone").strip())
        except (OSError, officer_file.Unreadable):
            return  # (read from here meanwhile: _officer_value)
        for key in keys:
            self.settings.remove(key)
        self.settings.sync()

    # database -------------------------------------------------------------------------
    @property
    def database_path(self) -> str:
        return self._text("database/path")

    @database_path.setter
    def database_path(self, value: str) -> None:
        self._set("database/path", value)

    @property
    def local_database(self) -> Path:
        """The file on this computer to go back to from a server: the one used last, else
        the app-data default (not TIERS_DB: it may name the very server)."""
        from tiers.storage.location import data_folder

        return Path(self.database_path) if self.database_path \
            else data_folder() / "tiers.sqlite3"

    # the bureau's server (设置 → 连接服务器): no password here, it is in the credential store
    @property
    def uses_server(self) -> bool:
        """Whether the client starts on the server (else on the local file)."""
        return self._text("database/mode") == "server" and self.server is not None

    @uses_server.setter
    def uses_server(self, value: bool) -> None:
        self._set("database/mode", "server" if value else "local")

    @property
    def server(self) -> ServerAddress | None:
        host = self._text("server/host")
        if not host:
            return None
        try:
            port = int(self._text("server/port") or DEFAULT_PORT)
        except ValueError:
            port = DEFAULT_PORT
        return ServerAddress(host=host, port=port,
                             database=self._text("server/database") or DEFAULT_DATABASE,
                             user=self._text("server/user"))

    @server.setter
    def server(self, address: ServerAddress) -> None:
        for key, value in (("host", address.host), ("port", address.port),
                           ("database", address.database), ("user", address.user)):
            self.settings.setValue(f"server/{key}", value)
        self.settings.sync()

    # folders and layout ---------------------------------------------------------------
    def last_folder(self, purpose: str) -> str:
        folder = self._text(f"folders/{purpose}")
        return folder if folder and Path(folder).is_dir() else first_folder()

    def remember_folder(self, purpose: str, path: str) -> None:
        target = Path(path)
        self._set(f"folders/{purpose}", str(target if target.is_dir() else target.parent))

    def geometry(self, name: str) -> QByteArray | None:
        value = self.settings.value(f"layout/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self._set(f"layout/{name}", value)

    def table_state(self, table: str) -> QByteArray | None:
        """A table's header as the user left it: widths, order, hidden columns, sort."""
        value = self.settings.value(f"tables/{table}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def table_widths_chosen(self, table: str) -> bool:
        """Whether the user has dragged a column's width (then it is not fitted again)."""
        return self._text(f"tables/{table}_widths") == "user"

    def table_counties(self, table: str) -> str:
        """How many counties the database's firms were in when the table's state was saved:
        "several", "one" or "" (not known), for its 县区 column (ui.county_column)."""
        return self._text(f"tables/{table}_counties")

    def set_table_counties(self, table: str, counties: str) -> None:
        self._set(f"tables/{table}_counties", counties)

    def set_table_state(self, table: str, state: QByteArray | None, *,
                        widths_chosen: bool = False) -> None:
        if state is None:  # with what was saved beside it
            self.settings.remove(f"tables/{table}")
            self.settings.remove(f"tables/{table}_widths")
            self.settings.remove(f"tables/{table}_counties")
        else:
            self.settings.setValue(f"tables/{table}", state)
            self.settings.setValue(f"tables/{table}_widths", "user" if widths_chosen else "")
        self.settings.sync()
