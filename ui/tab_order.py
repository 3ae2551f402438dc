"""Tab through a row of buttons in the order it reads, left to right.

QDialogButtonBox places its buttons by their roles (the firm window's read 保存并关闭,
导出档案…, 取消, 保存) and chains Tab along them as it lays them out, but not always: in
the firm window Tab went 取消 → 保存 → 保存并关闭 → 导出档案…, and in 连接服务器 取消 →
保存并连接 → 测试连接 (Qt kept an order of their own making once the box was put into its
window). Called once the box has its buttons and sits in its window's layout, this chains
them as they stand. tests/ui/test_button_rows_tab_in_order.py checks every dialog's rows.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QWidget


def buttons_as_they_read(box: QDialogButtonBox) -> list[QWidget]:
    """The box's buttons in the order of its layout (left to right in a row)."""
    layout = box.layout()
    items = (layout.itemAt(index) for index in range(layout.count()))
    return [item.widget() for item in items if item.widget() is not None]


def tab_as_they_read(box: QDialogButtonBox) -> None:
    buttons = buttons_as_they_read(box)
    for before, after in zip(buttons, buttons[1:], strict=False):
        QWidget.setTabOrder(before, after)
