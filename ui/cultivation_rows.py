"""培育库's rows as the table shows them: each entry with its 对标预审 (pending until the
overview arrives), the columns' widest texts and sort keys (made on the runner), and the count
of entries and firms."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from tiers.assess import CultivationStatus
from tiers.model import ladder, reference
from tiers.services.cultivation_rule import is_open
from ui.assessment_view import READINESS_COLOURS
from ui.column_fit import CharWidths, Widest
from ui.record_table_model import RecordColumn, fitted_and_keyed
from ui.roster_cells import PENDING_COLOUR, STATUS_COLOURS

TREND_COLOURS = {"进步": "#1e7b34", "退步": "#b00020", "持平": "#5f6368"}
LAPSING_COLOUR = STATUS_COLOURS[ladder.EXPIRING].name()  # as the roster's 即将到期
PENDING = "预审中…"


def _tr(text: str) -> str:
    return QCoreApplication.translate("CultivationView", text)


def short_tier(row: dict[str, Any]) -> str:
    """目标梯度 short, with （重复） after it for a firm's second open entry of one target."""
    try:
        text = reference.tier(row.get("target_tier")).short
    except KeyError:  # (a tier no longer in the ladder: its name as stored)
        text = row["target_tier_name"]
    return text + (_tr("（重复）") if row.get("twins") else "")


def tier_tooltip(row: dict[str, Any]) -> str:
    """目标梯度 whole, and for an entry with a twin what to do about it."""
    return "\n".join(filter(None, (row["target_tier_name"], row.get("twins"))))


def marked_twins(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open entries of one firm and one target (kept from a version that allowed them, or a
    county's brought in by a 数据包 as they are: now one open entry per firm and target)
    marked with the other years, so that an officer sees them and keeps one; nothing is
    deleted. A closed entry (已认定, 未通过, 退出) is the history of its year, no twin."""
    years: dict[tuple[Any, Any], list[int]] = {}
    for row in entries:
        if is_open(row.get("status")):
            years.setdefault((row.get("enterprise_id"), row.get("target_tier")), []).append(
                row.get("target_year"))
    out = []
    for row in entries:
        found = years.get((row.get("enterprise_id"), row.get("target_tier")), [])
        if (len(found) > 1 and row.get("enterprise_id") is not None
                and is_open(row.get("status"))):
            others = sorted(found)
            others.remove(row["target_year"])
            row = {**row, "twins": _tr(
                "同一企业同一目标梯度另有 {count} 条（目标年度 {years}）：请保留一条，"
                "修改其目标年度，移出其余").format(
                    count=len(others), years="、".join(str(year) for year in others))}
        out.append(row)
    return out


def with_assessment(row: dict[str, Any], status: CultivationStatus | None,
                    assessed: bool) -> dict[str, Any]:
    """An entry's row with its 对标预审 columns (before the overview arrives: pending)."""
    if status is None:
        text = ("未预审（该梯度无认定标准）" if assessed else PENDING)
        return {**row, "readiness": text, "readiness_code": None, "verdict": "",
                "trend": "", "changes": "", "change_summary": ""}
    current = status.current
    return {**row, "readiness": status.conclusion, "readiness_code": current.readiness,
            # 公示中, or its 复核 is (现称号…到期，复核公示中)
            "pending": bool(current.pending_tier or status.renewal_listed),
            "held": current.already_held and status.lapses_on is None,
            # 现称号…到期，须复核
            "lapses": status.lapses_on is not None and not status.renewal_listed,
            # the firm's own figures year, when not 上年度, under its verdict
            "verdict": "\n".join(filter(None, (current.verdict, current.year_note))),
            "trend": status.trend,
            "changes": "；".join(status.changes) or "无变化",
            "change_summary": status.summary or "无变化"}


def readiness_colour(row: dict[str, Any]) -> str | None:
    """当前预审's colour: 公示中 in the roster's purple, 已认定 plain whatever the figures
    say, a title that ends before the target year (须复核) as the roster's 即将到期."""
    if row.get("lapses"):
        return LAPSING_COLOUR
    if row.get("held"):
        return None
    if row.get("pending"):
        return PENDING_COLOUR.name()
    return READINESS_COLOURS.get(row["readiness_code"])


# the rows shown, their columns' widest texts and sort keys (all made on the runner)
Shown = tuple[list[dict[str, Any]], Widest, list]


def shown_rows(columns: list[RecordColumn], entries: list[dict[str, Any]],
               overview: dict[int, CultivationStatus], *, assessed: bool,
               widths: CharWidths | None) -> Shown:
    """The entries with their 对标预审 as the table shows them, each column's widest texts
    and sort keys (on the runner: 13,650 entries of a city took 40 ms to merge and 230 ms
    to fit on the GUI thread; a click on a header worked out their keys there too)."""
    rows = [with_assessment(row, overview.get(row["id"]), assessed)
            for row in marked_twins(entries)]
    return rows, *fitted_and_keyed(columns, rows, widths)


def entries_and_firms(entries: list[dict[str, Any]]) -> tuple[int, int]:
    """How many entries and how many firms: a firm may have more than one entry (two
    targets, or two entries of one target kept from an older version), and 家 counts firms."""
    return len(entries), len({row["enterprise_id"] for row in entries})
