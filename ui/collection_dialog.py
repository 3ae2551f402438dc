"""文件 → 导出采集表: the firms of the roster's current list or its selection, the year,
one file or one per firm / per town, the deadline and where the filled files go back;
written on the background runner with progress and cancel."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tiers.exchange.status import proposed_unit_for
from tiers.reports import collection
from tiers.reports.collection_book import Letter
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import FileDialog
from ui.background_runner import BackgroundRunner, Task
from ui.mnemonics import buddy_label, with_mnemonics
from ui.operations import run_operation
from ui.work_footer import WorkFooter

log = logging.getLogger(__name__)

RETURN_TO_KEY = "collection/return_to"


class CollectionDialog(QDialog):
    exported = Signal(list)

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, listed: Sequence[int] = (),
                 selected: Sequence[int] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出采集表"))
        self.database, self.settings, self.runner = database, settings, runner
        self.listed, self.selected = list(listed), list(selected)
        intro = QLabel(self.tr(
            "生成发给企业填写年度数据的 Excel 采集表：预填企业名称、信用代码和上一年的数据（灰色，供参考），"
            "本年度各项（含 2026 办法的新指标）留空并带填写校验，另附“填表说明”。"
            "企业填好交回后，用“导入”一次选中全部文件即可，不需要对应列。"))
        intro.setWordWrap(True)
        self.firms = QComboBox()
        if self.selected:
            self.firms.addItem(self.tr("选中的企业（%1 家）").replace("%1", str(len(self.selected))),
                               "selected")
        self.firms.addItem(self.tr("企业库当前列表中的企业（%1 家）").replace("%1", str(len(self.listed))),
                           "listed")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year - 1)
        self.year.setSuffix(self.tr(" 年度"))
        self.year.valueChanged.connect(self._split_changed)
        self.split = QComboBox()
        for value, label in collection.SPLITS.items():
            self.split.addItem(self.tr(label), value)
        self.split.currentIndexChanged.connect(self._split_changed)
        # Alt letters (a keyboard-only officer: Alt+F to the 发出单位), each once; 保存为
        # and 保存到文件夹 share theirs (one label, its text follows the choice of files)
        letters = with_mnemonics([self.tr("企业"), self.tr("数据年度"), self.tr("文件"),
                                  self.tr("报送截止日期"), self.tr("报送至"), self.tr("发出单位"),
                                  self.tr("联系人"), self.tr("联系电话"), self.tr("保存为")])
        self._save_letter = letters[8][letters[8].index("(&"):]
        self.has_deadline = QCheckBox(letters[3])
        self.has_deadline.setChecked(True)
        self.deadline = QDateEdit(QDate.currentDate().addDays(30))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.has_deadline.toggled.connect(self.deadline.setEnabled)
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.has_deadline)
        deadline_row.addWidget(self.deadline, 1)
        self.return_to = QLineEdit(str(settings.settings.value(RETURN_TO_KEY, "") or ""))
        self.return_to.setPlaceholderText(self.tr("如 邮箱、科室和地址"))
        self.unit = QLineEdit(settings.organisation_of(database))  # this database's own
        self.unit.setPlaceholderText(self.tr("如：常州市武进区工业和信息化局"))
        # where the 发出单位 came from (remembered, or proposed by the firms' counties as
        # tiers export collection does): the 填表说明 names it as the sender
        self.unit_note = QLabel()
        self.unit_note.setWordWrap(True)
        self.unit_note.setStyleSheet("color: #555;")
        self.unit.textEdited.connect(self._unit_typed)
        self.officer = QLineEdit(settings.officer)
        self.phone = QLineEdit(settings.phone)
        form = QFormLayout()
        form.addRow(buddy_label(letters[0], self.firms), self.firms)
        form.addRow(buddy_label(letters[1], self.year), self.year)
        form.addRow(buddy_label(letters[2], self.split), self.split)
        form.addRow(deadline_row)
        form.addRow(buddy_label(letters[4], self.return_to), self.return_to)
        form.addRow(buddy_label(letters[5], self.unit), self.unit)
        form.addRow("", self.unit_note)
        form.addRow(buddy_label(letters[6], self.officer), self.officer)
        form.addRow(buddy_label(letters[7], self.phone), self.phone)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("选择…"))
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        self.where_label = buddy_label("", self.path)
        where.addWidget(self.where_label)
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.export_button = QPushButton(self.tr("导出"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_folder_button = QPushButton(self.tr("打开所在文件夹"))
        self.open_folder_button.hide()
        self.open_folder_button.clicked.connect(self.open_folder)
        self.footer = WorkFooter(self, runner, self.tr("导出采集表"),
                                 [self.open_folder_button, self.export_button],
                                 cancel_text=self.tr("取消导出"))
        self.status = self.footer.status
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(where)
        layout.addWidget(self.footer)
        self.setMinimumWidth(600)
        self.written: list[Path] = []
        self._split_changed()
        # the first choice is which firms (QDialog gave the focus to 导出, its default
        # button: the arrow keys did nothing and Tab went round the buttons first)
        self.firms.setFocus()
        self.proposing: Task | None = None
        # the 发出单位 proposed per choice of firms, and the one last put in the field
        self.unit_proposals: dict[str, str] = {}
        self.proposed = ""
        self.firms.currentIndexChanged.connect(self._follow_firms)
        if self.unit.text().strip():
            self.unit_note.setText(self.tr("本数据库上次导出时填写的单位，可修改"))
        else:
            self._propose_unit()

    # --- 发出单位 -----------------------------------------------------------------------
    def _propose_unit(self) -> None:
        """None remembered for this database: the bureau of the counties of the firms the
        forms go to (选中的 or the list's, each proposed here), as the report and package
        dialogs and tiers export collection propose it; a county's database holds other
        counties' firms from province lists, and proposed the city's bureau for its own
        county's forms (tester25). Read on the runner."""
        self.unit_note.setText(self.tr("正在按所导出企业所在区县推定发出单位……"))
        database = self.database
        choices = {"selected": list(self.selected), "listed": list(self.listed)}

        def job(_task: Task) -> dict[str, str]:
            with database.session() as session:
                return {choice: proposed_unit_for(session, firm_ids=ids)
                        for choice, ids in choices.items() if ids or choice == "listed"}

        def failed(message: str) -> None:
            log.warning("发出单位未能推定：%s", message)
            self.proposing = None
            self.unit_note.setText(self.tr("未能按库中企业推定发出单位，请填写"))

        def finished() -> None:
            self.proposing = None

        self.proposing = run_operation(self, self.runner, self.tr("导出采集表"), job,
                                       on_success=self._unit_proposed, on_failure=failed,
                                       on_finished=finished)

    def _unit_proposed(self, proposals: dict[str, str]) -> None:
        self.proposing = None
        # typed meanwhile (the officer's), or exported without one meanwhile
        if self.unit.text().strip() or self.footer.task is not None or self.written:
            self._unit_typed("")
            return
        self.unit_proposals = proposals
        self._follow_firms()

    def _follow_firms(self) -> None:
        """The proposal for the firms chosen (选中的 or the list's), unless the officer typed
        another unit."""
        if not self.unit_proposals:
            return
        current = self.unit.text().strip()
        if current and current != self.proposed:
            return
        proposal = self.unit_proposals.get(self.firms.currentData(), "")
        self.proposed = proposal
        self.unit.setText(proposal)
        self.unit_note.setText(
            self.tr("按所导出企业所在区县推定，可修改") if proposal else self.tr(
                "库中企业所在区县推定不出一个单位，请填写；不填时填表说明写“工业和信息化主管部门”"))

    def _unit_typed(self, _text: str) -> None:
        """The officer's own words: no longer remembered or proposed."""
        self.unit_note.setText("" if self.unit.text().strip() else self.tr(
            "不填时填表说明写“工业和信息化主管部门”"))

    # --- choices ------------------------------------------------------------------------
    def chosen_ids(self) -> list[int]:
        return self.selected if self.firms.currentData() == "selected" else self.listed

    def _split_changed(self) -> None:
        folder = Path(self.settings.last_folder("export"))
        name = f"{self.year.value()}年度数据采集表"
        if self.split.currentData() == collection.ONE_FILE:
            self.where_label.setText(self.tr("保存为") + self._save_letter)
            self.path.setText(str(folder / f"{name}.xlsx"))
        else:
            self.where_label.setText(self.tr("保存到文件夹") + self._save_letter)
            self.path.setText(str(folder / name))

    def browse(self) -> None:
        if self.split.currentData() == collection.ONE_FILE:
            path = FileDialog.save_file(self, self.tr("导出到"), self.path.text(),
                                        "Excel 工作簿 (*.xlsx)")
            if path and not path.lower().endswith(".xlsx"):
                path += ".xlsx"
        else:
            path = FileDialog.folder(self, self.tr("保存到文件夹"), self.path.text())
        if path:
            self.path.setText(path)

    def letter(self) -> Letter:
        deadline = self.deadline.date().toPython() if self.has_deadline.isChecked() else None
        return Letter(year=self.year.value(), unit=self.unit.text().strip(),
                      officer=self.officer.text().strip(), phone=self.phone.text().strip(),
                      return_to=self.return_to.text().strip(), deadline=deadline)

    # --- export -------------------------------------------------------------------------
    def export(self) -> Task | None:
        ids = self.chosen_ids()
        if not ids:
            self.status.setText(self.tr("企业库当前列表中没有企业：请先在企业库中筛选或选中企业"))
            return None
        split = self.split.currentData()
        target = self.footer.target(self.path.text(),
                                    ask_to_replace=split == collection.ONE_FILE)
        if target is None:
            return None
        self.settings.set_organisation_of(self.database, self.unit.text())
        self.settings.officer = self.officer.text()
        self.settings.phone = self.phone.text()
        self.settings.settings.setValue(RETURN_TO_KEY, self.return_to.text().strip())
        self.settings.remember_folder("export", target if split == collection.ONE_FILE
                                      else str(Path(target).parent))
        request = collection.CollectionRequest(letter=self.letter(), ids=tuple(ids), split=split)
        database = self.database

        # checked again as the files are moved into place, as the command line does: one
        # file is replaced while it is the file the officer agreed to replace, unchanged
        # (a firm's return saved over it meanwhile is kept: issue #16); the files in a
        # folder nobody was asked about, and the firms' filled-in returns may be there under
        # the names they were sent with: only Tiers' own untouched output is replaced
        agreed = self.footer.replace_agreed

        def job(_task):
            with database.session() as session:
                return (yield from collection.export_steps(
                    session, request, target, replace_foreign=False, agreed=agreed))

        self.open_folder_button.hide()
        return self.footer.run(job, self._done, busy_text=self.tr("正在导出……"),
                               disable=[self.export_button],
                               failure_prefix=self.tr("导出失败："))

    @property
    def task(self) -> Task | None:
        return self.footer.task

    def _done(self, paths: list[Path]) -> None:
        self.written = list(paths)
        if len(paths) == 1:
            self.status.setText(self.tr("已导出：") + str(paths[0]))
        else:
            self.status.setText(self.tr("已导出 %1 份采集表到：").replace("%1", str(len(paths)))
                                + str(paths[0].parent))
        self.open_folder_button.show()
        self.exported.emit(self.written)

    def open_folder(self) -> bool:
        if not self.written:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.written[0].parent)))
