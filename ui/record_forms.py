"""The fields of each record form, as data: labels from the field catalogue
(resources/fields.toml), pick-lists from resources/, kinds and hints of the forms' own."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication

from tiers.model import reference
from tiers.services import figures, measures
from tiers.text import fields
from ui.record_form_dialog import FormField


def tr(text: str) -> str:
    return QCoreApplication.translate("RecordForms", text)


def _field(entity: str, key: str, kind: str = "text", *args: Any, **options: Any) -> FormField:
    """A form field titled as the catalogue calls it."""
    return FormField(key, fields.label(entity, key), kind, *args, **options)


_recognition = partial(_field, "recognition")
_measure = partial(_field, "support_measure")
def _figures(key: str, kind: str = "text", *args: Any, **options: Any) -> FormField:
    """A figure titled with its unit (营业收入（万元）): the officer types 万元, not 元."""
    return FormField(key, fields.heading("annual_figures", key), kind, *args, **options)
_chain_role = partial(_field, "chain_role")
_cultivation = partial(_field, "cultivation_entry")


def _levels():
    return [(level, level) for level in reference.LEVELS]


def recognition_fields() -> list[FormField]:
    return [
        _recognition("tier_code", "choice", [(t.name, t.code) for t in reference.tiers()],
                     required=True),
        _recognition("level", "choice", _levels()),
        _recognition("issuer", placeholder=tr("留空则按层级自动填写")),
        _recognition("batch_label", placeholder=tr("如 第五批 / 2023年度")),
        _recognition("batch_year", "int", placeholder=tr("如 2023")),
        _recognition("is_review", "bool"),
        _recognition("is_pending", "bool"),
        _recognition("review_of_batch"),
        _recognition("document_number"),
        _recognition("recognized_on", "date"),
        _recognition("valid_until", "date", placeholder=tr("留空则按层级有效期计算")),
        _recognition("chain_code", "choice",
                     [(f"{c.number}. {c.name}", c.code) for c in reference.chains()]),
        _recognition("note", "multiline"),
    ]


def _paid_without_date(values: dict) -> str:
    if values.get("status") == measures.PAID and not values.get("paid_on"):
        return tr("状态为“%1”，但未填兑现日期").replace("%1", measures.PAID)
    return ""


def status_by_date_hint() -> str:
    """What the 状态 field says while it follows the date (measures.status_by_date)."""
    return tr("未选择时按兑现日期：填了兑现日期为“%1”，否则为“%2”；可另选").replace(
        "%1", measures.PAID).replace("%2", measures.NOT_PAID)


def measure_fields() -> list[FormField]:
    lists = reference.pick_lists()
    return [
        # a kind not in the pick-list is kept (a county's own), said with the nearest ones
        _measure("kind", "editable", [(k, k) for k in lists["kinds"]], required=True,
                 warn=lambda values: measures.kind_note(values.get("kind"))),
        _measure("name"),
        _measure("amount", "decimal"),
        _measure("year", "int"),
        _measure("paid_on", "date", warn=_paid_without_date),
        _measure("implementer"),
        _measure("implementer_level", "choice", _levels()),
        _measure("policy_basis"),
        _measure("status", "choice", [(s, s) for s in lists["statuses"]],
                 placeholder=status_by_date_hint(),
                 follows=lambda values: measures.status_by_date(values.get("paid_on"))),
        _measure("note", "multiline"),
    ]


def _figure_field(key: str) -> FormField:
    if key in figures.CHOICES:  # a level or a class, offered by name
        return _figures(key, "choice", [(text, number) for number, text in figures.CHOICES[key]])
    return _figures(key, "multiline" if key == "note" else
                    "int" if key in figures.COUNTS else "decimal")


def figures_fields() -> list[FormField]:
    return [_figures("year", "int", required=True)] + [
        _figure_field(key) for key in figures.LABELS if key != "year"]


def chain_role_fields() -> list[FormField]:
    return [
        _chain_role("chain_code", "choice",
                    [(f"{c.number}. {c.name}（{c.cluster}）", c.code) for c in reference.chains()],
                    required=True),
        _chain_role("role", "choice",
                    [(r, r) for r in reference.pick_lists()["chain_roles"]], required=True),
        _chain_role("note"),
    ]


def cultivation_fields() -> list[FormField]:
    return [
        _cultivation("target_tier", "choice", [(t.name, t.code) for t in reference.tiers()],
                     required=True),
        _cultivation("target_year", "int", required=True),
        _cultivation("officer"),
        _cultivation("status", "choice",
                     [(s, s) for s in reference.pick_lists()["cultivation_statuses"]]),
        _cultivation("note", "multiline"),
    ]
