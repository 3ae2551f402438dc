"""Finding the header (title rows above it, two-row headers), the column mapping, the kind
of list, and a recognition list's tier, level, batch and year from its title or sheet name."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from importers import columns
from importers.errors import ImportRefused, Problem, column_letter
from importers.read.sources import Sheet, Source
from importers.values import is_blank, text, unit_of_header
from tiers.model import reference
from tiers.services import figures as figures_service

HEADER_SCAN_ROWS = 25
_CHINESE_DIGITS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Metadata:
    """What a recognition list says about itself (title row, sheet name, file name), or
    what the user gave. ``None`` means not known."""

    tier: str | None = None  # tier code
    level: str | None = None
    batch_label: str | None = None
    batch_year: int | None = None
    is_review: bool | None = None
    review_of_batch: str | None = None
    title: str = ""
    year_given: bool = False  # the user gave the year: it limits year columns

    @property
    def year(self) -> int | None:
        """The year of the list: the one given or read, else the one its numbered batch
        implies (第五批 小巨人 → 2023)."""
        if self.batch_year is not None or self.tier is None:
            return self.batch_year
        return reference.batch_year(self.tier, self.batch_label)


@dataclass(frozen=True)
class Detection:
    """Everything guessed about one sheet; the wizard shows it and lets the user correct it
    with ``with_options`` before the plan is built."""

    source: Source
    sheet: str
    header_rows: tuple[int, ...]  # 0-based row indexes of the header (1 or 2 rows)
    data_start: int  # 0-based index of the first row after the header
    headers: list[str]  # one label per column (two-row headers joined "上/下")
    mapping: dict[int, str]  # column index → field key ("" = known but not stored)
    header_years: dict[int, int]  # "2023年营业收入" → {col: 2023}
    units: dict[int, Decimal]  # money columns: what one plain number is worth in 万元
    kind: str
    metadata: Metadata
    remembered: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.source.file_name

    def header_row_numbers(self) -> list[int]:
        """As Excel shows them (1-based)."""
        return [r + 1 for r in self.header_rows]

    def column_table(self) -> list[dict[str, Any]]:
        """For the preview: one entry per column with its letter, header and mapped field."""
        return [
            {"column": column_letter(i), "index": i, "header": header,
             "field": self.mapping.get(i), "label": columns.field_label(self.mapping[i])
             if self.mapping.get(i) else ""}
            for i, header in enumerate(self.headers)
        ]

    def with_options(self, *, kind: str | None = None, mapping: dict[int, str | None] | None = None,
                     tier: str | None = None, level: str | None = None,
                     batch_label: str | None = None, batch_year: int | None = None,
                     is_review: bool | None = None) -> Detection:
        """A copy with the user's corrections. Raises ImportRefused for values it cannot use."""
        changes: dict[str, Any] = {}
        if kind is not None:
            if kind not in columns.KINDS:
                raise ImportRefused(f"未知的导入类别：{kind}（可选 {'、'.join(columns.KINDS)}）")
            changes["kind"] = kind
            if mapping is None and not self.remembered:
                changes["mapping"] = columns.fit_to_kind(self.mapping, kind)
        if mapping is not None:
            known = columns.fields()
            new_mapping = {}
            for index, key in mapping.items():
                if key and key not in known:
                    raise ImportRefused(f"未知的字段：{key}")
                if key is not None:
                    new_mapping[index] = key
            changes["mapping"] = new_mapping
            changes["units"] = {i: unit_of_header(self.headers[i]) if i < len(self.headers)
                                else Decimal(1) for i in new_mapping}
        meta: dict[str, Any] = {}
        if tier is not None:
            code = reference.resolve_tier(tier) or reference.tier_in_title(tier)
            if code is None:
                names = "、".join(t.short for t in reference.tiers())
                raise ImportRefused(f"未知的梯度层级：{tier}（可选 {names}）")
            meta["tier"] = code
        if level is not None:
            if level not in reference.LEVELS:
                raise ImportRefused(f"认定级别应为{'、'.join(reference.LEVELS)}之一：{level}")
            meta["level"] = level
        if batch_label is not None:
            meta["batch_label"] = batch_label.strip()
        if batch_year is not None:
            meta["batch_year"] = batch_year
            meta["year_given"] = True
            if batch_label is None and not self.metadata.batch_label:
                meta["batch_label"] = f"{batch_year}年度"
        if is_review is not None:
            meta["is_review"] = is_review
        problems = list(self.problems)
        if "tier" in meta:
            given = reference.tier(meta["tier"])
            if self.metadata.tier and self.metadata.tier != meta["tier"]:
                named = reference.tier(self.metadata.tier).name
                problems.append(Problem(self.sheet, None, "", tier,
                                        f"标题写的是“{named}”，按指定的“{given.name}”导入，请确认",
                                        "warning"))
            if level is None and self.metadata.level not in given.levels:
                meta["level"] = given.level  # the title's level belonged to its own tier
        final_tier = meta.get("tier", self.metadata.tier)
        final_level = meta.get("level", self.metadata.level)
        if final_tier and final_level:
            allowed = reference.tier(final_tier).levels
            if allowed and final_level not in allowed:
                raise ImportRefused(
                    f"{reference.tier(final_tier).name}的认定级别只能是{'、'.join(allowed)}，"
                    f"不能是{final_level}，请检查指定的梯度层级和级别。")
        if meta:
            changes["metadata"] = dataclasses.replace(self.metadata, **meta)
        if len(problems) != len(self.problems):
            changes["problems"] = problems
        return dataclasses.replace(self, **changes)


# --- header -------------------------------------------------------------------------------

@dataclass
class _Candidate:
    rows: tuple[int, ...]
    labels: list[str]
    mapping: dict[int, str]
    years: dict[int, int]
    score: int


def _labels(sheet: Sheet, row: int) -> list[str]:
    line = sheet.rows[row] if row < len(sheet.rows) else []
    return [text(value) or "" for value in line]


def _map_labels(labels: list[str]) -> tuple[dict[int, str], dict[int, int]]:
    result: dict[int, str] = {}
    years: dict[int, int] = {}
    taken: set[str] = set()
    for index, label in enumerate(labels):
        key, year = columns.match_header(label)
        if key is None:
            continue
        if key and key in taken and year is None:
            continue  # the first column of a field wins; the user can remap
        result[index] = key
        if key:
            taken.add(key)
        if year is not None:
            years[index] = year
    return result, years


_YEAR_CELL = re.compile(r"^(?:(?:19|20)\d{2})\s*年?度?(?:数据|指标|情况)?$")
_YEAR_GROUP = re.compile(r"^((?:19|20)\d{2})\s*年度?")


def _join_pair(top: str, bottom: str) -> str:
    """One label for a column under a two-row header. A year under a field (营业收入 over
    2024年 | 2025年) or a year group over a field (2023年数据 over 营业收入) gives the field
    with its year, "2024年营业收入", which ``match_header`` reads as (revenue, 2024). Else
    the lower cell names the column when it means something, else the upper."""
    top_key = columns.match_header(top)[0]
    bottom_key = columns.match_header(bottom)[0]
    bottom_plain = re.sub(r"\s+", "", bottom)
    if top_key and _YEAR_CELL.match(bottom_plain):
        return f"{bottom_plain[:4]}年{top}"
    group = _YEAR_GROUP.match(re.sub(r"\s+", "", top))
    if bottom_key and group and not columns.match_header(bottom)[1]:
        return f"{group.group(1)}年{bottom}"
    return bottom if bottom_key is not None or not top_key else top


# the fields that hold one year's figures (营业收入 …): a year above them says which
FIGURE_FIELDS = frozenset((*figures_service.MONEY, *figures_service.COUNTS, "niche_years",
                           "market_share"))


def _figure_years(mapping: dict[int, str], years: dict[int, int]) -> dict[int, int]:
    """The years of the columns that hold a year's figures (营业收入…, not 企业名称)."""
    return {i: year for i, year in years.items() if mapping.get(i) in FIGURE_FIELDS}


def _score(mapping: dict[int, str], years: dict[int, int] | None = None) -> int:
    keys = {k for k in mapping.values() if k}
    if not keys & {"name", "credit_code"}:
        return 0
    # a field under several years (营业收入 2024年 | 2025年) counts once per year
    distinct = {(k, (years or {}).get(i)) for i, k in mapping.items() if k}
    return len(distinct) * 2 + sum(1 for k in mapping.values() if k == "")


def _candidates(sheet: Sheet) -> list[_Candidate]:
    found: list[_Candidate] = []
    limit = min(len(sheet.rows), HEADER_SCAN_ROWS)
    for row in range(limit):
        upper = _labels(sheet, row)
        if not any(upper):
            continue
        mapping, years = _map_labels(upper)
        found.append(_Candidate((row,), upper, mapping, years, _score(mapping, years)))
        if row + 1 < len(sheet.rows):
            lower = _labels(sheet, row + 1)
            width = max(len(upper), len(lower))
            joined: list[str] = []
            for i in range(width):
                top = upper[i] if i < len(upper) else ""
                bottom = lower[i] if i < len(lower) else ""
                if top and bottom and top != bottom:
                    joined.append(_join_pair(top, bottom))
                else:
                    joined.append(bottom or top)
            pair_mapping, pair_years = _map_labels(joined)
            display = []
            for i in range(width):
                top = upper[i] if i < len(upper) else ""
                bottom = lower[i] if i < len(lower) else ""
                display.append(f"{top}/{bottom}" if top and bottom and top != bottom
                               else (bottom or top))
            # a second header row must add something to beat the single row: more fields,
            # or the year of fields (2023年主要经济指标 over 营业收入 | 研发费用), which the
            # lower row alone would leave to the title's year
            adds_years = len(_figure_years(pair_mapping, pair_years)) > len(
                _figure_years(*_map_labels(lower)))
            found.append(_Candidate((row, row + 1), display, pair_mapping, pair_years,
                                    max(_score(pair_mapping, pair_years) - (not adds_years), 0)))
    return found


def _best(sheet: Sheet) -> _Candidate | None:
    best: _Candidate | None = None
    for candidate in _candidates(sheet):
        if candidate.score == 0:
            continue
        if best is None or candidate.score > best.score:
            best = candidate
    return best


# --- metadata -----------------------------------------------------------------------------

def _number_of(chinese: str) -> int | None:
    if chinese.isdigit():
        return int(chinese)
    if chinese == "十":
        return 10
    if len(chinese) == 1 and chinese in _CHINESE_DIGITS:
        return _CHINESE_DIGITS.index(chinese)
    if chinese.startswith("十") and len(chinese) == 2:
        return 10 + _CHINESE_DIGITS.index(chinese[1])
    return None


def _batch_label(raw: str) -> str:
    number = _number_of(raw)
    if number is None or not 0 < number <= 20:
        return f"第{raw}批"
    return "第" + ("十" + (_CHINESE_DIGITS[number - 10] if number > 10 else "")
                   if number >= 10 else _CHINESE_DIGITS[number]) + "批"


def metadata_from_texts(texts: list[str]) -> tuple[Metadata, list[str]]:
    """Tier, level, batch, year and 复核 from the title lines, sheet name and file name
    (the first text that says it wins). Returns (metadata, warnings)."""
    warnings: list[str] = []
    tier = level = batch = review_of = None
    year: int | None = None
    review: bool | None = None
    title = ""
    for raw in texts:
        if not raw:
            continue
        line = re.sub(r"\s+", "", raw)
        found_tier = reference.tier_in_title(line)
        if found_tier and tier is None:
            tier, title = found_tier, title or raw.strip()
        for candidate in reference.LEVELS:
            if level is None and candidate in line:
                level = candidate
        batches = re.findall(r"第([一二三四五六七八九十\d]{1,3})批", line)
        if batches and batch is None:
            labels = [_batch_label(b) for b in batches]
            if "复核" in line and len(labels) >= 2:
                batch = labels[0]
                review = False
                warnings.append(f"标题同时含新认定（{labels[0]}）和复核（{labels[1]}）名单，"
                                "按新认定导入；复核企业请分开导入或在“复核”列注明")
            elif "复核" in line:
                batch, review, review_of = labels[0], True, labels[0]
            else:
                batch = labels[0]
        if review is None and "复核" in line:
            review = True
        match = re.search(r"(20\d{2}|19\d{2})\s*年", line)
        if year is None and match:
            year = int(match.group(1))
    if tier is not None and level is None:
        level = reference.tier(tier).level
    if batch is None and year is not None:
        batch = f"{year}年度"
    return Metadata(tier=tier, level=level, batch_label=batch, batch_year=year,
                    is_review=review, review_of_batch=review_of, title=title), warnings


# --- kind ---------------------------------------------------------------------------------

def _names_a_list(metadata: Metadata) -> bool:
    """The title announces recognised firms: a 名单/公示/认定 title with a batch or year."""
    title = metadata.title or ""
    announces = any(word in title for word in ("名单", "公示", "公告", "认定", "复核"))
    return announces and (metadata.batch_label is not None or metadata.batch_year is not None
                          or bool(metadata.is_review))


def guess_kind(mapped: set[str], metadata: Metadata, texts: list[str] | None = None) -> str:
    """The kind from the columns mapped; ``texts`` (title rows, sheet and file name) break
    the tie of a sheet that has only name, code and figure columns: “企业名录” is a roster."""
    signals = columns.kind_signals()
    hits = {kind: len(mapped & set(keys)) for kind, keys in signals.items()}
    if {"measure_kind", "measure_name", "amount"} & mapped:
        return "support"
    if hits.get("recognitions"):
        return "recognitions"
    if metadata.tier is not None and (
            _names_a_list(metadata) or not (hits.get("figures") or hits.get("roster"))):
        # "2026年度武进区创新型中小企业名单（第一批）" is a recognition list even when it
        # also carries 镇街 and 主导产品 columns, or the firms' figures
        return "recognitions"
    if hits.get("figures") and not hits.get("roster"):
        if any("名录" in text for text in texts or ()):
            return "roster"
        return "figures"
    return "roster"


# --- the whole detection ------------------------------------------------------------------

def _has_data(sheet: Sheet, start: int) -> bool:
    return any(not all(is_blank(v) for v in row) for row in sheet.rows[start:])


def _title_lines(sheet: Sheet, before: int) -> list[str]:
    lines = []
    for row in sheet.rows[:before]:
        seen: list[str] = []
        for value in row:
            piece = text(value)
            if piece and piece not in seen:
                seen.append(piece)
        if seen:
            lines.append("".join(seen))
    return lines


def _describe_unknown(sheet: Sheet) -> str:
    for row in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
        labels = [label for label in _labels(sheet, row) if label]
        if len(labels) >= 2:
            shown = "、".join(labels[:8])
            return f"（第 {row + 1} 行为：{shown}）"
    return ""


def other_lists(source: Source, chosen: str) -> list[str]:
    """The visible sheets besides ``chosen`` that hold a list too (a header detect()
    recognises, with data rows under it). Meant for after detect() chose the sheet itself:
    it has read every sheet then (the source keeps them), so this scores the first rows of
    each again and reads nothing. A 说明 sheet is left out, as detect() passes it over."""
    others = []
    for name in source.sheet_names:
        if name == chosen or not source.is_visible(name) or "说明" in name:
            continue
        try:
            sheet = source.sheet(name)
        except ImportRefused:
            continue
        candidate = _best(sheet)
        if candidate is not None and _has_data(sheet, candidate.rows[-1] + 1):
            others.append(name)
    return others


def detect(source: Source, sheet: str | None = None) -> Detection:
    """Pick the sheet (the one whose header means most, skipping 填报说明), find its header,
    map its columns, guess the kind and read the title. Raises ImportRefused when no sheet
    has a header with 企业名称 or 统一社会信用代码, or the sheet has no data rows."""
    if sheet is not None:
        names = [sheet]
        source.sheet(sheet)  # refuses an unknown name with the list of sheets
    else:
        names = source.sheet_names
        if not names:
            raise ImportRefused(f"“{source.file_name}”中没有工作表。")
    choice: tuple[int, str, _Candidate] | None = None
    first_unknown = ""
    for name in names:
        current = source.sheet(name)
        candidate = _best(current)
        if candidate is None:
            if not first_unknown and any(any(not is_blank(v) for v in r) for r in current.rows):
                first_unknown = f"工作表“{name}”{_describe_unknown(current)}"
            continue
        score = candidate.score + (0 if source.is_visible(name) else -100)
        if not _has_data(current, candidate.rows[-1] + 1):
            score -= 50
        if "说明" in name:
            score -= 20
        if choice is None or score > choice[0]:
            choice = (score, name, candidate)
    if choice is None:
        if not any(any(any(not is_blank(v) for v in r) for r in source.sheet(n).rows)
                   for n in names):
            raise ImportRefused(f"“{source.file_name}”中没有任何内容（工作表都是空的）。")
        raise ImportRefused(
            "未能识别表头：前 25 行中找不到“企业名称”或“统一社会信用代码”等可识别的列"
            f"{('，' + first_unknown) if first_unknown else ''}。"
            "请确认选对了文件和工作表，或把表头改成常用的写法（如 企业名称、统一社会信用代码）。")
    _, name, candidate = choice
    current = source.sheet(name)
    data_start = candidate.rows[-1] + 1
    if not _has_data(current, data_start):
        raise ImportRefused(
            f"工作表“{name}”只有表头（第 {candidate.rows[0] + 1} 行），没有数据行。")
    mapping = dict(candidate.mapping)
    remembered = columns.recall_mapping(candidate.labels)
    if remembered is not None:
        mapping = remembered
    units = {i: unit_of_header(candidate.labels[i]) for i in mapping if i < len(candidate.labels)}
    texts = _title_lines(current, candidate.rows[0]) + [name, source.path.stem]
    metadata, warnings = metadata_from_texts(texts)
    kind = guess_kind({k for k in mapping.values() if k}, metadata, texts)
    if remembered is None:  # what the user chose is kept as chosen
        mapping = columns.fit_to_kind(mapping, kind)
    problems = [Problem(sheet=name, row=candidate.rows[0] + 1, column="", value=None,
                        message=w, severity="warning") for w in warnings]
    return Detection(source=source, sheet=name, header_rows=candidate.rows, data_start=data_start,
                     headers=candidate.labels, mapping=mapping, header_years=candidate.years,
                     units=units, kind=kind, metadata=metadata,
                     remembered=remembered is not None, problems=problems)
