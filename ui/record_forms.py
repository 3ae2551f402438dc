"""The fields of each record form, as data (labels, kinds, pick-lists from resources/)."""

from __future__ import annotations

from tiers.model import reference
from tiers.services import figures
from ui.record_form_dialog import FormField


def _levels():
    return [(level, level) for level in reference.LEVELS]


def recognition_fields() -> list[FormField]:
    return [
        FormField("tier_code", "梯度层级", "choice",
                  [(t.name, t.code) for t in reference.tiers()], required=True),
        FormField("level", "认定级别", "choice", _levels()),
        FormField("issuer", "认定单位", placeholder="留空则按层级自动填写"),
        FormField("batch_label", "批次", placeholder="如 第五批 / 2023年度"),
        FormField("batch_year", "认定年度", "int", placeholder="如 2023"),
        FormField("is_review", "复核通过", "bool"),
        FormField("review_of_batch", "复核的原批次"),
        FormField("document_number", "文号"),
        FormField("recognized_on", "认定日期", "date"),
        FormField("valid_until", "有效期至", "date", placeholder="留空则按层级有效期计算"),
        FormField("chain_code", "所属产业链（链主）", "choice",
                  [(f"{c.number}. {c.name}", c.code) for c in reference.chains()]),
        FormField("note", "备注", "multiline"),
    ]


def _paid_without_date(values: dict) -> str:
    if values.get("status") == "已兑现" and not values.get("paid_on"):
        return "状态为“已兑现”，但未填兑现日期"
    return ""


def measure_fields() -> list[FormField]:
    lists = reference.pick_lists()
    return [
        FormField("kind", "措施类别", "editable", [(k, k) for k in lists["kinds"]],
                  required=True),
        FormField("name", "项目名称"),
        FormField("amount", "金额（万元）", "decimal"),
        FormField("year", "年度", "int"),
        FormField("paid_on", "兑现日期", "date", warn=_paid_without_date),
        FormField("implementer", "实施单位"),
        FormField("implementer_level", "实施单位级别", "choice", _levels()),
        FormField("policy_basis", "政策依据/文号"),
        FormField("status", "状态", "choice", [(s, s) for s in lists["statuses"]]),
        FormField("note", "备注", "multiline"),
    ]


def figures_fields() -> list[FormField]:
    return [FormField("year", "年度", "int", required=True)] + [
        FormField(key, label, "multiline" if key == "note" else
                  "int" if key in figures.COUNTS else "decimal")
        for key, label in figures.LABELS.items() if key != "year"
    ]


def chain_role_fields() -> list[FormField]:
    return [
        FormField("chain_code", "产业链", "choice",
                  [(f"{c.number}. {c.name}（{c.cluster}）", c.code) for c in reference.chains()],
                  required=True),
        FormField("role", "角色", "choice",
                  [(r, r) for r in reference.pick_lists()["chain_roles"]], required=True),
        FormField("note", "备注"),
    ]


def cultivation_fields() -> list[FormField]:
    return [
        FormField("target_tier", "目标梯度", "choice",
                  [(t.name, t.code) for t in reference.tiers()], required=True),
        FormField("target_year", "目标年度", "int", required=True),
        FormField("officer", "责任人"),
        FormField("status", "状态", "choice",
                  [(s, s) for s in reference.pick_lists()["cultivation_statuses"]]),
        FormField("note", "备注", "multiline"),
    ]
