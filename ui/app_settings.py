"""What the client remembers between runs (QSettings, organisation "Tiers")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "Tiers"
APPLICATION = "Tiers"


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
    @property
    def organisation(self) -> str:  # 填报单位
        return self._text("report/organisation")

    @organisation.setter
    def organisation(self, value: str) -> None:
        self._set("report/organisation", value.strip())

    @property
    def officer(self) -> str:  # 填报人
        return self._text("report/officer")

    @officer.setter
    def officer(self, value: str) -> None:
        self._set("report/officer", value.strip())

    @property
    def phone(self) -> str:  # 联系电话
        return self._text("report/phone")

    @phone.setter
    def phone(self, value: str) -> None:
        self._set("report/phone", value.strip())

    # database -------------------------------------------------------------------------
    @property
    def database_path(self) -> str:
        return self._text("database/path")

    @database_path.setter
    def database_path(self, value: str) -> None:
        self._set("database/path", value)

    # folders and layout ---------------------------------------------------------------
    def last_folder(self, purpose: str) -> str:
        folder = self._text(f"folders/{purpose}")
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def remember_folder(self, purpose: str, path: str) -> None:
        target = Path(path)
        self._set(f"folders/{purpose}", str(target if target.is_dir() else target.parent))

    def geometry(self, name: str) -> QByteArray | None:
        value = self.settings.value(f"layout/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, name: str, value: QByteArray) -> None:
        self._set(f"layout/{name}", value)

    def hidden_columns(self, table: str) -> list[str]:
        text = self._text(f"columns/{table}")
        return [part for part in text.split(",") if part]

    def set_hidden_columns(self, table: str, keys: list[str]) -> None:
        self._set(f"columns/{table}", ",".join(keys))
