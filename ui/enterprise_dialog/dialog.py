"""One enterprise: 基本信息, 梯度认定, 年度数据, 扶持措施, 产业链, 对标预审, 变更记录.

Nothing is written until 保存: every edit is held in the window (new, edited, deleted and
revoked rows), then saved in one transaction by ``tiers.services.profile.save_profile`` on the
background runner (the window says 正在保存… and takes no edits meanwhile). A failure writes
nothing and shows the service's messages beside the fields. Leaving with unsaved edits asks.

The save is checked against the version the window read: when another officer saved the firm
meanwhile, what only one of them changed merges by itself (the status bar says so), and
what both changed differently is settled in the conflict dialog, then saved again. What
others save while the window is open is shown, or, over unsaved edits, said
(ui.enterprise_dialog.following)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tiers.model import ladder
from tiers.queries import history, roster
from tiers.services.profile import (
    EDITED,
    SAVED,
    ProfileBase,
    Resolutions,
    check_basic,
    load,
)
from tiers.storage.database import Database
from tiers.text import changes as change_text
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog
from ui.assessment_view import AssessmentView
from ui.background_runner import BackgroundRunner, Task
from ui.enter_key import from_a_view
from ui.enterprise_dialog.basic_form import BasicForm
from ui.enterprise_dialog.following import FollowingOthers
from ui.enterprise_dialog.history_tab import HistoryTab
from ui.enterprise_dialog.record_tab import RecordTab
from ui.enterprise_dialog.record_tabs import chain_tab, figures_tab, measure_tab, recognition_tab
from ui.enterprise_dialog.review_year import ReviewYearCorrection, is_misdated
from ui.enterprise_dialog.revoke_dialog import RevokeDialog
from ui.enterprise_dialog.saving import ERROR_STYLE, ProfileSaving
from ui.tab_order import tab_as_they_read
from ui.table_comforts import TableComforts


class EnterpriseDialog(FollowingOthers, ProfileSaving, ReviewYearCorrection, QDialog):
    saved = Signal(int)
    changed = Signal(object)  # after a save: the ui.operations.Changes it made
    save_finished = Signal(bool)  # a save asked for has ended: written or not
    notice = Signal(str)  # for the main window's status bar (e.g. what merged by itself)

    def __init__(self, database: Database, settings: AppSettings,
                 enterprise_id: int | None = None, parent: QWidget | None = None, *,
                 runner: BackgroundRunner, figures_year: int | None = None) -> None:
        super().__init__(parent)
        self.figures_year = figures_year  # 对标预审's year when picked elsewhere (候选企业)
        self.database = database
        self.settings = settings
        self.runner = runner
        self.saving: Task | None = None
        self._focus_before_save: QWidget | None = None
        self.enterprise_id = enterprise_id
        self.setAttribute(Qt.WA_DeleteOnClose, False)
        self.profile: dict[str, Any] = {}
        self.base: ProfileBase | None = None  # what the edits are made from (None: a new firm)
        self.resolutions: Resolutions | None = None  # the conflict dialog's last choices
        self.save_token: str | None = None  # these edits' save, made at their first 保存
        self.holding_edits = False  # a save's answer lost at the commit: pages greyed
        self.history_rows: list[dict[str, Any]] = []
        if enterprise_id is not None:
            self._load()
        self.read_only = self._refusal()  # why this login may not change the firm ("": it may)
        self.touched: set[str] = set()
        self.show_all_errors = False
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self._build_tabs()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Apply
                                        | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("保存并关闭"))
        self.buttons.button(QDialogButtonBox.Apply).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        self.buttons.button(QDialogButtonBox.Save).clicked.connect(self.save_and_close)
        self.buttons.button(QDialogButtonBox.Apply).clicked.connect(lambda: self.save())
        self.buttons.rejected.connect(self.reject)
        self.export_button: QPushButton | None = None
        self._buttons_before_save: dict[QPushButton, bool] = {}
        if enterprise_id is not None:  # the archive page of this firm, to print or send
            self._add_export_button()
        layout = QVBoxLayout(self)
        self.read_only_note: QLabel | None = None
        if self.read_only:
            self._make_read_only(layout)
        layout.addWidget(self.tabs, 1)
        # another officer's save to this firm while the window is open (following.py)
        self.others_note = QLabel()
        self.others_note.setObjectName("others_note")
        self.others_note.setWordWrap(True)
        self.others_note.setStyleSheet(self.READ_ONLY_STYLE)
        self.others_note.hide()
        self.save_finished.connect(self.hide_others_note_if_saved)
        layout.addWidget(self.others_note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        tab_as_they_read(self.buttons)  # (Tab went 取消 → 保存 → 保存并关闭 → 导出档案…)
        self._validate_basic()
        self.save_shortcut = QShortcut(QKeySequence.Save, self)
        self.save_shortcut.activated.connect(lambda: self.save())
        # typing starts at once: the code for a new firm, the name otherwise
        first = self.inputs["credit_code" if enterprise_id is None else "name"]
        self.tabs.setCurrentIndex(0)
        first.setFocus()
        self.resize(self.first_size())  # (once laid out: its minimum is known)
        # as the officer left it last time (a 1920 × 1080 screen has room for the long
        # rule names of 对标预审 and the record tables' columns)
        geometry = settings.geometry("enterprise_dialog")
        if geometry is not None:
            self.restoreGeometry(geometry)

    def _refusal(self) -> str:
        """Why the login may not change this firm (a viewer; an editor and a firm of another
        county), as the server's rights read at connection say; "" when it may. The server
        refuses such a save anyway: this spares the officer the work first."""
        rights = getattr(self.database, "rights", None)
        if rights is None:
            return ""
        if self.enterprise_id is None:
            return rights.refusal()
        return rights.refusal_for(self.profile.get("county_code"), self.profile.get("county"),
                                  self.profile.get("credit_code"))

    READ_ONLY_STYLE = ("QLabel { background: #fff4ce; border: 1px solid #e0c060; "
                       "border-radius: 3px; padding: 6px 8px; color: #5c4400; }")

    def _make_read_only(self, layout: QVBoxLayout) -> None:
        """A note above the pages saying why; every field and button that would change the
        firm greyed with that reason; 保存 greyed, 取消 is 关闭."""
        self.read_only_note = QLabel(self.tr("只读：%1").replace("%1", self.read_only))
        self.read_only_note.setObjectName("read_only_note")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setStyleSheet(self.READ_ONLY_STYLE)
        layout.addWidget(self.read_only_note)
        self.basic_form.set_read_only(self.read_only)
        for tab in self.record_tabs():
            tab.set_read_only(self.read_only)
        for which in (QDialogButtonBox.Save, QDialogButtonBox.Apply):
            self.buttons.button(which).setToolTip(self.read_only)
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("关闭"))

    # the first size: a share of the screen's room, never less than what a 1366 × 768 laptop
    # has room for, nor more than a wide screen needs (at 1920 × 1080 the fixed 1120 × 700
    # left 对标预审's long rule names and values cut beside a blank screen)
    SCREEN_SHARE = 0.78
    LEAST_FIRST = QSize(1120, 700)
    MOST_FIRST = QSize(1600, 1000)

    def first_size(self) -> QSize:
        """1498 × 842 at 1920 × 1080, 1120 × 700 at 1366 × 768 (900 × 640 cut off 变更记录's
        新值 and 对标预审's values there), and less where the screen has no room for that,
        down to the layout's minimum (the size the window takes once shown: a 1024 × 600
        screen has less room than that); a geometry the officer left last time is restored
        over it."""
        screen = self.screen()
        if screen is None:
            return self.LEAST_FIRST.expandedTo(self.minimumSizeHint())
        available = screen.availableGeometry().size()
        share = QSize(round(available.width() * self.SCREEN_SHARE),
                      round(available.height() * self.SCREEN_SHARE))
        room = available - QSize(40, 60)  # the frame and title bar
        return share.expandedTo(self.LEAST_FIRST).boundedTo(self.MOST_FIRST).boundedTo(
            room).expandedTo(self.minimumSizeHint())

    def show_assessment(self, tier_code: str, rule_set: str = "") -> None:
        """The 对标预审 tab, on ``tier_code`` under ``rule_set`` (a 候选企业 list's): the
        officer came from that list, not to edit the firm."""
        self.assessment_tab.open_on(tier_code, rule_set)
        self.tabs.setCurrentWidget(self.assessment_tab)
        self.assessment_tab.tier.setFocus()

    def step_tab(self, step: int) -> None:
        """The next (1) or previous (-1) tab, round the end, with the focus on its page."""
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())
        self.tabs.currentWidget().setFocus()
        self.tabs.currentWidget().focusNextChild()

    def _add_export_button(self) -> None:
        self.export_button = self.buttons.addButton(self.tr("导出档案…"),
                                                    QDialogButtonBox.ActionRole)
        self.export_button.clicked.connect(self.export_profile)

    def export_profile(self):
        """导出报表 opened on 企业档案 for this firm (Excel, PDF or 打印预览)."""
        from ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.database, self.settings, self.runner, self,
                              report="profile",
                              filters={"code": self.profile.get("credit_code", "")},
                              firm_name=self.profile.get("name", ""))
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _build_tabs(self) -> None:
        with self.database.session() as session:
            towns = roster.towns(session)
        self.basic_form = BasicForm(self.profile, towns)
        self.basic_form.edited.connect(self._field_edited)
        self.inputs, self.field_errors = self.basic_form.inputs, self.basic_form.field_errors
        self.former_label = self.basic_form.former_label
        profile = self.profile
        self.recognition_tab = recognition_tab(self, profile.get("recognitions", []),
                                               self.record_title)
        self.recognition_tab.revoke_button = self.recognition_tab.button(
            self.tr("撤销认定(&R)"), lambda: self.revoke_selected(), needs_row=True)
        self.recognition_tab.confirm_button = self.recognition_tab.button(
            self.tr("确认认定（公示结束）(&C)"), lambda: self.confirm_selected(),
            needs_row=True)
        # a 复核 whose 年度 cell says 疑为 …: corrected here, written at once (review_year)
        self.recognition_tab.review_year_button = self.recognition_tab.button(
            self.tr("更正复核年度(&N)"), lambda: self.correct_review_year(),
            for_rows=lambda row: is_misdated(row, self.recognition_tab.rows),
            other_rows=self.tr("只用于年度疑似记错的复核记录（年度一格写“疑为 …”，未修改过的）"))
        self.figures_tab = figures_tab(self, profile.get("figures", []), self.record_title)
        self.measure_tab = measure_tab(self, profile.get("support_measures", []),
                                       self.record_title)
        self.chain_tab = chain_tab(self, profile.get("chains", []), self.record_title,
                                   profile.get("chain_titles", []))
        # read-only and computed from saved data: when first shown, again after each save
        self.assessment_tab = AssessmentView(self.database, self.enterprise_id,
                                             runner=self.runner)
        self.assessment_tab.year = self.figures_year
        self.history_view = HistoryTab()
        self.history_model = self.history_view.history_model
        self.history_view.show_history(self.profile, self.history_rows)
        self.tabs = QTabWidget()
        for widget, title in ((self.basic_form, "基本信息"), (self.recognition_tab, "梯度认定"),
                              (self.figures_tab, "年度数据"), (self.measure_tab, "扶持措施"),
                              (self.chain_tab, "产业链"), (self.assessment_tab, "对标预审"),
                              (self.history_view, "变更记录")):
            self.tabs.addTab(widget, self.tr(title))
        self.tabs.currentChanged.connect(self._tab_shown)
        for tab in self.record_tabs():
            tab.changed.connect(self._update_state)
        self._attach_table_comforts()

    def _attach_table_comforts(self) -> None:
        """Copy, menus, sorting and remembered columns on every record tab."""
        name = self.profile.get("name") or ""
        for tab, key, title in ((self.recognition_tab, "recognitions", "梯度认定"),
                                (self.figures_tab, "figures", "年度数据"),
                                (self.measure_tab, "measures", "扶持措施"),
                                (self.chain_tab, "chains", "产业链")):
            tab.comforts = TableComforts(
                tab.table, f"profile_{key}", self.settings, runner=self.runner,
                title=f"{name}{self.tr(title)}", row_actions=tab.row_actions,
                open_row=lambda _row, t=tab: t.edit_selected())
        self.history_view.comforts = TableComforts(
            self.history_view, "profile_history", self.settings, runner=self.runner,
            title=f"{name}{self.tr('变更记录')}")

    def record_tabs(self) -> tuple[RecordTab, ...]:
        return (self.recognition_tab, self.figures_tab, self.measure_tab, self.chain_tab)

    # --- loading ------------------------------------------------------------------------
    def _load(self) -> None:
        with self.database.session() as session:
            self.base = load(session, self.enterprise_id)
            self.profile = dict(self.base.profile)
            self.history_rows = history.history(session, self.enterprise_id)

    def _tab_shown(self, _number: int) -> None:
        if self.tabs.currentWidget() is self.assessment_tab and not self.assessment_tab.loaded:
            self.assessment_tab.refresh()

    def _update_title(self) -> None:
        name = self.profile.get("name") or self.tr("新建企业")
        mark = " *" if self.dirty() else ""
        self.setWindowTitle(f"{name}{mark} — {self.tr('企业档案')}")

    # --- 基本信息 -----------------------------------------------------------------------
    def set_field(self, key: str, value: str) -> None:
        """Type into a 基本信息 field (tests and pre-filling)."""
        self.basic_form.set_field(key, value)

    def basic_values(self) -> dict[str, str]:
        return self.basic_form.values()

    def basic_errors(self) -> dict[str, str]:
        return check_basic(self.basic_values())

    def changed_basic(self) -> dict[str, Any]:
        """The 基本信息 fields that differ from what is stored, ready for the service."""
        return self.basic_form.changed(self.profile)

    def _field_edited(self, key: str) -> None:
        self.touched.add(key)
        self._validate_basic()

    def _validate_basic(self) -> None:
        errors = self.basic_errors()
        if self.enterprise_id is None and not self.show_all_errors:
            # a new, empty form is not wrong yet: only what the user has typed in is judged
            errors = {k: m for k, m in errors.items() if k in self.touched}
        self.show_field_errors(errors)
        self._update_state()

    def show_field_errors(self, errors: dict[str, str]) -> None:
        self.basic_form.show_errors(errors)
        self.message.setText("；".join(m for k, m in errors.items() if k not in self.field_errors))

    def reveal_field_errors(self, errors: dict[str, str]) -> None:
        """The first field with an error focused and scrolled into view; the messages
        still out of view said on the message line too (a save refused for a reason the
        officer could not see read as nothing happening)."""
        hidden = self.basic_form.reveal_errors(errors)
        if hidden:
            self.message.setText("；".join(
                [m for k, m in errors.items() if k not in self.field_errors] + hidden))

    # --- record tabs --------------------------------------------------------------------
    def revoke_selected(self) -> None:
        if self.read_only:
            return
        row = self.recognition_tab.selected()
        if row is None or row.get("id") is None:
            return
        what = change_text.recognition_subject(row) or row.get("tier", "")
        today = dt.date.today()
        reason = RevokeDialog.ask(self, self.tr("撤销认定"), self.tr(
            "撤销“%1”的认定：%2\n\n撤销原因：").replace(
            "%1", self.profile.get("name", "")).replace("%2", what),
            tier_code=row.get("tier_code") or "", revoked_on=today,
            is_pending=bool(row.get("is_pending")), recognized_on=row.get("recognized_on"))
        if not reason:
            return
        row["_revoke"] = (reason, today)
        self.recognition_tab.refresh()

    def confirm_selected(self) -> None:
        """A recognition 公示中 becomes 有效 when the window is saved (the final list came
        without passing through an import, or the officer checked it elsewhere)."""
        row = self.recognition_tab.selected()
        if self.read_only or row is None or not row.get("is_pending"):
            return
        row["is_pending"] = False
        row["status"] = ladder.status_of(valid_until=row.get("valid_until"),
                                         revoked_on=row.get("revoked_on"),
                                         renewed=bool(row.get("renewed")),
                                         recognized_on=row.get("recognized_on"),
                                         tier_code=row.get("tier_code"),
                                         batch_year=row.get("batch_year"))
        row["_values"] = {**row.get("_values", {}), "is_pending": False}
        if row["_state"] == SAVED:
            row["_state"] = EDITED
        self.recognition_tab.refresh()

    def record_title(self, title: str) -> str:
        name = self.basic_values().get("name") or self.profile.get("name") or ""
        return f"{title} — {name}" if name else title

    # --- state --------------------------------------------------------------------------
    def dirty(self) -> bool:
        if self.enterprise_id is not None:
            return bool(self.changed_basic())
        return any(self.basic_values().values()) or any(tab.dirty() for tab in self.record_tabs())

    def has_unsaved_changes(self) -> bool:
        return self.dirty() or any(tab.dirty() for tab in self.record_tabs())

    def _update_state(self) -> None:
        if not hasattr(self, "buttons"):  # still being built
            return
        ok = not self.basic_errors() and self.saving is None and not self.read_only
        self.buttons.button(QDialogButtonBox.Save).setEnabled(ok)
        self.buttons.button(QDialogButtonBox.Apply).setEnabled(ok and self.has_unsaved_changes())
        self._update_title()

    def save_and_close(self) -> None:
        if not self.has_unsaved_changes() and self.enterprise_id is not None:
            super().accept()
            return
        self.save(then=lambda: QDialog.accept(self))

    # --- leaving ------------------------------------------------------------------------
    def ask_unsaved(self) -> str:
        """"save", "discard" or "cancel"; when the form cannot be saved, says why and
        offers no 保存."""
        errors = self.basic_errors()
        if errors:
            self.show_all_errors = True
            self._validate_basic()
        return ConfirmDialog.unsaved_edits(self, self.tr("这家企业"), errors)

    def _leave(self) -> bool:
        """Whether the window may close now; when the user chose to save first, the save
        is started and closes the window once it has succeeded."""
        if self.saving is not None:
            return False  # a save is under way: its outcome decides
        if not self.has_unsaved_changes():
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            self.save(then=lambda: QDialog.reject(self))
        return answer == "discard"

    def done(self, result: int) -> None:  # every way of closing ends here
        self.settings.set_geometry("enterprise_dialog", self.saveGeometry())
        self.assessment_tab.stop()  # its 对标预审 read is not delivered to a closed window
        super().done(result)

    def reject(self) -> None:  # Esc, 取消 and the title bar's close
        if self._leave():
            super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Enter on a page's table opens its row (ui.enter_key) or nothing (变更记录,
        # 对标预审): never 保存并关闭, the default button, as well
        if from_a_view(self, event):
            event.accept()
            return
        # Ctrl+S from any field (the shortcut covers the rest, e.g. when a table has focus)
        if event.matches(QKeySequence.Save):
            self.save()
            event.accept()
            return
        # Ctrl+Tab / Ctrl+Shift+Tab from the buttons below the pages too (the tab widget
        # hears them only while the focus is inside a page)
        if event.key() in (Qt.Key_Tab, Qt.Key_Backtab) and \
                event.modifiers() & Qt.ControlModifier:
            backwards = event.key() == Qt.Key_Backtab or event.modifiers() & Qt.ShiftModifier
            self.step_tab(-1 if backwards else 1)
            event.accept()
            return
        super().keyPressEvent(event)

