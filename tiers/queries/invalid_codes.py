"""Firms whose stored 统一社会信用代码 the code check (tiers.model.credit_code.validate)
refuses: a database written before a check grew stricter holds them (credit29: a code of
authority 9 whose 2nd character is not 1/2/3, such as 95320412000000019H). Such a firm's
window refuses to save until the code is put right, an import row with the code is refused,
and a package holding one is refused WHOLE by the city that receives it; so ``tiers check``
and 数据核查 list them, and a package export refuses before writing while one is among the
firms it would send (tiers.exchange.writer). A code cannot be guessed: the fix is the
officer's, in the firm's 企业档案 (FIX)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model import credit_code
from tiers.model.orm import Enterprise

FIX = "在企业档案中改正信用代码"
# why such codes are there, in the words of both faces (tiers check, 数据核查)
WHY = ("多为校验收紧前存入的代码，如第1位为9而第2位不是1、2、3的；改正之前，该企业的档案无法保存，"
       "含该代码的导入行被拒绝，含该企业的数据包会被市里整包拒收")


@dataclass(frozen=True)
class InvalidCreditCode:
    enterprise_id: int
    name: str
    credit_code: str  # as stored
    county_code: str | None
    county_name: str
    reason: str  # what the check says is wrong, without the code repeated at its end


def invalid_credit_codes(session: Session, *, codes: Sequence[str] | None = None
                         ) -> list[InvalidCreditCode]:
    """Every firm not in the 回收站 whose stored code validate() refuses, by name; only
    those of ``codes`` when given (a package's firms' codes, as the export has read them:
    not read twice). The codes are checked a column at a time (credit_code.valid_codes, in
    C loops): only the odd ones one by one, and only the refused ones' firms are read."""
    if codes is None:
        codes = session.scalars(select(Enterprise.credit_code)
                                .where(Enterprise.deleted_at.is_(None))).all()
    texts = [code or "" for code in codes]
    refused: dict[str, str] = {}
    for code, checked in zip(texts, credit_code.valid_codes(texts), strict=True):
        if checked is not None:
            continue
        try:
            credit_code.validate(code)  # folded (lower case, spaces): taken, as a reader does
        except credit_code.CreditCodeError as error:
            refused[code] = _reason(str(error), code)
    if not refused:
        return []
    found = session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.credit_code, Enterprise.county_code,
               Enterprise.county_name)
        .where(Enterprise.credit_code.in_(sorted(refused)), Enterprise.deleted_at.is_(None))
        .order_by(Enterprise.name, Enterprise.id))
    return [InvalidCreditCode(row.id, row.name or "", row.credit_code or "", row.county_code,
                              row.county_name or "", refused[row.credit_code or ""])
            for row in found]


def _reason(message: str, code: str) -> str:
    """validate()'s message without the code it ends with (the list names the code)."""
    for shown in (credit_code.normalise(code), code):
        if shown and message.endswith("：" + shown):
            return message[:-len(shown) - 1]
    return message


def package_refusal(found: list[InvalidCreditCode], *, shown: int = 5) -> str:
    """Why a package export stops: the firms (the first few) and the fix."""
    named = "；".join(f"“{item.name}”（{item.credit_code}）：{item.reason}"
                     for item in found[:shown])
    more = f"……等 {len(found)} 家（tiers check 或“数据核查”列出全部）" if len(found) > shown else ""
    return (f"无法导出数据包：{len(found)} 家企业存的统一社会信用代码按现行校验不合规，含它们的"
            f"数据包会被市里整包拒收：{named}{more}。请先{FIX}（打开该企业，改正后保存），再导出。")
