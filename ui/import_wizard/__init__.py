"""The import wizard, one module per page (file, sheet, mapping, preview, result), the
window that walks through them in ``wizard``, and its background jobs in ``jobs``."""

from ui.import_wizard.summary import undo_summary
from ui.import_wizard.wizard import FILE, MAPPING, PREVIEW, RESULT, SHEET, ImportWizard

__all__ = ["FILE", "MAPPING", "PREVIEW", "RESULT", "SHEET", "ImportWizard", "undo_summary"]
