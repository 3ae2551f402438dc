"""The four record tabs of the enterprise window: their columns, the form each row is edited
in, and how a form's values are shown before they are saved (the services' own ``clean``)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from tiers.model import ladder, reference
from tiers.queries import misdated_reviews
from tiers.services import figures, measures, recognitions
from tiers.services.profile import DELETED, NEW
from tiers.text import fields
from ui.enterprise_dialog.record_tab import RecordTab
from ui.measures_view import MeasuresModel
from ui.record_form_dialog import RecordFormDialog
from ui.record_forms import chain_role_fields, figures_fields, measure_fields, recognition_fields
from ui.record_table_model import RecordColumn
from ui.roster_cells import display

Titled = Callable[[str], str]  # a form's title with the firm's name
RIGHT = Qt.AlignRight | Qt.AlignVCenter


def recognition_tab(owner: QWidget, rows: list[dict[str, Any]], titled: Titled) -> RecordTab:
    made: list[RecordTab] = []  # the tab, once made: its rows are the firm's titles

    def titles() -> list[dict[str, Any]]:
        return made[0].rows if made else rows

    columns = [
        RecordColumn("tier", "梯度层级"), RecordColumn("level", "级别"),
        # a 复核 pass says so (第二批（复核）): else it reads as the batch's own title
        RecordColumn("batch_label", "批次", lambda r: ladder.batch_shown(
            display(r.get("batch_label")), is_review=bool(r.get("is_review")))),
        # a 复核 dated to the year of the batch it renews (an import before the 复核-year
        # rule): said in the cell, with the year it should have (tiers check lists them
        # all), short enough to be read in a column at 1366×768; why, and what to do, in
        # its tooltip (rich text: it wraps)
        RecordColumn("batch_year", "年度", lambda r: display(r.get("batch_year")) + (
            owner.tr("（疑为 %1）").replace("%1", str(year))
            if (year := misdated_year(r, titles())) else ""),
            tooltip=lambda r: _misdated_tooltip(owner, r, titles())),
        RecordColumn("recognized_on", "认定日期"),
        # a date Tiers computed (the list gave none) is not one to quote: said so
        RecordColumn("valid_until", "有效期至", lambda r: display(r.get("valid_until")) + (
            owner.tr("（推算）") if r.get("valid_until") and r.get("valid_until_estimated")
            else "")),
        RecordColumn("status", "状态", lambda r: (
            f"撤销（{r['_revoke'][0]}）" if r.get("_revoke") else r.get("status", ""))),
        # 科技型中小企业 are numbered by their 入库编号, the other tiers by the 文号
        RecordColumn("document_number", reference.number_heading()),
        RecordColumn("chain", "产业链"),
        RecordColumn("issuer", "认定单位"),
    ]

    def form(row):
        def validate(values):
            # a title the firm has, or is being given in this window, refused at the form:
            # saved twice, revoking one copy left the firm holding it (fixt29b)
            cleaned = recognitions.clean(values)
            recognitions.refuse_a_copy_among(cleaned, (
                r for r in titles() if r is not row and r.get("_state") != DELETED))
            return cleaned

        return RecordFormDialog.edit(owner, titled(owner.tr("梯度认定")), recognition_fields(),
                                     row or {"batch_year": dt.date.today().year}, validate)

    def describe(values, row=None):
        # as the save will store it: a 复核 given no dates renewed from where the title it
        # renews ends (the core's choice over this window's rows, those before it: the save
        # adds the rows in this order), not the 31 December estimate of a bare ``clean``
        cleaned = recognitions.clean_new(values, lambda tier_code, batch_year: (
            recognitions.renewed_end_among(_titles_before(tab.rows, row), tier_code,
                                           batch_year)))
        chain = {c.code: c.name for c in reference.chains()}.get(cleaned["chain_code"], "")
        # a title renewed already (the core's flag, of the row as saved) stays 有效（已复核）
        renewed = bool(row and row.get("renewed"))
        return {**cleaned, "tier": ladder.tier_label(cleaned["tier_code"]), "chain": chain,
                "status": ladder.status_of(valid_until=cleaned["valid_until"],
                                           revoked_on=None, pending=cleaned["is_pending"],
                                           renewed=renewed,
                                           recognized_on=cleaned["recognized_on"],
                                           tier_code=cleaned["tier_code"],
                                           batch_year=cleaned["batch_year"])}

    tab = RecordTab(columns, rows, form=form, describe=describe)
    made.append(tab)
    return tab


def _misdated_tooltip(owner: QWidget, row: dict[str, Any], titles: list[dict[str, Any]]
                      ) -> str:
    """The whole sentence behind a 年度 cell's 疑为 …; the year itself for any other row."""
    year = misdated_year(row, titles)
    if not year:
        return display(row.get("batch_year"))
    sentence = owner.tr(
        "年度 %1 疑为记错，应为 %2 年度。%3。选中这一条，点表格下方的“更正复核年度”即可更正；"
        "“批量操作 → 数据核查…”列出全部这样的记录。").replace("%1", display(row.get("batch_year"))) \
        .replace("%2", str(year)).replace("%3", misdated_reviews.WHY)
    return f"<p>{html.escape(sentence)}</p>"


def misdated_year(row: dict[str, Any], titles: list[dict[str, Any]]) -> int | None:
    """The year a 复核 row recorded at its reviewed batch's own year should have, else None;
    ``titles``: the tab's rows (those marked 删除 aside), which tell it when it has no
    复核批次 (ladder.holds_batch_title)."""
    if not row.get("tier_code"):
        return None
    return ladder.misdated_review_year(
        row["tier_code"], is_review=bool(row.get("is_review")),
        batch_label=row.get("batch_label"), batch_year=row.get("batch_year"),
        review_of_batch=row.get("review_of_batch"), recognized_on=row.get("recognized_on"),
        batch_title_held=ladder.holds_batch_title(
            (title for title in titles if title.get("_state") != DELETED), row))


def _titles_before(rows: list[dict[str, Any]], row: dict[str, Any] | None
                   ) -> list[dict[str, Any]]:
    """The firm's titles as the save will have left them when it comes to ``row`` (None: a
    row being added, after them all): those above it as the window has them (less the ones
    marked 删除; those marked 撤销 as revoked), those below it as stored (not written yet)."""
    at = next((n for n, r in enumerate(rows) if r is row), len(rows))
    before = [{**r, "revoked_on": r.get("revoked_on") or (r["_revoke"][1] if r.get("_revoke")
                                                          else None)}
              for r in rows[:at] if r["_state"] != DELETED]
    return before + [r["_original"] for r in rows[at + 1:] if r["_state"] != NEW]


def figures_tab(owner: QWidget, rows: list[dict[str, Any]], titled: Titled) -> RecordTab:
    # every figure with its unit: 营业收入（万元）, 从业人员（人）
    columns = [RecordColumn("year", "年度")] + [
        RecordColumn(key, fields.heading("annual_figures", key), align=RIGHT)
        for key in figures.LABELS if key not in {"year", "note"}]

    def form(row):
        return RecordFormDialog.edit(
            owner, titled(owner.tr("年度数据")), figures_fields(),
            row or {"year": dt.date.today().year - 1}, figures.clean_record)

    def describe(values, _row=None):
        return figures.clean_record(values)

    return RecordTab(columns, rows, form=form, describe=describe)


def measure_tab(owner: QWidget, rows: list[dict[str, Any]], titled: Titled) -> RecordTab:
    # 归类 beside 金额: what the amount is — 资金奖补 paid, or a loan (融资), a tax deduction
    # (税收), a service (服务) — the core's category (a row's ``category``, fixs30a); the sum
    # of selected rows counts only 资金奖补 and says the others apart (MeasuresModel)
    columns = [RecordColumn("kind", "措施类别"), RecordColumn("name", "项目名称"),
               RecordColumn("category", "归类"),
               RecordColumn("amount", "金额（万元）", align=RIGHT, amount=True),
               RecordColumn("year", "年度"), RecordColumn("paid_on", "兑现日期"),
               RecordColumn("implementer", "实施单位"), RecordColumn("status", "状态"),
               RecordColumn("policy_basis", "政策依据")]

    def form(row):
        # a new measure's 状态 follows its 兑现日期 until the officer picks one
        return RecordFormDialog.edit(owner, titled(owner.tr("扶持措施")), measure_fields(),
                                     row or {"year": dt.date.today().year}, measures.clean)

    return RecordTab(columns, rows, form=form, model_type=MeasuresModel,
                     describe=lambda values, _row=None: measures.described(values))


def chain_tab(owner: QWidget, rows: list[dict[str, Any]], titled: Titled,
              titles: list[dict[str, Any]] = ()) -> RecordTab:
    """The firm's chain roles, to edit; above them, read-only, the chains its 链主
    recognitions in force put it on (profile's chain_titles: changed in 梯度认定)."""
    columns = [RecordColumn("cluster", "产业集群"), RecordColumn("chain", "产业链"),
               RecordColumn("role", "角色"), RecordColumn("note", "备注")]
    chain_by_code = {c.code: c for c in reference.chains()}

    def form(row):
        return RecordFormDialog.edit(owner, titled(owner.tr("产业链角色")),
                                     chain_role_fields(), row or {}, None)

    def describe(values, _row=None):
        chain = chain_by_code[values["chain_code"]]
        return {"chain_code": chain.code, "chain": chain.name, "cluster": chain.cluster,
                "role": values["role"], "note": values.get("note") or ""}

    tab = RecordTab(columns, rows, form=form, describe=describe)
    note = QLabel()
    note.setObjectName("chain_titles")
    note.setWordWrap(True)
    note.setTextInteractionFlags(Qt.TextSelectableByMouse)
    tab.layout().insertWidget(0, note)

    def show_titles(found: list[dict[str, Any]]) -> None:
        lines = [f"{title['chain']}：{title['words']}" for title in found]
        note.setText("\n".join([owner.tr("链主认定（只读，在“梯度认定”页修改或撤销）："),
                                *lines]))
        note.setVisible(bool(lines))

    tab.show_titles = show_titles
    show_titles(list(titles))
    return tab
