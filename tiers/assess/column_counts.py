"""The counts a column-wise verdict (``tiers.assess.columnar``) is made of, one int per firm.

Each condition gives every firm a status and its counts packed in one int, most significant
first: prerequisite titles short (``holds``), conditions short, of those the far ones
(below half the bar: ``tiers.assess.near``), missing data, to verify, core to verify. Adding
packed ints adds the counts (each stays far below 2**15); ``branch_order`` orders firms as an
``any`` chooses its branch (short, a near miss before a far one, missing, to verify), as
``evaluate`` does.
"""

from __future__ import annotations

import operator
from functools import reduce

from tiers.assess.column_numbers import NOT_MET
from tiers.assess.evaluate import readiness_of

SHIFT = 15
FIELD = (1 << SHIFT) - 1
CORE_AT, MANUAL_AT, MISSING_AT, FAR_AT, SHORT_AT, PREREQUISITE_AT = (
    place * SHIFT for place in range(6))
# by status (MET, MANUAL, MISSING, NOT_MET)
PACKED = (0, 1 << MANUAL_AT | 1 << CORE_AT, 1 << MISSING_AT, 1 << SHORT_AT)
PACKED_SECONDARY = (0, 1 << MANUAL_AT, 1 << MISSING_AT, 1 << SHORT_AT)
FAR = 1 << FAR_AT  # added to a short condition's count when its miss is far
PREREQUISITE_SHORT = 1 << PREREQUISITE_AT  # added to a ``holds`` condition's when short
BRANCH = (1 << (SHORT_AT + SHIFT - MANUAL_AT)) - 1  # short … to verify, after ``>> SHIFT``

Result = tuple[list[int], list[int]]  # every firm's status, and its packed counts


def branch_order(packed: int) -> int:
    return packed >> MANUAL_AT & BRANCH


def count(total: int, place: int) -> int:
    """One count of a packed total (``place``: one of the ``…_AT``)."""
    return total >> place & FIELD


def counted(status: list[int], secondary: bool) -> Result:
    """A leaf (or a composite counted as one): its counts from its status."""
    table = PACKED_SECONDARY if secondary else PACKED
    return status, list(map(table.__getitem__, status))


def with_far(result: Result, far: list[bool]) -> Result:
    """``result`` with its short firms among ``far`` counted far too."""
    status, packed = result
    if not any(far):  # (most conditions, most counties: no pass over the counts)
        return result
    return status, [p + FAR if is_far and state == NOT_MET else p
                    for p, is_far, state in zip(packed, far, status, strict=True)]


def without_far(packed: int) -> int:
    """``packed`` with its far count taken out (a condition not short itself)."""
    return packed & ~(FIELD << FAR_AT)


def added(columns) -> list[int]:
    """Column by column sums (one C-level map per column added)."""
    return reduce(lambda a, b: list(map(operator.add, a, b)), columns)


def total_readiness(total: int, failed: bool = False) -> int:
    """The readiness group of a firm's packed total (``evaluate.readiness_of``); ``failed``:
    a condition of the rules' top level is 不满足 (whatever the data still missing)."""
    shortfalls, missing = count(total, SHORT_AT), count(total, MISSING_AT)
    manual, core = count(total, MANUAL_AT), count(total, CORE_AT)
    return readiness_of(shortfalls, missing, core if manual and not (shortfalls or missing) else 0,
                        prerequisite=total >> PREREQUISITE_AT > 0, far=count(total, FAR_AT),
                        failed=failed)
