"""What a save of the enterprise window comes back with (from the background runner to the
window): written (with the stored profile and its version), fields refused, and what the
main window should refresh."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tiers.services.profile import ProfileBase, ProfileSaved
from ui.operations import Changes


def changes_of(saved: ProfileSaved) -> Changes:
    """What the main window should refresh after a save."""
    return Changes(enterprises=saved.created or bool(saved.basic_fields),
                   recognitions="recognitions" in saved.records,
                   figures="figures" in saved.records, measures="measures" in saved.records,
                   chains="chains" in saved.records)


@dataclass(frozen=True)
class FieldsRefused:
    """What the save job returns when the services refuse fields: their messages by field,
    for the form to show beside each (a plain refusal carries one message only)."""

    fields: dict[str, str]
    message: str


@dataclass(frozen=True)
class FirmNotThere:
    """What the save job returns when the firm was moved to the 回收站 (``binned``) or
    deleted for good meanwhile: the core's words (who, when); nothing was written and the
    edits stay in the window."""

    message: str
    binned: bool


@dataclass(frozen=True)
class SavedProfile:
    """A save done, with the stored profile read back for the window's new baseline."""

    saved: ProfileSaved
    base: ProfileBase  # the stored profile and its version: the next save's base
    history_rows: list[dict[str, Any]]
    # written by an earlier save of the same edits (its answer lost): nothing written now
    already_saved: bool = False

    @property
    def profile(self) -> dict[str, Any]:
        return dict(self.base.profile)
