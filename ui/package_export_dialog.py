"""文件 → 导出数据包…: choose the counties (tiers.exchange.scope: all in the city's database,
a county's own one on its laptop, none ticked where that is not known), the 报送单位 and where
to save; the package is written on the background runner with progress and cancel."""

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

from tiers.exchange import ExportResult, export_package
from tiers.exchange.scope import PackageScope, own_package_units, package_scope, package_sender
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import FileDialog
from ui.background_runner import BackgroundRunner, Task
from ui.enter_key import EnterStaysInViews
from ui.operations import in_session, run_operation
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
        self.counties.itemChanged.connect(self._follow_unit)
        self.counties.itemChanged.connect(self._say_scope)
        self.scope: PackageScope | None = None
        self._proposed_unit = ""  # the unit shown as proposed (not typed, not remembered)
        self._proposal_asked = 0  # the latest ticks whose proposal was asked (_follow_unit)
        self._proposal_answered = 0  # … and the latest answered
        self._export_waits = False  # 导出 pressed before the answer came: export on it
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
        def read(session) -> tuple[PackageScope, str]:
            scope = package_scope(session)
            # whoever sends it: this database's unit (package_sender), not the bureau of
            # the counties ticked; "" where its own counties are several and none ticked
            return scope, package_sender(session, scope.default or ()).unit

        return self.footer.run(in_session(self.database, read),
                               self._show_counties, busy_text=self.tr("正在读取区县……"),
                               cancellable=False)

    def _show_counties(self, found: tuple[PackageScope, str]) -> None:
        scope, proposal = found
        self.scope = scope
        counties = scope.counties
        self.counties.blockSignals(True)  # (the name and unit follow once, below)
        self.counties.clear()
        for code, name, firms in counties:
            text = (self.tr("%1（%2 家企业，只从上级名单导入）") if code in scope.from_lists
                    else self.tr("%1（%2 家企业）"))
            item = QListWidgetItem(text.replace("%1", name).replace("%2", str(firms)))
            item.setData(Qt.UserRole, code)
            item.setData(NAME_ROLE, name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            # the city's database: all; a county's laptop: its own county, not the
            # neighbours whose firms only the province's lists brought in (tester26: they
            # went to the city under the city's bureau and had their own package refused)
            ticked = scope.default is None or code in scope.default
            item.setCheckState(Qt.Checked if ticked else Qt.Unchecked)
            self.counties.addItem(item)
        self.counties.blockSignals(False)
        if not self.unit.text().strip():  # none remembered here: the counties' bureau
            self.unit.setText(proposal)
            self._proposed_unit = proposal
        if not counties:
            self.status.setText(self.tr("库中没有企业。"))
        elif scope.must_ask:  # (why, in the core's words; what to do, here)
            self.status.setText(scope.ask_reason + (
                self.tr("：请勾选要报送的区县（或在“设置”中改本单位负责的区县）。") if scope.by_unit
                else self.tr("：请勾选要报送的区县。")))
        else:
            self._say_scope()
        self.export_button.setEnabled(bool(counties))
        self._suggest_name()

    def _say_scope(self) -> None:
        """What the ticks leave out, the counties ticked that are not this database's own
        (the package carries them under its unit), and the firms an import took in that
        go as the unit's own, in the core's words."""
        if self.scope is None or self.scope.must_ask:
            return
        self.status.setText(self._scope_text(self.chosen_codes()))

    def _scope_text(self, codes: list[str], *, done: bool = False) -> str:
        """_say_scope's words of ``codes``; ``done``: of the package written (tester29: the
        result's 已导出 replaced them), without asking to tick."""
        if self.scope is None or self.scope.must_ask:
            return ""
        said = [line.text for line in self.scope.left_out(codes)]
        ask = self.tr("。") if done else self.tr("。如也要报送，请勾选。")
        text = "；".join(said) + ask if said else ""
        # the firms an import took in (一并导入) that go as the unit's own: said before
        # exporting, with what to do if they are not its (county officer, session 30)
        taken = self.scope.taken_in_note(codes)
        if taken:
            text = taken + (self.tr("。如它们不是本单位的，请在企业档案中填写它们所属的区县后重新导出。")
                            if done else
                            self.tr("。如它们不是本单位的，请先在企业档案中填写它们所属的区县，"
                                    "或取消勾选它们所在的区县，再导出。")) + (
                "\n" + text if text else "")  # (a line of its own: it asks to act)
        carried = self.scope.carried(codes)
        if carried:
            text = carried + self.tr("。") + text
        return text

    def _follow_unit(self) -> None:
        """The proposed 报送单位 follows the ticked counties as the core proposes it for a
        package (package_sender: whoever sends it, this database's unit; the ticks decide
        only where its own counties are several), unless the officer typed his own or one
        is remembered for this database. Asked on the runner; only the answer to the
        latest ticks is used."""
        if self.unit.text().strip() != self._proposed_unit:
            return
        self._proposal_asked += 1
        asked, codes = self._proposal_asked, self.chosen_codes()
        if not codes:  # none ticked: no one's bureau
            self._proposal_answered = asked
            self._proposed_unit = ""
            self.unit.setText("")
            return

        def propose(found: str) -> None:
            if asked != self._proposal_asked or self.unit.text().strip() != self._proposed_unit:
                return  # ticked again since, or the officer typed his own meanwhile
            self._proposed_unit = found
            self.unit.setText(found)

        def answered() -> None:
            if asked != self._proposal_asked:
                return
            self._proposal_answered = asked
            if self._export_waits:  # 导出 pressed meanwhile: under the unit for these ticks
                self._export_waits = False
                self.export()

        run_operation(self, self.runner, self.tr("导出数据包"),
                      in_session(self.database,
                                 lambda session: package_sender(session, codes).unit),
                      on_success=propose, on_finished=answered,
                      on_failure=lambda message: self.status.setText(
                          self.tr("未能推定报送单位：") + message))

    def chosen_codes(self) -> list[str]:
        items = [self.counties.item(row) for row in range(self.counties.count())]
        return [item.data(Qt.UserRole) for item in items if item.checkState() == Qt.Checked]

    def _suggest_name(self) -> None:
        """Name the file after the checked counties (武进区数据包-20261205.zip), so that the
        packages a city receives from its counties can be told apart; a name the officer
        typed or chose is left alone."""
        if self.path.text() != self._suggested:
            return
        items = [self.counties.item(row) for row in range(self.counties.count())]
        ticked = [item for item in items if item.checkState() == Qt.Checked]
        # the firms without a county go along under the counties' name (（未填区县） in a
        # file name read as a fault); named 未填区县 when they go alone
        names = [item.data(NAME_ROLE) for item in ticked if item.data(Qt.UserRole)] or [
            self.tr("未填区县") for item in ticked]
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
        if self._proposal_answered != self._proposal_asked:
            self._export_waits = True  # the unit for the ticks is on its way (_follow_unit)
            self.status.setText(self.tr("正在推定报送单位……"))
            return None
        counties = self.chosen_counties()
        if counties is not None and not counties:
            self.status.setText(self.tr("请至少勾选一个区县"))
            return None
        if not self.unit.text().strip():  # (the counties' names would say, at the city,
            # that the package is those counties' own report)
            self.status.setText(self.tr("请填写报送单位：本单位的名称，如“常州市武进区工业和信息化局”"
                                        "（推定不出，库中的企业分属几个县，所勾选的都不是本库自己的）。"))
            self.unit.setFocus()
            return None
        target = self.footer.target(self.path.text())
        if target is None:
            return None
        self.settings.remember_folder("package", target)
        unit = self.unit.text().strip()
        self.settings.set_organisation_of(self.database, unit)
        chosen = list(counties or [])  # "" among them: the firms without a county
        agreed = self.footer.replace_agreed
        # what these ticks leave out, said with the result (the ticks may change meanwhile)
        scope_note = self._scope_text(self.chosen_codes(), done=True)

        def work(session):
            # checked again as the package is moved into place, as the command line does:
            # the file the officer agreed to replace is replaced while it is that file
            # unchanged; any other saved under the name meanwhile (a package received from
            # another unit) only when it is this unit's own package (review27b #10)
            result = yield from export_package(
                session, target, counties=chosen, source_unit=unit,
                only_ours_of=own_package_units(session, chosen, unit), agreed=agreed)
            return result

        return self.footer.run(in_session(self.database, work),
                               lambda result: self._done(result, scope_note),
                               busy_text=self.tr("正在导出……"), disable=[self.export_button],
                               failure_prefix=self.tr("导出失败："))

    def _done(self, result: ExportResult, scope_note: str = "") -> None:
        """What was written, as the command line says it: the file, its counties and rows per
        table (the core's words), its 报送单位, and what it left out (tester29: 已导出：路径
        alone, in place of the note on the counties not exported)."""
        lines = [self.tr("已导出：") + str(result.path), result.summary(),
                 self.tr("报送单位：") + result.source_unit]
        self.status.setText("\n".join([*lines, *filter(None, [scope_note])]))
        self.exported.emit(str(result.path))
