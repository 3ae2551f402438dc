"""Which firm in the database a row is: by credit code, then by name or a former name;
the firm the user linked a row to, when the row can be that firm; and near misses to
suggest for rows left unmatched (never applied by themselves)."""

from __future__ import annotations

import difflib
from typing import Any

from importers.errors import Problem
from importers.plan.known import Known, core, without_form
from importers.plan.types import (
    CREATE,
    LINKED,
    SHORT_NAME_TAKEN,
    UNCHANGED,
    UNMATCHED,
    Link,
    PlanRow,
    RecordChange,
    SheetColumns,
)
from tiers.model.names import key_of_display, name_key
from tiers.services.unit import firm_area, places_differ
from tiers.text.changes import REMEMBERED  # (a name kept for matching only)


class Matcher:
    def __init__(self, known: Known, where: SheetColumns, kind: str) -> None:
        self.known = known
        self.sheet = where.sheet
        self.problem = where.problem
        self.kind = kind

    def match(self, planned: PlanRow, code: str | None, name: str | None, row: int,
              key: str | None = None) -> str | None:
        """Match the row to a firm (planned.enterprise_id, matched_by) or say why not.
        ``key``: the name's key when the column parsing made it. Returns the name's key
        when the match computed it (a new firm stores it), else None."""
        known = self.known
        if code is not None and self._match_code(planned, code, name, row):
            return None
        if name is None:
            return None
        key = key_of_display(name) if key is None else key
        by_name = known.by_name.get(key, [])
        formerly = known.by_former.get(key)
        by_former = [i for i in formerly if i not in by_name] if formerly else []
        candidates = by_name or by_former
        if not candidates:
            return key
        if len(candidates) > 1:
            listed = "、".join(f"{known.by_id[i]['name']}（{known.by_id[i]['credit_code']}）"
                              for i in candidates[:5])
            planned.error(self.problem(row, "name", name,
                                       f"库中有多家企业与此名称相同：{listed}，请补充信用代码",
                                       hint_field="code_or_link"))
            planned.suggestions = [self._suggestion(i) for i in candidates[:5]]
            return key
        found = candidates[0]
        if code is not None:  # same name, another code: two records would claim one firm
            planned.error(self.problem(
                row, "credit_code", code,
                f"库中同名企业“{known.by_id[found]['name']}”的信用代码是 {known.by_id[found]['credit_code']}，"
                f"与本行 {code} 不同，请核对"))
            return key
        planned.enterprise_id = found
        planned.matched_by = "企业名称" if by_name else \
            REMEMBERED if (found, key) in known.remembered else "曾用名"
        if not by_name:
            planned.problems.append(self.problem(
                row, "name", name, f"按{planned.matched_by}匹配到“{known.by_id[found]['name']}”",
                "warning"))
        return key

    def _match_code(self, planned: PlanRow, code: str, name: str | None, row: int) -> bool:
        """Whether the code settles the row: the firm of that code (a name that differs is
        a warning), or an error when that firm is in the recycle bin."""
        known = self.known
        found = known.by_code.get(code)
        if found is None:
            return False
        stored = known.by_id[found]
        if stored["deleted_at"] is not None:
            planned.binned = found
            planned.error(self.problem(row, "credit_code", code,
                                       f"该企业（{stored['name']}）在回收站中，请先恢复再导入"))
            return True
        planned.enterprise_id, planned.matched_by = found, "信用代码"
        if name is not None and name != stored["name"]:
            key = key_of_display(name)
            if key != stored["name_key"] and key not in known.keys_of.get(found, ()):
                renamed = "（将按名录更名，原名称记为曾用名）" if self.kind == "roster" else ""
                planned.problems.append(self.problem(
                    row, "name", name,
                    f"名称与库中不一致：文件为“{name}”，库中为“{stored['name']}”{renamed}，"
                    "请核对信用代码", "warning"))
        return True

    def link(self, planned: PlanRow, link: Link, code: str | None, name: str | None,
              row: int) -> None:
        """The firm the user chose for this row, when it can be that firm: not when the
        row reads otherwise than when it was linked, nor when it matches another firm by
        itself (a mistyped row number must not move a recognition to another firm)."""
        if link.name and (name or "") != link.name:
            planned.error(Problem(
                self.sheet, row, "", name,
                f"本行的企业名称现在是“{name or '（空）'}”，指定关联时是“{link.name}”"
                "（列的对应改了？）：请重新指定关联"))
            return
        data = self.known.by_id.get(link.enterprise_id)
        if data is None:
            planned.error(Problem(self.sheet, row, "", name or code,
                                  f"指定关联的企业（编号 {link.enterprise_id}）已不在库中，请重新选择"))
            return
        if data["deleted_at"] is not None:
            planned.error(Problem(self.sheet, row, "", name or code,
                                  f"指定关联的企业“{data['name']}”在回收站中，请先恢复再导入"))
            return
        if code is not None and code != data["credit_code"]:
            planned.error(self.problem(
                row, "credit_code", code,
                f"本行的信用代码 {code} 与指定关联的企业“{data['name']}”（{data['credit_code']}）"
                "不同，不能关联：请核对"))
            return
        natural = PlanRow(row=row, action=UNCHANGED)
        self.match(natural, code, name, row)
        if natural.enterprise_id is not None and natural.enterprise_id != link.enterprise_id:
            other = self.known.by_id[natural.enterprise_id]
            planned.error(Problem(
                self.sheet, row, "", name or code,
                f"本行已按{natural.matched_by}匹配到库中的“{other['name']}”（{other['credit_code']}），"
                f"不能再指定关联到“{data['name']}”（{data['credit_code']}）：请核对行号"))
            return
        planned.enterprise_id = link.enterprise_id
        planned.matched_by = SHORT_NAME_TAKEN if link.short_name else LINKED
        if link.remember_name and name is not None:
            key = key_of_display(name)
            if key != data["name_key"] and key not in self.known.keys_of.get(
                    link.enterprise_id, ()):
                planned.records.append(RecordChange(
                    "former_name", CREATE, f"{REMEMBERED} {name}（用于匹配，不是曾用名）",
                    values={"name": name, "is_alias": True}))

    def short_name(self, planned: PlanRow, key: str) -> bool:
        """An unmatched row without a code whose name is a live firm's without its
        company-form words (常州金嘉减速机 for 常州金嘉减速机有限公司): when exactly one firm
        fits and the row's county, if it writes one, is not another than that firm's
        (_elsewhere), the row is offered as that firm (planned.short_match), for the
        officer to take (采用简称匹配) or leave. Two firms that fit, or another county, leave
        it to the usual suggestions. Returns whether the row was offered."""
        if without_form(key) != key:  # the row names a company form: not a short name
            return False
        found = self.known.without_form(key)
        if len(found) != 1:
            return False
        enterprise_id = next(iter(found))
        data = self.known.by_id[enterprise_id]
        if self._elsewhere(planned, enterprise_id):
            return False
        planned.short_match = enterprise_id
        planned.suggestions = [self._suggestion(enterprise_id)]
        planned.problems.append(Problem(
            self.sheet, planned.row, "", planned.name,
            f"按简称匹配：库中只有“{data['name']}”（{data['credit_code']}）去掉“有限公司”等字后"
            "与本行同名，未自动关联，请核对", "warning", "short_name"))
        return True

    def _elsewhere(self, planned: PlanRow, enterprise_id: int) -> bool:
        """Whether the firm is certainly of another place than the county the row writes
        (tester27b: 溧阳市动力智能, 所在地区 溧阳市, was offered 金坛's 常州市金坛动力新能有限公司):
        its county, else its zone's place, else its credit code's (firm_area)."""
        if planned.written_county is None:
            return False
        data = self.known.by_id[enterprise_id]
        return places_differ(firm_area(*planned.written_county),
                             firm_area(data["county_code"], data["county_name"],
                                       data["credit_code"]))

    def _suggestion(self, enterprise_id: int) -> dict[str, Any]:
        data = self.known.by_id[enterprise_id]
        return {"enterprise_id": enterprise_id, "name": data["name"],
                "credit_code": data["credit_code"], "county_name": data["county_name"]}

    def suggest(self, rows: list[PlanRow]) -> None:
        # a row with a valid code is the firm of that code, which is not in the database:
        # a firm of a similar name is another one
        unmatched = [r for r in rows if r.action == UNMATCHED and r.name and not r.credit_code
                     and r.short_match is None]
        if not unmatched:
            return
        cores = self.known.cores()
        names = list(cores)
        use_fuzzy = len(names) <= 50_000
        for count, planned in enumerate(unmatched):
            row_core = core(name_key(planned.name))
            ids = list(cores.get(row_core, []))
            if use_fuzzy and count < 300 and len(ids) < 3:
                for close in difflib.get_close_matches(row_core, names, n=3, cutoff=0.7):
                    ids.extend(i for i in cores[close] if i not in ids)
            ids = [i for i in ids if not self._elsewhere(planned, i)]  # of the row's county
            planned.suggestions = [self._suggestion(i) for i in ids[:3]]
            if planned.suggestions:
                listed = "、".join(f"{s['name']}（{s['credit_code']}）" for s in planned.suggestions)
                planned.problems.append(Problem(self.sheet, planned.row, "", planned.name,
                                                f"可能是：{listed}（未自动关联，请核对）", "warning", "link"))
