"""Step 1: the file to import (typed, browsed or dropped)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.app_settings import AppSettings
from ui.ask import FileDialog

# .txt is tab-separated text (what 另存为“文本文件(制表符分隔)” writes); the importers read it
FILE_FILTER = ("Excel / WPS / CSV / 文本名单 (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt *.tsv);;"
               "Excel 工作簿 (*.xlsx *.xlsm *.xlsb *.xls);;LibreOffice / WPS 表格 (*.ods);;"
               "CSV / 制表符分隔文本 (*.csv *.txt *.tsv);;所有文件 (*)")


class FilePage(QWidget):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("选择或拖入 Excel / CSV / 文本文件（可多选，逐个导入）"))
        self.browse_button = QPushButton(self.tr("浏览…"))
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse_button)
        hint = QLabel(self.tr(
            "支持 .xlsx、.xlsm、.xlsb、.xls、LibreOffice 的 .ods、.csv 和制表符分隔的 .txt（含 GBK 编码）。可以直接把文件拖到这个窗口或主窗口上。\n"
            "标题行、两行表头、合并单元格都能识别；下一步可以核对和修改每一列的对应字段。\n"
            "收回的采集表（由“文件 → 导出采集表”生成）可以一次选中多份：自动识别各列，逐个预览、导入。"))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        # the wizard's message about the file (没有找到, 有打开密码…) shows here, under the
        # path it is about, while this step is shown (at the window's foot it sat far from
        # the field, under an empty page)
        self.message_slot = QVBoxLayout()
        layout.addLayout(self.message_slot)
        layout.addWidget(hint)
        layout.addStretch(1)

    def browse(self) -> None:
        paths = FileDialog.open_files(self, self.tr("选择名单文件"),
                                      self.settings.last_folder("import"), FILE_FILTER)
        if paths:
            self.set_paths(paths)

    def set_paths(self, paths: Sequence[str]) -> None:
        """One path as it is; several each in quotes (as Qt's file dialogs write them)."""
        self.path.setText(paths[0] if len(paths) == 1 else " ".join(f'"{p}"' for p in paths))

    def chosen_all(self) -> list[str]:
        text = self.path.text().strip()
        quoted = re.findall(r'"([^"]+)"', text)
        return quoted if quoted else ([text] if text else [])

    def chosen(self) -> str:
        paths = self.chosen_all()
        return paths[0] if paths else ""
