"""The enterprise window's save: the edits held in the window saved and read back in one
transaction on the background runner (正在保存…, no edits meanwhile); the service's refusals
shown beside the fields; another officer's crossing save merged where only one side
changed, and settled field by field in the conflict dialog where both did.

When the server's connection breaks during the save, the officer is told whether it was
written (before the commit: no, the server dropped it; at the commit: it cannot be known)
and that the edits are still in the window: 保存 again writes them once the server is back.
Each set of edits carries a token (made at its first 保存, kept until a save of it got in)
that the save stores in its own transaction: a 保存 again after one that did take at the
commit finds its token, writes nothing (no 梯度认定, 扶持措施 or new firm twice) and shows
what the first one stored. Until then the edit pages stay greyed, so that the edits sent
again are the ones that may have got in."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from tiers.queries import history
from tiers.services.errors import ValidationError
from tiers.services.profile import (
    AlreadySaved,
    FirmBinned,
    FirmPurged,
    ProfileConflict,
    ProfileSaved,
    Resolutions,
    load,
    save_profile,
    saved_firm,
)
from ui.background_runner import Task
from ui.conflict_dialog import ConflictDialog
from ui.enterprise_dialog.outcomes import (
    FieldsRefused,
    FirmNotThere,
    SavedProfile,
    changes_of,
)
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
        if self.save_token is None:  # these edits' first 保存 (kept until one gets in)
            self.save_token = str(uuid.uuid4())
        token = self.save_token

        def job(_task: Task) -> SavedProfile | FieldsRefused | FirmNotThere | ProfileConflict:
            # read back in the saving transaction: a read-back of its own could fail after
            # the commit, and a saved firm would be reported 未保存 (and, new, created twice)
            try:
                with database.session() as session:
                    saved = save_profile(session, enterprise_id, basic, **edits, user=user,
                                         base=base, resolutions=resolutions, token=token)
                    return SavedProfile(saved, load(session, saved.enterprise_id),
                                        history.history(session, saved.enterprise_id))
            except ValidationError as exc:  # nothing written: the messages go to the fields
                return FieldsRefused(exc.fields, str(exc))
            except ProfileConflict as conflict:  # nothing written: the officer settles it
                return conflict
            except FirmBinned as moved:  # nothing written: restored, the edits save again
                return FirmNotThere(str(moved), binned=True)
            except FirmPurged as gone:
                return FirmNotThere(str(gone), binned=False)
            except AlreadySaved as already:  # nothing written now: what the first one stored
                with database.reading() as session:
                    firm = already.enterprise_id or saved_firm(session, token)
                    # every page: the first save's changes were never shown anywhere
                    saved = ProfileSaved(firm, created=enterprise_id is None,
                                         basic_fields=frozenset(basic) or frozenset({"name"}),
                                         records=frozenset(("recognitions", "figures",
                                                            "measures", "chains")))
                    return SavedProfile(saved, load(session, firm),
                                        history.history(session, firm), already_saved=True)

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

    def _save_done(self, outcome: SavedProfile | FieldsRefused | FirmNotThere | ProfileConflict,
                   then: Callable[[], None] | None) -> None:
        self.saving = None
        self._show_saving(False)
        # each outcome says whether a save of these edits got in: written, written before,
        # or refused after the token was looked for (not stored: nothing got in)
        self._hold_edits(False)
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
        if isinstance(outcome, FirmNotThere):
            self._firm_not_there(outcome)
            return
        saved = outcome.saved
        self.enterprise_id = saved.enterprise_id
        self.base, self.resolutions = outcome.base, None
        self.profile, self.history_rows = outcome.profile, outcome.history_rows
        self.save_token = None  # the next edits are another save
        self.message.setText("")
        self._reload_after_save()
        if outcome.already_saved:
            note = self.tr("已保存：上一次保存在连接中断前其实已经写入，这次没有再写入（以免重复）。"
                           "窗口中显示的是数据库中保存的内容。")
            self.message.setStyleSheet(BUSY_STYLE)
            self.message.setText(note)
            self.notice.emit(note)
        elif saved.merged_theirs:
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

    def _firm_not_there(self, outcome: FirmNotThere) -> None:
        """The firm went to the 回收站 (or for good) since the window read it: who and when,
        that the edits are still here, and how to get it back (it said only 找不到企业（编号
        3）, the firm's inner number). The edits stay: 保存 again once it is restored."""
        if outcome.binned:
            hint = self.tr("。您的修改仍保留在窗口中：在企业库勾选“回收站”，选中这家企业按“恢复”，"
                           "再回到这里按“保存”即可。")
        else:
            hint = self.tr("。窗口中的修改无法再保存到这家企业；如仍需要它，请新建企业后重新录入。")
        text = self.tr("未保存：") + outcome.message + hint
        self.message.setText(text)
        self.notice.emit(text)
        self.save_finished.emit(False)

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
        if not refusal.connection_lost:  # (held edits stay held: the lost one is unknown)
            self._save_failed(refusal.message)
            return
        self.saving = None
        self._show_saving(False)
        # at the commit, the edits may be stored: held as they were sent, so that the next
        # 保存 sends these very edits with their token (stored: nothing is written again)
        self._hold_edits(refusal.at_commit or self.holding_edits)
        self.message.setText(self.connection_lost_text(refusal.message,
                                                       at_commit=refusal.at_commit))
        self.save_finished.emit(False)

    def _hold_edits(self, hold: bool) -> None:
        """Grey the pages that edit (not 对标预审 and 变更记录) while it is not known whether
        the last save got in."""
        self.holding_edits = hold
        for page in (self.basic_form, *self.record_tabs()):
            page.setEnabled(not hold)

    def connection_lost_text(self, reason: str, *, at_commit: bool) -> str:
        """What became of a save the server's connection broke in, and what to do."""
        reason = reason.rstrip("。") + "。"
        if not at_commit and not self.holding_edits:
            return self.tr("未保存：") + reason + self.tr(
                "这次保存没有写入任何修改（连接中断时，服务器已撤回未完成的保存）。"
                "您的修改仍保留在窗口中：服务器恢复后再按“保存”即可。")
        what = self.tr("这家新企业") if self.enterprise_id is None else self.tr("这次保存")
        return self.tr("不确定是否已保存：") + reason + self.tr(
            "连接在提交保存时中断，无法确定%1是否已写入。您的修改仍保留在窗口中：服务器恢复后"
            "请再按“保存”——已写入的不会再写一次（窗口随即显示已保存的内容），未写入的这时写入。"
            "在此之前，窗口中的修改暂不能改动。").replace("%1", what)

    def _reload_after_save(self) -> None:
        for tab, key in ((self.recognition_tab, "recognitions"), (self.figures_tab, "figures"),
                         (self.measure_tab, "support_measures"), (self.chain_tab, "chains")):
            tab.reset(self.profile.get(key, []))
        self.chain_tab.show_titles(self.profile.get("chain_titles", []))
        self.history_view.show_history(self.profile, self.history_rows)
        self.assessment_tab.set_enterprise(self.enterprise_id)
        if self.assessment_tab.loaded or self.tabs.currentWidget() is self.assessment_tab:
            self.assessment_tab.refresh()
        self.basic_form.load(self.profile)  # the stored, normalised values: the new baseline
        if self.export_button is None:  # a new firm, saved: it has an archive page now
            self._add_export_button()
        self._update_state()
