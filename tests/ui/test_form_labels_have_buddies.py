"""Every form label that promises a shortcut (区县(&C)) keeps it: a label whose field is a
row of widgets (a path and its 浏览… button) got no buddy from QFormLayout.addRow, so
导出数据包 showed “保存为(&S)：” with its & as written and Alt+S went nowhere (the officer's
walk)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel

from ui.package_export_dialog import PackageExportDialog


def shortcut_labels(dialog) -> list[QLabel]:
    labels = []
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.LabelRole)
            label = item.widget() if item is not None else None
            if isinstance(label, QLabel) and "&" in label.text():
                labels.append(label)
    return labels


def test_the_package_export_labels_lead_to_their_fields(qtbot, database, settings, runner):
    dialog = PackageExportDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    labels = shortcut_labels(dialog)
    assert [label.text() for label in labels] == ["区县(&C)：", "报送单位(&U)：", "保存为(&S)："]
    assert all(label.buddy() is not None for label in labels)
    assert labels[-1].buddy() is dialog.path
