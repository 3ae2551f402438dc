"""Step 5: what the import wrote, with 保存问题行 and 撤销这次导入."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tiers.text.counts import counts_text
from ui.import_wizard.summary import fit_text, standing_lines, undo_summary


class ResultPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result_text = QLabel()
        self.result_text.setWordWrap(True)
        self.result_text.setStyleSheet("font-size: 11pt;")
        self.save_problems_button = QPushButton(self.tr("把问题行保存为 Excel…"))
        fit_text(self.save_problems_button)
        self.undo_button = QPushButton(self.tr("撤销这次导入"))
        fit_text(self.undo_button)
        row = QHBoxLayout()
        row.addWidget(self.save_problems_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_text)
        layout.addLayout(row)
        layout.addStretch(1)

    def show_applied(self, result, plan=None) -> None:
        counts = result.counts
        lines = [self.tr("导入完成：") + counts_text(counts, separator="　")]
        if plan is not None:  # 公示名单 or 认定名单; who a final list left out
            lines += standing_lines(plan)
        if result.batch_id is not None:
            lines.append(self.tr("本次导入编号 %1，可在“导入记录”中随时撤销。").replace(
                "%1", str(result.batch_id)))
        problems = counts.get("errors", 0) + counts.get("unmatched", 0)
        if problems:
            lines.append(self.tr("有 %1 行未导入，可保存为 Excel 修改后再导入。").replace(
                "%1", str(problems)))
        self.result_text.setText("\n".join(lines))
        self.save_problems_button.setEnabled(bool(problems))
        self.undo_button.setEnabled(result.batch_id is not None)

    def show_undone(self, result) -> None:
        self.result_text.setText(undo_summary(result))
        self.undo_button.setEnabled(False)
