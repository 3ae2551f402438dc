"""A window's first size, kept within the screen it opens on.

A size chosen on one screen does not fit another: the import wizard's 1100 × 700, made on a
1366 × 768 laptop, put its 上一步/下一步/导入/关闭 under the task bar at 1920 × 1080 with
150 % scaling (1280 × 720 logical), and 打印预览's 1000 × 720 was higher than that whole
screen. Every window that gives itself a size asks here: the size it wants, within the
screen's available room (the task bar or dock left out) less its frame and title bar, and
never below what its layout needs (the size it would take once shown anyway).
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

# the window manager's frame and title bar around a window's own size
FRAME = QSize(40, 60)


def screen_room(widget: QWidget) -> QSize | None:
    """The room for ``widget``'s window on its screen: the available geometry (without the
    task bar) less the frame and title bar; None where there is no screen."""
    screen = widget.screen()
    if screen is None:
        return None
    return screen.availableGeometry().size() - FRAME


def fitted_size(widget: QWidget, wanted: QSize) -> QSize:
    """``wanted`` where the screen has room for it, less where it has not; never below the
    layout's minimum (call it once the layout is built)."""
    room = screen_room(widget)
    size = wanted if room is None else wanted.boundedTo(room)
    return size.expandedTo(widget.minimumSizeHint())


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """``widget.resize(width, height)``, within the screen's room."""
    widget.resize(fitted_size(widget, QSize(width, height)))
