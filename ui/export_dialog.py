"""导出报表: pick a report, its filters (starting from the filters on screen), the
signature (remembered), Excel or PDF and where to save; written on the background runner
with progress and cancel; offer to open the folder. 打印预览 shows the pages as they print."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tiers import outputs, reports
from tiers.errors import with_hint
from tiers.exchange.scope import ListedNeighbours, listed_neighbours
from tiers.exchange.status import proposed_unit_for
from tiers.queries import roster
from tiers.queries.unit_scope import ReportAreas, report_areas
from tiers.reports import FilterSpec, ReportError, ReportRequest
from tiers.reports.file_names import suggested_stem, year_to_name
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import FileDialog, MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.county_column import known_counties, read_counties
from ui.export_filters import (
    changed_signal,
    filter_labels,
    filter_widget,
    left_out_note,
    offer,
)
from ui.mnemonics import buddy_label, with_mnemonics
from ui.operations import run_operation
from ui.path_field import PathField
from ui.work_footer import WorkFooter

log = logging.getLogger(__name__)

# where this dialog lets the user give what a report says it needs (its hint_field)
HINTS = {"tier": "（在“梯度层级”中选择）", "code": "（在“统一社会信用代码”中填写）"}
class ExportDialog(QDialog):
    exported = Signal(str)
    export_failed = Signal(str)
    choices_filled = Signal()  # every county and town is offered (read on the runner)

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, report: str | None = None,
                 filters: dict[str, Any] | None = None, firm_name: str = "") -> None:
        super().__init__(parent)
        self.firm_name = firm_name  # 企业档案 opened from a firm's window: its file's name
        self.suggested = ""  # the path offered, until the officer types or picks another
        # the year a report uses when none is chosen (the figures report's latest year with
        # figures), looked up on the runner for its file's name, by report and filters
        self.years_to_name: dict[tuple, int] = {}
        self.years_asked: set[tuple] = set()
        # the filters on screen when the dialog was opened: each report starts from those
        # it takes (the officer exports what they are looking at)
        self.initial = {name: value for name, value in (filters or {}).items() if value}
        self.preview_folder: str | None = None
        # (what the officer file could not take, told once: name, phone and why)
        self.officer_not_kept_told: set[tuple[str, str, str]] = set()
        self.setWindowTitle(self.tr("导出报表"))
        self.database, self.settings, self.runner = database, settings, runner
        self.filter_widgets: dict[str, QWidget] = {}
        self.report = QComboBox()
        for definition in reports.REPORTS:
            self.report.addItem(definition.title, definition.name)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: #555;")
        # a county's database: a report of every firm lists the neighbours' firms only the
        # province's lists brought in (the core's note, as tiers export gives it)
        self.neighbours_note = QLabel()
        self.neighbours_note.setWordWrap(True)
        self.neighbours_note.setStyleSheet("color: #a05a00;")
        self.neighbours_note.hide()
        self.neighbours: ListedNeighbours | None = None
        # with the unit recorded: the county choice's blank is the unit's, （未填区县） and
        # every county offered too, and what the unit's default leaves out (the core's)
        self.areas = ReportAreas()
        self.filters_box = QGroupBox(self.tr("筛选条件"))
        self.filters_form = QFormLayout(self.filters_box)
        signature = QGroupBox(self.tr("落款（会记住）"))
        form = QFormLayout(signature)
        self.unit = QLineEdit(settings.organisation_of(database))  # this database's own
        self.filled_by = QLineEdit(settings.officer)
        self.phone = QLineEdit(settings.phone)
        # Alt letters: the report, the signature and the file first (they stay), then each
        # report's filters with the letters left (ui.mnemonics)
        fixed = with_mnemonics([self.tr("报表"), self.tr("填报单位"), self.tr("填报人"),
                                self.tr("联系电话"), self.tr("保存到")])
        self.fixed_letters = {text[text.index("(&") + 2].lower() for text in fixed}
        for text, field in zip(fixed[1:4], (self.unit, self.filled_by, self.phone),
                               strict=True):
            form.addRow(buddy_label(text, field), field)
        self.format = QComboBox()
        self.format.addItem(self.tr("Excel 工作簿（.xlsx）"), ".xlsx")
        self.format.addItem(self.tr("PDF（经 LibreOffice 打印）"), ".pdf")
        self.format.currentIndexChanged.connect(self._format_changed)
        self.path = PathField()  # its folder readable: elided in the middle, not at the start
        self.browse_button = QPushButton(self.tr("另存为…"))
        self.browse_button.clicked.connect(self.browse)
        # the path has the dialog's width to itself (beside the format and 另存为 it had
        # 208 px at 1366: the end of the file's name), the format and 另存为 under it
        where = QGridLayout()
        where.addWidget(buddy_label(fixed[4], self.path), 0, 0)
        where.addWidget(self.path, 0, 1)
        kind = QHBoxLayout()
        kind.addWidget(self.format)
        kind.addWidget(self.browse_button)
        kind.addStretch(1)
        where.addLayout(kind, 1, 1)
        where.setColumnStretch(1, 1)
        self.preview_button = QPushButton(self.tr("打印预览"))
        self.preview_button.clicked.connect(self.preview)
        self.export_button = QPushButton(self.tr("导出"))
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.open_folder_button = QPushButton(self.tr("打开所在文件夹"))
        self.open_folder_button.hide()
        self.open_folder_button.clicked.connect(lambda: self.open_folder(self.path.text()))
        self.footer = WorkFooter(
            self, runner, self.tr("导出报表"),
            [self.open_folder_button, self.preview_button, self.export_button],
            cancel_text=self.tr("取消导出"))
        self.status = self.footer.status
        top = QFormLayout()
        top.addRow(buddy_label(fixed[0], self.report), self.report)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.description)
        layout.addWidget(self.filters_box)
        layout.addWidget(self.neighbours_note)
        layout.addWidget(signature)
        layout.addLayout(where)
        # spare height (a report with fewer filters, a tall window) goes above the buttons,
        # not to the description, which then floated away from the report it describes
        layout.addStretch(1)
        layout.addWidget(self.footer)
        self.setMinimumWidth(560)
        self._counties_and_towns: tuple[list[str], list[str]] | None = None
        # the 填报单位 proposed per county ("" for none chosen), when none is remembered,
        # and the one last put in the field (replaced as the county changes, until typed over)
        self.proposals: dict[str, str] = {}
        self.proposed = ""
        self.choices_task: Task | None = None
        self.report.currentIndexChanged.connect(self._report_changed)
        if report:
            self.report.setCurrentIndex(max(self.report.findData(report), 0))
        self._report_changed()
        self._read_choices()
        # the first choice is which report (QDialog gave the focus to 导出, its default
        # button, so the arrow keys did nothing); Enter there still exports
        self.report.setFocus()

    # --- filters ------------------------------------------------------------------------
    def definition(self):
        return reports.get(self.report.currentData())

    def _counties_towns(self) -> tuple[list[str], list[str]]:
        """The counties and towns the filters offer: read once for the dialog, on the
        runner (two scans of every firm, 55 ms at 100,000: the dialog opened that much
        later); until then the counties kept for the database (ui.county_column), if the
        pages have read them, and the county or town on screen."""
        if self._counties_and_towns is not None:
            return self._counties_and_towns
        return known_counties(self.database) or [], []

    def _read_choices(self) -> None:
        database = self.database
        propose = not self.unit.text().strip()  # none remembered for this database

        def job(_task: Task) -> tuple[list[str], list[str], dict[str, str],
                                      ListedNeighbours | None, ReportAreas]:
            with database.session() as session:
                counties = read_counties(database, session)
                # the unit follows the report's county (tester25: a county's database
                # holding province lists' firms signed its 溧阳市 report 常州市…): one
                # proposal per county offered, "" for none chosen
                proposals = {county: proposed_unit_for(session, county=county)
                             for county in ["", *counties]} if propose else {}
                return (counties, roster.towns(session), proposals,
                        listed_neighbours(session), report_areas(session))

        self.choices_task = run_operation(
            self, self.runner, self.tr("导出报表"), job, on_success=self._choices_read,
            on_failure=lambda message: log.warning("县区与镇街未读出：%s", message))

    def _choices_read(self, found: tuple[list[str], list[str], dict[str, str],
                                         ListedNeighbours | None, ReportAreas]) -> None:
        """Offer every county and town in the report's filters, the choice made kept (and
        the focus where it is: only the items change)."""
        counties, towns, proposals, self.neighbours, self.areas = found
        counties = [*counties, *self.areas.extra]
        self._counties_and_towns = counties, towns
        self.proposals = proposals
        self._follow_county()
        for spec in self.definition().filters:
            widget = self.filter_widgets.get(spec.name)
            if spec.kind in {"county", "town"} and isinstance(widget, QComboBox):
                offer(widget, counties if spec.kind == "county" else towns)
                self._name_blank(spec, widget)
        self._show_neighbours()
        self.choices_filled.emit()

    def _follow_county(self) -> None:
        """None remembered for this database (or the one proposed still there): the bureau
        of the county the report is for, else of the database's firms. A unit the officer
        typed stays."""
        self._show_neighbours()
        if not self.proposals:
            return
        current = self.unit.text().strip()
        if current and current != self.proposed:
            return
        county = self.request().county or ""
        proposal = self.proposals.get(county, self.proposals.get("", ""))
        self.proposed = proposal
        self.unit.setText(proposal)

    def _name_blank(self, spec: FilterSpec, widget: QComboBox) -> None:
        """The county choice's blank is the unit's when one is recorded (本单位（新北区）)."""
        if spec.kind == "county" and self.areas.default_label and widget.count():
            widget.setItemText(0, self.areas.default_label)

    def _show_neighbours(self) -> None:
        """The note on what a report of every firm would hold that is not the database's
        own, while the report takes a county and none is chosen: with the unit recorded,
        what its default leaves out and how to take it in; else the neighbours' firms from
        lists and how to leave them out here (the county filter)."""
        found = self.neighbours
        county = self.filter_widgets.get("county")
        if county is None or self.request().county or (
                found is None and self.areas.left_out is None):
            self.neighbours_note.hide()
            return
        label = next(spec.label for spec in self.definition().filters if spec.name == "county")
        if self.areas.left_out is not None:
            self.neighbours_note.setText(left_out_note(self.tr, self.areas, label))
            self.neighbours_note.show()
            return
        if len(found.own) == 1:
            how = self.tr("只要本县的，请在“%1”中选%2。").replace("%2", found.own[0][1])
        elif found.own:
            how = self.tr("只要本单位区县的，请每个区县各导出一份（在“%1”中逐个选：%2）。").replace(
                "%2", "、".join(name for _code, name in found.own))
        else:
            how = self.tr("只要本县的，请在“%1”中选本县。")
        self.neighbours_note.setText(
            self.tr("注意：") + found.text + self.tr("；") + how.replace("%1", label))
        self.neighbours_note.show()

    def _report_changed(self) -> None:
        definition = self.definition()
        self.description.setText(definition.description)
        while self.filters_form.rowCount():
            self.filters_form.removeRow(0)
        self.filter_widgets.clear()
        counties, towns = self._counties_towns()
        labels = filter_labels(definition, self.fixed_letters)
        for spec, label in zip(definition.filters, labels, strict=True):
            widget = self._filter_widget(spec, counties, towns)
            self.filter_widgets[spec.name] = widget
            self.filters_form.addRow(buddy_label(label, widget), widget)
            if spec.help:
                widget.setToolTip(spec.help)
        taken = self._start_from_screen(definition)
        for widget in self.filter_widgets.values():
            changed_signal(widget).connect(lambda *_args: self._suggest_path())
            changed_signal(widget).connect(lambda *_args: self._follow_county())
        self._suggest_path(anew=True)
        self.open_folder_button.hide()
        self.status.setText(self.tr("已按当前页面的筛选预填：") + "、".join(taken) if taken else "")
        self._follow_county()  # another report: its county filter (or none)
        self._order_tabs()

    @staticmethod
    def today() -> dt.date:
        """The day the offered name carries (the tests set it: a run may cross midnight)."""
        return dt.date.today()

    def _suggest_path(self, *, anew: bool = False) -> None:
        """Offer a file named after the report and its filters, in the folder of the last
        export (or the one the officer picked in this dialog); a path the officer typed or
        chose is theirs: changing a filter leaves it, another report renames only the file."""
        current = self.path.text().strip()
        if not anew and current != self.suggested:
            return
        chosen = Path(current).parent
        # (our own suggestion's folder was checked when it was made: a filter changed asks
        # the disk nothing, a network drive's answer can take seconds)
        folder = chosen if current and chosen.is_absolute() and (
            current == self.suggested or chosen.is_dir()) else Path(
            self.settings.last_folder("export"))
        definition, request = self.definition(), self.request()
        firm = self.firm_name if request.code == self.initial.get("code") else ""
        stem = suggested_stem(definition, request, firm_name=firm, today=self.today(),
                              year=self._year_to_name(definition, request))
        self.suggested = str(folder / f"{stem}{self.format.currentData()}")
        self.path.setText(self.suggested)

    def _year_to_name(self, definition, request: ReportRequest) -> int | None:
        """The year the report will use when none is chosen, once looked up (None until
        then: the name is offered without it and renamed when the runner answers — the
        look-up is a query over the listed firms, never made on the GUI thread)."""
        if request.year or definition.default_year is None:
            return None
        key = (definition.name, *(getattr(request, name) for name in definition.filter_names))
        if key in self.years_to_name or key in self.years_asked:
            return self.years_to_name.get(key)
        self.years_asked.add(key)
        database = self.database

        def job(_task: Task) -> int | None:
            with database.reading() as session:
                return year_to_name(session, definition, request)

        def found(year: int | None) -> None:
            if year is None:
                return
            self.years_to_name[key] = year
            now = self.request()
            if self.definition() is definition and key == (
                    definition.name, *(getattr(now, name) for name in definition.filter_names)):
                self._suggest_path()  # still the name offered: now with its year

        run_operation(self, self.runner, self.tr("导出报表"), job, on_success=found,
                      on_failure=lambda message: log.warning("数据年度未查出：%s", message))
        return None

    def _order_tabs(self) -> None:
        """Tab follows the screen: the report, its filters (made anew with each report, so
        after the rest, where Tab went to them last), the signature, the file, the buttons."""
        chain = [self.report, *self.filter_widgets.values(), self.unit, self.filled_by,
                 self.phone, self.path, self.format, self.browse_button,
                 self.open_folder_button, self.preview_button, self.export_button,
                 self.footer.cancel_button, self.footer.close_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _start_from_screen(self, definition) -> list[str]:
        """Set the filters the report takes from those on screen; returns what was set
        (label=value), for the officer to see."""
        taken = []
        labels = {spec.name: spec.label for spec in definition.filters}
        for name, value in self.initial.items():
            if name not in self.filter_widgets:
                continue
            try:
                self.set_filter(name, value)
            except ValueError:  # a value this report does not offer: leave its default
                continue
            widget = self.filter_widgets[name]
            shown = widget.currentText() if isinstance(widget, QComboBox) else str(value)
            taken.append(f"{labels[name]}={shown}")
        return taken

    def _format_changed(self) -> None:
        path = self.path.text().strip()
        if path:
            ours = path == self.suggested
            self.path.setText(str(Path(path).with_suffix(self.format.currentData())))
            if ours:  # still the offered name, in its new form
                self.suggested = self.path.text()

    def _filter_widget(self, spec: FilterSpec, counties: list[str], towns: list[str]) -> QWidget:
        widget = filter_widget(spec, counties, towns, on_screen=self.initial.get(spec.name),
                               every=self.tr("（全部）"), code_hint=self.tr("统一社会信用代码"))
        if isinstance(widget, QComboBox):
            self._name_blank(spec, widget)
        return widget

    def set_filter(self, name: str, value: Any) -> None:
        widget = self.filter_widgets[name]
        if isinstance(widget, QSpinBox):
            widget.setValue(int(value or 0))
        elif isinstance(widget, QLineEdit):
            widget.setText(str(value))
        else:
            position = widget.findData(value)
            if position < 0:
                raise ValueError(f"{name}: {value}")
            widget.setCurrentIndex(position)

    def request(self) -> ReportRequest:
        values: dict[str, Any] = {}
        for name, widget in self.filter_widgets.items():
            if isinstance(widget, QSpinBox):
                value = widget.value() or None
            elif isinstance(widget, QLineEdit):
                value = widget.text().strip() or None
            else:
                value = widget.currentData()
            if value is not None:
                values[name] = value
        return ReportRequest(**values, unit=self.unit.text().strip(),
                             filled_by=self.filled_by.text().strip(),
                             phone=self.phone.text().strip())

    # --- export -------------------------------------------------------------------------
    def browse(self) -> None:
        suffix = self.format.currentData()
        kinds = "PDF 文件 (*.pdf)" if suffix == ".pdf" else "Excel 工作簿 (*.xlsx)"
        path = FileDialog.save_file(self, self.tr("导出到"), self.path.text(), kinds)
        if path:
            self.path.setText(path if path.lower().endswith(suffix) else path + suffix)

    def _missing(self) -> bool:
        """Say which required filters are empty; True when any is."""
        missing = [s.label for s in self.definition().filters if s.required and not (
            self.request().__dict__.get(s.name))]
        if missing:
            self.status.setText(self.tr("请填写：") + "、".join(missing))
        return bool(missing)

    def export(self) -> Task | None:
        definition = self.definition()
        if self._missing():
            return None
        target = self.footer.target(self.path.text())
        if target is None:
            return None
        # the signature is remembered for next time
        self.settings.set_organisation_of(self.database, self.unit.text())
        not_kept = self._remember_officer()
        self.settings.remember_folder("export", target)
        # checked again as the report is moved into place, as the command line does: the
        # file the officer agreed to replace is replaced while it is that file unchanged;
        # any other saved under the name meanwhile (his workbook from Excel, a colleague's)
        # only when it is Tiers' own untouched output (issue #16)
        task = self._run(definition.name, target, self._done, only_ours=True,
                         agreed=self.footer.replace_agreed)
        if not_kept:  # (the export runs meanwhile, with what he typed)
            MessageDialog.info(self, self.tr("填报人和联系电话"), not_kept)
        return task

    def _remember_officer(self) -> str:
        """Keep the 填报人 and 联系电话 typed here for next time, in the officer file the
        command line reads too (AppSettings.store_officer): "" when it took them or nothing
        new was typed, else what to tell the officer, once for these values and this reason
        (recheck29 #3: only 设置 said that the file could not take them — unreadable,
        read-only — and the officer believed the name would be there next time)."""
        name, phone = self.filled_by.text().strip(), self.phone.text().strip()
        if (name, phone) == (self.settings.officer, self.settings.phone):
            return ""  # nothing new (an unreadable file is said in the status bar: ui.app)
        why = self.settings.store_officer(name, phone)
        if not why or (name, phone, why) in self.officer_not_kept_told:
            return ""
        self.officer_not_kept_told.add((name, phone, why))
        if (self.settings.officer, self.settings.phone) == (name, phone):
            # (the file unreadable: read as empty, the client's settings answer meanwhile)
            after = self.tr("它们已暂记在本机的客户端设置中，本客户端下次导出仍会填入；"
                            "命令行（tiers）读不到它们，其报表的填报人仍不是它们。")
        else:  # (the file readable but not writable: what it holds is read next time)
            after = self.tr("下次导出不会再填入它们（填入的仍是该文件中原有的），"
                            "命令行（tiers）也读不到它们。")
        return self.tr("本次导出照常使用您填写的填报人和联系电话，但它们未能写入填报人设置文件：%1。"
                       "\n\n%2修正该文件（或让它可以写入）后再导出一次，即保存下来。"
                       ).replace("%1", why).replace("%2", after)

    def preview(self) -> Task | None:
        """Print the report to a PDF in a temporary folder, then show its pages."""
        if self._missing():
            return None
        self._drop_preview()
        self.preview_folder = tempfile.mkdtemp(prefix="tiers-preview-")
        target = str(Path(self.preview_folder) / f"{self.definition().title}.pdf")
        return self._run(self.definition().name, target, self._show_preview)

    def _run(self, name: str, target: str, on_success, *, only_ours: bool = False,
             agreed: outputs.FileIdentity | None = None) -> Task:
        request, database = self.request(), self.database

        def job(_task):
            try:
                with database.session() as session:
                    yield from reports.export_steps(session, name, target, request,
                                                    only_ours=only_ours, agreed=agreed)
            except ReportError as exc:  # what the report needs, and where to give it here
                if not exc.hint_field:
                    raise
                raise ReportError(with_hint(str(exc), HINTS.get(exc.hint_field, ""))) from exc
            return target

        self.open_folder_button.hide()
        return self.footer.run(job, on_success, busy_text=self.tr("正在导出……"),
                               disable=[self.export_button, self.preview_button],
                               on_failure=self._failed)

    @property
    def task(self) -> Task | None:
        return self.footer.task

    def _done(self, target: str) -> None:
        self.status.setText(self.tr("已导出：") + target)
        self.open_folder_button.show()
        self.exported.emit(target)

    def _show_preview(self, pdf_path: str) -> None:
        from ui import print_preview

        pages = print_preview.page_count(pdf_path)
        if pages is None or pages > print_preview.MAX_PREVIEW_PAGES:
            self.status.setText(
                self.tr("共 %1 页，已在 PDF 阅读器中打开").replace("%1", str(pages))
                if pages else self.tr("已在 PDF 阅读器中打开"))
            print_preview.open_in_viewer(pdf_path)
            return
        self.status.setText(self.tr("共 %1 页").replace("%1", str(pages)))
        preview = print_preview.PdfPrintPreview(pdf_path, self)
        self.preview_dialog = preview  # kept for tests and while it is shown
        preview.dialog.open()  # window-modal; returns at once, the runner stays free

    def _drop_preview(self) -> None:
        if self.preview_folder:
            shutil.rmtree(self.preview_folder, ignore_errors=True)
            self.preview_folder = None

    def _failed(self, message: str) -> None:
        self.status.setText(self.tr("导出失败：") + message)
        self.export_failed.emit(message)

    @classmethod
    def open_folder(cls, path: str) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    def closeEvent(self, event) -> None:  # noqa: N802
        self._drop_preview()  # (the footer cancels a job still running)
        if self.choices_task is not None:
            # (switched to another database, the old one is let go: a read still queued
            # must not open it again)
            self.choices_task.cancel()
        event.accept()


__all__ = ["ExportDialog", "ReportError"]
