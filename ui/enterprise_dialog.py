"""One enterprise: 基本信息, 梯度认定, 年度数据, 扶持措施, 产业链, 变更记录.

Nothing is written until 保存: every edit is held in the dialog (new, edited, deleted and
revoked rows), then saved in one transaction through the services. A failure writes
nothing and shows the service's message. Leaving with unsaved edits asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiers.model import credit_code, ladder, reference
from tiers.queries import history, profiles, roster
from tiers.services import chains, enterprises, figures, measures, recognitions
from tiers.services.errors import NotFound, ValidationError
from tiers.storage.database import Database
from tiers.text import changes as change_text
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, MessageDialog, TextDialog
from ui.assessment_view import AssessmentView
from ui.record_form_dialog import RecordFormDialog, parse_date
from ui.record_forms import (
    chain_role_fields,
    figures_fields,
    measure_fields,
    recognition_fields,
)
from ui.record_table_model import RecordColumn, RecordTableModel, fit_columns

NEW, SAVED, EDITED, DELETED = "new", "saved", "edited", "deleted"
PENDING_COLOUR = "#1d5fbf"
STATUS_COLOUR = {ladder.EXPIRING: "#b35c00", ladder.EXPIRED: "#b00020",
                 ladder.REVOKED: "#808080"}

BASIC_FIELDS = [  # key, label, kind
    ("credit_code", "统一社会信用代码", "text"), ("name", "企业名称", "text"),
    ("county", "县（市、区）", "county"), ("town", "镇街/园区", "town"),
    ("address", "地址", "text"), ("industry", "国民经济行业分类", "text"),
    ("main_product", "主导产品", "text"), ("founded_on", "成立日期", "date"),
    ("legal_representative", "法定代表人", "text"), ("contact_person", "联系人", "text"),
    ("contact_phone", "联系电话", "text"), ("size", "企业规模", "size"),
    ("listing_status", "上市情况", "listing"), ("tags", "标签", "text"),
    ("notes", "备注", "multiline"),
]


def _state_text(row: dict[str, Any]) -> str:
    return {NEW: "新增（未保存）", EDITED: "已修改（未保存）"}.get(row.get("_state"), "")


def saved_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(row, _state=SAVED, _original=dict(row)) for row in rows]


def _colour(row: dict[str, Any]) -> str | None:
    if row.get("_state") in {NEW, EDITED} or row.get("_revoke"):
        return PENDING_COLOUR
    return STATUS_COLOUR.get(row.get("status", ""))


class RecordTab(QWidget):
    """A table of one kind of record with add / edit / delete (and extra) buttons; edits
    stay in ``rows`` until the dialog saves."""

    changed = Signal()

    def __init__(self, columns: list[RecordColumn], rows: list[dict[str, Any]], *,
                 form: Callable[[dict[str, Any] | None], dict[str, Any] | None],
                 describe: Callable[[dict[str, Any]], dict[str, Any]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = saved_rows(rows)
        self.form, self.describe = form, describe
        self.model = RecordTableModel(columns + [RecordColumn("_state", "", _state_text)],
                                      self.visible_rows(), self, colour=_colour)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        fit_columns(self.table)
        self.buttons = QHBoxLayout()
        self.add_button = self.button(self.tr("添加"), self.add)
        self.edit_button = self.button(self.tr("修改"), self.edit_selected)
        self.delete_button = self.button(self.tr("删除"), self.delete_selected)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        return button

    def visible_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["_state"] != DELETED]

    def refresh(self) -> None:
        self.model.set_rows(self.visible_rows())
        fit_columns(self.table)
        self.changed.emit()

    def selected(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def add(self) -> None:
        values = self.form(None)
        if values is None:
            return
        self.rows.append({**self.describe(values), "id": None, "_values": values,
                          "_state": NEW})
        self.refresh()

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        values = self.form(row)
        if values is None:
            return
        row.update(self.describe(values))
        row["_values"] = {**row.get("_values", {}), **values}
        if row["_state"] == SAVED:
            row["_state"] = EDITED
        self.refresh()

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row["_state"] == NEW:
            self.rows.remove(row)
        else:
            row["_state"] = DELETED
        self.refresh()

    def dirty(self) -> bool:
        return any(row["_state"] != SAVED or row.get("_revoke") for row in self.rows)


class EnterpriseDialog(QDialog):
    saved = Signal(int)

    def __init__(self, database: Database, settings: AppSettings,
                 enterprise_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = settings
        self.enterprise_id = enterprise_id
        self.setAttribute(Qt.WA_DeleteOnClose, False)
        self.resize(900, 640)
        self.profile: dict[str, Any] = {}
        self.history_rows: list[dict[str, Any]] = []
        if enterprise_id is not None:
            self._load()
        self.inputs: dict[str, QWidget] = {}
        self.field_errors: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.show_all_errors = False
        self.tabs = QTabWidget()
        self.tabs.addTab(self._basic_tab(), self.tr("基本信息"))
        self.recognition_tab = self._recognition_tab()
        self.figures_tab = self._figures_tab()
        self.measure_tab = self._measure_tab()
        self.chain_tab = self._chain_tab()
        self.tabs.addTab(self.recognition_tab, self.tr("梯度认定"))
        self.tabs.addTab(self.figures_tab, self.tr("年度数据"))
        self.tabs.addTab(self.measure_tab, self.tr("扶持措施"))
        self.tabs.addTab(self.chain_tab, self.tr("产业链"))
        # read-only and computed from saved data: when first shown, again after each save
        self.assessment_tab = AssessmentView(database, enterprise_id)
        self.tabs.addTab(self.assessment_tab, self.tr("对标预审"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.history_model = RecordTableModel([
            RecordColumn("at", "时间", lambda r: r["at"].strftime("%Y-%m-%d %H:%M")),
            RecordColumn("user", "操作人"),
            RecordColumn("action", "操作", lambda r: r["text"].action),
            RecordColumn("entity", "对象", lambda r: r["text"].entity),
            RecordColumn("subject", "记录", lambda r: r["text"].subject),
            RecordColumn("field", "字段", lambda r: r["text"].field),
            RecordColumn("old", "原值", lambda r: r["text"].old),
            RecordColumn("new", "新值", lambda r: r["text"].new),
            RecordColumn("import_file", "来源导入"),
        ], self._history_display(), self)
        history = QTableView()
        history.setModel(self.history_model)
        history.verticalHeader().hide()
        history.horizontalHeader().setStretchLastSection(True)
        history.setWordWrap(False)
        self.history_view = history
        self._fit_history_columns()
        self.tabs.addTab(history, self.tr("变更记录"))
        for tab in (self.recognition_tab, self.figures_tab, self.measure_tab, self.chain_tab):
            tab.changed.connect(self._update_state)
        for tab in (self.recognition_tab, self.figures_tab, self.measure_tab, self.chain_tab):
            tab.setEnabled(True)

        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Apply
                                        | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("保存并关闭"))
        self.buttons.button(QDialogButtonBox.Apply).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        self.buttons.button(QDialogButtonBox.Save).clicked.connect(self.save_and_close)
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._validate_basic()
        self._update_title()
        save_shortcut = QShortcut(QKeySequence.Save, self)
        save_shortcut.activated.connect(self.save)
        self.save_shortcut = save_shortcut
        # typing starts at once: the code for a new firm, the name otherwise
        first = self.inputs["credit_code" if enterprise_id is None else "name"]
        self.tabs.setCurrentIndex(0)
        first.setFocus()

    # --- loading ------------------------------------------------------------------------
    def _load(self) -> None:
        with self.database.session() as session:
            self.profile = profiles.profile(session, self.enterprise_id)
            self.history_rows = history.history(session, self.enterprise_id)

    def _history_display(self) -> list[dict[str, Any]]:
        """History rows with their Chinese texts; recognitions named from the profile."""
        records = {("recognition", r["id"]): r for r in self.profile.get("recognitions", [])}
        records.update({("support_measure", m["id"]): m
                        for m in self.profile.get("support_measures", [])})
        records.update({("annual_figures", f["id"]): f for f in self.profile.get("figures", [])})
        records.update({("chain_role", c["id"]): c for c in self.profile.get("chains", [])})
        return [dict(row, text=change_text.describe(row, records=records))
                for row in self.history_rows]

    def _fit_history_columns(self) -> None:
        # whole-record texts are long: keep them readable, the tooltip has the rest
        fit_columns(self.history_view, 320)

    def _tab_shown(self, _number: int) -> None:
        if self.tabs.currentWidget() is self.assessment_tab and not self.assessment_tab.loaded:
            self.assessment_tab.refresh()

    def _update_title(self) -> None:
        name = self.profile.get("name") or self.tr("新建企业")
        mark = " *" if self.dirty() else ""
        self.setWindowTitle(f"{name}{mark} — {self.tr('企业档案')}")

    # --- 基本信息 -----------------------------------------------------------------------
    def _basic_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        lists = reference.pick_lists()
        counties = sorted({d.name for d in reference.divisions()
                           if d.level == "县级" and d.current})
        with self.database.session() as session:
            towns = roster.towns(session)
        for key, label, kind in BASIC_FIELDS:
            value = self.profile.get(key)
            if kind in {"county", "town", "size", "listing"}:
                widget = QComboBox()
                items = {"county": counties, "town": towns, "size": lists["enterprise_sizes"],
                         "listing": lists["listing_statuses"]}[kind]
                widget.setEditable(kind in {"county", "town"})
                widget.addItem("")
                widget.addItems(list(items))
                widget.setCurrentText(value or "")
                signal = widget.currentTextChanged
            elif kind == "multiline":
                widget = QPlainTextEdit(value or "")
                widget.setFixedHeight(70)
                signal = widget.textChanged
            else:
                text = value.isoformat() if isinstance(value, dt.date) else (value or "")
                widget = QLineEdit(text)
                if kind == "date":
                    widget.setPlaceholderText("2010-05-01")
                signal = widget.textChanged
            signal.connect(lambda *_args, k=key: self._field_edited(k))
            self.inputs[key] = widget
            error = QLabel()
            error.setStyleSheet("color: #b00020")
            error.hide()
            self.field_errors[key] = error
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            required = "＊" if key in {"credit_code", "name"} else ""
            form.addRow(label + required, box)
        self.inputs["credit_code"].setMaxLength(20)
        self.inputs["credit_code"].setPlaceholderText("18位统一社会信用代码")
        former = "、".join(self.profile.get("former_names", [])) or "—"
        self.former_label = QLabel(former)
        self.former_label.setWordWrap(True)
        form.addRow(self.tr("曾用名"), self.former_label)
        return page

    def set_field(self, key: str, value: str) -> None:
        """Type into a 基本信息 field (tests and pre-filling)."""
        widget = self.inputs[key]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(value)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            widget.setText(value)

    def basic_values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                out[key] = widget.currentText().strip()
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText().strip()
            else:
                out[key] = widget.text().strip()
        return out

    def basic_errors(self) -> dict[str, str]:
        values = self.basic_values()
        errors: dict[str, str] = {}
        if not values["credit_code"]:
            errors["credit_code"] = "请填写统一社会信用代码"
        else:
            try:
                credit_code.validate(values["credit_code"])
            except credit_code.CreditCodeError as exc:
                errors["credit_code"] = str(exc)
        if not values["name"]:
            errors["name"] = "企业名称不能为空"
        try:
            founded = parse_date(values["founded_on"])
            if founded and founded > dt.date.today():
                errors["founded_on"] = "成立日期不能晚于今天"
        except ValueError:
            errors["founded_on"] = "日期格式应为 2010-05-01"
        return errors

    def _field_edited(self, key: str) -> None:
        self.touched.add(key)
        self._validate_basic()

    def _validate_basic(self) -> None:
        errors = self.basic_errors()
        if self.enterprise_id is None and not self.show_all_errors:
            # a new, empty form is not wrong yet: only what the user has typed in is judged
            errors = {k: m for k, m in errors.items() if k in self.touched}
        self.show_field_errors(errors)
        self._update_state()

    def show_field_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.field_errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)
        extra = [m for k, m in errors.items() if k not in self.field_errors]
        if hasattr(self, "message"):
            self.message.setText("；".join(extra))

    def changed_basic(self) -> dict[str, Any]:
        """The 基本信息 fields that differ from what is stored, ready for the service."""
        values = self.basic_values()
        changed: dict[str, Any] = {}
        for key, value in values.items():
            original = self.profile.get(key)
            if key == "founded_on":
                try:
                    new = parse_date(value)
                except ValueError:
                    new = value
                if new != original:
                    changed[key] = new
            elif key == "credit_code":
                if credit_code.normalise(value) != (original or ""):
                    changed[key] = value
            elif value != (original or ""):
                changed[key] = value
        return changed

    # --- record tabs --------------------------------------------------------------------
    def _recognition_tab(self) -> RecordTab:
        columns = [
            RecordColumn("tier", "梯度层级"), RecordColumn("level", "级别"),
            RecordColumn("batch_label", "批次"), RecordColumn("batch_year", "年度"),
            RecordColumn("recognized_on", "认定日期"), RecordColumn("valid_until", "有效期至"),
            RecordColumn("status", "状态", lambda r: (
                f"撤销（{r['_revoke'][0]}）" if r.get("_revoke") else r.get("status", ""))),
            RecordColumn("document_number", "文号"), RecordColumn("chain", "产业链"),
            RecordColumn("issuer", "认定单位"),
        ]

        def form(row):
            return RecordFormDialog.edit(self, self.record_title(self.tr("梯度认定")), recognition_fields(),
                                         row or {"batch_year": dt.date.today().year},
                                         recognitions.clean)

        def describe(values):
            cleaned = recognitions.clean(values)
            chain = {c.code: c.name for c in reference.chains()}.get(cleaned["chain_code"], "")
            return {**cleaned, "tier": ladder.tier_label(cleaned["tier_code"]), "chain": chain,
                    "status": ladder.status_of(valid_until=cleaned["valid_until"],
                                               revoked_on=None)}

        tab = RecordTab(columns, self.profile.get("recognitions", []), form=form,
                        describe=describe)
        tab.revoke_button = tab.button(self.tr("撤销认定"), lambda: self.revoke_selected())
        return tab

    def revoke_selected(self) -> None:
        row = self.recognition_tab.selected()
        if row is None or row.get("id") is None:
            return
        what = change_text.recognition_subject(row) or row.get("tier", "")
        reason = TextDialog.ask(self, self.tr("撤销认定"), self.tr(
            "撤销“%1”的认定：%2\n\n撤销原因：").replace(
            "%1", self.profile.get("name", "")).replace("%2", what))
        if not reason:
            return
        row["_revoke"] = (reason, dt.date.today())
        self.recognition_tab.refresh()

    def _figures_tab(self) -> RecordTab:
        columns = [RecordColumn("year", "年度")] + [
            RecordColumn(key, label, align=Qt.AlignRight | Qt.AlignVCenter)
            for key, label in figures.LABELS.items() if key not in {"year", "note"}]

        def form(row):
            return RecordFormDialog.edit(
                self, self.tr("年度数据"), figures_fields(),
                row or {"year": dt.date.today().year - 1},
                lambda v: figures.clean({k: x for k, x in v.items() if k != "year"}))

        def describe(values):
            return {"year": int(values["year"]),
                    **figures.clean({k: v for k, v in values.items() if k != "year"})}

        return RecordTab(columns, self.profile.get("figures", []), form=form, describe=describe)

    def _measure_tab(self) -> RecordTab:
        columns = [RecordColumn("kind", "措施类别"), RecordColumn("name", "项目名称"),
                   RecordColumn("amount", "金额（万元）", align=Qt.AlignRight | Qt.AlignVCenter),
                   RecordColumn("year", "年度"), RecordColumn("paid_on", "兑现日期"),
                   RecordColumn("implementer", "实施单位"), RecordColumn("status", "状态"),
                   RecordColumn("policy_basis", "政策依据")]

        def form(row):
            return RecordFormDialog.edit(self, self.record_title(self.tr("扶持措施")), measure_fields(),
                                         row or {"year": dt.date.today().year,
                                                 "status": "已兑现"}, measures.clean)

        return RecordTab(columns, self.profile.get("support_measures", []), form=form,
                         describe=measures.clean)

    def _chain_tab(self) -> RecordTab:
        columns = [RecordColumn("cluster", "产业集群"), RecordColumn("chain", "产业链"),
                   RecordColumn("role", "角色"), RecordColumn("note", "备注")]
        chain_by_code = {c.code: c for c in reference.chains()}

        def form(row):
            return RecordFormDialog.edit(self, self.record_title(self.tr("产业链角色")),
                                         chain_role_fields(), row or {}, None)

        def describe(values):
            chain = chain_by_code[values["chain_code"]]
            return {"chain_code": chain.code, "chain": chain.name, "cluster": chain.cluster,
                    "role": values["role"], "note": values.get("note") or ""}

        return RecordTab(columns, self.profile.get("chains", []), form=form, describe=describe)

    def record_title(self, title: str) -> str:
        name = self.basic_values().get("name") or self.profile.get("name") or ""
        return f"{title} — {name}" if name else title

    # --- state --------------------------------------------------------------------------
    def dirty(self) -> bool:
        if not hasattr(self, "chain_tab"):
            return False
        return bool(self.changed_basic()) if self.enterprise_id is not None else any(
            self.basic_values().values()) or any(
            tab.dirty() for tab in (self.recognition_tab, self.figures_tab,
                                    self.measure_tab, self.chain_tab))

    def _update_state(self) -> None:
        if not hasattr(self, "buttons"):
            return
        ok = not self.basic_errors()
        dirty = self.dirty() or any(tab.dirty() for tab in (
            self.recognition_tab, self.figures_tab, self.measure_tab, self.chain_tab))
        self.buttons.button(QDialogButtonBox.Save).setEnabled(ok)
        self.buttons.button(QDialogButtonBox.Apply).setEnabled(ok and dirty)
        self._update_title()

    def has_unsaved_changes(self) -> bool:
        return self.dirty() or any(tab.dirty() for tab in (
            self.recognition_tab, self.figures_tab, self.measure_tab, self.chain_tab))

    # --- saving -------------------------------------------------------------------------
    def save(self) -> bool:
        errors = self.basic_errors()
        if errors:
            self.show_all_errors = True
            self.show_field_errors(errors)
            self.tabs.setCurrentIndex(0)
            return False
        user = self.settings.officer or None
        try:
            with self.database.session() as session:
                if self.enterprise_id is None:
                    values = {k: v for k, v in self.basic_values().items() if v != ""}
                    if "founded_on" in values:
                        values["founded_on"] = parse_date(values["founded_on"])
                    enterprise_id = enterprises.create(session, values, user=user).id
                else:
                    enterprise_id = self.enterprise_id
                    changed = self.changed_basic()
                    if changed:
                        enterprises.update(session, enterprise_id, changed, user=user)
                self._save_records(session, enterprise_id, user)
        except ValidationError as exc:
            self.show_field_errors(exc.fields)
            if any(k in self.field_errors for k in exc.fields):
                self.tabs.setCurrentIndex(0)
            self.message.setText(self.tr("未保存：") + str(exc))
            return False
        except NotFound as exc:
            self.message.setText(self.tr("未保存：") + str(exc))
            return False
        self.enterprise_id = enterprise_id
        self.message.setText("")
        self._reload_after_save()
        self.saved.emit(enterprise_id)
        return True

    def _save_records(self, session, enterprise_id: int, user: str | None) -> None:
        for row in self.recognition_tab.rows:
            state, values = row["_state"], row.get("_values", {})
            if state == NEW:
                recognitions.add(session, enterprise_id, values, user=user)
            elif state == EDITED:
                recognitions.edit(session, row["id"], values, user=user)
            elif state == DELETED:
                recognitions.delete(session, row["id"], user=user)
            if row.get("_revoke") and state != DELETED and row.get("id"):
                reason, on = row["_revoke"]
                recognitions.revoke(session, row["id"], reason=reason, on=on, user=user)
        for row in self.figures_tab.rows:
            state, values = row["_state"], row.get("_values", {})
            if state == DELETED:
                figures.delete(session, row["id"], user=user)
            elif state in {NEW, EDITED}:
                year = int(values["year"])
                if state == EDITED and year != row["_original"].get("year"):
                    figures.delete(session, row["id"], user=user)
                figures.set_year(session, enterprise_id, year,
                                 {k: v for k, v in values.items() if k != "year"}, user=user)
        for row in self.measure_tab.rows:
            state, values = row["_state"], row.get("_values", {})
            if state == NEW:
                measures.add(session, enterprise_id, values, user=user)
            elif state == EDITED:
                measures.edit(session, row["id"], values, user=user)
            elif state == DELETED:
                measures.delete(session, row["id"], user=user)
        for row in self.chain_tab.rows:
            state, values = row["_state"], row.get("_values", {})
            if state == DELETED:
                chains.remove(session, row["id"], user=user)
            elif state in {NEW, EDITED}:
                chains.set_role(session, enterprise_id, values["chain_code"], values["role"],
                                note=values.get("note") or "", user=user)

    def _reload_after_save(self) -> None:
        self._load()
        for tab, key in ((self.recognition_tab, "recognitions"), (self.figures_tab, "figures"),
                         (self.measure_tab, "support_measures"), (self.chain_tab, "chains")):
            tab.rows = saved_rows(self.profile.get(key, []))
            tab.refresh()
        self.history_model.set_rows(self._history_display())
        self._fit_history_columns()
        self.former_label.setText("、".join(self.profile.get("former_names", [])) or "—")
        self.assessment_tab.set_enterprise(self.enterprise_id)
        if self.assessment_tab.loaded or self.tabs.currentWidget() is self.assessment_tab:
            self.assessment_tab.refresh()
        # the stored, normalised values become the new baseline
        for key, _label, _kind in BASIC_FIELDS:
            value = self.profile.get(key)
            self.set_field(key, value.isoformat() if isinstance(value, dt.date)
                           else (value or ""))
        self._update_state()

    def save_and_close(self) -> None:
        if not self.has_unsaved_changes() and self.enterprise_id is not None:
            super().accept()
            return
        if self.save():
            super().accept()

    def ask_unsaved(self) -> str:
        """"save", "discard" or "cancel"; when the form cannot be saved, says why and
        offers no 保存."""
        errors = self.basic_errors()
        if errors:
            self.show_all_errors = True
            self._validate_basic()
            reasons = "；".join(errors.values())
            return ConfirmDialog.unsaved(self, self.tr(
                "这家企业有未保存的修改，但现在无法保存：%1。\n放弃这些修改，还是返回修改？")
                .replace("%1", reasons), can_save=False)
        return ConfirmDialog.unsaved(self, self.tr("这家企业有未保存的修改。是否保存？"))

    def reject(self) -> None:
        if self.has_unsaved_changes():
            answer = self.ask_unsaved()
            if answer == "cancel":
                return
            if answer == "save" and not self.save():
                return
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Ctrl+S from any field (the shortcut covers the rest, e.g. when a table has focus)
        if event.matches(QKeySequence.Save):
            self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.has_unsaved_changes():
            answer = self.ask_unsaved()
            if answer == "cancel" or (answer == "save" and not self.save()):
                event.ignore()
                return
        event.accept()
        super().closeEvent(event)

    @classmethod
    def error(cls, parent: QWidget | None, text: str) -> None:
        MessageDialog.error(parent, "企业档案", text)
