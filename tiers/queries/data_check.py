"""What ``tiers check`` and the client's 数据核查 find: one list of findings, each of a kind
(KINDS: its heading, why such records are there, whether ``tiers check --fix`` corrects
them), with what is wrong (description) and how to put it right (fix). A kind is added by
adding its query here; both faces list every kind from this one list.

    for finding in findings(session):
        finding.kind, finding.name, finding.credit_code, finding.description, finding.fix
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from tiers.queries import invalid_codes, misdated_reviews

MISDATED_REVIEW = "misdated_review"
INVALID_CREDIT_CODE = "invalid_credit_code"


@dataclass(frozen=True)
class Kind:
    name: str
    title: str  # the heading both faces give the kind: 复核记录年度疑似记错 3 条
    why: str  # how such records came to be there
    fixable: bool  # tiers check --fix / 全部更正 corrects them


KINDS = {
    MISDATED_REVIEW: Kind(MISDATED_REVIEW, "复核记录年度疑似记错", misdated_reviews.WHY, True),
    INVALID_CREDIT_CODE: Kind(INVALID_CREDIT_CODE, "统一社会信用代码不合规",
                              invalid_codes.WHY, False),
}


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of KINDS
    enterprise_id: int
    name: str
    credit_code: str
    county_code: str | None
    county_name: str
    subject: str  # what of the firm: 小巨人 第二批（复核）, 统一社会信用代码
    description: str  # what is wrong: 记为 2020 年、有效期至 2023-12-31
    fix: str  # how to put it right: 应为 2023 年、有效期至 2026-12-31
    record: Any  # the kind's own item (MisdatedReview, InvalidCreditCode)

    @property
    def title(self) -> str:
        return KINDS[self.kind].title

    @property
    def fixable(self) -> bool:
        return KINDS[self.kind].fixable


def of_misdated(item: misdated_reviews.MisdatedReview) -> Finding:
    return Finding(MISDATED_REVIEW, item.enterprise_id, item.name, item.credit_code,
                   item.county_code, item.county_name, item.description,
                   f"记为 {item.recorded}", f"应为 {item.corrected}", item)


def of_invalid_code(item: invalid_codes.InvalidCreditCode) -> Finding:
    return Finding(INVALID_CREDIT_CODE, item.enterprise_id, item.name, item.credit_code,
                   item.county_code, item.county_name, "统一社会信用代码", item.reason,
                   invalid_codes.FIX, item)


def findings(session: Session, *, misdated: list[misdated_reviews.MisdatedReview] | None = None
             ) -> list[Finding]:
    """Every finding of every kind, kind by kind (in KINDS' order), each kind by firm name.
    ``misdated``: the misdated 复核 records already read (tiers check --fix's own)."""
    if misdated is None:
        misdated = misdated_reviews.misdated_reviews(session)
    return ([of_misdated(item) for item in misdated]
            + [of_invalid_code(item) for item in invalid_codes.invalid_credit_codes(session)])


def by_kind(found: list[Finding]) -> list[tuple[Kind, list[Finding]]]:
    """The findings under their kinds, in KINDS' order, kinds with none left out."""
    return [(kind, listed) for kind in KINDS.values()
            if (listed := [f for f in found if f.kind == kind.name])]
