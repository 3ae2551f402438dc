"""文件 → 导入数据包…: choose a package, see what it would do (新增 / 更新 / 删除 / 无变化 per
table, the values it changes with those the city changed itself first, the firms going to
the recycle bin, conflicts, notes), then import it; reading,
previewing and importing run on the background runner, the import with progress and
cancel, and it is undone like any import (导入记录 → 撤销)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tiers.exchange import (
    PackageResult,
    import_package,
    preview_summary,
    previewing_package,
    reading_package,
)
from tiers.exchange.apply import WORD_FIELDS
from tiers.storage.database import Database
from tiers.text.lists import names_cut
from ui.app_settings import AppSettings
from ui.ask import FileDialog
from ui.background_runner import BackgroundRunner, Task
from ui.import_retry import may_retry, preview_outdated, refusal_text
from ui.operations import Changes, Refusal, in_session
from ui.path_field import PathField
from ui.work_footer import WorkFooter

TABLES = (("enterprises", "企业"), ("former_names", "曾用名"), ("recognitions", "认定"),
          ("chain_roles", "产业链"), ("support_measures", "扶持措施"),
          ("annual_figures", "年度数据"), ("cultivation_entries", "培育库"))
# 随企业移入回收站: the records of the firms the import bins (shown when there are any),
# so that each table's columns add up to its rows in the package and in the database
COLUMNS = (("created", "新增"), ("updated", "更新"), ("deleted", "删除"), ("unchanged", "无变化"),
           ("binned", "随企业移入回收站"))
BINNED = len(COLUMNS) - 1
SHOWN_NAMES = 50  # firms named in a line (binned, out of the bin); the rest as 等 N 家


def binned_text(binned: dict[str, int]) -> str:
    """认定 1、产业链 1、扶持措施 2: the records going to the bin with their firms."""
    return "、".join(f"{label} {binned[name]:,}" for name, label in TABLES if binned.get(name))


class PackageImportDialog(QDialog):
    imported = Signal(int)  # the batch

    def __init__(self, database: Database, settings: AppSettings, runner: BackgroundRunner,
                 parent: QWidget | None = None, *, path: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("导入数据包"))
        self.database, self.settings, self.runner = database, settings, runner
        self.package: Any = None
        self.preview: PackageResult | None = None
        self.path = PathField()  # a long folder elided in the middle when not being edited
        self.path.setText(path)
        self.path.setPlaceholderText(self.tr("区县报送的数据包（.zip）"))
        self.path.textEdited.connect(self._path_edited)
        self.previewed_path = ""  # the file the preview shown (or being made) is of
        browse = QPushButton(self.tr("浏览(&B)…"))
        browse.clicked.connect(self.browse)
        self.preview_button = QPushButton(self.tr("预览(&P)"))
        self.preview_button.clicked.connect(self.make_preview)
        # Enter after pasting a path previews it (else Qt's first auto-default button, the
        # footer's hidden 取消导入, took it and nothing happened); 导入 stays a deliberate click
        self.preview_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("数据包：")))
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.preview_button)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(len(TABLES), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(label) for _, label in COLUMNS])
        self.table.setVerticalHeaderLabels([self.tr(label) for _, label in TABLES])
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the counts for the buttons
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setColumnHidden(BINNED, True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        # every table's line visible without scrolling, and no blank band below the last
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + len(TABLES) * rows.defaultSectionSize()
                                  + 2 * self.table.frameWidth())
        # the values the city changed itself that the package puts back: said before the
        # lines, where the officer reads the counts
        self.overwrites = QLabel()
        self.overwrites.setWordWrap(True)
        self.overwrites.setStyleSheet("color: #b00020;")
        self.overwrites.hide()
        self.kept = QLabel()  # the city's values the package leaves (tiers.exchange.merge)
        self.kept.setWordWrap(True)
        self.kept.hide()
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        self.notes.setPlaceholderText(self.tr("将更新的值、将删除的记录、冲突与其他说明显示在这里"))
        self.import_button = QPushButton(self.tr("导入(&I)"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.apply)
        self.footer = WorkFooter(self, runner, self.tr("导入数据包"), [self.import_button],
                                 cancel_text=self.tr("取消导入"),
                                 cancelled_text=self.tr("已取消，没有写入任何内容。"))
        self.status = self.footer.status
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.heading)
        layout.addWidget(self.table)
        layout.addWidget(self.overwrites)
        layout.addWidget(self.kept)
        layout.addWidget(self.notes, 1)  # what grows with the window: the lines to read
        layout.addWidget(self.footer)
        self.setSizeGripEnabled(True)  # (a corner to drag, where no window manager gives one)
        self.resize(self.first_size())
        geometry = settings.geometry("package_import_dialog")  # as the officer left it
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.path.setFocus()  # the officer pastes the path first (not on the default 预览)

    # The first size: most of the screen. The lines below the counts (the values a package
    # changes, the firms it bins, conflicts) are what the officer reads, and the fixed
    # 720 × 560 showed about six of them at 1366 × 768; capped on a large screen.
    WIDTH_SHARE, HEIGHT_SHARE = 0.8, 0.9
    LEAST_FIRST = QSize(720, 560)
    MOST_FIRST = QSize(1400, 1000)

    def first_size(self) -> QSize:
        """1093 × 691 at 1366 × 768, 1400 × 972 at 1920 × 1080; within the screen's room
        (its frame and title bar too), never below the layout's minimum."""
        screen = self.screen()
        if screen is None:
            return self.LEAST_FIRST.expandedTo(self.minimumSizeHint())
        available = screen.availableGeometry().size()
        share = QSize(round(available.width() * self.WIDTH_SHARE),
                      round(available.height() * self.HEIGHT_SHARE))
        room = available - QSize(40, 60)
        return share.expandedTo(self.LEAST_FIRST).boundedTo(self.MOST_FIRST).boundedTo(
            room).expandedTo(self.minimumSizeHint())

    def done(self, result: int) -> None:  # every way of closing ends here
        self.settings.set_geometry("package_import_dialog", self.saveGeometry())
        super().done(result)

    def browse(self) -> None:
        path = FileDialog.open_file(self, self.tr("选择数据包"),
                                    self.settings.last_folder("package"),
                                    self.tr("数据包 (*.zip)"))
        if path:
            self.path.setText(path)
            self.make_preview()

    def make_preview(self) -> Task | None:
        path = self.path.text().strip()
        if not path:
            self.status.setText(self.tr("请选择数据包"))
            return None
        self.settings.remember_folder("package", path)

        reading, comparing = self.tr("正在读取数据包"), self.tr("正在与库中比对")

        def job(_task):
            # a county of 100,000 firms takes seconds to read and to compare: the officer
            # may stop between two tables, and between the reading and the comparing
            package = yield from reading_package(path, reading)
            # (checked whole before the database is asked)
            with self.database.session() as session:
                return package, (yield from previewing_package(session, package, comparing))

        self.import_button.setEnabled(False)
        self.preview = None
        self.previewed_path = path
        self.clear_result()  # the last package's counts are not this file's
        return self.footer.run(job, self._previewed, busy_text=self.tr("正在读取并比对……"),
                               disable=[self.preview_button], on_failure=self.footer.say)

    def _path_edited(self, text: str) -> None:
        """Another file typed or pasted after a preview: 导入 imported the file previewed
        while the field showed this one (elided in the middle, the change is easy to miss).
        Its preview is put away until this file is previewed."""
        if text.strip() == self.previewed_path or not (self.preview or self.package):
            return
        self.import_button.setEnabled(False)
        self.preview = None
        self.clear_result()
        self._say_another_file()

    def _say_another_file(self) -> None:
        self.status.setText(self.tr("数据包已改为另一个文件：请先预览，再导入"))

    def _previewed(self, outcome: tuple[Any, PackageResult]) -> None:
        if self.path.text().strip() != self.previewed_path:
            # (the field changed while it was read: that file's preview is not this one's)
            self._say_another_file()
            return
        self.package, self.preview = outcome
        self.show_result(self.preview)
        preview = self.preview
        self.import_button.setEnabled(preview.writes)
        self.status.setText(self.tr("预览完成，尚未写入。") if preview.changes() else
                            self._only_sent_text(preview) if preview.writes
                            else self.tr("没有需要导入的变化；%1 家企业冲突未合并（见下方“冲突”）。").replace(
                                "%1", str(len(preview.conflicts))) if preview.conflicts
                            else self.tr("与库中一致，没有需要导入的变化。"))

    def clear_result(self) -> None:
        """No package shown: a file refused after another was previewed stood beside that
        package's sender, counts and lines, as if they were its own."""
        self.package = None
        self.heading.clear()
        self.table.clearContents()
        self.table.setColumnHidden(BINNED, True)
        self.overwrites.hide()
        self.kept.hide()
        self.notes.clear()

    def show_result(self, result: PackageResult, *, done: bool = False) -> None:
        """The preview (what the import would do), or with ``done`` what the import did:
        the same lines in the past tense under 导入结果 (they read 将移入回收站, 将更新的值
        after 导入 had finished, as if still to come)."""
        counties = "、".join(county["name"] for county in result.counties)
        heading = self.tr("报送单位：%1　区县：%2　报送时间：%3")
        if done:
            heading = self.tr("导入结果（导入批次 %4）：") + heading
        self.heading.setText(heading.replace("%1", result.source_unit).replace("%2", counties)
                             .replace("%3", f"{result.package_date:%Y-%m-%d %H:%M}")
                             .replace("%4", str(result.batch_id)))
        for row, (table, _) in enumerate(TABLES):
            for column, (key, _) in enumerate(COLUMNS):
                count = getattr(result, key).get(table, 0)
                # 0, not blank: a blank 更新/删除 looked like a cell not filled in yet
                item = QTableWidgetItem(f"{count:,}")
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.setColumnHidden(BINNED, not any(result.binned.values()))
        overwritten = result.city_edits_overwritten
        self.overwrites.setText((self.tr(
            "本市修改过的 %1 项值已被区县数据包的值覆盖（区县也修改了这些值，以区县的更正为准），"
            "见下方最前面的行；如需恢复，可在“导入记录”中撤销本次导入。") if done else self.tr(
            "本市修改过的 %1 项值将被区县数据包的值覆盖（区县也修改了这些值，以区县的更正为准），"
            "见下方最前面的行；导入后如需恢复，可在“导入记录”中撤销本次导入。"))
            .replace("%1", f"{overwritten:,}") if overwritten else "")
        binned_edited = result.binned_city_edited
        if binned_edited:  # (after the import, the preview's: said as done)
            self.overwrites.setText(" ".join(filter(None, [self.overwrites.text(), (self.tr(
                "已移入回收站的企业中有 %1 家本市修改过（名称后标有“本市修改过”）：本市的修改已随企业移入回收站，"
                "恢复企业即一并恢复。") if done else self.tr(
                "将移入回收站的企业中有 %1 家本市修改过（名称后标有“本市修改过”）：本市的修改随企业移入回收站，"
                "恢复企业即一并恢复。")).replace("%1", f"{binned_edited:,}")])))
        city_binned = result.unbinned_city_binned
        if city_binned:  # the city's own act the package undoes: said in red as well
            self.overwrites.setText(" ".join(filter(None, [self.overwrites.text(), (self.tr(
                "区县再次报送的企业中有 %1 家是本市移入回收站的，已移出回收站；如需恢复，可在“导入记录”中撤销本次导入。")
                if done else self.tr(
                "区县再次报送的企业中有 %1 家是本市移入回收站的，导入后将移出回收站；如需恢复，可在“导入记录”中撤销本次导入。"))
                .replace("%1", f"{city_binned:,}")])))
        if result.takeovers:  # a county taken over from a unit that only carried it: first
            self.overwrites.setText(" ".join(filter(None, [*result.takeovers,
                                                           self.overwrites.text()])))
        self.overwrites.setVisible(overwritten > 0 or binned_edited > 0 or city_binned > 0
                                   or bool(result.takeovers))
        self.kept.setText((self.tr(
            "有 %1 项值本市修改过、区县数据包仍是上次报送的值：已保留本市的值，未覆盖"
            "（见下方标有“保留本市修改”的行）。") if done else self.tr(
            "有 %1 项值本市修改过、区县数据包仍是上次报送的值：保留本市的值，导入不覆盖"
            "（见下方标有“保留本市修改”的行）。")).replace("%1", f"{result.kept:,}"))
        self.kept.setVisible(result.kept > 0)
        # the city's own values first (they lead the lines), the other updates after the
        # deletions: a county's hundreds of corrections would push those out of sight
        city_lines = result.updated_values[:overwritten]
        lines = self._city_lines(result, city_lines, done=done)
        lines += self._kept_lines(result, done=done)
        if result.deleted_firms:
            lines.append((self.tr("该区县本次未再报送、已移入回收站的企业（%1 家）：") if done
                          else self.tr("该区县本次未再报送、将移入回收站的企业（%1 家）："))
                         .replace("%1", str(len(result.deleted_firms)))
                         + names_cut(result.deleted_firms[:SHOWN_NAMES],
                                       len(result.deleted_firms)))
            if any(result.binned.values()):
                lines.append((self.tr("　这些企业的记录已随企业移入回收站（未删除，恢复企业即一并恢复）：")
                              if done else
                              self.tr("　这些企业的记录随企业移入回收站（不删除，恢复企业即一并恢复）："))
                             + binned_text(result.binned))
        if result.unbinned_firms:  # (no value: not among the values counted below)
            lines.append((self.tr("区县再次报送、已移出回收站的企业（%1 家）：") if done
                          else self.tr("区县再次报送、将移出回收站的企业（%1 家）："))
                         .replace("%1", str(result.unbinned_count))
                         # the names are the core's first 200, the count all of them
                         + names_cut(result.unbinned_firms[:SHOWN_NAMES],
                                       result.unbinned_count))
        if result.deleted_records:
            total = result.records_deleted
            lines.append((self.tr("该区县已删除、本库也已删除的记录（%1 项）：") if done
                          else self.tr("该区县已删除、本库也将删除的记录（%1 项）："))
                         .replace("%1", str(total)))
            lines += ["　" + line for line in result.deleted_records]
            if total > len(result.deleted_records):
                lines.append(self.tr("　……另有 %1 项").replace(
                    "%1", str(total - len(result.deleted_records))))
        lines += self._update_lines(result, shown_already=len(city_lines), done=done)
        notes = [self.tr("冲突：") + conflict["message"] for conflict in result.conflicts]
        notes += [self.tr("注意：") + problem for problem in result.problems]
        lead = []
        if not lines and not notes:
            if result.changes("created") and not result.changes("updated", "deleted"):
                # a county's first package: what else the import might touch (nothing),
                # first; said as done once imported (将只新增… stood after the import)
                lead.append(self.tr("已新增上表所列的企业与记录，未更改、未删除库中已有的数据。"
                                    "可在“导入记录”中撤销这次导入。") if done else self.tr(
                    "将只新增上表所列的企业与记录，不更改、不删除库中已有的任何数据。"
                    "导入后可在“导入记录”中撤销这次导入。"))
            elif done and not result.changes():  # (the blank box's hint read as to come)
                lead.append(self.tr("已登记这次报送（报送情况中记为已报送），库中的数据没有改动。"))
        # what it adds: after what it changes (nothing here is changed by it), before the
        # conflicts and notes
        self.notes.setPlainText("\n".join(
            lead + lines + self._created_lines(result, done=done) + notes))

    def _created_lines(self, result: PackageResult, *, done: bool = False) -> list[str]:
        """The firms and records it adds (扶持措施 新增 2 named neither: tester29): the core's
        first 200 of each (tiers.exchange.additions), the firms cut at SHOWN_NAMES, the
        counts all of them."""
        lines = []
        firms = result.created.get("enterprises", 0)
        if result.created_firms:
            lines.append((self.tr("已新增的企业（%1 家）：") if done
                          else self.tr("将新增的企业（%1 家）：")).replace("%1", f"{firms:,}")
                         + names_cut(result.created_firms[:SHOWN_NAMES], firms))
        total = result.records_created
        if result.created_records:
            lines.append((self.tr("已新增的记录（共 %1 项）：") if done
                          else self.tr("将新增的记录（共 %1 项）：")).replace("%1", f"{total:,}"))
            lines += ["　" + line for line in result.created_records]
            if total > len(result.created_records):
                lines.append(self.tr("　……另有 %1 项").replace(
                    "%1", f"{total - len(result.created_records):,}"))
        return lines

    def _only_sent_text(self, preview: PackageResult) -> str:
        if preview.conflicts:  # not 与库中一致: those firms are not merged (tester22)
            return self.tr("没有可写入的变化，但 %1 家企业冲突未合并（见下方“冲突”）；导入将只登记这次报送"
                           "（报送情况中记为已报送，冲突的企业不计入企业数）。").replace(
                               "%1", str(len(preview.conflicts)))
        if preview.kept:  # beside the 保留本市修改 lines: not all is as it is here
            return self.tr("除保留的本市修改外，与库中一致；导入将只登记这次报送（报送情况中记为已报送）。")
        return self.tr("数据与库中一致；导入将只登记这次报送（报送情况中记为已报送）。")

    def _city_lines(self, result: PackageResult, shown: list[str], *,
                    done: bool = False) -> list[str]:
        """The city's own values the package overwrites, under a heading of their own (they
        stood headless above 保留本市修改, counted in 将更新的值 below)."""
        total = result.city_edits_overwritten
        if not total:
            return []
        lines = [(self.tr("本市和区县都修改过、已按区县数据包更新的值（共 %1 项）：") if done
                  else self.tr("本市和区县都修改过、以区县数据包为准的值（共 %1 项）："))
                 .replace("%1", f"{total:,}")]
        lines += ["　" + line for line in shown]
        if total > len(shown):
            lines.append(self.tr("　……另有 %1 项").replace("%1", f"{total - len(shown):,}"))
        return lines

    def _kept_lines(self, result: PackageResult, *, done: bool = False) -> list[str]:
        """The city's values the package leaves, after those it overwrites."""
        if not result.kept:
            return []
        lines = [(self.tr("已保留的本市修改的值（共 %1 项）：") if done
                  else self.tr("保留本市修改的值（共 %1 项）：")).replace("%1", f"{result.kept:,}")]
        lines += ["　" + line for line in result.kept_values]
        if result.kept > len(result.kept_values) and result.kept_values:
            lines.append(self.tr("　……另有 %1 项").replace(
                "%1", f"{result.kept - len(result.kept_values):,}"))
        return lines

    def _update_lines(self, result: PackageResult, *, shown_already: int,
                      done: bool = False) -> list[str]:
        """The values the package changes besides the city's own (shown first, counted
        there: the two headings' counts add up to the values it changes)."""
        rest = result.updated_values[shown_already:]
        total = result.values_updated - result.city_edits_overwritten
        if total <= 0:
            return []
        if done:
            heading = (self.tr("其他已更新的值（共 %1 项）：") if result.city_edits_overwritten
                       else self.tr("已更新的值（共 %1 项）："))
        else:
            heading = (self.tr("其他将更新的值（共 %1 项）：") if result.city_edits_overwritten
                       else self.tr("将更新的值（共 %1 项）："))
        lines = [heading.replace("%1", f"{total:,}")]
        lines += ["　" + line for line in rest]
        if total > len(rest):
            lines.append(self.tr("　……另有 %1 项").replace("%1", f"{total - len(rest):,}"))
        return lines

    def apply(self) -> Task | None:
        if self.package is None or self.preview is None:
            return None
        package, expected = self.package, preview_summary(self.preview)
        user = self.settings.officer or None  # as every import: the officer, not the login

        def work(session):
            # (words=False: the result shows the preview's words, which the import checked
            # it writes; it need not read them again inside its write transaction)
            return (yield from import_package(session, package, user=user, expected=expected,
                                              words=False))

        self.import_button.setEnabled(False)
        return self.footer.run(in_session(self.database, work), self._applied,
                               busy_text=self.tr("正在导入……"), disable=[self.preview_button],
                               on_failure=self.footer.say, on_refusal=self._refused,
                               changes=Changes.everything())

    def _refused(self, refusal: Refusal) -> None:
        """Nothing was written (or, the connection lost at the commit, perhaps it was): said
        with what to do. The preview is kept where 导入 may simply be pressed again (it
        checks the plan against the preview's once more); after the database changed since
        the preview, only 预览 leads on."""
        self.footer.say(refusal_text(refusal))
        if preview_outdated(refusal):
            self.preview = None  # (预览, the default button, makes the new one)
        elif may_retry(refusal) and self.preview is not None:
            self.import_button.setEnabled(True)

    def _applied(self, result: PackageResult) -> None:
        preview = self.preview
        if preview is not None:
            # written as previewed (the import checked the preview's plan, and was asked for
            # no words of its own): the preview's lines tell what it changed
            for name in WORD_FIELDS:
                setattr(result, name, getattr(preview, name))
        # what was written, in the past tense (nothing written: the preview's words stand)
        self.show_result(result, done=result.batch_id is not None)
        self.preview = None
        if result.batch_id is None:
            self.status.setText(self.tr("没有需要写入的变化。"))
            return
        self.status.setText(self.tr("已导入，批次 %1（可在“导入记录”中撤销）。")
                            .replace("%1", str(result.batch_id)))
        self.imported.emit(result.batch_id)

    @property
    def task(self) -> Task | None:
        return self.footer.task
