"""``tiers check --fix`` as one core call: every 复核 record dated to the year of the batch it
renews (queries.misdated_reviews) corrected to its 复核 round in the caller's one
transaction, under one import batch of kind ``bulk`` so that 导入记录 lists it and its 撤销
puts the records back, as it does a bulk action's. The login's write rights decide which
records it may correct: the others are skipped, each with why; a record the core refuses
(changed meanwhile) is left as it was, named with why, and the rest still corrected.

    result = correct_misdated_reviews(session, user="张三")
    result.fixed, result.skipped, result.refused, result.batch_id
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tiers.errors import Conflict, InvalidInput, NotFound, Refused
from tiers.model.orm import ImportBatch, utcnow
from tiers.progress import Job, Progress, drain
from tiers.queries.misdated_reviews import MisdatedReview, misdated_reviews
from tiers.services import audit, recognitions
from tiers.services.bulk import BATCH_KIND, hold_firms
from tiers.storage.locking import write_lock
from tiers.storage.write_rights import write_rights

LABEL = "更正复核年度"
PROGRESS_EVERY = 20  # records between progress steps (and the chances to cancel)
BATCH_NAME = f"数据核查：{LABEL}"
NOT_HELD = "核查开始后才出现（可能有同事刚导入了该区县的数据），这次未更正：请再核查一次"

__all__ = ["BATCH_NAME", "NOT_HELD", "MisdatedCorrection", "correct_misdated_reviews",
           "correct_misdated_reviews_steps"]


@dataclass
class MisdatedCorrection:
    """What ``correct_misdated_reviews`` found and did. ``skipped``/``refused``: the record
    and why it was left as it was (not the login's county / refused by the core)."""

    found: list[MisdatedReview] = field(default_factory=list)
    fixed: list[MisdatedReview] = field(default_factory=list)
    skipped: list[tuple[MisdatedReview, str]] = field(default_factory=list)
    refused: list[tuple[MisdatedReview, str]] = field(default_factory=list)
    batch_id: int | None = None  # None: nothing was written

    def left(self) -> list[tuple[str, list[tuple[MisdatedReview, str]]]]:
        """The records left as they were, under the heading both faces give them."""
        return [(title, left) for title, left in (
            ("您的账号不能修改（别的区县或未填区县的企业），未修改", self.skipped),
            ("未能更正", self.refused)) if left]

    def why(self, item: MisdatedReview) -> str:
        """Why this record was left as it was; "" when it was corrected."""
        for found, reason in (*self.skipped, *self.refused):
            if found.recognition_id == item.recognition_id:
                return reason
        return ""


def correct_misdated_reviews(session: Session, *, user: str | None = None,
                             recognition_ids: Collection[int] | None = None
                             ) -> MisdatedCorrection:
    """Correct every misdated 复核 record the login may write, in the caller's transaction
    (see the module); only those of ``recognition_ids`` when given (the firm window's
    更正复核年度 of one record: a record that is no longer misdated is not found). A viewer
    is refused whole (Refused), before anything is read."""
    return drain(correct_misdated_reviews_steps(session, user=user,
                                                recognition_ids=recognition_ids))


def correct_misdated_reviews_steps(session: Session, *, user: str | None = None,
                                   recognition_ids: Collection[int] | None = None
                                   ) -> Job[MisdatedCorrection]:
    """``correct_misdated_reviews`` as a job: on a server it waits (yielding) while another
    officer's import into one of the firms' counties holds its lock."""
    rights = write_rights(session)
    if rights.refusal():
        raise Refused(rights.refusal())
    write_lock(session)
    # the firms' counties' import locks and rows, as a bulk action takes them, then read
    # again: what was committed meanwhile counts. Only what the locks cover is written: a
    # record that became misdated in between (an import of another county) is named and
    # left for the next check, not written without its county's lock (review27)
    held = {f.enterprise_id for f in misdated_reviews(session, recognition_ids=recognition_ids)}
    yield from hold_firms(session, sorted(held))
    result = MisdatedCorrection(found=misdated_reviews(session, recognition_ids=recognition_ids))
    who = audit.current_user(session) if user is None else user
    batch: ImportBatch | None = None
    for done, item in enumerate(result.found):
        if done % PROGRESS_EVERY == 0:  # (cancelled here: the caller's transaction undone)
            yield Progress(f"正在{LABEL}", done, len(result.found))
        if item.enterprise_id not in held:
            result.refused.append((item, NOT_HELD))
            continue
        if not rights.allows(item.county_code, item.county_name, item.credit_code):
            result.skipped.append((item, rights.refusal_for(item.county_code, item.county_name,
                                                            item.credit_code)))
            continue
        if batch is None:
            batch = ImportBatch(file_name=BATCH_NAME, sha256="", sheet="", kind=BATCH_KIND,
                                user=who, created_at=utcnow(),
                                mapping=json.dumps({"action": "correct_misdated_reviews"},
                                                   ensure_ascii=False))
            session.add(batch)
            session.flush()
        savepoint = session.begin_nested()
        try:
            recognitions.correct_misdated_review(session, item.recognition_id, user=who,
                                                 import_batch_id=batch.id)
            savepoint.commit()
        except (InvalidInput, NotFound, Conflict, Refused) as error:
            savepoint.rollback()
            result.refused.append((item, str(error)))
            continue
        result.fixed.append(item)
    if batch is not None:
        if not result.fixed:  # every one refused: no empty batch in 导入记录
            session.delete(batch)
            session.flush()
        else:
            batch.counts = json.dumps({"enterprises": len({f.enterprise_id
                                                           for f in result.fixed}),
                                       "skipped": len(result.skipped) + len(result.refused)})
            session.flush()
            result.batch_id = batch.id
    yield Progress(f"正在{LABEL}", len(result.found), len(result.found))
    return result
