"""The enterprise window's save: the edits held in the window saved and read back in one
transaction on the background runner (正在保存…, no edits meanwhile); the service's refusals
shown beside the fields; another officer's crossing save merged where only one side
changed, and settled field by field in the conflict dialog where both did.

When the server's connection breaks during the save, the officer is told whether it was
written (before the commit: no, the server dropped it; at the commit: it cannot be known)
and that the edits are still in the window: 保存 again writes them once the server is back.
A save again after one that did take (at the commit) writes the same 基本信息, 年度数据 and
产业链 once (the profile's merge finds them already stored), but adds a new 梯度认定 or
扶持措施 a second time, and creates a new firm a second time: the message says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tiers.queries import history
from tiers.services.errors import ValidationError
from tiers.services.profile import ProfileConflict, Resolutions, load, save_profile
from ui.background_runner import Task
from ui.conflict_dialog import ConflictDialog
from ui.enterprise_dialog.outcomes import FieldsRefused, SavedProfile, changes_of
from ui.operations import Refusal, run_operation

ERROR_STYLE, BUSY_STYLE = "color: #b00020", "color: #555"


class ProfileSaving:
    """The save flow of EnterpriseDialog (a mixin: it works on the window's tabs, form,
    message line and signals)."""

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save on the runner; ``save_finished`` tells how it ended, and ``then`` runs
        after a successful save (closing the window)."""
        if self.saving is not None:
            return
        if self.read_only:  # Ctrl+S in a window of a firm this login may not change
            self.message.setText(self.read_only)
            self.save_finished.emit(False)
            return
        errors = self.basic_errors()
        if errors:
            self.show_all_errors = True
            self.show_field_errors(errors)
            self.tabs.setCurrentIndex(0)
            self.reveal_field_errors(errors)
            self.save_finished.emit(False)
            return
        self.saving = run_operation(
            self, self.runner, self.tr("保存企业"), self._save_job(),
            on_success=lambda outcome: self._save_done(outcome, then),
            on_failure=self._save_failed, on_refusal=self._save_refused,
            on_cancelled=lambda: self._save_failed(self.tr("已取消")))  # the client quitting
        self._show_saving(True)

    def _save_job(self) -> Callable[[Task], Any]:
        """The edits as they are now, saved and read back in one transaction."""
        database, enterprise_id = self.database, self.enterprise_id
        basic = self.basic_values() if enterprise_id is None else self.changed_basic()
        edits = dict(recognition_edits=self.recognition_tab.edits(),
                     figures_edits=self.figures_tab.edits(),
                     measure_edits=self.measure_tab.edits(), chain_edits=self.chain_tab.edits())
        user = self.settings.officer or None
        base, resolutions = self.base, self.resolutions

        def job(_task: Task) -> SavedProfile | FieldsRefused | ProfileConflict:
            # read back in the saving transaction: a read-back of its own could fail after
            # the commit, and a saved firm would be reported 未保存 (and, new, created twice)
            try:
                with database.session() as session:
                    saved = save_profile(session, enterprise_id, basic, **edits, user=user,
                                         base=base, resolutions=resolutions)
                    return SavedProfile(saved, load(session, saved.enterprise_id),
                                        history.history(session, saved.enterprise_id))
            except ValidationError as exc:  # nothing written: the messages go to the fields
                return FieldsRefused(exc.fields, str(exc))
            except ProfileConflict as conflict:  # nothing written: the officer settles it
                return conflict

        return job

    def _show_saving(self, saving: bool) -> None:
        if saving:  # disabling the tabs drops the focus: typing goes on where it was
            self._focus_before_save = self.focusWidget()
        self.tabs.setEnabled(not saving)
        self.save_shortcut.setEnabled(not saving)
        self.message.setStyleSheet(BUSY_STYLE if saving else ERROR_STYLE)
        if saving:
            self.message.setText(self.tr("正在保存…"))
            # each button as it was, given back after the save (导出档案… too: a list of the
            # buttons to enable again left out the ones added later, greyed for good)
            self._buttons_before_save = {button: button.isEnabled()
                                         for button in self.buttons.buttons()}
            for button in self.buttons.buttons():
                button.setEnabled(False)
        else:
            for button, enabled in self._buttons_before_save.items():
                button.setEnabled(enabled)
            self._buttons_before_save = {}
            self._update_state()  # 保存 / 保存并关闭 as the saved state says
            if self._focus_before_save is not None:
                self._focus_before_save.setFocus()

    def _save_done(self, outcome: SavedProfile | FieldsRefused | ProfileConflict,
                   then: Callable[[], None] | None) -> None:
        self.saving = None
        self._show_saving(False)
        if isinstance(outcome, ProfileConflict):
            self._settle(outcome, then)
            return
        if isinstance(outcome, FieldsRefused):
            self.show_field_errors(outcome.fields)
            if any(k in self.field_errors for k in outcome.fields):
                self.tabs.setCurrentIndex(0)
                self.basic_form.reveal_errors(outcome.fields)  # (the line says them all)
            self.message.setText(self.tr("未保存：") + outcome.message)
            self.save_finished.emit(False)
            return
        saved = outcome.saved
        self.enterprise_id = saved.enterprise_id
        self.base, self.resolutions = outcome.base, None
        self.profile, self.history_rows = outcome.profile, outcome.history_rows
        self.message.setText("")
        self._reload_after_save()
        if saved.merged_theirs:
            note = self.tr("已保存，并保留了另一位用户同时所做的修改：%1").replace(
                "%1", "、".join(saved.merged_theirs))
            self.message.setStyleSheet(BUSY_STYLE)
            self.message.setText(note)
            self.notice.emit(note)
        self.saved.emit(saved.enterprise_id)
        self.changed.emit(changes_of(saved))
        self.save_finished.emit(True)
        if then is not None:
            then()

    def _settle(self, conflict: ProfileConflict, then: Callable[[], None] | None) -> None:
        """Another officer's save crossed this one: the officer chooses field by field,
        then the save runs again against the version the choices were made on."""
        firm = self.profile.get("name") or ""
        self.message.setText(self.tr("另一位用户同时修改了这家企业：请逐项选择保留哪一方。"))
        choices = ConflictDialog.ask(self, conflict.conflicts, firm=firm,
                                     merged=conflict.merged, by=conflict.by)
        if choices is None:
            self.message.setText(self.tr("未保存：") + str(conflict)
                                 + self.tr("（您的修改仍在窗口中）"))
            self.save_finished.emit(False)
            return
        self.resolutions = Resolutions(conflict.version, choices)
        self.save(then)

    def _save_failed(self, message: str) -> None:
        self.saving = None
        self._show_saving(False)
        self.message.setText(self.tr("未保存：") + message)
        self.save_finished.emit(False)

    def _save_refused(self, refusal: Refusal) -> None:
        if not refusal.connection_lost:
            self._save_failed(refusal.message)
            return
        self.saving = None
        self._show_saving(False)
        self.message.setText(self.connection_lost_text(refusal.message,
                                                       at_commit=refusal.at_commit))
        self.save_finished.emit(False)

    def connection_lost_text(self, reason: str, *, at_commit: bool) -> str:
        """What became of a save the server's connection broke in, and what to do."""
        reason = reason.rstrip("。") + "。"
        if not at_commit:
            return self.tr("未保存：") + reason + self.tr(
                "这次保存没有写入任何修改（连接中断时，服务器已撤回未完成的保存）。"
                "您的修改仍保留在窗口中：服务器恢复后再按“保存”即可。")
        if self.enterprise_id is None:
            return self.tr("不确定是否已保存：") + reason + self.tr(
                "连接在提交保存时中断，无法确定这家新企业是否已写入。您填写的内容仍保留在窗口中："
                "服务器恢复后，请先在企业库中查找这家企业，查不到时再按“保存”（已写入时再保存会重复新建）。")
        return self.tr("不确定是否已保存：") + reason + self.tr(
            "连接在提交保存时中断，无法确定这次保存是否已写入。您的修改仍保留在窗口中：服务器恢复后"
            "可再按“保存”（已写入的基本信息、年度数据和产业链不会重复写入；新增的梯度认定或扶持措施"
            "若已写入会再添加一次，保存后请在这两页核对）。")

    def _reload_after_save(self) -> None:
        for tab, key in ((self.recognition_tab, "recognitions"), (self.figures_tab, "figures"),
                         (self.measure_tab, "support_measures"), (self.chain_tab, "chains")):
            tab.reset(self.profile.get(key, []))
        self.history_view.show_history(self.profile, self.history_rows)
        self.assessment_tab.set_enterprise(self.enterprise_id)
        if self.assessment_tab.loaded or self.tabs.currentWidget() is self.assessment_tab:
            self.assessment_tab.refresh()
        self.basic_form.load(self.profile)  # the stored, normalised values: the new baseline
        if self.export_button is None:  # a new firm, saved: it has an archive page now
            self._add_export_button()
        self._update_state()
