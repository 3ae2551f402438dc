"""更正复核年度 in the enterprise window: a 复核 recorded at the year of the batch it renews
(its 年度 cell says 疑为 …) corrected there, one record, by the core's own call of ``tiers
check --fix`` (services.review_check.correct_misdated_reviews): the login's write rights
decide, the correction is one batch of 导入记录 that 撤销 puts back, and it runs on the
background runner as a save does (the window greyed meanwhile), then the firm is read
again. It writes at once, so the window's own unsaved edits are saved (or dropped) first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tiers.queries import history
from tiers.services.profile import SAVED, ProfileBase, load
from tiers.services.review_check import MisdatedCorrection, correct_misdated_reviews_steps
from tiers.text import changes as change_text
from tiers.text.values import show
from ui.ask import ConfirmDialog
from ui.background_runner import Task
from ui.enterprise_dialog.record_tabs import misdated_year
from ui.enterprise_dialog.saving import BUSY_STYLE
from ui.operations import Changes, run_operation


def is_misdated(row: dict[str, Any], titles: list[dict[str, Any]]) -> bool:
    """A stored 复核 row, unchanged in the window, whose 年度 is its reviewed batch's own
    (``titles``: the tab's rows)."""
    return (row.get("id") is not None and row.get("_state") == SAVED
            and not row.get("_revoke") and misdated_year(row, titles) is not None)


@dataclass(frozen=True)
class ReviewYearCorrected:
    """What the job brings back: the core's result and the firm read again after it."""

    result: MisdatedCorrection
    base: ProfileBase
    history_rows: list[dict[str, Any]]


class ReviewYearCorrection:
    """The 更正复核年度 button of the 梯度认定 tab (a mixin of EnterpriseDialog: it works on
    its tabs, message line, runner and saving state)."""

    def correct_review_year(self) -> None:
        row, titles = self.recognition_tab.selected(), self.recognition_tab.rows
        if (self.read_only or self.saving is not None or row is None
                or not is_misdated(row, titles)):
            return
        if self.has_unsaved_changes():
            self.message.setText(self.tr(
                "更正复核年度会立即写入：请先保存（或取消）窗口中的其他修改，再更正。"))
            return
        # the batch as the row shows it (第二批（复核）): the year is what the question is about
        what = change_text.recognition_subject(row, with_year=False) or row.get("tier", "")
        year = misdated_year(row, titles)
        if not ConfirmDialog.ask(self, self.tr("更正复核年度"), self.tr(
                "把“%1”的年度由 %2 更正为 %3（复核不会与所复核批次同年），有效期至随之更正。\n\n"
                "更正立即写入，记入导入记录（数据核查：更正复核年度），可在那里撤销。是否更正？")
                .replace("%1", what).replace("%2", str(row.get("batch_year")))
                .replace("%3", str(year))):
            return
        database, enterprise_id = self.database, self.enterprise_id
        recognition_id, user = row["id"], self.settings.officer or None

        def job(_task: Task):
            with database.session() as session:
                result = yield from correct_misdated_reviews_steps(
                    session, user=user, recognition_ids=[recognition_id])
                # read again in the same transaction: what the window shows next
                return ReviewYearCorrected(result, load(session, enterprise_id),
                                           history.history(session, enterprise_id))

        self.saving = run_operation(
            self, self.runner, self.tr("更正复核年度"), job,
            on_success=self._review_year_done,
            on_failure=self._review_year_failed,  # refused (a viewer, the lock) or a bug
            on_cancelled=lambda: self._review_year_failed(self.tr("已取消")))
        self._show_saving(True)
        self.message.setText(self.tr("正在更正复核年度…"))

    def _review_year_done(self, outcome: ReviewYearCorrected) -> None:
        self.saving = None
        self._show_saving(False)
        result = outcome.result
        self.base = outcome.base
        self.profile, self.history_rows = dict(outcome.base.profile), outcome.history_rows
        self._reload_after_save()
        if result.fixed:
            item = result.fixed[0]
            until = show(item.corrected_until, "date") if item.corrected_until else ""
            self.message.setStyleSheet(BUSY_STYLE)
            self.message.setText(self.tr(
                "已更正复核年度：%1 %2 → %3%4。可在导入记录中撤销（批次 %5）。")
                .replace("%1", item.description).replace("%2", str(item.batch_year))
                .replace("%3", str(item.corrected_year))
                .replace("%4", self.tr("，有效期至 %1").replace("%1", until) if until else "")
                .replace("%5", str(result.batch_id)))
            self.changed.emit(Changes(recognitions=True, imports=True))
            return
        why = next((reason for _item, reason in (*result.skipped, *result.refused)), "")
        self.message.setText(self.tr("未更正：") + (why or self.tr(
            "这条认定已不是记错年度的复核记录（可能已被更正），窗口显示的是库中现在的内容")))

    def _review_year_failed(self, message: str) -> None:
        self.saving = None
        self._show_saving(False)
        self.message.setText(self.tr("未更正：") + message)
