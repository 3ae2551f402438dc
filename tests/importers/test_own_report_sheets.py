"""Every sheet of every report Tiers writes is known for what it is, whichever sheet the
officer picks: the 拟推荐企业名单's second sheet, 已满足条件明细, re-saved as .xls by
LibreOffice (the marker lost), was read as a 公示 认定名单 of its 15 firms, all of them to
become 省专精特新（公示中）, its 落款 line 联系电话： a firm of its own (tester29)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from importers import ImportRefused, detect, open_source
from tests.importers.test_own_reports import NOT_LISTS, _demo, _export, _without_marker
from tests.importers.test_own_reports_headings import OWN_TITLE, _resaved


def _filters(database, name: str) -> dict:
    if name == "profile":  # several firms: a sheet each, named after the firm
        from sqlalchemy import select

        from tiers.model.orm import Enterprise
        with database.session() as session:
            codes = session.scalars(select(Enterprise.credit_code).order_by(Enterprise.id)
                                    .limit(2)).all()
        return {"code": ",".join(codes)}
    if name == "candidates":
        return {"tier": "省级专精特新", "status": "全部"}
    return {}


def _sheet_names(path: Path) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return book.sheetnames
    finally:
        book.close()


def _sheets_as_csv(path: Path) -> list[Path]:
    """Each sheet as an office suite's 另存为 CSV writes the sheet shown: values only, the
    marker and the sheet's name lost (the file is named after the workbook and sheet)."""
    book = openpyxl.load_workbook(path, read_only=True)
    written = []
    try:
        for number, sheet in enumerate(book.worksheets, start=1):
            target = path.with_name(f"{path.stem}-{number}.csv")
            with target.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out)
                for row in sheet.iter_rows(values_only=True):
                    writer.writerow(["" if v is None else v.date().isoformat()
                                     if isinstance(v, dt.datetime) else
                                     int(v) if isinstance(v, float) and v.is_integer() else v
                                     for v in row])
            written.append(target)
    finally:
        book.close()
    return written


def _refused(path: Path, report: str, sheet: str | None) -> None:
    expected = f"这是 Tiers 导出的{report}，不是认定名单；如需交换数据请使用数据包"
    with pytest.raises(ImportRefused, match=expected):
        detect(open_source(path), sheet)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, request):
    """Every report that is no list, exported from the demo (plain and with a title of the
    officer's own), and its copies: without the marker, each sheet as .csv, re-saved by
    LibreOffice as .xls."""
    from tiers.storage.database import open_database

    folder = tmp_path_factory.mktemp("own-sheets")
    database = open_database(folder / "demo.sqlite3")
    try:
        _demo(database, 120)
        paths = [_export(database, name, folder / f"{name}{suffix}.xlsx",
                         **_filters(database, name), **extra)
                 for name in sorted(NOT_LISTS)
                 for suffix, extra in (("", {}), ("-titled", {"title": OWN_TITLE}))]
    finally:
        database.dispose()
    resaved = _resaved(paths, "xls", folder)
    return {path.stem: path for path in paths}, resaved


@pytest.mark.parametrize("stem", [f"{name}{suffix}" for name in sorted(NOT_LISTS)
                                  for suffix in ("", "-titled")])
def test_every_sheet_of_a_report_is_refused_in_every_form(exported, stem):
    originals, resaved = exported
    path = originals[stem]
    report = NOT_LISTS[stem.removesuffix("-titled")]
    names = _sheet_names(path)
    if stem.startswith(("candidates", "profile")):
        assert len(names) == 2, names  # (the test covers a second sheet)
    stripped = _without_marker(path)
    for name in names:
        _refused(path, report, name)  # the marker
        _refused(stripped, report, name)  # an .xlsx re-saved without it
        _refused(resaved[stem], report, name)  # LibreOffice's .xls
    _refused(stripped, report, None)
    _refused(resaved[stem], report, None)
    for sheet_csv in _sheets_as_csv(path):
        _refused(sheet_csv, report, None)
