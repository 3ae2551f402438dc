"""An open 企业档案 follows what others save to its firm (tester27's finding 4: officer A's
window kept showing the phone number B had overwritten, with 保存 greyed, for as long as it
stayed open; the next save merged, but until then A read the old value).

Whenever the main window refreshes for a write (another officer's commit heard on the
server, another program's on a file, a write of this client's elsewhere), each open firm
window reads its firm's version on the runner (one small query) and, only when it moved
since the window read the firm, the profile and its history. A window without unsaved
edits then shows what is stored, and says by whom it was changed; one with edits keeps
them and what they were made from (its save merges over the newer version, and asks where
both changed one thing), and says that the firm was changed meanwhile.

Nothing is reloaded while a modal dialog of the window is open (a record's form, 撤销认定's
reason): the tab holds the row it opened the form for and writes the form's answer into
it when the form closes, so rows replaced meanwhile took the officer's edit or 撤销 with
them, unseen, 保存 greyed (review27b #3). The follow waits until that dialog is closed (its
answer then counts as an edit: the window keeps it and says the firm was changed)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tiers.errors import NotFound
from tiers.queries import history
from tiers.services import versions
from tiers.services.profile import ProfileBase, load
from tiers.services.profile_merge import who_saved
from ui.background_runner import Task
from ui.latest_read import LatestRead

log = logging.getLogger(__name__)
MODAL_POLL_MS = 300  # how soon a follow put off for a modal dialog looks again
# what a firm changed since the window read it: its profile and version, its 变更记录, and
# who changed it (wujin02, wujin02（导入批次 12）)
Newer = tuple[ProfileBase, list[dict[str, Any]], list[str]]


class FollowingOthers:
    """Part of EnterpriseDialog (a mixin: it works on the window's base, pages and message
    line, and reloads them as a save does)."""

    others_read: LatestRead | None = None
    others_seen: int | None = None  # the newer version the officer was told of (edits held)
    follow_waits: QTimer | None = None  # a follow put off while a modal dialog is open

    def follow_changes(self, _changes: Any = None) -> None:
        """Read on the runner whether the firm changed since the window read it."""
        if (self.enterprise_id is None or self.base is None or self.saving is not None
                or self.holding_edits or not self.isVisible()):
            return
        if self._wait_for_modal():
            return
        if self.others_read is None:
            self.others_read = LatestRead(
                self, self.tr("读取企业的最新内容"),
                on_failure=lambda message: log.warning("企业档案未能读取最新内容：%s", message))
        database, firm = self.database, self.enterprise_id
        seen, last = self.base.version, self.base.last_change

        def job(_task: Task | None) -> Newer | None:
            with database.reading() as session:
                try:
                    if versions.current(session, firm) == seen:
                        return None
                    return (load(session, firm), history.history(session, firm),
                            history.changed_by_since(session, firm, last or 0))
                except NotFound:  # purged meanwhile: a save says so
                    return None

        self.others_read.run(self.runner, job, self._others_saved)

    def _others_saved(self, found: Newer | None) -> None:
        if found is None or self.saving is not None or self.base is None:
            return
        base, history_rows, by = found
        if base.version <= self.base.version:  # (the window's own save got there first)
            return
        if self._wait_for_modal():  # (opened while it was read: read again once closed)
            return
        who = who_saved(by)
        if self.has_unsaved_changes():
            if self.others_seen == base.version:
                return
            self.others_seen = base.version
            self.show_others_note(self.tr(
                "%1刚修改了这家企业；窗口中仍是您打开时读到的内容和您的修改。按“保存”时自动合并"
                "（同一项双方改得不同时，逐项选择保留哪一方）。").replace("%1", who))
            return
        self.base, self.others_seen = base, None
        self.profile, self.history_rows = dict(base.profile), history_rows
        self._reload_after_save()
        self.show_others_note(self.tr("%1刚修改了这家企业，窗口已显示最新内容。").replace("%1", who))

    def modal_child(self) -> QWidget | None:
        """The modal dialog open over this window (a record's form, 撤销认定's reason, a
        question), else None. (A dialog is a window of its own: isAncestorOf, which stops
        at a window, would not see it.)"""
        modal = QApplication.activeModalWidget()
        widget = modal
        while widget is not None:
            if widget is self:
                return modal
            widget = widget.parentWidget()
        return None

    def _wait_for_modal(self) -> bool:
        """True (and the follow put off until the dialog is closed) while one is open."""
        if self.modal_child() is None:
            return False
        if self.follow_waits is None:
            self.follow_waits = QTimer(self)
            self.follow_waits.setSingleShot(True)
            self.follow_waits.setInterval(MODAL_POLL_MS)
            self.follow_waits.timeout.connect(self.follow_changes)
        # (looked at again, not waited on through the dialog's finished(): that comes
        # before the form's answer is written into the row, and a question box alike)
        self.follow_waits.start()
        return True

    def hide_others_note_if_saved(self, saved: bool) -> None:
        """A save that got in: the note about others' changes is answered. (A bound method,
        not a lambda holding the window: with one, PySide could not disconnect the
        window's destroyed() when it was deleted.)"""
        if saved:
            self.others_note.hide()

    def show_others_note(self, text: str) -> None:
        """The note above the buttons (not the message line: typing clears that); hidden
        again by the next save that gets in."""
        self.others_note.setText(text)
        self.others_note.setVisible(bool(text))
