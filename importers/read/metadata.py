"""What a recognition list says about itself: its tier, level, batch, year and whether it is
a 复核 pass, read from the title rows, the sheet name and the file name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from importers.read.sources import Sheet
from importers.values import text
from tiers.model import ladder, reference

_CHINESE_DIGITS = "零一二三四五六七八九十"
_BATCH = re.compile(r"第([一二三四五六七八九十\d]{1,3})批")
_YEAR = re.compile(r"(20\d{2}|19\d{2})\s*年")
# a list that only proposes its firms: 公示 before the final list (拟认定、拟推荐、拟入选)
PUBLICITY_WORDS = ("公示", "拟认定", "拟推荐", "拟入选")
# the warning of a title of both lists taken as the new one: dropped when the officer takes
# the list as a 复核 list (Detection.with_options)
BOTH_LISTS = "标题同时含新认定"


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
    # a 公示 list (拟认定、拟推荐、拟入选): its firms are pending, not recognised yet
    pending: bool = False

    @property
    def year(self) -> int | None:
        """The year of the list: the one given or read, else the one its numbered batch
        implies (第五批 小巨人 → 2023; a 复核 list of it, the year of its 复核 round:
        第二批…复核 → 2023, as recognitions.clean records it)."""
        if self.batch_year is not None or self.tier is None:
            return self.batch_year
        if self.is_review:
            return ladder.review_of_batch_year(self.tier, self.batch_label)
        return reference.batch_year(self.tier, self.batch_label)


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


@dataclass
class _Reading:
    """What the texts read so far said; the first text that says a thing wins."""

    tier: str | None = None
    level: str | None = None
    batch: str | None = None
    review_of: str | None = None
    year: int | None = None
    review: bool | None = None
    pending: bool = False
    title: str = ""
    warnings: list[str] = field(default_factory=list)
    # (new batch, 复核 batch) of a title of both lists, until a line says which this is
    both: tuple[str, str] | None = None

    def read(self, raw: str) -> None:
        line = re.sub(r"\s+", "", raw)
        found_tier = reference.tier_in_title(line)
        if found_tier and self.tier is None:
            self.tier, self.title = found_tier, self.title or raw.strip()
        if self.level is None:
            self.level = next((c for c in reference.LEVELS if c in line), None)
        combined = self._read_batch(line)
        if self.review is None and "复核" in line and not combined:
            self.review = True
        if any(word in line for word in PUBLICITY_WORDS):
            self.pending = True
        match = _YEAR.search(line)
        if self.year is None and match:
            self.year = int(match.group(1))

    def _read_batch(self, line: str) -> bool:
        """The batch of the line, and whether it is a 复核 list of it. A title of both a new
        list and a 复核 list (江苏省第五批…企业和第二批…复核通过企业名单) decides nothing yet:
        the next line naming one batch does (the annex's own title, 附件2：第二批…复核通过
        企业名单, or the sheet's or file's name); see settle. Returns whether the line was
        such a title."""
        batches = _BATCH.findall(line)
        if not batches or self.batch is not None:
            return False
        labels = [_batch_label(b) for b in batches]
        if "复核" in line and len(labels) >= 2:
            if self.both is None:
                self.both = (labels[0], labels[1])
            return True
        self.batch = labels[0]
        if "复核" in line:
            self.review, self.review_of = True, labels[0]
        elif self.both is not None:
            self.review = False
        return False

    def settle(self) -> None:
        """A title of both a new and a 复核 list that no later line settled: the new one."""
        if self.batch is None and self.both is not None:
            new, review = self.both
            self.batch, self.review = new, False
            self.warnings.append(f"{BOTH_LISTS}（{new}）和复核（{review}）名单，"
                                 "按新认定导入；复核企业请分开导入或在“复核”列注明")

    def metadata(self) -> Metadata:
        level = self.level
        if self.tier is not None and level is None:
            level = reference.tier(self.tier).level
        batch = self.batch
        if batch is None and self.year is not None:
            batch = f"{self.year}年度"
        return Metadata(tier=self.tier, level=level, batch_label=batch, batch_year=self.year,
                        is_review=self.review, review_of_batch=self.review_of, title=self.title,
                        pending=self.pending)


def metadata_from_texts(texts: list[str]) -> tuple[Metadata, list[str]]:
    """Tier, level, batch, year and 复核 from the title lines, sheet name and file name
    (the first text that says it wins). Returns (metadata, warnings)."""
    reading = _Reading()
    for raw in texts:
        if raw:
            reading.read(raw)
    reading.settle()
    return reading.metadata(), reading.warnings


def title_lines(sheet: Sheet, before: int) -> list[str]:
    """The rows above the header, each as one line of its distinct cell texts."""
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
