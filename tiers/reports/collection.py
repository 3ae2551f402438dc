"""The 采集表 (yearly figures collection workbook): one file for all chosen firms, or a
folder of files, one per firm or per town, for sending out.

``export_steps`` is a job yielding ``tiers.progress.Progress`` and returning the paths
written. The files are written where no one looks and put in place only when all were
written (tiers.reports.output_folder), so a cancellation, a full disk or an error leaves
no file, and no new folder, behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from sqlalchemy.orm import Session

from tiers import outputs
from tiers.progress import Job, Progress
from tiers.queries import roster
from tiers.reports import collection_data, output, output_folder
from tiers.reports.base import ReportError
from tiers.reports.collection_book import CollectionBook, Letter
from tiers.reports.collection_data import Firm
from tiers.storage.snapshot import read_snapshot

ONE_FILE, PER_FIRM, PER_TOWN = "all", "firm", "town"
SPLITS = {ONE_FILE: "一个文件", PER_FIRM: "每家企业一个文件", PER_TOWN: "每个镇（街道）一个文件"}
NO_TOWN = "未填镇街"
# what Windows refuses in a file name, control characters included
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 80  # characters of the varying part: paths stay well under Windows' 260
# a workbook of up to this many firms is assembled in memory (a few MB), not in temporary
# files: per firm, making and removing them took most of the export's time
IN_MEMORY_FIRMS = 2000


@dataclass(frozen=True)
class CollectionRequest:
    letter: Letter
    filters: roster.RosterFilter | None = None  # the firms the roster's filters take …
    ids: tuple[int, ...] | None = None  # … or exactly these
    split: str = ONE_FILE


def safe_name(text: str) -> str:
    """A file name part any system accepts: no separators or reserved names, no trailing
    dots or spaces, not too long."""
    name = _UNSAFE.sub("_", text).strip().strip(".").strip()[:MAX_NAME].rstrip(". ")
    if not name or name.upper().split(".")[0] in _RESERVED:
        name = f"_{name}"
    return name


def _groups(firms: Iterator[Firm], split: str) -> Iterator[tuple[str, list[Firm]]]:
    """(file name part, firms) per file; the firms come in county, town, name order."""
    if split == PER_FIRM:
        for firm in firms:
            yield firm.name, [firm]
    elif split == PER_TOWN:
        for (county, town), group in groupby(firms, key=lambda f: (f.county, f.town)):
            yield f"{county}{town or NO_TOWN}", list(group)
    else:
        yield "", list(firms)


def _file_names(year: int, parts: Sequence[str], codes: Sequence[str]) -> list[str]:
    """One distinct .xlsx name per file; two firms of one name get their credit codes."""
    base = f"{year}年度数据采集表"
    names = [f"{base}_{safe_name(part)}.xlsx" if part else f"{base}.xlsx" for part in parts]
    taken: set[str] = set()
    for index, name in enumerate(names):
        if names.count(name) > 1 and codes[index]:
            name = f"{name[:-5]}_{safe_name(codes[index])}.xlsx"
        number = 2
        candidate = name
        while candidate.lower() in taken:
            candidate, number = f"{name[:-5]}({number}).xlsx", number + 1
        taken.add(candidate.lower())
        names[index] = candidate
    return names


def _check_folder(target: Path) -> Path:
    """The folder the files go to: it may not exist yet (it is then made, whole, at the
    end), but its parent must."""
    folder = target.expanduser()
    if folder.suffix.lower() == ".xlsx":
        raise ReportError(f"按企业或镇街分别导出时请选择一个文件夹，而不是文件：{folder.name}")
    if folder.exists() and not folder.is_dir():
        raise ReportError(f"“{folder}”是一个文件，请选择一个文件夹")
    if not folder.exists() and not folder.parent.is_dir():
        raise ReportError(f"文件夹不存在：{folder.parent}")
    return folder


def export_steps(session: Session, request: CollectionRequest, target: str | Path, *,
                 replace_foreign: bool, agreed: outputs.FileIdentity | None = None
                 ) -> Job[list[Path]]:
    """Write the 采集表 file(s); returns the paths written, in order. ``replace_foreign``
    (no default: each caller says what it means, review26): False (the command line, the
    desktop) refuses a file in the way that Tiers did not write, or that was saved since,
    such as a firm's filled-in return (tiers.outputs) — unless, for one file, it is still
    the file the officer agreed to replace (``agreed``: its outputs.file_identity when he
    was asked; a folder's files nobody is asked about); True replaces whatever is there."""
    if request.split not in SPLITS:
        raise ReportError(f"未知的分文件方式：{request.split}（可选 {'、'.join(SPLITS)}）")
    letter = request.letter
    if not 1949 <= letter.year <= 2100:
        raise ReportError(f"年度应在 1949–2100 之间：{letter.year}")
    with read_snapshot(session):  # the count and the firms of one moment
        total = collection_data.count(session, filters=request.filters, ids=request.ids)
        yield Progress("正在查询", 0, total)
        firms = collection_data.firms(session, year=letter.year, filters=request.filters,
                                      ids=request.ids)
        groups = list(_groups(firms, request.split))
    if not any(group for _, group in groups):
        raise ReportError("没有符合条件的企业，未导出采集表")
    names = _file_names(letter.year, [part for part, _ in groups],
                        [group[0].credit_code if len(group) == 1 else "" for _, group in groups])
    if request.split == ONE_FILE:
        files = output_folder.OneFile(output.check_target(Path(target)),
                                      replace_foreign=replace_foreign, agreed=agreed)
    else:
        files = output_folder.FolderFiles(_check_folder(Path(target)), names,
                                          replace_foreign=replace_foreign)
    done = 0
    try:
        for (part, group), path in zip(groups, files.paths, strict=True):
            book = CollectionBook(str(path), _letter_for(letter, part, request.split),
                                  in_memory=len(group) <= IN_MEMORY_FIRMS)
            try:
                book.write(group)
            except BaseException:
                book.abandon()  # (its temporary folder)
                raise
            book.close()
            done += len(group)
            yield Progress(f"已写入 {done} 家", done, total)
        return files.commit()
    finally:
        files.discard()


def _letter_for(letter: Letter, part: str, split: str) -> Letter:
    """A town's file names its town in the title; one firm's file its area as asked."""
    if split == PER_TOWN and part:
        return Letter(**{**letter.__dict__, "area": part})
    return letter
