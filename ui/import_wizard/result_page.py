"""Step 5: what the import wrote, with 保存问题行 and 撤销这次导入."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tiers.text.counts import counts_text
from ui.import_wizard.summary import fit_text, preview_notes, standing_lines, undo_summary
from ui.read_only_look import read_only_text


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
        # what the preview warned of (credit codes, amounts that are no money, rows left
        # out), again here: an officer who clicked through could not see it afterwards
        self.warnings_title = QLabel()
        self.warnings_title.setStyleSheet("color: #8a5a00; font-weight: bold;")
        self.warnings = read_only_text()
        self.warnings_title.setBuddy(self.warnings)
        layout = QVBoxLayout(self)
        layout.addWidget(self.result_text)
        layout.addLayout(row)
        layout.addWidget(self.warnings_title)
        layout.addWidget(self.warnings, 1)
        self._show_warnings(None)

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
        self._show_warnings(plan)

    def _show_warnings(self, plan) -> None:
        count, lines = preview_notes(plan) if plan is not None else (0, [])
        self.warnings_title.setText(self.tr("预览中的提示与问题（%1 条）：").replace(
            "%1", f"{count:,}"))
        self.warnings.setPlainText("\n".join(lines))
        self.warnings_title.setVisible(bool(count))
        self.warnings.setVisible(bool(count))

    def show_undone(self, result) -> None:
        self.result_text.setText(undo_summary(result))
        self.undo_button.setEnabled(False)
