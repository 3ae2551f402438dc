"""The services' failures, under the one root of tiers.errors."""

from __future__ import annotations

from tiers.errors import InvalidInput, NotFound

__all__ = ["NotFound", "ValidationError"]


class ValidationError(InvalidInput):
    """Input the services refuse; ``fields`` maps a field name to a Chinese message."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("；".join(self.fields.values()))
