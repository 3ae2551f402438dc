"""指定关联: which firm in the database a row of the list is, when the import could not tell
(a name written another way, two firms of one name). The row's near misses are listed
first; any other firm can be looked up. Nothing is written here: the wizard plans again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from importers import Link, PlanRow
from tiers.storage.database import Database
from ui.background_runner import BackgroundRunner
from ui.enterprise_picker_dialog import EnterprisePickerDialog
from ui.screen_fit import resize_to_fit


class LinkDialog(QDialog):
    """``choices``: the firms to offer (dicts with enterprise_id, name, credit_code and
    perhaps county_name): the row's near misses, and any found before."""

    def __init__(self, database: Database, row: PlanRow, choices: list[dict[str, Any]],
                 current: Link | None = None, parent: QWidget | None = None, *,
                 runner: BackgroundRunner | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.runner = runner  # the picker builds its search index there
        self.choices = list(choices)
        self.setWindowTitle(self.tr("指定关联"))
        intro = QLabel(self.tr("第 %1 行“%2”是库中的哪家企业？").replace(
            "%1", str(row.row)).replace("%2", row.name))
        intro.setWordWrap(True)
        self.firms = QListWidget()
        for choice in self.choices:
            self._add(choice)
        self.firms.itemDoubleClicked.connect(lambda _item: self.accept())
        search = QPushButton(self.tr("在库中查找其他企业(&F)…"))
        search.clicked.connect(self.find_other)
        self.remember = QCheckBox(self.tr(
            "记住“%1”这个写法，以后的名单这样写时自动关联（不作为曾用名）").replace("%1", row.name))
        self.remember.setChecked(bool(current and current.remember_name))
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText(self.tr("关联"))
        buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(self.tr("关联后重新生成预览，核对无误再导入；该企业的名称不会被修改。"))
        hint.setStyleSheet("color: #555")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("可能是：") if self.choices else
                                self.tr("没有名称相近的企业，请在库中查找：")))
        layout.addWidget(self.firms, 1)
        layout.addWidget(search, 0, Qt.AlignLeft)
        layout.addWidget(self.remember)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        resize_to_fit(self, 640, 400)
        chosen = self._item_of(current.enterprise_id) if current is not None else None
        self.firms.setCurrentRow(self.firms.row(chosen) if chosen is not None else 0)
        self.firms.setFocus()

    def _add(self, choice: dict[str, Any]) -> QListWidgetItem:
        text = "　".join(str(choice[k]) for k in ("name", "credit_code", "county_name")
                        if choice.get(k))
        item = QListWidgetItem(text)
        item.setData(Qt.UserRole, choice["enterprise_id"])
        self.firms.addItem(item)
        return item

    def _item_of(self, enterprise_id: int) -> QListWidgetItem | None:
        for position in range(self.firms.count()):
            item = self.firms.item(position)
            if item.data(Qt.UserRole) == enterprise_id:
                return item
        return None

    def find_other(self) -> None:
        picker = EnterprisePickerDialog(self.database, self, self.tr("选择要关联的企业"),
                                        runner=self.runner)
        try:
            self._take_from(picker)
        finally:  # not kept as a hidden child, with every firm's id and index
            picker.deleteLater()

    def _take_from(self, picker: EnterprisePickerDialog) -> None:
        if picker.exec() != QDialog.Accepted or picker.chosen() is None:
            return
        enterprise_id = picker.chosen()
        item = self._item_of(enterprise_id)
        if item is None:
            # shown as the near misses are: name, code and county
            choice = {"enterprise_id": enterprise_id, "name": picker.chosen_name(),
                      "credit_code": picker.chosen_code(),
                      "county_name": picker.chosen_county()}
            self.choices.append(choice)
            item = self._add(choice)
        self.firms.setCurrentItem(item)

    def accept(self) -> None:
        if self.link() is None:
            return  # nothing chosen: stay open rather than link nothing
        super().accept()

    def link(self) -> Link | None:
        item = self.firms.currentItem()
        if item is None:
            return None
        return Link(int(item.data(Qt.UserRole)), remember_name=self.remember.isChecked())

    @classmethod
    def choose(cls, database: Database, row: PlanRow, choices: list[dict[str, Any]],
               current: Link | None = None, parent: QWidget | None = None, *,
               runner: BackgroundRunner | None = None
               ) -> tuple[Link, list[dict[str, Any]]] | None:
        """The link chosen and the choices offered (with any firm looked up), or None."""
        dialog = cls(database, row, choices, current, parent, runner=runner)
        try:
            if dialog.exec() != QDialog.Accepted:
                return None
            link = dialog.link()
            return None if link is None else (link, dialog.choices)
        finally:  # not kept as a hidden child of the wizard, one more for every row linked
            dialog.deleteLater()
