"""导入记录: past imports (and the demo data) with their counts, read on the background
runner (a city's database holds thousands of batches and packages with their senders: not
for the GUI thread); undo one, and say what the undo removed and what it kept (the wizard's
own summary)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tiers.queries.imports import import_batches, package_senders
from tiers.storage.database import Database
from tiers.text.counts import batch_state, counts_text, removed_text
from tiers.text.lists import names_cut
from tiers.text.values import show
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.batch_firms_dialog import BatchFirmsDialog
from ui.fill_column import FillColumn
from ui.latest_read import LatestRead
from ui.operations import Changes, run_operation
from ui.record_table_model import RecordColumn, RecordTableModel, record_table
from ui.table_comforts import TableComforts, fit_columns, widths_chosen

RESULT = 6  # the 结果 column: a package's counts are long, its 状态 short


def _state(row: dict) -> str:
    """状态 as the cell shows it: 有效 or 已撤销; when and by whom in its tooltip
    (``_state_detail``): 已撤销 2026-12-07 05:30（zhaoke） beside a package's unit and 结果
    did not fit at 1366 wide, and the table scrolled sideways (tester26)."""
    return "已撤销" if row.get("undone_at") else batch_state(row)


def _state_detail(row: dict) -> str:
    """状态's tooltip: 有效, or 已撤销 and its time — and who undid it only when it was not
    the 操作人 of the same row (beside it)."""
    if row.get("undone_by") and row.get("undone_by") == row.get("user"):
        row = {**row, "undone_by": None}
    return batch_state(row)


class ImportsView(QWidget):
    data_changed = Signal()
    undone = Signal(object)
    open_requested = Signal(int)  # a firm of a batch (查看企业)
    loaded = Signal()  # a refresh's rows are shown

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, load: bool = True) -> None:
        super().__init__(parent)
        self.database = database
        self.settings = settings
        self.runner = runner
        self.task: Task | None = None
        self.undoing = False  # from 撤销这次导入 until the undo (or the question) has ended
        # a viewer's login undoes nothing: said on the greyed button (Database.rights)
        self.read_only = database.rights.refusal() if hasattr(database, "rights") else ""
        # the batches, read on the runner: only the latest refresh is shown
        self.reading = LatestRead(self, self.tr("导入记录"), on_ended=self._read_ended)
        self.wanted: int | None = None  # a batch to select once the rows are read
        self.model = RecordTableModel([
            RecordColumn("id", "编号"),
            RecordColumn("created_at", "导入时间", lambda r: show(r["created_at"], "datetime")),
            RecordColumn("file_name", "文件"), RecordColumn("sheet", "工作表"),
            RecordColumn("kind", "类型", lambda r: r["kind_label"]),
            # who sent a 数据包 (the unit, and its counties): only the file's name said it
            RecordColumn("sender", "报送单位"),
            RecordColumn("counts", "结果", lambda r: counts_text(r["counts"])),
            RecordColumn("user", "操作人"),
            RecordColumn("undone_at", "状态", _state, tooltip=_state_detail),
        ], [], self, colour=lambda r: "#808080" if r["undone_at"] else None)
        self.table = record_table(self.model)
        self.comforts = TableComforts(
            self.table, "imports", settings, unit=self.tr("次"), title=self.tr("导入记录"),
            runner=runner, row_actions=self._row_actions, open_row=lambda _row: self.show_firms())
        self.table.activated.connect(lambda _index: self.show_firms())
        # the room to spare goes to 结果 (a package's 新增、更新、删除、无变化 with their firms),
        # not to the last column, 状态 (有效): at 1366 wide 结果 ended in “…” beside a blank band
        # (状态 keeps the width of its longest, 已撤销: not stretched to the edge)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.fill = FillColumn(self.table, (RESULT,), chosen=lambda: widths_chosen(self.table))
        # (恢复默认列 fits the columns to the rows after its callbacks: remembered after that)
        self.comforts.defaults_restored.append(lambda: QTimer.singleShot(0, self.fill.remember))
        self.firms_button = QPushButton(self.tr("查看企业"))
        self.firms_button.setToolTip(self.tr("这次导入新建或更新了哪些企业（也可双击一行）"))
        self.firms_button.clicked.connect(self.show_firms)
        self.undo_button = QPushButton(self.tr("撤销这次导入"))
        self.undo_button.clicked.connect(self.undo_selected)
        self.table.selectionModel().currentRowChanged.connect(
            lambda *_: self._update_undo_button())
        # what the bar is doing, beside it (a busy bar alone, blue and wordless beside
        # 查看企业, read as a broken control); both shown only while the runner works
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(160)
        self.progress_label.hide()
        self.progress.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("每次导入都可以整批撤销：撤销会删除该次新增的记录、还原被修改的字段。")))
        top.addStretch(1)
        top.addWidget(self.progress_label)
        top.addWidget(self.progress)
        top.addWidget(self.firms_button)
        top.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        if load:
            self.refresh()

    def refresh(self) -> None:
        """Read the batches on the runner, saying 正在读取 meanwhile (the rows in view stay
        until the new ones come); a later refresh supersedes one still reading."""
        database = self.database
        if not self.undoing:
            self._busy(self.tr("正在读取导入记录……"))
        self.reading.run(self.runner, lambda _task: _read_batches(database), self._show)

    def _show(self, rows: list[dict]) -> None:
        """The rows read, in the order the officer sorted by (the model keeps it), the batch
        that was selected still selected."""
        current = self.selected()
        wanted = self.wanted if self.wanted is not None else (
            current["id"] if current is not None else None)
        column = max(self.table.currentIndex().column(), 0)
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.fill.remember()
        if wanted is not None:
            self._select(wanted, column)
        self.wanted = None
        self._read_ended()
        self.loaded.emit()

    def _read_ended(self) -> None:
        if not self.undoing:  # (the undo's own words stay while it runs)
            self._idle()
            # after an undo, only once its batch shows 已撤销: not offered again meanwhile
            self._update_undo_button()

    def _update_undo_button(self) -> None:
        """撤销这次导入 for a batch still in force; greyed, saying why, for one undone
        already (a click there did nothing) or when no batch is selected."""
        if self.undoing:
            return  # off until the undo under way has ended
        row = self.selected()
        if self.read_only:
            why = self.read_only
        elif row is None:
            why = self.tr("请先选中一次导入")
        elif row["undone_at"] is not None:
            why = self.tr("这次导入已于 %1 撤销").replace("%1", show(row["undone_at"], "datetime"))
        else:
            why = ""
        self.undo_button.setEnabled(not why)
        self.undo_button.setToolTip(why)

    def show_firms(self) -> BatchFirmsDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = BatchFirmsDialog(self.database, self.settings, self.runner, row, self)
        dialog.open_requested.connect(self.open_requested)
        dialog.show()
        return dialog

    def _row_actions(self) -> list[QAction]:
        firms = QAction(self.tr("查看企业"))
        firms.triggered.connect(self.show_firms)
        action = QAction(self.tr("撤销这次导入"))
        action.triggered.connect(self.undo_selected)
        row = self.selected()
        action.setEnabled(row is not None and row["undone_at"] is None
                          and self.undo_button.isEnabled())
        return [firms, action]

    def selected(self):
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def select_batch(self, batch_id: int) -> None:
        """Select the batch; when the rows are still being read, once they are shown."""
        if self.reading.task is not None:
            self.wanted = batch_id
        self._select(batch_id)

    def _select(self, batch_id: int, column: int = 0) -> None:
        for row, record in enumerate(self.model.rows):
            if record["id"] == batch_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, column))
                return

    def undo_selected(self) -> Task | None:
        """First work out on the runner what the undo would remove and put back, then ask
        with those numbers, then undo: the officer knows the size before saying yes."""
        row = self.selected()
        if row is None or row["undone_at"] is not None:
            return None
        database, user, batch_id = self.database, self.settings.officer or None, row["id"]
        self.undo_button.setEnabled(False)
        self.undoing = True
        self._busy(self.tr("正在统计撤销内容……"))
        self.task = run_operation(
            self, self.runner, self.tr("撤销导入"),
            lambda _t: _jobs().undo_preview(database, batch_id, user),
            on_success=lambda preview: self._confirm_undo(row, preview),
            on_failure=self._preview_failed)
        return self.task

    def _preview_failed(self, message: str) -> None:
        self._failed(message)
        self._finished()

    def _busy(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress.setRange(0, 0)
        self.progress_label.show()
        self.progress.show()

    def _idle(self) -> None:
        self.progress_label.hide()
        self.progress.hide()

    def _confirm_undo(self, row, preview) -> None:
        self._idle()  # nothing runs while the officer reads the question
        # “导入批次 6”, the number in the 编号 column: “第 6 次导入” read like a count
        will = []
        if removed_text(preview.removed):
            will.append(self.tr("删除 ") + removed_text(preview.removed))
        if preview.restore_words:  # in the core's words: 3 项小巨人认定由已认定改回公示中
            will.append("；".join(preview.restore_words))
        elif preview.restored:  # (the 回收站 field not among them: said below, once)
            will.append(self.tr("还原字段 %1 个").replace("%1", str(preview.restored)))
        if preview.unbinned:  # a 数据包 (or bulk action) had sent them to the bin
            will.append(self.tr("从回收站恢复企业 %1 家").replace("%1", str(preview.unbinned)))
        if preview.rebinned:
            will.append(self.tr("将企业 %1 家移回回收站").replace("%1", str(preview.rebinned)))
        if preview.reinstated:  # a newer 数据包's deletions
            will.append(self.tr("放回被删除的记录 %1 项").replace("%1", str(preview.reinstated)))
        if preview.kept:
            will.append(self.tr("导入后又修改过的 %1 处予以保留").replace(
                "%1", str(len(preview.kept))))
        if not ConfirmDialog.ask(self, self.tr("撤销导入"), self.tr(
                "撤销导入批次 %1（%2）？\n将%3。%4").replace("%1", str(row["id"]))
                .replace("%2", row["file_name"])
                .replace("%3", _spaced("；".join(will))
                         or self.tr("只把这次导入标为已撤销，没有要删除或还原的内容"))
                .replace("%4", self._named(preview))):
            self._finished()
            return
        self._busy(self.tr("正在撤销……"))
        database, user, batch_id = self.database, self.settings.officer or None, row["id"]
        self.task = run_operation(
            self, self.runner, self.tr("撤销导入"),
            lambda _t: _jobs().undo(database, batch_id, user),
            on_success=self._undone, on_failure=self._failed, on_progress=self._progress,
            on_finished=self._finished, changes=Changes.everything())

    def _named(self, preview) -> str:
        """涉及企业：常州甲公司、常州乙公司、常州丙公司 等 12 家: the question counted only
        (将还原字段 3 个), and the officer could not tell which firms an old batch would
        touch. The cut is the one every list says (names_cut). The fields put back are said
        above, in the core's words (3 项小巨人认定由已认定改回公示中); a bare 还原的字段：认定的公示中
        (tester28a #1) only when it has none."""
        lines = []
        if preview.firm_names:
            lines.append(self.tr("涉及企业：")
                         + names_cut(preview.firm_names, preview.firm_count))
        if preview.field_names and not preview.restore_words:  # (said above, in words)
            lines.append(self.tr("还原的字段：")
                         + names_cut(preview.field_names, preview.field_count, unit="项"))
        return "".join("\n" + line for line in lines)

    def _progress(self, done: int, total: int, _message: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)

    def _undone(self, result) -> None:
        from ui.import_wizard.summary import undo_summary

        self._idle()  # done: no 正在撤销…… and busy bar beside the outcome
        self.undone.emit(result)
        MessageDialog.info(self, self.tr("撤销导入"), undo_summary(result))

    def _failed(self, message: str) -> None:
        # nothing runs while the officer reads why: 正在统计撤销内容…… (or 正在撤销……) and
        # its busy bar stood beside the refusal until it was closed
        self._idle()
        MessageDialog.error(self, self.tr("不能撤销"), message)

    def _finished(self) -> None:
        """The undo (or its question) ended: the list read again, 撤销这次导入 offered again
        once it is shown (``_read_ended``)."""
        self.undoing = False
        self._idle()
        self.refresh()


def _spaced(text: str) -> str:
    """What follows 将 in the undo question: a number is set off by a space, as everywhere
    in these texts (将 3 项省专精特新认定…, not 将3 项…)."""
    return f" {text}" if text[:1].isdigit() else text


def _read_batches(database: Database) -> list[dict]:
    """Every batch, newest first, with the unit (and counties) that sent a 数据包."""
    with database.session() as session:
        rows = import_batches(session)
        senders = package_senders(session, [row["id"] for row in rows])
    for row in rows:
        row["sender"] = senders.get(row["id"], "")
    return rows


def _jobs():
    """The import wizard's jobs (the importers): loaded when an undo is asked for, not at
    start."""
    from ui.import_wizard import jobs

    return jobs
