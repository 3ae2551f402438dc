"""复核 records dated to the year of the batch they renew (第二批 小巨人 复核 recorded at 2020,
valid to 2023-12-31): what importing a 复核 list without a year did before the list was read
as its batch's 复核 round. A 复核 in the year of the recognition it renews is impossible
(ladder.misdated_review_year), so they can be found without the file, named with the year
and 有效期至 they should have (tiers check; tiers check --fix corrects them through
services.review_check, one undoable batch; re-importing the list corrects them as well)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session, aliased

from tiers.model import ladder, reference
from tiers.model.orm import Enterprise, Recognition
from tiers.text.values import show

# why such a record is taken for misdated, in the words of both faces (tiers check, 数据核查)
WHY = ("复核不会与所复核批次同年：多为早先导入未写年度的复核通过名单（如“第二批…复核通过名单”）时"
       "按批次本身的年度记录，该称号因此显示为已到期")


@dataclass(frozen=True)
class MisdatedReview:
    recognition_id: int
    enterprise_id: int
    name: str
    credit_code: str
    county_code: str | None
    county_name: str
    tier_code: str
    batch_label: str
    batch_year: int  # as recorded: the reviewed batch's own year
    valid_until: dt.date | None
    corrected_year: int  # its 复核 round
    corrected_until: dt.date | None  # the 有效期至 the correction gives (kept when typed)

    @property
    def description(self) -> str:
        """小巨人 第二批（复核）, as every list of recognitions writes a 复核 (ladder.batch_shown)."""
        tier = reference.tier(self.tier_code)
        return " ".join(p for p in (tier.short, ladder.batch_shown(self.batch_label or "",
                                                                     is_review=True)) if p)

    @property
    def recorded(self) -> str:
        """2020 年、有效期至 2023-12-31: as it stands."""
        return f"{self.batch_year} 年、有效期至 {show(self.valid_until, empty='（空）')}"

    @property
    def corrected(self) -> str:
        """2023 年、有效期至 2026-12-31: what the correction writes."""
        return f"{self.corrected_year} 年、有效期至 {show(self.corrected_until, empty='（空）')}"

    @property
    def correction(self) -> str:
        """记为 2020 年、有效期至 2023-12-31 → 应为 2023 年、有效期至 2026-12-31."""
        return f"记为 {self.recorded} → 应为 {self.corrected}"


def corrected_valid_until(tier_code: str, *, valid_until: dt.date | None, estimated: bool,
                          batch_year: int, corrected_year: int) -> dt.date | None:
    """The 有效期至 after the year is corrected: the one computed from the wrong year (or
    marked 推算) moves with it (2023-12-31 → 2026-12-31); a date the list or the officer gave
    otherwise is theirs and stays."""
    computed = ladder.default_valid_until(tier_code, recognized_on=None, batch_year=batch_year)
    if valid_until is None or estimated or valid_until == computed:
        return ladder.default_valid_until(tier_code, recognized_on=None,
                                          batch_year=corrected_year)
    return valid_until


def misdated_reviews(session: Session, *, recognition_ids: Collection[int] | None = None
                     ) -> list[MisdatedReview]:
    """Every such 复核 record of a firm not in the 回收站, by firm name; only those of
    ``recognition_ids`` when given (the one the firm window corrects)."""
    query = (
        select(Recognition.id, Recognition.enterprise_id, Enterprise.name,
               Enterprise.credit_code, Enterprise.county_code, Enterprise.county_name,
               Recognition.tier_code, Recognition.batch_label, Recognition.batch_year,
               Recognition.review_of_batch, Recognition.valid_until,
               Recognition.valid_until_estimated, Recognition.recognized_on,
               batch_title_held().label("title_held"))
        .join(Enterprise, Enterprise.id == Recognition.enterprise_id)
        .where(Recognition.is_review.is_(True), Recognition.batch_year.is_not(None),
               Enterprise.deleted_at.is_(None))
        .order_by(Enterprise.name, Recognition.id))
    if recognition_ids is not None:
        query = query.where(Recognition.id.in_(sorted(recognition_ids)))
    rows = session.execute(query).all()
    found = []
    for row in rows:
        corrected = ladder.misdated_review_year(
            row.tier_code, is_review=True, batch_label=row.batch_label,
            batch_year=row.batch_year, review_of_batch=row.review_of_batch,
            recognized_on=row.recognized_on, batch_title_held=bool(row.title_held))
        if corrected is None:
            continue
        found.append(MisdatedReview(
            row.id, row.enterprise_id, row.name, row.credit_code, row.county_code,
            row.county_name or "", row.tier_code, row.batch_label or "", row.batch_year,
            row.valid_until, corrected,
            corrected_valid_until(row.tier_code, valid_until=row.valid_until,
                                  estimated=bool(row.valid_until_estimated),
                                  batch_year=row.batch_year, corrected_year=corrected)))
    return found


def batch_title_held() -> ColumnElement[bool]:
    """Whether the firm of the Recognition row in hand holds a title (not a 复核) of its
    tier, batch and year (ladder.holds_batch_title in SQL): then a 复核 of that batch and
    year, 复核批次 blank, is recorded at the reviewed batch's own year."""
    title = aliased(Recognition)
    return exists().where(
        title.enterprise_id == Recognition.enterprise_id, title.is_review.is_(False),
        title.tier_code == Recognition.tier_code,
        func.coalesce(title.batch_label, "") == func.coalesce(Recognition.batch_label, ""),
        title.batch_year == Recognition.batch_year)


def holds_batch_title(session: Session, record: Recognition) -> bool:
    """batch_title_held for one record (services.recognitions.correct_misdated_review)."""
    return bool(session.scalar(select(batch_title_held()).where(
        Recognition.id == record.id)))
