from __future__ import annotations


class ValidationError(ValueError):
    """Input the services refuse; ``fields`` maps a field name to a Chinese message."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("；".join(self.fields.values()))


class NotFound(LookupError):
    """The record named does not exist (or is in the 回收站 where that matters)."""
