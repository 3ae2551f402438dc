"""Which of the firms an officer selected his login may change, told before the work: an
editor limited to his county who selected other counties' firms too (Ctrl+A on a list of
the whole city) was asked to confirm 删除 of 120 firms, or filled in a 批量操作's inputs,
and learnt only afterwards (a refusal, or a preview's list) that 20 were not his. The
rights are the login's as read when it connected (``Database.rights``); the server still
refuses the others (the real guard)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tiers.model.orm import Enterprise
from tiers.model.vocabulary import NO_COUNTY_LABEL
from tiers.storage.write_rights import NO_COUNTY_WHO, WriteRights

CHUNK = 900  # ids per statement (SQLite's bound parameters)
NO_COUNTY = NO_COUNTY_LABEL  # 未填区县


@dataclass(frozen=True)
class SelectionRights:
    """``allowed``: the ids the login may change, in the order given; ``outside``: the
    others, counted by their county's name (a firm no longer found counts as allowed: the
    write says it is gone)."""

    total: int
    allowed: list[int] = field(default_factory=list)
    outside: dict[str, int] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return sum(self.outside.values())

    def counties_said(self) -> str:
        """溧阳市 15 家、金坛区 5 家 (the most first)."""
        return "、".join(f"{name} {count:,} 家" for name, count in
                        sorted(self.outside.items(), key=lambda item: (-item[1], item[0])))

    def skip_note(self) -> str:
        """所选 120 家中 20 家属于其他县区（溧阳市 20 家），将跳过 ("" when none is);
        firms without a county his login may not change are said as 未填区县."""
        if not self.skipped:
            return ""
        return (f"所选 {self.total:,} 家中 {self.skipped:,} 家{self.whose()}（{self.counties_said()}），"
                "将跳过")

    def whose(self) -> str:
        if set(self.outside) == {NO_COUNTY}:
            return f"{NO_COUNTY}、您的账号不能修改"
        return "属于其他县区" + (f"或{NO_COUNTY}" if NO_COUNTY in self.outside else "")

    def none_allowed(self, rights: WriteRights) -> str:
        """Why nothing of the selection may be changed ("" when something may): whose the
        firms are, and who may change them."""
        if self.allowed:
            return ""
        if not rights.may_write:  # nothing at all (a viewer, a file opened read-only)
            return rights.refusal()
        who = "如需修改，请该区县的同事或管理员修改"
        if NO_COUNTY in self.outside:
            who += f"；{NO_COUNTY_WHO}"
        return (f"所选 {self.total:,} 家企业都{self.whose().removesuffix('、您的账号不能修改')}"
                f"（{self.counties_said()}），您的账号只能修改{rights.mine}的企业（{who}）。")


def split_by_rights(session: Session, enterprise_ids: Sequence[int],
                    rights: WriteRights) -> SelectionRights:
    """The selection split into the firms ``rights`` allow and the others by county."""
    ids = list(enterprise_ids)
    if rights.counties is None and rights.may_write:
        return SelectionRights(len(ids), ids)
    county_of: dict[int, tuple[str | None, str | None, str]] = {}
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        rows = session.execute(select(
            Enterprise.id, Enterprise.county_code, Enterprise.county_name, Enterprise.credit_code)
            .where(Enterprise.id.in_(unique[start:start + CHUNK]))).all()
        for row in rows:
            county_of[row.id] = (row.county_code, row.county_name, row.credit_code)
    allowed: list[int] = []
    outside: Counter[str] = Counter()
    for enterprise_id in ids:
        if enterprise_id not in county_of:
            allowed.append(enterprise_id)
            continue
        code, name, credit_code = county_of[enterprise_id]
        if rights.allows(code, name, credit_code):
            allowed.append(enterprise_id)
        else:
            # a 开发区 written as the county is not another county: said as 未填区县
            outside[name if code else NO_COUNTY] += 1
    return SelectionRights(len(ids), allowed, dict(outside))
