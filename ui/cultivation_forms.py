"""培育库's entry forms (加入培育库, 修改培育信息): titled with the firm, and refusing while
open what the write would refuse (a second entry of one target, a target the firm holds:
tiers.services.cultivation_rule, asked of the firm's standing read before the form opens),
warning when the firm is 公示中 for the target."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from tiers.model import reference
from tiers.services import cultivation, cultivation_rule
from ui.record_form_dialog import FormField, RecordFormDialog
from ui.record_forms import cultivation_fields


def _tr(text: str) -> str:
    return QCoreApplication.translate("CultivationView", text)


def entry_title(action: str, name: str) -> str:  # as 产业链角色 — <firm>
    return action + (f" — {name}" if name else "")


def entry_fields(standing: cultivation_rule.Standing) -> list[FormField]:
    """The entry's form, 目标梯度 warning (not refusing) when the firm is 公示中 for it."""
    def warn(values: dict[str, Any]) -> str:
        return cultivation_rule.notice(
            standing, reference.resolve_tier(values.get("target_tier") or ""))

    return [dataclasses.replace(spec, warn=warn) if spec.key == "target_tier" else spec
            for spec in cultivation_fields()]


def ask_new_entry(parent: QWidget, name: str, defaults: dict[str, Any],
                  standing: cultivation_rule.Standing) -> dict[str, Any] | None:
    """加入培育库's values, or None when cancelled: a second entry of one target, or a target
    held, is said under 目标梯度 and the form stays open."""
    return RecordFormDialog.edit(parent, entry_title(_tr("加入培育库"), name),
                                 entry_fields(standing), defaults,
                                 lambda values: cultivation.check_new(values, standing))


def ask_entry_edit(parent: QWidget, row: dict[str, Any],
                   standing: cultivation_rule.Standing) -> dict[str, Any] | None:
    """修改培育信息's values, or None: refused in the form as the write would refuse it (a
    target of another open entry of the firm, one it holds, another entry's target and year)."""
    return RecordFormDialog.edit(
        parent, entry_title(_tr("修改培育信息"), row.get("name") or ""),
        entry_fields(standing), row,
        lambda values: cultivation.check_edit(values, standing, entry_id=row["id"],
                                              current_tier=row.get("target_tier"),
                                              current_status=row.get("status")))
