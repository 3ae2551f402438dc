"""A tab of one kind of record (梯度认定, 年度数据, 扶持措施, 产业链) whose edits stay in the
window until 保存: new, edited and deleted rows are marked, then handed to the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tiers.model import ladder
from tiers.services.profile import DELETED, EDITED, NEW, SAVED, RecordEdit
from ui.read_only_look import look_read_only
from ui.record_table_model import RecordColumn, RecordTableModel, enable_sorting
from ui.table_comforts import fit_columns

PENDING_COLOUR = "#1d5fbf"
STATUS_COLOUR = {ladder.EXPIRING: "#b35c00", ladder.EXPIRED: "#b00020",
                 # run out, its 复核 list awaited: not lost yet, so not red
                 ladder.REVIEW_RESULTS_PENDING: "#b35c00", ladder.REVIEW_DUE: "#b35c00",
                 ladder.REVOKED: "#808080", ladder.PENDING: "#7b4fa0"}


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
                 describe: Callable[[dict[str, Any], dict[str, Any] | None],
                                    dict[str, Any]],
                 parent: QWidget | None = None,
                 model_type: type[RecordTableModel] = RecordTableModel) -> None:
        """``model_type``: a RecordTableModel of the tab's own (扶持措施: one whose sum of
        selected rows counts only 资金奖补 as money)."""
        super().__init__(parent)
        self.read_only = ""  # why nothing here may be changed ("": it may)
        self.rows = saved_rows(rows)
        self.form, self.describe = form, describe
        self.model = model_type(columns + [RecordColumn("_state", "", _state_text)],
                                self.visible_rows(), self, colour=_colour)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        enable_sorting(self.table)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        # Enter and a double-click (both emit activated) open the row's form
        self.table.activated.connect(lambda _index: self.edit_selected())
        fit_columns(self.table)
        self.buttons = QHBoxLayout()
        # Alt and a letter, as in WPS: only the page shown has its buttons' shortcuts
        self.row_buttons: list[QPushButton] = []  # those that act on the selected row
        # a button for some rows only: shown while the table has such a row, enabled on one
        # (the row's test, and what its tooltip says on another row)
        self.row_tests: dict[QPushButton, tuple[Callable[[dict[str, Any]], bool], str]] = {}
        self.add_button = self.button(self.tr("添加(&A)"), self.add)
        self.edit_button = self.button(self.tr("修改(&E)"), self.edit_selected, needs_row=True)
        self.delete_button = self.button(self.tr("删除(&D)"), self.delete_selected,
                                         needs_row=True)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        self.table.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_row_buttons())
        self.model.modelReset.connect(self._update_row_buttons)
        self._update_row_buttons()

    def button(self, text: str, slot: Callable[[], None], *, needs_row: bool = False,
               for_rows: Callable[[dict[str, Any]], bool] | None = None,
               other_rows: str = "") -> QPushButton:
        """A button below the table; ``needs_row``: it acts on the selected row, so it is
        greyed (with a tooltip saying so) while no row is selected. ``for_rows``: it acts
        on such rows only — shown while the table has one, greyed (``other_rows`` its
        tooltip) on another row."""
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        if for_rows is not None:
            self.row_tests[button] = (for_rows, other_rows)
        if needs_row or for_rows is not None:
            self.row_buttons.append(button)
            self._update_row_buttons()
        return button

    def set_read_only(self, reason: str) -> None:
        """Every button greyed with ``reason`` as its tooltip; Enter, a double-click and the
        right-click menu change nothing; the table on the window's grey, as the fields
        of 基本信息 (ui.read_only_look)."""
        self.read_only = reason
        look_read_only(self.table)
        for position in range(self.buttons.count()):
            button = self.buttons.itemAt(position).widget()
            if isinstance(button, QPushButton):
                button.setEnabled(False)
                button.setToolTip(reason)

    def _update_row_buttons(self) -> None:
        shown = self.visible_rows()
        for button, (test, _other) in self.row_tests.items():
            button.setVisible(any(test(row) for row in shown))
        if getattr(self, "read_only", ""):
            return  # greyed for good, saying why (set_read_only)
        # Alt+E on a greyed 修改 is heard by nothing: the tooltip says what to do
        chosen = self.table.currentIndex().isValid()
        row = self.selected() if chosen else None
        for button in getattr(self, "row_buttons", ()):
            test, other = self.row_tests.get(button, (None, ""))
            fits = row is not None and (test is None or test(row))
            button.setEnabled(fits)
            button.setToolTip("" if fits else other if chosen else self.tr("请先选中一条"))

    def visible_rows(self) -> list[dict[str, Any]]:
        return [row for row in self.rows if row["_state"] != DELETED]

    def refresh(self, *, keep: dict[str, Any] | None = None) -> None:
        """Show the rows as they are now, the row the officer was on still selected (the
        same record: ``keep`` when it is now another dict, as after a save)."""
        chosen = keep if keep is not None else self.selected()
        self._describe_new_rows()
        self.model.set_rows(self.visible_rows())
        fit_columns(self.table)
        if chosen is not None:
            self._select_record(chosen)
        self.changed.emit()

    def _describe_new_rows(self) -> None:
        """The rows not saved yet shown again as the save will write them: what one shows
        may follow the rows above it (a new 复核's 有效期至 runs on from where the title it
        renews ends, and that title may have been edited, deleted or revoked since)."""
        for row in self.rows:
            if row["_state"] == NEW:
                row.update(self.describe(row.get("_values", {}), row))

    def reset(self, rows: list[dict[str, Any]]) -> None:
        """The rows as saved: the new baseline after 保存, the selected row kept (by its
        id; a row new until this save by the id it has been given)."""
        chosen, known = self.selected(), {row.get("id") for row in self.rows}
        self.rows = saved_rows(rows)
        again = None
        if chosen is not None and chosen.get("_state") != DELETED:
            if chosen.get("id") is not None:
                again = next((r for r in self.rows if r.get("id") == chosen["id"]), None)
            else:  # saved just now: among the ids this save gave, the one most alike
                fresh = [r for r in self.rows if r.get("id") not in known]
                again = max(fresh, default=None, key=lambda r: sum(
                    r.get(key) == value for key, value in chosen.items()
                    if not key.startswith("_") and key != "id"))
        self.refresh(keep=again if again is not None else {})

    def _select_record(self, record: dict[str, Any]) -> None:
        for position in range(self.model.rowCount()):
            if self.model.record(position) is record:
                self.table.setCurrentIndex(self.model.index(position, 0))
                self.table.selectRow(position)
                return

    def selected(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def row_actions(self) -> list[QAction]:
        """修改 and 删除 in the right-click menu (ui.table_comforts)."""
        actions = []
        for text, slot in ((self.tr("修改"), self.edit_selected),
                           (self.tr("删除"), self.delete_selected)):
            action = QAction(text)
            action.triggered.connect(slot)
            action.setEnabled(self.table.currentIndex().isValid() and not self.read_only)
            actions.append(action)
        return actions

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def add(self) -> None:
        if self.read_only:
            return
        values = self.form(None)
        if values is None:
            return
        self.rows.append({**self.describe(values, None), "id": None, "_values": values,
                          "_state": NEW})
        self.refresh()

    def edit_selected(self) -> None:
        if self.read_only:
            return
        row = self.selected()
        if row is None:
            return
        values = self.form(row)
        if values is None:
            return
        row.update(self.describe(values, row))
        row["_values"] = {**row.get("_values", {}), **values}
        if row["_state"] == SAVED:
            row["_state"] = EDITED
        self.refresh()

    def delete_selected(self) -> None:
        if self.read_only:
            return
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

    def edits(self) -> list[RecordEdit]:
        """The rows as the services take them (``tiers.services.profile.save_profile``)."""
        return [RecordEdit(row["_state"], row.get("id"), row.get("_values", {}),
                           row.get("_original", {}), row.get("_revoke"))
                for row in self.rows]
