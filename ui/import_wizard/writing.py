"""The wizard's writes, each on the runner: 导入 in one transaction, the problem rows saved
to a file the officer picks, and the undo of the import just made."""

from __future__ import annotations

from pathlib import Path

from tiers import outputs
from ui.ask import ConfirmDialog, FileDialog, MessageDialog
from ui.background_runner import Task
from ui.import_retry import preview_outdated, refusal_text
from ui.import_wizard import jobs
from ui.import_wizard.steps import RESULT
from ui.operations import Changes, Refusal


class WizardWrites:
    """导入, 保存问题行 and 撤销导入 of ImportWizard (a mixin: it runs them through the
    window's _run and shows their results on its result page)."""

    def apply(self) -> None:
        plan, database = self.plan, self.database
        user = self.settings.officer or None
        self._run(self.tr("写入数据库"), lambda _t: jobs.apply(database, plan, user),
                  self._applied, changes=Changes.everything(), on_refusal=self._apply_refused)

    def _apply_refused(self, refusal: Refusal) -> None:
        """Nothing written (a connection lost at the commit: perhaps written), said with
        what to do: 导入 again where the plan still holds (it is checked again), else only
        重新预览 leads on."""
        message = refusal_text(refusal)
        self.error.setText(message)
        self.plan_outdated = preview_outdated(refusal)
        self._update_buttons()
        self.task_failed.emit(message)

    def _applied(self, result) -> None:
        self.batch_id = result.batch_id  # the job has remembered the columns too
        self.result_page.show_applied(result, self.plan)
        self.show_step(RESULT)
        self.imported.emit()

    def save_problems(self, path: str | None = None) -> Task | None:
        """Write the problem rows to a file the officer picks, on the runner: a 100k-row
        .xlsx takes seconds. ``problems_saved`` tells how many rows were written."""
        if self.plan is None or self._busy():
            return None
        if not path:
            suggested = Path(self.settings.last_folder("import")) / (
                Path(self.plan.file_name).stem + "-问题行.xlsx")
            path = FileDialog.save_file(self, self.tr("保存问题行"), str(suggested),
                                        "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        agreed = outputs.file_identity(path)  # (agreed to in the dialog's 覆盖 question)
        plan, title = self.plan, self.tr("保存问题行")
        source = self.source.path if self.source is not None else None  # the plan's list
        task = self._run(title, lambda _t: jobs.save_problem_rows(plan, path, source,
                                                                  agreed=agreed),
                         lambda written: self._problems_saved(written, path),
                         on_failure=lambda message: MessageDialog.error(self, title, message))
        self.cancel_task_button.hide()  # one call into the writer: nothing to stop between
        return task

    def _problems_saved(self, written: int, path: str) -> None:
        MessageDialog.info(self, self.tr("已保存"), self.tr("已把 %1 行保存到 %2").replace(
            "%1", str(written)).replace("%2", str(path)))
        self.problems_saved.emit(written)

    def undo(self) -> None:
        if self.batch_id is None or not ConfirmDialog.ask(
                self, self.tr("撤销导入"), self.tr("撤销刚才的导入？新增的记录会被删除，修改的字段会还原。")):
            return
        database, batch_id = self.database, self.batch_id
        user = self.settings.officer or None
        self._run(self.tr("撤销导入"), lambda _t: jobs.undo(database, batch_id, user),
                  self._undone, changes=Changes.everything())

    def _undone(self, result) -> None:
        self.result_page.show_undone(result)
        self.batch_id = None
        self.imported.emit()
        self.step_done.emit(RESULT)
