"""The enterprise window, one module per part: 基本信息 (basic_form), the record tabs
(record_tab, record_tabs), 变更记录 (history_tab) and the window that holds them (dialog)."""

from ui.enterprise_dialog.dialog import EnterpriseDialog
from ui.enterprise_dialog.record_tab import RecordTab

__all__ = ["EnterpriseDialog", "RecordTab"]
