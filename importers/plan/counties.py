"""Which county a row's firm is in: the 县区 cell (with the 设区市 cell beside it as a
tie-breaker), else, for a new firm, the registering division in its credit code.

A new firm without a county in the file takes the county of its code's registering
division when that is a Jiangsu county (91320412… → 武进区; an old code, today's county:
320684 海门市 → 海门区), with one note for the file; a code of no county (a 开发区/园区's
registry such as 苏州工业园区's 320594, a 设区市's own 320400, another province's) gives
none, and the file says so and asks for the county (no zone is mapped to a county):
on the blank cell when the file has a county column, else once per reason listing the
rows (a 园区's roster has it on every firm). A
设区市 written in a county column (常州市) never replaces a county; the 设区市 column beside
it only tells same-named counties apart.
"""

from __future__ import annotations

from functools import lru_cache

from importers.errors import Problem
from importers.plan.types import CREATE, PlanRow, SheetColumns, rows_listed
from tiers.model import reference
from tiers.model.reference import county_of_credit_code as county_from_code


@lru_cache(maxsize=4096)
def _county(text: str) -> tuple[str | None, str]:
    return reference.resolve_county(text)


@lru_cache(maxsize=1)
def _cities() -> dict[str, reference.Division]:
    """设区市 and the province by name, with and without 市/省: 常州市, 常州."""
    out: dict[str, reference.Division] = {}
    for item in reference.divisions():
        if item.level in ("设区市", "省") and item.current:
            out[item.name] = item
            out[item.name[:-1]] = item
    return out


@lru_cache(maxsize=4096)
def county_of(text: str | None, city: str | None = None) -> tuple[str | None, str | None]:
    """The county a 县区/地区 cell names, with the 设区市 cell beside it as a tie-breaker:
    (code, name) for a known county; (None, text) for a unit without a code (开发区);
    (None, None) when the cell names no county at all: a 设区市 (常州市) or the province, which
    must never replace a county. 鼓楼区 beside 南京市 → 320106."""
    raw = "".join((text or "").split())
    city_raw = "".join((city or "").split())
    if not raw:
        return None, None
    code, name = _county(raw)
    if code is None and city_raw and city_raw not in raw:
        code, name = _county(city_raw + raw)
        if code is None and city_raw in _cities():
            code, name = _county(_cities()[city_raw].name + raw)
    if code is not None:
        return code, name
    if raw in _cities():
        return None, None
    return None, raw


_PROVINCES = {"11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁",
              "22": "吉林", "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽",
              "35": "福建", "36": "江西", "37": "山东", "41": "河南", "42": "湖北", "43": "湖南",
              "44": "广东", "45": "广西", "46": "海南", "50": "重庆", "51": "四川", "52": "贵州",
              "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏",
              "65": "新疆", "10": "国家市场监管总局"}


def province_of(code: str) -> str:
    return _PROVINCES.get(code[2:4], "外省")


class InferredCounties:
    """The counties new firms take from their credit codes, noted once per county for the
    file (listing the rows), not as a warning on every row: a roster without a county
    column has it on all of them, burying the real problems. A county not taken is said
    on its blank 县区 cell when the file has that column (the officer fills it there), else
    likewise once per reason for the file: a 苏州工业园区 roster without the column has
    320594 on every firm."""

    def __init__(self, where: SheetColumns) -> None:
        self.sheet = where.sheet
        self.where = where
        self.rows_of: dict[tuple[str, str], list[PlanRow]] = {}
        self.retired_of: dict[tuple[str, str], set[str]] = {}
        self.asked_of: dict[tuple[str, str], list[PlanRow]] = {}  # (code[2:8], why)

    def infer(self, planned: PlanRow, code: str, city_text: str | None) -> None:
        """A new firm with no county in the file: the registering authority's county from
        its credit code, unless the file's 设区市 column says another city. When none is
        taken the row says why and asks for the county: it was left blank silently."""
        if planned.create_values is None:
            return
        inferred = county_from_code(code)
        if inferred is None:
            self._ask(planned, code, reference.no_county_in_credit_code(code))
            return
        county = reference.division(inferred[0])
        city = _cities().get("".join((city_text or "").split()))
        if city is not None and county is not None and city.level == "设区市" and (
                county.parent_code != city.code):
            written = reference.division(county.parent_code)
            self._ask(planned, code, f"信用代码中的登记机关代码 {code[2:8]} 为{inferred[1]}"
                      f"（{written.name if written else ''}），与表中设区市“{city.name}”不符，"
                      "未能推断区县")
            return
        planned.create_values["county_code"], planned.create_values["county_name"] = inferred
        self.rows_of.setdefault(inferred, []).append(planned)
        if code[2:8] != inferred[0]:  # an abolished county's code (320405 戚墅堰区)
            self.retired_of.setdefault(inferred, set()).add(code[2:8])

    def _ask(self, planned: PlanRow, code: str, why: str) -> None:
        """Why no county was taken, and to write it: on the row's blank 县区 cell when the
        file has that column, else kept for one note of the file per reason (notes)."""
        if "county" in self.where.columns_of:
            planned.problems.append(self.where.problem(
                planned.row, "county", code[2:8], f"{why}，请在“县（市、区）”列填写", "warning"))
        else:
            self.asked_of.setdefault((code[2:8], why), []).append(planned)

    def notes(self) -> list[Problem]:
        """The counties not taken from credit codes, one note per reason, then the counties
        taken, one note each; the rows of new firms only (a firm's later row is its
        first's)."""
        notes = []
        for (region, why), planned in self.asked_of.items():
            rows = [p.row for p in planned if p.action == CREATE and p.create_values is not None]
            if rows:
                notes.append(Problem(
                    self.sheet, None, "", region,
                    f"{len(rows)} 家新企业表中未写县（市、区），{why}（{rows_listed(rows, 8)}），"
                    "请在表中加“县（市、区）”列填写", "warning"))
        for (code, name), planned in self.rows_of.items():
            rows = [p.row for p in planned if p.action == CREATE and p.create_values
                    and p.create_values.get("county_code") == code]
            if not rows:
                continue
            notes.append(Problem(
                self.sheet, None, "", name,
                f"{len(rows)} 家新企业表中未写县（市、区），按信用代码第3–8位推断为{name}（{code}）"
                f"{_retired_text(self.retired_of.get((code, name), set()))}"
                f"（{rows_listed(rows, 8)}），请核对", "warning"))
        return notes


def _retired_text(codes: set[str]) -> str:
    """Which abolished counties' codes the inference came through: （代码中的 320405 戚墅堰区
    已撤销，今属该区县）; empty when every code was current."""
    if not codes:
        return ""
    named = "、".join(f"{code} {division.name}" if (division := reference.division(code))
                     else code for code in sorted(codes))
    return f"（代码中的 {named} 已撤销，今属该区县）"
