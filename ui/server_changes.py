"""Others' changes reach this window: on a server, a listener (tiers.storage.notify) hears
each commit of another client; on a file, one (tiers.storage.file_changes) notices another
program's commits (the command line's import while the window is open); and the window
refreshes as after a write of its own, saying so in the status bar: 其他用户修改了数据 only
for another officer's commit; one of the officer's own login made in another program
(a second window, the command line) or another program's on a file says so; a listener
that found its server again after losing it (a restart, the network) refreshes for what it
may have missed, and says that, not that anyone changed anything. While the listener cannot
reach its server, the status bar says so in red, at once (the listener's connection is the
window's periodic look at the server: a window sitting idle showed nothing before), until
it is back.

The listener's thread only emits a signal; the refresh runs in the GUI thread, once for a
burst of notifications (an officer saving several records, an import's commit, a script
committing every second) rather than once each: QUIET_MS after the last one heard, but
no later than LONGEST_MS after the first (a full refresh of a 100k database takes the
best part of a second: one per commit froze the window).
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Signal

from tiers.storage import notify
from tiers.storage.database import Database
from tiers.storage.file_changes import OTHER_PROGRAM
from tiers.storage.notify import ListenerThread
from ui.elided_label import ElidedLabel

# the refresh waits for this long a quiet spell after the last notification heard...
QUIET_MS = 2_000
# ...but for no longer than this after the first one not yet refreshed for
LONGEST_MS = 10_000
# how often, while the loss is shown, the listener is asked whether it listens again
LOST_CHECK_MS = 2_000


class ServerChanges(QObject):
    """Follows the window's database (also across a switch) and refreshes the window's
    pages, roster, counts and search index when another client committed."""

    heard = Signal(str)  # emitted by the listener's thread, delivered in the GUI thread
    refreshed = Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.listener: ListenerThread | None = None
        self.senders: set[str] = set()  # who was heard since the last refresh
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.clock = QElapsedTimer()  # since the first notification not yet refreshed for
        self.timer.timeout.connect(self.refresh)
        self.heard.connect(self._heard)
        # 与数据库服务器的连接已中断…: shown while the listener cannot reach the server
        self.lost_label = ElidedLabel(minimum=120, widest=460)
        self.lost_label.setStyleSheet("color: #C00000;")
        self.lost_label.hide()
        window.statusBar().addPermanentWidget(self.lost_label)
        # while it is shown, whether the listener is back: a loss reported by a listener
        # stopped since (the database switched) must not stay, as no reconnection follows
        self.lost_check = QTimer(self)
        self.lost_check.setInterval(LOST_CHECK_MS)
        self.lost_check.timeout.connect(self._still_lost)
        window.database_switched.connect(self.follow)
        # (a lambda: the watcher, a child of the window, is being destroyed with it)
        window.destroyed.connect(lambda *_: self.stop())
        self.follow()

    @classmethod
    def attach(cls, window) -> ServerChanges:
        watcher = getattr(window, "server_changes", None)
        if watcher is None:
            watcher = cls(window)
            window.server_changes = watcher
        return watcher

    def follow(self) -> None:
        """Listen on the window's current database: a server's notifications, a file's
        commits by other programs."""
        self.stop()
        database: Database = self.window.database
        self.listener = database.others_changes(self.heard.emit)
        if self.listener is not None:
            self.listener.start()

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        self.show_lost(False)

    @property
    def lost(self) -> bool:
        return not self.lost_label.isHidden()

    def show_lost(self, lost: bool) -> None:
        """The red line in the status bar while the server cannot be reached."""
        try:
            label = self.lost_label
            if lost:
                label.setText(self.window.tr(
                    "与数据库服务器的连接已中断，正在自动重试；恢复前所见可能不是最新数据，保存会失败（修改留在窗口中）"))
            label.setVisible(lost)
            if lost:
                self.lost_check.start()
            else:
                self.lost_check.stop()
        except RuntimeError:  # the window (and the label with it) already destroyed
            pass

    def _still_lost(self) -> None:
        listener = self.listener
        if listener is None or listener.listening.is_set():
            self.show_lost(False)

    def _heard(self, sender: str) -> None:
        if sender == notify.LOST:  # no refresh: nothing can be read; said until it is back
            self.show_lost(True)
            return
        if sender == notify.RECONNECTED:
            self.show_lost(False)
        self.senders.add(sender)
        if not self.timer.isActive():
            self.clock.start()
        self.timer.start(max(0, min(QUIET_MS, LONGEST_MS - self.clock.elapsed())))

    def refresh(self) -> None:
        window = self.window
        window.data_changed(None)  # the pages, the roster (and its search index), counts
        senders, self.senders = self.senders, set()
        window.statusBar().showMessage(self.said(senders), 8_000)
        self.refreshed.emit()

    def said(self, senders: set[str]) -> str:
        """What the status bar says of a refresh for these senders: another officer's
        change first, then another program's, then a reconnection alone."""
        tr = self.window.tr
        if senders - {OTHER_PROGRAM, notify.SAME_LOGIN, notify.RECONNECTED}:
            return tr("其他用户修改了数据，已刷新")
        if notify.SAME_LOGIN in senders:
            return tr("本账号在其他程序中修改了数据，已刷新")
        if OTHER_PROGRAM in senders:
            return tr("数据已被其他程序修改，已刷新")
        return tr("已重新连接数据库服务器，数据已刷新")
