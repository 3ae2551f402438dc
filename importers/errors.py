"""What goes wrong in an import: a whole-file refusal, or a problem in one cell or row."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tiers.errors import Refused
from tiers.errors import with_hint as with_hint  # where the faces have long found it


class ImportRefused(Refused):
    """The file as a whole cannot be imported; the message says why, in Chinese, and what
    to do. Nothing has been written when this is raised."""


class SheetRefused(ImportRefused):
    """The sheet read holds no list to import: no header found on it, a header and no data
    rows, nothing at all, or a Tiers report that is no list. Reading it again gives the same
    (unlike a file locked or unreadable meanwhile); another sheet of the file may hold one."""


class ChoiceMissing(ImportRefused):
    """The file does not say something the import needs and the user did not give it.
    ``hint_field`` names what ("tier", "year"); each face adds where to give it (see
    with_hint), so the message names no widget and no command-line option."""

    def __init__(self, message: str, *, hint_field: str) -> None:
        super().__init__(message, hint_field=hint_field)


@dataclass(frozen=True)
class Problem:
    """One problem found in a row (or the file): where it is as Excel shows it."""

    sheet: str
    row: int | None  # Excel row number (1-based), None for the file as a whole
    column: str  # Excel column letter ("C"), "" for the row as a whole
    value: Any
    message: str
    severity: str = "error"  # error: the row is not imported / warning: imported anyway
    # what the user could give to settle it ("year", "link", "code_or_link", "mapping"):
    # each face adds where to give it (see with_hint); not in the message nor to_dict
    hint_field: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["hint_field"]
        value = data["value"]
        if value is not None and not isinstance(value, (str, int, float, bool)):
            data["value"] = str(value)
        return data


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
