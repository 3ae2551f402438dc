"""A list of firms named in one line, and the cut said: 常州甲公司、常州乙公司 等 120 家.

A package's preview and report name the firms it bins or takes out of the bin, the GUI's
dialog and ``tiers package import`` alike; each showed the first few and wrote the cut
itself (review26). One rule, so both say the same."""

from __future__ import annotations

from collections.abc import Sequence


def names_cut(names: Sequence[str], total: int) -> str:
    """The names shown, joined with 、, and 等 N 家 after them when ``total`` (how many
    firms in all) is more than were shown."""
    more = f" 等 {total:,} 家" if total > len(names) else ""
    return "、".join(names) + more
