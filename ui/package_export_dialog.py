"""文件 → 导出数据包…: choose the counties (all by default), the 报送单位 and where to save;
the package is written on the background runner with progress and cancel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiers.exchange import export_package
from tiers.exchange.status import counties_with_firms, proposed_unit
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import FileDialog
from ui.background_runner import BackgroundRunner, Task
from ui.enter_key import EnterStaysInViews
from ui.operations import in_session
from ui.path_field import PathField
from ui.screen_fit import resize_to_fit
from ui.work_footer import WorkFooter

NAME_ROLE = Qt.UserRole + 1  # a county's name, for the file's name


class PackageExportDialog(QDialog):
    exported = Signal(str)

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导出数据包"))
        self.database, self.settings, self.runner = database, settings, runner
        intro = QLabel(self.tr("数据包带上所选区县企业的全部数据（企业、曾用名、全部认定、产业链、扶持措施、"
                               "年度数据、培育库），供上级导入；同一区县以后报送的数据包会替换先前的。"))
        intro.setWordWrap(True)
        self.counties = QListWidget()
        self.counties.setMinimumHeight(140)
        self.counties.itemChanged.connect(self._suggest_name)
        # this database's own sender (a unit remembered for another database is not it)
        self.unit = QLineEdit(settings.organisation_of(database))
        self.unit.setPlaceholderText(self.tr("如：常州市武进区工业和信息化局"))
        # (a long folder drawn elided in the middle: its start and the file's name show)
        self.path = PathField()
        self.path.setText(str(Path(settings.last_folder("package"))
                              / f"数据包-{dt.date.today():%Y%m%d}.zip"))
        self._suggested = self.path.text()  # replaced as counties are chosen, unless edited
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self.browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("区县(&C)："), self.counties)
        form.addRow(self.tr("报送单位(&U)："), self.unit)
        # a row of two widgets gets no buddy from addRow: the label names the path, so that
        # its Alt+S works and its & is not shown as written
        save_label = QLabel(self.tr("保存为(&S)："))
        save_label.setBuddy(self.path)
        form.addRow(save_label, where)
        self.export_button = QPushButton(self.tr("导出(&E)"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.footer = WorkFooter(self, runner, self.tr("导出数据包"), [self.export_button],
                                 cancel_text=self.tr("取消导出"))
        self.status = self.footer.status
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.footer)
        resize_to_fit(self, 560, 420)
        # Enter while ticking counties (space, the arrows) is not 导出 (ui.enter_key)
        EnterStaysInViews(self)
        self.load_counties()

    @property
    def task(self) -> Task | None:
        return self.footer.task

    def load_counties(self) -> Task:
        self.export_button.setEnabled(False)  # until there are counties to choose
        def read(session) -> tuple[list[tuple[str, str, int]], str]:
            return counties_with_firms(session), proposed_unit(session)

        return self.footer.run(in_session(self.database, read),
                               self._show_counties, busy_text=self.tr("正在读取区县……"),
                               cancellable=False)

    def _show_counties(self, found: tuple[list[tuple[str, str, int]], str]) -> None:
        counties, proposal = found
        self.counties.clear()
        for code, name, firms in counties:
            item = QListWidgetItem(self.tr("%1（%2 家企业）").replace("%1", name)
                                   .replace("%2", str(firms)))
            item.setData(Qt.UserRole, code)
            item.setData(NAME_ROLE, name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.counties.addItem(item)
        if not self.unit.text().strip():  # none remembered here: the counties' bureau
            self.unit.setText(proposal)
        self.status.setText("" if counties else self.tr("库中没有企业。"))
        self.export_button.setEnabled(bool(counties))
        self._suggest_name()

    def _suggest_name(self) -> None:
        """Name the file after the checked counties (武进区数据包-20261205.zip), so that the
        packages a city receives from its counties can be told apart; a name the officer
        typed or chose is left alone."""
        if self.path.text() != self._suggested:
            return
        items = [self.counties.item(row) for row in range(self.counties.count())]
        names = [item.data(NAME_ROLE) for item in items if item.checkState() == Qt.Checked]
        whose = ("、".join(names) if len(names) <= 3 else
                 self.tr("%1等 %2 个区县").replace("%1", names[0]).replace("%2", str(len(names))))
        path = Path(self._suggested).with_name(f"{whose}数据包-{dt.date.today():%Y%m%d}.zip")
        self._suggested = str(path)
        self.path.setText(self._suggested)

    def chosen_counties(self) -> list[str] | None:
        """The checked counties' codes; None when all are checked (a package of all)."""
        items = [self.counties.item(row) for row in range(self.counties.count())]
        checked = [item.data(Qt.UserRole) for item in items if item.checkState() == Qt.Checked]
        return None if len(checked) == len(items) else checked

    def browse(self) -> None:
        path = FileDialog.save_file(self, self.tr("数据包保存到"), self.path.text(),
                                    self.tr("数据包 (*.zip)"))
        if path:
            self.path.setText(path if path.lower().endswith(".zip") else path + ".zip")

    def export(self) -> Task | None:
        counties = self.chosen_counties()
        if counties is not None and not [c for c in counties if c]:
            self.status.setText(self.tr("请至少勾选一个区县"))
            return None
        target = self.footer.target(self.path.text())
        if target is None:
            return None
        self.settings.remember_folder("package", target)
        unit = self.unit.text().strip()
        self.settings.set_organisation_of(self.database, unit)
        chosen = [c for c in counties or [] if c]

        def work(session):
            result = yield from export_package(session, target, counties=chosen,
                                               source_unit=unit)
            return str(result.path)

        return self.footer.run(in_session(self.database, work), self._done,
                               busy_text=self.tr("正在导出……"), disable=[self.export_button],
                               failure_prefix=self.tr("导出失败："))

    def _done(self, target: str) -> None:
        self.status.setText(self.tr("已导出：") + target)
        self.exported.emit(target)
