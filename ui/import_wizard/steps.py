"""The import wizard's five steps, in order: their pages' places in its stack."""

FILE, SHEET, MAPPING, PREVIEW, RESULT = range(5)
