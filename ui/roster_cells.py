"""The 企业库's columns and how their cells show: titles from the field catalogue, sort
keys, alignment, amounts with two places and thousands grouped (a zero total as —), the
colours of expiring and expired titles and of 公示中, and 当前梯度 with what a 公示 list
named the firm for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor

from tiers.model import ladder, reference
from tiers.model.vocabulary import tier_words
from tiers.text import fields
from tiers.text.values import show


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    sort_key: str | None
    align: Qt.AlignmentFlag = Qt.AlignLeft | Qt.AlignVCenter
    # said after the whole title in the header's tooltip, where the title alone says less
    # (marked with QT_TRANSLATE_NOOP here, translated when shown: header_tip)
    note: str = ""

    def header_tip(self) -> str:
        """The header's tooltip: 已兑现扶持（万元）：只计…, or "" (the title is enough)."""
        if not self.note:
            return ""
        return (fields.label("roster", self.key) + "："
                + QCoreApplication.translate("RosterCells", self.note))


# Titles from the field catalogue (the credit code under its short title: a narrow column)
COLUMNS = (
    Column("name", fields.label("roster", "name"), "name"),
    Column("credit_code", fields.short("roster", "credit_code"), "credit_code"),
    Column("county", fields.label("roster", "county"), "county"),
    Column("town", fields.label("roster", "town"), "town"),
    Column("tier", fields.label("roster", "tier"), "tier"),
    Column("year", fields.label("roster", "year"), "year", Qt.AlignCenter),
    Column("valid_until", fields.label("roster", "valid_until"), "valid_until", Qt.AlignCenter),
    Column("chains", fields.label("roster", "chains"), None),
    # under its narrow title (已兑现扶持（万元）): the whole one was cut to 扶持金额合… at 1366
    Column("support_total", fields.narrow("roster", "support_total"), "support_total",
           Qt.AlignRight | Qt.AlignVCenter,
           note=QT_TRANSLATE_NOOP("RosterCells", "只计状态为“已兑现”的资金奖补（奖励、补助、贴息等），"
                                  "申报、审核中的不计；融资、税收优惠、服务等不是兑现的资金，不计")),
    # the 回收站's own (hidden on the roster): when and by whom each firm went there
    Column("binned_at", fields.short("roster", "binned_at"), "binned_at", Qt.AlignCenter),
    Column("binned_by", fields.short("roster", "binned_by"), None),
)
BIN_COLUMNS = frozenset({"binned_at", "binned_by"})
# the roster's, hidden in the 回收站 to make room for its own at 1366 (what a firm there
# is read for is who moved it and when, not its chains and its support)
ROSTER_ONLY = frozenset({"chains", "support_total"})
# Amounts in the desktop's tables: two places, thousands grouped, a zero total as —.
TABLE_PLACES = fields.field("roster", "support_total").places

STATUS_COLOURS = {ladder.EXPIRING: QColor("#b35c00"), ladder.EXPIRED: QColor("#b00020")}
# a firm holding nothing now whose title is 待复核 / 复核结果待公布: amber, as its 认定历史
REVIEW_COLOUR = QColor("#b35c00")


PENDING_COLOUR = QColor("#6a3d9a")  # as the enterprise window's recognitions 公示中


def tier_text(row: dict[str, Any], *, short: bool = False) -> str:
    """当前梯度, and what a 公示 list named the firm for (not held yet, so not its tier):
    创新型中小企业（公示中：省专精特新）, or （公示中：小巨人） alone; a title run out in its 复核
    round after it: （待复核：小巨人）; under a status filter the titles it found, dated:
    （即将到期：创新型 2026-12-16）, or its own title's date alone when that is what it
    found: 省专精特新（即将到期 2026-12-27）. ``short`` for the cell: the
    held tier by its short name when a 公示 follows (省专精特新（公示中：小巨人）), which the
    column's width holds; the full name cut the 公示中 off."""
    held = display(row.get("tier"))
    if (row.get("pending") or row.get("review") or row.get("matched")) and short \
            and row.get("tier_code"):
        held = reference.tier(row["tier_code"]).short or held
    return tier_words(held, pending=row.get("pending"), review=row.get("review"),
                      matched=row.get("matched_beside"))


# the roster's 扶持金额合计 of a firm without a paid measure: a sum of nothing, not a 0 entered
NOTHING_PAID = "—"


def display(value: Any, *, zero: str | None = None) -> str:
    """One cell of a desktop table (this one and record_table_model's): a 0 entered is 0
    (0.00 of an amount), not filled is empty; ``zero``: what a sum of nothing shows."""
    return show(value, places=TABLE_PLACES, grouped=True, zero=zero)
