"""培育库's rows as the table shows them: each entry with its 对标预审 (pending until the
overview arrives), the columns' widest texts and sort keys (made on the runner), and the count
of entries and firms."""

from __future__ import annotations

from typing import Any

from tiers.assess import CultivationStatus
from tiers.model import reference
from ui.column_fit import CharWidths, Widest
from ui.record_table_model import RecordColumn, fitted_and_keyed

TREND_COLOURS = {"进步": "#1e7b34", "退步": "#b00020", "持平": "#5f6368"}
PENDING = "预审中…"


def short_tier(row: dict[str, Any]) -> str:
    try:
        return reference.tier(row.get("target_tier")).short
    except KeyError:  # (a tier no longer in the ladder: its name as stored)
        return row["target_tier_name"]


def with_assessment(row: dict[str, Any], status: CultivationStatus | None,
                    assessed: bool) -> dict[str, Any]:
    """An entry's row with its 对标预审 columns (before the overview arrives: pending)."""
    if status is None:
        text = ("未预审（该梯度无认定标准）" if assessed else PENDING)
        return {**row, "readiness": text, "readiness_code": None, "verdict": "",
                "trend": "", "changes": "", "change_summary": ""}
    current = status.current
    return {**row, "readiness": status.conclusion, "readiness_code": current.readiness,
            "pending": bool(current.pending_tier), "held": current.already_held,
            # the firm's own figures year, when not 上年度, under its verdict
            "verdict": "\n".join(filter(None, (current.verdict, current.year_note))),
            "trend": status.trend,
            "changes": "；".join(status.changes) or "无变化",
            "change_summary": status.summary or "无变化"}


# the rows shown, their columns' widest texts and sort keys (all made on the runner)
Shown = tuple[list[dict[str, Any]], Widest, list]


def shown_rows(columns: list[RecordColumn], entries: list[dict[str, Any]],
               overview: dict[int, CultivationStatus], *, assessed: bool,
               widths: CharWidths | None) -> Shown:
    """The entries with their 对标预审 as the table shows them, each column's widest texts
    and sort keys (on the runner: 13,650 entries of a city took 40 ms to merge and 230 ms
    to fit on the GUI thread; a click on a header worked out their keys there too)."""
    rows = [with_assessment(row, overview.get(row["id"]), assessed) for row in entries]
    return rows, *fitted_and_keyed(columns, rows, widths)


def entries_and_firms(entries: list[dict[str, Any]]) -> tuple[int, int]:
    """How many entries and how many firms: a firm may have more than one entry (two
    targets, or two entries of one target kept from an older version), and 家 counts firms."""
    return len(entries), len({row["enterprise_id"] for row in entries})
