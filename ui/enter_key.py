"""Enter on a table's row does what a double-click does there, and nothing more.

Qt's item views emit ``activated`` on Enter and then pass the key on to their window, where
a dialog's default button takes it. In 企业档案 that made Enter on a 梯度认定 row open the
record form and, once the form was closed (Esc as well as 确定), run 保存并关闭: the unsaved
基本信息 edits were saved unasked and the window closed. So:

- a view that opens its rows on Enter (something listens to its ``activated``) keeps the
  key: ``RowEnter``, which ui.table_comforts attaches to every table it looks after;
- a window whose default button writes keeps an Enter that one of its tables let through
  (a table that opens nothing: 变更记录, 对标预审's conditions): ``from_a_view``, or
  ``EnterStaysInViews`` attached to the window (批量操作's preview, 填写上级模板,
  导出数据包's counties, the import wizard's columns). The key counts as the table's when
  the focus is on the table or inside it: a cell's editor or a combo box set in a cell lets
  its Enter through to the window too, after typing in it or choosing with the arrows.
  Enter with the focus on the default button itself still presses it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMetaMethod, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

ENTER_KEYS = (Qt.Key_Return, Qt.Key_Enter)


def is_enter(event: QKeyEvent) -> bool:
    """Enter or Return with no modifier but the keypad's (Ctrl+Enter and the like are
    shortcuts of their own)."""
    return event.key() in ENTER_KEYS and not (
        event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)


def opens_rows(view: QAbstractItemView) -> bool:
    """Something acts on the view's ``activated`` (Enter, and a double-click, open the row)."""
    return view.isSignalConnected(QMetaMethod.fromSignal(view.activated))


class RowEnter(QObject):
    """Attach to a view (``RowEnter(view)``): Enter on it emits ``activated`` for the current
    row, as Qt does, and goes no further when the view opens its rows; a view that opens
    nothing passes it on as before (a picker's Enter is its dialog's 确定)."""

    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)  # (a child of the view: it goes when the view goes)
        view.installEventFilter(self)

    # The filters keep no Python attributes: a window or view released from Python is torn
    # down with its filter still installed, after the filter's Python side has been cleared,
    # and Qt still sends the dying widget events; ``watched`` (the only object each filter is
    # installed on) is all they need.
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.KeyPress or not isinstance(watched, QAbstractItemView) \
                or not is_enter(event) or not opens_rows(watched):
            return False
        if watched.state() == QAbstractItemView.EditingState and not watched.hasFocus():
            return False  # (an editor's Enter: Qt's own handling commits it)
        index = watched.currentIndex()
        if index.isValid():
            watched.activated.emit(index)
        return True  # the row was opened (or there is none): not the window's Enter too


def from_a_view(window: QWidget, event: QKeyEvent) -> bool:
    """The key is an Enter that one of ``window``'s item views had focus for and let
    through: a window whose default button writes (保存并关闭, 导入) takes no such Enter."""
    if not is_enter(event):
        return False
    # (the window's own: just after a record form closed, the application's focus may not
    # be back in this window yet)
    focused = window.focusWidget()
    if focused is None or not window.isAncestorOf(focused):
        return False
    while focused is not None and focused is not window:  # the table, or a cell's editor
        if isinstance(focused, QAbstractItemView):
            return True
        focused = focused.parentWidget()
    return False


class EnterStaysInViews(QObject):
    """Attach to a window (``EnterStaysInViews(dialog)``) whose default button runs its
    operation and whose tables open nothing: an Enter one of them (or a cell's editor) let
    through goes no further, so it never presses that button."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)  # (a child of the window: it goes when the window goes)
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        # (no attributes of its own: see RowEnter.eventFilter)
        if event.type() == QEvent.KeyPress and isinstance(watched, QWidget) \
                and from_a_view(watched, event):
            event.accept()
            return True
        return False
