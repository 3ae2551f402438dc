"""A form for one record (a recognition, a support measure, a year's figures, a chain role,
a 培育库 entry). The fields are described as data; validation is the service's own
``clean`` function, so the dialog shows the same messages the database would give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tiers.services.errors import ValidationError
from tiers.text.dates import parse_date
from ui.ask import ConfirmDialog
from ui.mnemonics import buddy_label, with_mnemonics
from ui.roster_cells import TABLE_PLACES


def edit_number(value: Any, places: int = TABLE_PLACES) -> str:
    """A stored amount as its field shows it: the list's decimal places (200.0000 stored is
    200.00, as the list says), more where the value has more (12.345 stays 12.345: a
    digit the officer typed is never dropped), no thousands separators (typed over)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    significant = max(-number.normalize().as_tuple().exponent, 0)
    return f"{number:.{max(places, significant)}f}"



def date_placeholder() -> str:
    """What an empty date field shows: that it is empty, and the form a date is typed in.
    A bare example (2010-05-01) in grey read as the firm's own date (tester25)."""
    return QCoreApplication.translate("FormField", "未填写（格式如 2010-05-01）")

@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    kind: str = "text"  # text / choice / editable / date / int / decimal / bool / multiline
    choices: Sequence[tuple[str, Any]] = field(default=())
    required: bool = False
    placeholder: str = ""
    # a warning that does not block saving, from all the form's values ("" when none)
    warn: Callable[[dict[str, Any]], str] | None = None
    # the value the field takes from the others (the core's rule) while the officer has not
    # set it: 扶持措施's 状态 follows its 兑现日期; a value given (a saved record's) is kept
    follows: Callable[[dict[str, Any]], Any] | None = None


class RecordFormDialog(QDialog):
    def __init__(self, title: str, fields: Sequence[FormField], values: dict[str, Any],
                 validate: Callable[[dict[str, Any]], Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = list(fields)
        self.validate = validate
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.warnings_shown: dict[str, str] = {}
        # the fields that follow the others (FormField.follows) until the officer sets them
        self.following = {spec.key for spec in fields
                          if spec.follows is not None and values.get(spec.key) in (None, "")}
        self._setting_followers = False
        form = QFormLayout()
        titles = with_mnemonics([spec.label + ("＊" if spec.required else "")
                                 for spec in self.fields])
        for spec, title in zip(self.fields, titles, strict=True):
            widget = self._widget(spec, values.get(spec.key))
            self.widgets[spec.key] = widget
            widget.installEventFilter(self)  # (its focus: scrolled into view)
            if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
                widget.lineEdit().installEventFilter(self)
            self._signal(widget).connect(lambda *_args, key=spec.key: self._edited(key))
            error = QLabel()
            error.setStyleSheet("color: #b00020")
            error.setWordWrap(True)
            error.hide()
            self.errors[spec.key] = error
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(buddy_label(title, widget), box)
        self.general_error = QLabel()
        self.general_error.setStyleSheet("color: #b00020")
        self.general_error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # a long form (年度数据: thirty fields) scrolls inside a window that fits the screen
        body = self.body = QWidget()
        body.setLayout(form)
        scroll = self.scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setFocusPolicy(Qt.NoFocus)  # Tab goes from 取消 straight to the first field
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.result_values: dict[str, Any] | None = None
        self._follow()
        # what 取消 / Esc would throw away is what differs from this
        self.initial_values = self.values()[0]
        # typing starts in the first field (else the scroll area takes the focus)
        if self.fields:
            self.widgets[self.fields[0].key].setFocus()
        self.setMinimumWidth(max(460, body.sizeHint().width() + 40))
        self.resize(self.minimumWidth(), min(body.sizeHint().height() + 90, self._room()))

    def _room(self) -> int:
        """The height the screen has for the form."""
        return (self.screen().availableGeometry().height() if self.screen() else 700) - 80

    def _fit_height(self) -> None:
        """Grow to show the messages that appeared under the fields, as far as the screen
        has room: 扶持措施's warning under 兑现日期 made the form scroll at 1366×768 with
        room to spare below it."""
        if not self.isVisible():
            return  # (the first size is set from the form; the viewport's is not yet real)
        self.body.layout().activate()
        needed = self.body.sizeHint().height() - self.scroll.viewport().height()
        if needed > 0 and self.height() < self._room():
            self.resize(self.width(), min(self.height() + needed, self._room()))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """A field that takes the focus is scrolled into view: Alt and its letter (备注(&4)
        in 年度数据's thirty fields) went to a field below the window's edge."""
        if event.type() == QEvent.FocusIn and hasattr(self, "scroll"):
            self.scroll.ensureWidgetVisible(watched)
        return super().eventFilter(watched, event)

    def _widget(self, spec: FormField, value: Any) -> QWidget:
        if spec.kind in {"choice", "editable"}:
            combo = QComboBox()
            combo.setEditable(spec.kind == "editable")
            if not spec.required:
                combo.addItem("", None)
            for text, data in spec.choices:
                combo.addItem(text, data)
            position = combo.findData(value) if value is not None else 0
            if position >= 0:
                combo.setCurrentIndex(position)
            elif spec.kind == "editable":
                combo.setEditText(str(value))
            if spec.placeholder:  # (a list has no placeholder: what it would say)
                combo.setToolTip(spec.placeholder)
            return combo
        if spec.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if spec.kind == "multiline":
            edit = QPlainTextEdit("" if value is None else str(value))
            edit.setFixedHeight(60)
            edit.setTabChangesFocus(True)  # Tab goes on to the next field, as everywhere
            return edit
        edit = QLineEdit("" if value is None else
                         value.isoformat() if isinstance(value, dt.date) else
                         edit_number(value) if spec.kind == "decimal" else str(value))
        if spec.kind == "date":
            edit.setPlaceholderText(spec.placeholder or date_placeholder())
        elif spec.placeholder:
            edit.setPlaceholderText(spec.placeholder)
        return edit

    @staticmethod
    def _signal(widget: QWidget):
        if isinstance(widget, QComboBox):
            return widget.currentTextChanged
        if isinstance(widget, QCheckBox):
            return widget.toggled
        return widget.textChanged

    def _follow(self) -> None:
        """Set each field still following the others to what they now give."""
        if not self.following:
            return
        values = self.values()[0]
        self._setting_followers = True
        try:
            for spec in self.fields:
                if spec.key in self.following:
                    self.set_value(spec.key, spec.follows(values))
        finally:
            self._setting_followers = False

    def _edited(self, key: str) -> None:
        """Validate as you type, like 基本信息: errors of the fields the user touched."""
        if self._setting_followers:
            return  # (the field that changed validates once the followers are set)
        self.following.discard(key)  # the officer's own choice: it follows no more
        self._follow()
        self.touched.add(key)
        errors = self.current_errors()
        self.show_errors({k: m for k, m in errors.items()
                          if k in self.touched or k not in self.errors})
        self._show_warnings(errors)

    def current_errors(self) -> dict[str, str]:
        values, errors = self.values()
        if self.validate is not None:
            try:
                self.validate(values)
            except ValidationError as exc:
                errors = {**exc.fields, **errors}
        return errors

    def current_warnings(self) -> dict[str, str]:
        values, _errors = self.values()
        found = {}
        for spec in self.fields:
            if spec.warn is not None:
                text = spec.warn(values)
                if text:
                    found[spec.key] = text
        return found

    def _show_warnings(self, errors: dict[str, str]) -> dict[str, str]:
        warnings = {k: m for k, m in self.current_warnings().items() if k not in errors}
        for key, text in warnings.items():
            label = self.errors[key]
            label.setStyleSheet("color: #b35c00")
            label.setText("⚠ " + text)
            label.show()
        for key in set(self.warnings_shown) - set(warnings) - set(errors):
            self.errors[key].hide()
        self.warnings_shown = warnings
        self._fit_height()
        return warnings

    # --- values -------------------------------------------------------------------------
    def set_value(self, key: str, value: Any) -> None:
        """For tests and for pre-filling: set a field as a user would."""
        widget = self.widgets[key]
        if isinstance(widget, QComboBox):
            position = widget.findData(value)
            if position < 0:
                position = widget.findText(str(value))
            if position >= 0:
                widget.setCurrentIndex(position)
            elif widget.isEditable():
                widget.setEditText(str(value))
            else:
                raise ValueError(f"{key}: {value}")
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        else:
            widget.setText("" if value is None else str(value))

    def values(self) -> tuple[dict[str, Any], dict[str, str]]:
        out: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for spec in self.fields:
            widget = self.widgets[spec.key]
            if isinstance(widget, QComboBox):
                text = widget.currentText().strip()
                data = widget.currentData()
                value = data if data is not None and widget.itemText(
                    widget.currentIndex()) == widget.currentText() else (text or None)
            elif isinstance(widget, QCheckBox):
                value = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                value = widget.toPlainText().strip()
            else:
                value = widget.text().strip()
                if spec.kind == "date":
                    try:
                        value = parse_date(value)
                    except ValueError as exc:  # the date reader's one message
                        errors[spec.key] = f"{spec.label}：{exc}"
                elif spec.kind in {"int", "decimal"} and value == "":
                    value = None
            if spec.required and value in (None, "") and spec.key not in errors:
                errors[spec.key] = f"请填写{spec.label}"
            out[spec.key] = value
        return out, errors

    def show_errors(self, errors: dict[str, str]) -> None:
        general = []
        for key, label in self.errors.items():
            label.setStyleSheet("color: #b00020")
            label.setVisible(key in errors)
            label.setText(errors.get(key, ""))
        for key, message in errors.items():
            if key not in self.errors:
                general.append(message)
        self.general_error.setText("；".join(general))
        self._fit_height()

    def accept(self) -> None:
        values, _errors = self.values()
        # every error at once, as while typing: the rules' (a negative amount) with the
        # values' own (a date that does not exist), not the first kind alone
        errors = self.current_errors()
        if errors:
            self.touched.update(errors)
            self.show_errors(errors)
            self._show_warnings(errors)
            return
        shown_before = dict(self.warnings_shown)
        warnings = self._show_warnings({})
        if any(shown_before.get(k) != m for k, m in warnings.items()):
            return  # a new warning: the user sees it first; OK again saves anyway
        self.result_values = values
        super().accept()

    def has_edits(self) -> bool:
        return self.values()[0] != self.initial_values

    def reject(self) -> None:  # Esc, 取消 and the title bar's close
        """Leaving with edits asks, as the enterprise window does: 保存 keeps the record
        (as 确定), 放弃 drops it, 取消 goes back to the form."""
        if self.has_edits():
            errors = self.current_errors()
            if errors:  # as the enterprise window says it: why not, and no 保存
                self.touched.update(errors)
                self.show_errors(errors)
            answer = ConfirmDialog.unsaved_edits(self, self.tr("这条记录"), errors)
            if answer == "save":
                self.accept()
                return
            if answer == "cancel":
                return
        super().reject()

    @classmethod
    def edit(cls, parent: QWidget | None, title: str, fields: Sequence[FormField],
             values: dict[str, Any], validate: Callable[[dict[str, Any]], Any] | None = None
             ) -> dict[str, Any] | None:
        """Show the form; the values entered, or None when cancelled. Tests patch this."""
        dialog = cls(title, fields, values, validate, parent)
        dialog.setAttribute(Qt.WA_DeleteOnClose, False)
        if dialog.exec() == QDialog.Accepted:
            return dialog.result_values
        return None
