"""The plan: for each data row, what the import would do (create / update field by field /
unchanged / unmatched / error) and the problems found. Nothing is written here.

The modules, one idea each: ``types`` (what a plan is made of), ``known`` (the database
loaded once), ``sheet`` (checks of the sheet, rows that are no data), ``cells`` (the columns
parsed at once), ``matching`` (which firm a row is; links; suggestions), ``records`` (what
a row adds per list kind), ``duplicates`` (rows naming one firm twice), ``counties`` (the
county of a row or a credit code), ``preview`` (what a row writes, as text), ``scope`` (rows of firms the login may
not write, left out) and ``build``
(the row loop).
"""

from importers.plan.build import build_plan
from importers.plan.preview import content_lines, display_value
from importers.plan.types import (
    CREATE,
    ERROR,
    LINKED,
    OTHER_UNIT,
    OUTSIDE,
    SHORT_NAME_TAKEN,
    UNCHANGED,
    UNMATCHED,
    UPDATE,
    FieldChange,
    Link,
    Plan,
    PlanRow,
)

__all__ = [
    "CREATE", "ERROR", "LINKED", "OTHER_UNIT", "OUTSIDE", "UNCHANGED", "UNMATCHED", "UPDATE", "FieldChange", "Link",
    "Plan", "PlanRow", "SHORT_NAME_TAKEN", "build_plan", "content_lines", "display_value",
]
