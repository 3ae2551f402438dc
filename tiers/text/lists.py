"""A list named in one line, and the cut said: 常州甲公司、常州乙公司 等 120 家.

A package's preview and report name the firms it bins or takes out of the bin, the GUI's
dialog and ``tiers package import`` alike; each showed the first few and wrote the cut
itself (review26). The undo question (涉及企业 / 还原的字段), a bulk result (恢复, the firms
changed meanwhile) and the command line's 对应多家企业 cut their lists the same way, and
each had written the cut again, two of them differently (等 12 家 with no space; 等 1000 家
with no thousands separator; mends27). One rule, so all say the same."""

from __future__ import annotations

from collections.abc import Sequence


def names_cut(names: Sequence[str], total: int, *, joiner: str = "、", unit: str = "家",
              counted: bool = False) -> str:
    """The names shown, joined with ``joiner``, and 等 N 家 after them when ``total`` (how
    many in all) is more than were shown; ``unit`` counts what they are (项 for fields).
    ``counted``: the sentence has said how many already (恢复 4 家企业：…), so the cut is
    等 alone rather than the number again."""
    if total <= len(names):
        return joiner.join(names)
    more = " 等" if counted else f" 等 {total:,} {unit}"
    return joiner.join(names) + more
