"""批量操作 from the main window: the inputs, the preview off the GUI thread, the officer's
confirmation, the write off the GUI thread (one transaction), then the status bar says what
changed; 撤销上次批量操作 undoes the group as 导入记录 would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from tiers.queries.selection_rights import SelectionRights, split_by_rights
from tiers.services import bulk
from tiers.storage.database import Database
from ui.app_settings import AppSettings
from ui.ask import MessageDialog
from ui.background_runner import BackgroundRunner, Task
from ui.bulk_dialogs import BulkPreviewDialog, action_defaults, action_fields
from ui.operations import Changes, in_session, run_operation
from ui.record_form_dialog import RecordFormDialog

# a bulk action may touch any page's data (培育库, 扶持措施, 产业链, 认定, 回收站)
CHANGES = Changes.everything()


class BulkOperation(QObject):
    """One officer's bulk actions on the roster's selection; ``notice`` carries the text for
    the status bar, ``task`` the running job (tests wait on it)."""

    notice = Signal(str)

    def __init__(self, window: QWidget, database: Callable[[], Database],
                 settings: AppSettings, runner: BackgroundRunner) -> None:
        super().__init__(window)
        self.window = window
        self.database = database  # the current one: the window may switch databases
        self.settings = settings
        self.runner = runner
        self.task: Task | None = None
        self.last_batch: int | None = None

    def start(self, action: str, enterprise_ids: list[int]) -> Task | None:
        """Ask the inputs, then preview; None when there is nothing to do or it was cancelled.
        A login limited to some counties is first told (the selection read off the GUI
        thread) how many of the selected firms are other counties' and will be skipped,
        and asked nothing when none is his."""
        label = bulk.ACTIONS[action].label
        if not enterprise_ids:
            MessageDialog.info(self.window, self.tr(label),
                               self.tr("请先在企业库中选择企业（Ctrl 或 Shift 点选多家，Ctrl+A 全选）。"))
            return None
        database = self.database()
        rights = database.rights
        if rights.counties is None:  # (a file, an admin: every firm)
            return self._ask(action, enterprise_ids, SelectionRights(len(enterprise_ids),
                                                                     enterprise_ids))
        self.task = run_operation(
            self, self.runner, self.tr(label),
            in_session(database, lambda s: split_by_rights(s, enterprise_ids, rights)),
            on_success=lambda split: self._ask(action, enterprise_ids, split))
        return self.task

    def _ask(self, action: str, enterprise_ids: list[int],
             split: SelectionRights) -> Task | None:
        label = bulk.ACTIONS[action].label
        if not split.allowed:
            MessageDialog.info(self.window, self.tr(label), split.none_allowed(
                self.database().rights) + self.tr("没有修改。"))
            self.notice.emit(self.tr("已取消，未做任何修改"))
            return None
        fields = action_fields(action)
        values: dict = {}
        if fields:
            title = self.tr("%1（已选 %2 家企业）").replace("%1", label).replace(
                "%2", f"{len(enterprise_ids):,}")
            if split.skipped:
                # 属于其他县区, or 未填区县 (a 开发区 his login may not change): not "other"
                title = self.tr("%1（已选 %2 家企业，其中 %3 家%4，将跳过）").replace(
                    "%1", label).replace("%2", f"{len(enterprise_ids):,}").replace(
                    "%3", f"{split.skipped:,}").replace("%4", split.whose())
            entered = RecordFormDialog.edit(
                self.window, title, fields,
                action_defaults(action, self.settings.officer or ""),
                validate=bulk.ACTIONS[action].clean)
            if entered is None:
                return None
            values = entered
        self.task = run_operation(
            self, self.runner, self.tr(label),
            in_session(self.database(), lambda s: bulk.preview(s, action, enterprise_ids, values)),
            on_success=lambda draft: self._confirm(draft, enterprise_ids, values))
        return self.task

    def _confirm(self, draft: bulk.BulkPreview, enterprise_ids: list[int], values: dict) -> None:
        if not BulkPreviewDialog.ask(self.window, draft):
            self.notice.emit(self.tr("已取消，未做任何修改"))
            return
        user = self.settings.officer or None
        self.notice.emit(self.tr("正在%1（%2 家企业）…").replace("%1", draft.label)
                         .replace("%2", f"{len(draft.changing):,}"))
        self.task = run_operation(
            self, self.runner, self.tr(draft.label),
            in_session(self.database(), lambda s: bulk.apply_steps(
                s, draft.action, enterprise_ids, values, user=user,
                previewed=[item.enterprise_id for item in draft.changing])),
            on_success=self._applied, changes=CHANGES,
            # on a server: a colleague's import into one of the counties is being written
            # (its stage says whose), and the action waits for it
            on_progress=lambda _done, _total, stage: self.notice.emit(stage))

    def _applied(self, result: bulk.BulkResult) -> None:
        if result.batch_id is not None:
            self.last_batch = result.batch_id
        self.notice.emit(result.summary())

    def remember(self, result: bulk.BulkResult) -> None:
        """A bulk action written elsewhere (the 回收站's 恢复, 数据核查's 全部更正): the one
        撤销上次批量操作 undoes."""
        if result.batch_id is not None:
            self.last_batch = result.batch_id

    def undo_last(self) -> Task | None:
        """Undo the last bulk action made in this window (others: 导入记录)."""
        if self.last_batch is None:
            MessageDialog.info(self.window, self.tr("撤销批量操作"), self.tr(
                "本次打开程序后还没有做过批量操作。更早的批量操作可在“导入记录”中选中后撤销。"))
            return None
        from ui.import_wizard import jobs  # the undo machinery: loaded when first used

        batch_id, user = self.last_batch, self.settings.officer or None
        self.task = run_operation(
            self, self.runner, self.tr("撤销批量操作"),
            lambda _t: jobs.undo(self.database(), batch_id, user),
            on_success=self._undone, changes=CHANGES)
        return self.task

    def _undone(self, result) -> None:
        from ui.import_wizard.summary import undo_summary

        self.last_batch = None
        self.notice.emit(undo_summary(result).splitlines()[0].replace("导入批次", "批量操作"))
