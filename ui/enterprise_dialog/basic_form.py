"""基本信息: the firm's own fields, each with its message under it. The rules are the
services' (``tiers.services.profile.check_basic``); this form only shows what they say."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tiers.model import reference
from tiers.queries.profiles import BASIC_FIELDS as PROFILE_FIELDS
from tiers.services.profile_merge import typed_differs
from tiers.text import fields
from tiers.text.values import show
from ui.mnemonics import buddy_label, with_mnemonics
from ui.read_only_look import FixedCombo, look_read_only
from ui.record_form_dialog import date_placeholder

# key → the input it is typed into (labels: the field catalogue's), in the form's order:
# the 基本信息 fields of the profile (`tiers show` prints the same ones)
_INPUTS = {"county": "county", "town": "town", "founded_on": "date", "size": "size",
           "listing_status": "listing", "notes": "multiline"}
BASIC_FIELDS = {key: _INPUTS.get(key, "text") for key in PROFILE_FIELDS}
CHOICES = {"county", "town", "size", "listing"}
REQUIRED = {"credit_code", "name"}


class BasicForm(QWidget):
    edited = Signal(str)  # the key of the field the user changed

    def __init__(self, profile: dict[str, Any], towns: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, QWidget] = {}
        self.field_errors: dict[str, QLabel] = {}
        # the fifteen fields with their messages are 550 px high: inside a scroll area, so
        # that the firm window fits a 1024 × 600 screen (its minimum was 660 px high, below
        # the task bar there); on a larger screen the area shows every field, unscrolled
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.NoFrame)
        self.scroll.setFocusPolicy(Qt.NoFocus)  # Tab goes from the tab bar to the first field
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        fields_page = QWidget()
        form = QFormLayout()
        page = QVBoxLayout(fields_page)
        page.addLayout(form)
        page.addStretch(1)  # the room to spare below the fields (not inside 曾用名's row)
        titles = with_mnemonics([fields.label("enterprise", key) + (
            "＊" if key in REQUIRED else "") for key in BASIC_FIELDS])
        for (key, kind), title in zip(BASIC_FIELDS.items(), titles, strict=True):
            widget, signal = self._input(kind, profile.get(key), towns)
            signal.connect(lambda *_args, k=key: self.edited.emit(k))
            self.inputs[key] = widget
            widget.installEventFilter(self)  # scrolled into view when it takes the focus
            error = QLabel()
            error.setStyleSheet("color: #b00020")
            # wrapped: a long value typed in, repeated in its message, made the page wider
            # than the window (1485 px in 944, cut on the right with no sideways scrolling)
            error.setWordWrap(True)
            error.hide()
            self.field_errors[key] = error
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(buddy_label(title, widget), box)
        self.inputs["credit_code"].setMaxLength(20)
        self.inputs["credit_code"].setPlaceholderText("18位统一社会信用代码")
        self.former_label = QLabel()
        self.former_label.setWordWrap(True)
        self.show_former_names(profile)
        form.addRow(self.tr("曾用名"), self.former_label)
        self.scroll.setWidget(fields_page)
        # as wide as the fields ask (no sideways scrolling): only the height scrolls
        self.scroll.setMinimumWidth(fields_page.minimumSizeHint().width()
                                    + self.scroll.verticalScrollBar().sizeHint().width())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self._county_from_code = ""  # the county last filled in from the code
        if not profile.get("credit_code"):  # a new firm: 县区 follows the code typed
            self.inputs["credit_code"].textChanged.connect(self._fill_county)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        """A field that takes the focus (Tab, Alt and its letter, a message's field) is
        scrolled into view: on a 1024 × 600 screen 备注 lies below the page's edge."""
        if event.type() == QEvent.FocusIn:
            self.bring_into_view(watched)
        return super().eventFilter(watched, event)

    def bring_into_view(self, widget: QWidget) -> None:
        """The whole widget scrolled into view, a few pixels around it. (ensureWidgetVisible
        goes by a text field's cursor: 备注, with its first line at the page's edge, stayed
        cut below it.)"""
        corner = widget.mapTo(self.scroll.widget(), QPoint(0, 0))
        half_width, half_height = widget.width() // 2, widget.height() // 2
        self.scroll.ensureVisible(corner.x() + half_width, corner.y() + half_height,
                                  half_width, half_height + 6)

    def _fill_county(self, code: str) -> None:
        """91320412… → 武进区, as the importer does; a county the user chose stays."""
        county = self.inputs["county"]
        if county.currentText().strip() not in {"", self._county_from_code}:
            return
        found = reference.county_of_credit_code("".join(code.split()).upper())
        name = found[1] if found else ""
        if name != county.currentText():
            county.setCurrentText(name)
        self._county_from_code = name

    @staticmethod
    def _input(kind: str, value: Any, towns: list[str]):
        if kind in CHOICES:
            lists = reference.pick_lists()
            counties = sorted({d.name for d in reference.divisions()
                               if d.level == "县级" and d.current})
            items = {"county": counties, "town": towns, "size": lists["enterprise_sizes"],
                     "listing": lists["listing_statuses"]}[kind]
            widget = QComboBox()
            widget.setEditable(kind in {"county", "town"})
            widget.addItem("")
            widget.addItems(list(items))
            widget.setCurrentText(value or "")
            return widget, widget.currentTextChanged
        if kind == "multiline":
            widget = QPlainTextEdit(value or "")
            widget.setFixedHeight(70)
            widget.setTabChangesFocus(True)  # Tab goes on to the next field, as everywhere
            return widget, widget.textChanged
        widget = QLineEdit(show(value))
        if kind == "date":
            widget.setPlaceholderText(date_placeholder())
        return widget, widget.textChanged

    def set_read_only(self, reason: str) -> None:
        """Every field shown and selectable (to copy), none editable, each on the window's
        grey (ui.read_only_look); ``reason`` as the tooltip. A combo box (县区, 规模…) shows
        its value as a read-only text and cannot be changed, rather than being disabled
        (pale and not selectable)."""
        for widget in self.inputs.values():
            if isinstance(widget, QComboBox):
                FixedCombo(widget)
                widget.lineEdit().setToolTip(reason)
            else:
                widget.setReadOnly(True)
                # (no 未填写（格式如…）: the firm cannot be changed here at all)
                widget.setPlaceholderText("")
                look_read_only(widget)
            widget.setToolTip(reason)

    def show_former_names(self, profile: dict[str, Any]) -> None:
        self.former_label.setText("、".join(profile.get("former_names", [])) or "—")

    def set_field(self, key: str, value: str) -> None:
        widget = self.inputs[key]
        if isinstance(widget, QComboBox):
            widget.setCurrentText(value)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        else:
            widget.setText(value)

    def load(self, profile: dict[str, Any]) -> None:
        """The stored, normalised values: the new baseline after 保存."""
        for key in BASIC_FIELDS:
            self.set_field(key, show(profile.get(key)))
        self.show_former_names(profile)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, widget in self.inputs.items():
            if isinstance(widget, QComboBox):
                out[key] = widget.currentText().strip()
            elif isinstance(widget, QPlainTextEdit):
                out[key] = widget.toPlainText().strip()
            else:
                out[key] = widget.text().strip()
        return out

    def changed(self, profile: dict[str, Any]) -> dict[str, Any]:
        """The fields that differ from what is stored, as typed (the services parse them)."""
        return {key: value for key, value in self.values().items()
                if typed_differs(key, value, profile.get(key))}

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.field_errors.items():
            label.setText(errors.get(key, ""))
            label.setVisible(key in errors)

    def reveal_errors(self, errors: dict[str, str]) -> list[str]:
        """After a refused save: the first field with an error takes the focus, scrolled
        into view with its message (on a 1024 × 600 screen it could lie above the page's
        edge while the officer was at 备注). Returns the messages still out of view, for
        the window's message line."""
        keys = [key for key in BASIC_FIELDS if key in errors]
        if not keys:
            return []
        self.scroll.widget().layout().activate()  # the messages just shown take their room
        first = keys[0]
        self.inputs[first].setFocus(Qt.OtherFocusReason)
        self.bring_into_view(self.inputs[first])
        self.bring_into_view(self.field_errors[first])
        return [errors[key] for key in keys if not self.in_view(self.field_errors[key])]

    def in_view(self, widget: QWidget) -> bool:
        """Whether the widget lies wholly within the scrolled area's visible part."""
        top = widget.mapTo(self.scroll.viewport(), widget.rect().topLeft()).y()
        return top >= 0 and top + widget.height() <= self.scroll.viewport().height()
