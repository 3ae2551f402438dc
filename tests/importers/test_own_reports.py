"""Workbooks Tiers wrote: each carries its marker; the 梯度培育企业名单 reads back as the
recognitions it shows (into the database that wrote it: nothing changes; into a fresh one:
each row's recognition), and the other reports are refused with what they are, with or
without the marker."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from importers import ImportRefused, detect, open_source
from importers.read.marker import tiers_report
from importers.report import write_error_report
from tests.conftest import make_code
from tests.importers.helpers import import_file, plan_file, table_counts, undo, write_xlsx
from tiers import reports
from tiers.progress import drain
from tiers.reports.base import ReportRequest
from tiers.services import demo

NOT_LISTS = {"summary": "梯度培育情况汇总表", "support": "扶持措施兑现情况表",
             "expiring": "复核到期提醒表", "chains": "产业链企业分布表",
             "profile": "企业档案", "candidates": "拟推荐企业名单",
             "figures": "专精特新企业发展情况统计表"}


def _demo(database, enterprises: int = 300, today=None) -> None:
    with database.session() as session:
        drain(demo.generate(session, enterprises=enterprises, today=today))


def _confirmed(database) -> None:
    """Every batch still 公示中 confirmed, as the officer does when the 公示 ends."""
    from tiers.services import recognitions

    with database.session() as session:
        for batch in recognitions.pending_batches(session):
            recognitions.confirm_batch(session, tier=batch["tier_code"],
                                       batch_label=batch["batch_label"],
                                       batch_year=batch["batch_year"],
                                       is_review=batch["is_review"])


def _export(database, name: str, target: Path, **filters) -> Path:
    with database.session() as session:
        return drain(reports.export_steps(session, name, target, ReportRequest(**filters)))


def _first_code(database) -> str:
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    with database.session() as session:
        return session.scalar(select(Enterprise.credit_code).order_by(Enterprise.id).limit(1))


def _filters(database, name: str) -> dict:
    if name == "profile":
        return {"code": _first_code(database)}
    if name == "candidates":
        return {"tier": "省级专精特新"}
    return {}


def _without_marker(path: Path) -> Path:
    """The file as an office suite that drops custom properties would save it."""
    stripped = path.with_name(f"stripped-{path.name}")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            if item.filename != "docProps/custom.xml":
                target.writestr(item, source.read(item.filename))
    assert tiers_report(stripped) is None
    return stripped


def _cells(path: Path) -> list[list]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return [row[1:] for row in rows[5:] if len(row) > 4 and row[4]]


def test_every_report_and_the_problem_rows_carry_the_marker(database, tmp_path):
    _demo(database, 60)
    for definition in reports.REPORTS:
        path = _export(database, definition.name, tmp_path / f"{definition.name}.xlsx",
                       **_filters(database, definition.name))
        assert tiers_report(path) == definition.name
    bad = write_xlsx(tmp_path / "bad.xlsx", {"名单": [
        ["企业名称", "统一社会信用代码"], ["常州某某有限公司", "123"]]})
    problems = write_error_report(plan_file(database, bad), tmp_path / "problems.xlsx")
    assert problems == 1 and tiers_report(tmp_path / "problems.xlsx") == "import_problems"


def test_a_file_tiers_did_not_write_has_no_marker(tmp_path):
    plain = write_xlsx(tmp_path / "plain.xlsx", {"名单": [["企业名称"], ["常州甲有限公司"]]})
    assert tiers_report(plain) is None
    assert tiers_report(tmp_path / "missing.xlsx") is None
    not_a_zip = tmp_path / "list.xlsx"
    not_a_zip.write_text("企业名称\n", encoding="utf-8")
    assert tiers_report(not_a_zip) is None


@pytest.mark.parametrize("marked", [True, False], ids=["marker", "layout"])
def test_the_roster_into_the_database_that_wrote_it_changes_nothing(database, tmp_path,
                                                                     marked):
    _demo(database)
    path = _export(database, "roster", tmp_path / "roster.xlsx")
    if not marked:
        path = _without_marker(path)
    detection = detect(open_source(path))
    assert detection.own_report == "roster" and detection.kind == "recognitions"
    assert detection.metadata.batch_year is None and detection.metadata.tier is None
    before = table_counts(database)
    plan, batch_id = import_file(database, path)
    counts = plan.counts()
    assert counts["rows"] == len(_cells(path)) > 100
    assert counts["unchanged"] == counts["rows"], counts
    assert batch_id is None and table_counts(database) == before


def test_a_valid_until_tiers_estimated_stays_estimated_read_back(database, tmp_path):
    """The 有效期至 Tiers 推算 (the list gave none) is printed in its roster like any date;
    read back into the database that wrote it, each such row was “更新 有效期至为推算：是 →
    否” and the firm's profile no longer said （推算） (tester26)."""
    from sqlalchemy import select, update

    from tiers.model.orm import Recognition

    _demo(database, enterprises=60)
    with database.session() as session:
        session.execute(update(Recognition).where(Recognition.valid_until.is_not(None))
                        .values(valid_until_estimated=True))
        estimated = set(session.scalars(select(Recognition.id).where(
            Recognition.valid_until_estimated.is_(True))))
    assert estimated
    path = _export(database, "roster", tmp_path / "roster.xlsx")
    plan, batch_id = import_file(database, path)
    counts = plan.counts()
    assert counts["updated"] == 0 and counts["unchanged"] == counts["rows"], counts
    assert batch_id is None
    with database.session() as session:
        assert set(session.scalars(select(Recognition.id).where(
            Recognition.valid_until_estimated.is_(True)))) == estimated


def test_the_roster_into_a_fresh_database_keeps_each_rows_recognition(database, new_target,
                                                                        tmp_path):
    from tiers.storage.database import open_database

    _demo(database)
    path = _export(database, "roster", tmp_path / "roster.xlsx")
    fresh = open_database(new_target("fresh.sqlite3"))
    try:
        plan, _batch = import_file(fresh, path)
        assert plan.counts()["errors"] == 0 and not any(
            p.severity == "error" for p in plan.all_problems())
        again = _export(fresh, "roster", tmp_path / "again.xlsx")
        written = {row[3]: row for row in _cells(path)}
        read_back = {row[3]: row for row in _cells(again)}
        # tier, level, batch and year, 文号, validity, 复核, the chains and which it leads
        assert read_back == written
        assert sum("（链主）" in row[12] for row in written.values()) > 5
        assert sum(bool(row[12]) and "（链主）" not in row[12] for row in written.values()) > 5
        undo(fresh, _batch)  # chain roles too
        assert all(count == 0 for table, count in table_counts(fresh).items()
                   if table not in ("import_batch", "change"))
    finally:
        fresh.dispose()


@pytest.mark.parametrize("name", sorted(NOT_LISTS))
def test_reports_that_are_not_lists_are_refused_with_what_they_are(database, tmp_path, name):
    _demo(database, 120)
    path = _export(database, name, tmp_path / f"{name}.xlsx", **_filters(database, name))
    expected = f"这是 Tiers 导出的{NOT_LISTS[name]}，不是认定名单；如需交换数据请使用数据包"
    with pytest.raises(ImportRefused, match=expected):
        detect(open_source(path))
    with pytest.raises(ImportRefused, match=expected):  # re-saved without the marker
        detect(open_source(_without_marker(path)))


def test_a_county_list_named_like_a_report_is_still_a_list(tmp_path):
    """The layout needs the report's own subtitle and 填报单位 line, not only its name."""
    path = write_xlsx(tmp_path / "list.xlsx", {"复核到期提醒表": [
        ["复核到期提醒表"], ["企业名称", "统一社会信用代码", "梯度层级"],
        ["常州甲有限公司", make_code(1), "创新型中小企业"]]})
    assert detect(open_source(path)).own_report is None


@pytest.mark.parametrize("title", ["武进区2026年度省级专精特新中小企业拟推荐企业名单",
                                   "武进区专精特新企业档案汇总"])
def test_a_persons_list_titled_near_a_report_is_still_a_list(tmp_path, title):
    """A county's own list whose title holds a report's name (the tier before it, or more
    after it), even with a 统计截止 line and a 填报单位（盖章） line of its own, is no
    report of Tiers's: such lists were refused (review of the sixteenth session)."""
    path = write_xlsx(tmp_path / "list.xlsx", {"Sheet1": [
        [title], ["（统计截止：2026年12月1日）"], ["填报单位（盖章）：武进区工信局"],
        ["企业名称", "统一社会信用代码"], ["常州甲有限公司", make_code(1)]]})
    assert detect(open_source(path)).own_report is None


def test_the_roster_is_no_final_list_for_the_firms_still_on_publicity(database, tmp_path):
    """The 名单 report lists what was held when it was exported, not a batch's final list:
    read back while a 公示 list of a batch it shows is pending, it must not report the
    pending firms as left out of the final list (found by the new-officer pass)."""
    import datetime as dt

    year = dt.date.today().year
    _demo(database, today=dt.date(year, 12, 4))  # the provincial batch of the year 公示中
    _confirmed(database)  # the demo county's 公示 of the year, over
    firms = [[number, f"常州公示{number}号有限公司", make_code(900 + number)]
             for number in range(1, 4)]
    publicity = write_xlsx(tmp_path / "公示.xlsx", {"Sheet1": [
        [f"{year}年度江苏省专精特新中小企业拟认定名单公示"],
        ["序号", "企业名称", "统一社会信用代码"], *firms]})
    plan, _batch = import_file(database, publicity)
    assert plan.metadata["pending"] and plan.metadata["batch_label"] == f"{year}年度"
    path = _export(database, "roster", tmp_path / "roster.xlsx")
    rows = _cells(path)
    assert any(row[6] == "省级专精特新中小企业" and row[8] == f"{year}年度" for row in rows)
    assert not any("公示" in row[2] for row in rows)  # the pending firms are not on it
    before = table_counts(database)
    plan, batch_id = import_file(database, path)
    assert plan.not_in_final_list == []
    assert batch_id is None and table_counts(database) == before


def test_a_profile_of_several_firms_resaved_without_the_marker_is_still_refused(
        database, tmp_path):
    """企业档案 of several firms names each sheet after its firm, not 企业档案: re-saved as
    .xls/.ods (the marker lost), it was read as a 企业名录 of 48 errors. Its title row and
    layout still say what it is (found by the new-officer pass)."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise

    _demo(database, 60)
    with database.session() as session:
        codes = session.scalars(select(Enterprise.credit_code).order_by(Enterprise.id)
                                .limit(2)).all()
    path = _export(database, "profile", tmp_path / "profile.xlsx", code=",".join(codes))
    stripped = _without_marker(path)
    expected = "这是 Tiers 导出的企业档案，不是认定名单；如需交换数据请使用数据包"
    source = open_source(stripped)
    assert len(source.sheet_names) == 2 and "企业档案" not in source.sheet_names
    with pytest.raises(ImportRefused, match=expected):
        detect(source)
    for name in source.sheet_names:  # whichever sheet the officer picks
        with pytest.raises(ImportRefused, match=expected):
            detect(open_source(stripped), sheet=name)


def _as_csv(path: Path) -> Path:
    """The first sheet as an office suite's 另存为 CSV (UTF-8) writes it: values only, a
    merged title in its first cell, the marker and the sheet's name lost."""
    import csv
    import datetime as dt

    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    target = path.with_suffix(".csv")
    try:
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            for row in book.worksheets[0].iter_rows(values_only=True):
                writer.writerow(["" if v is None else v.date().isoformat()
                                 if isinstance(v, dt.datetime) else
                                 int(v) if isinstance(v, float) and v.is_integer() else v
                                 for v in row])
    finally:
        book.close()
    return target


@pytest.mark.parametrize("name", sorted(NOT_LISTS))
def test_reports_saved_as_csv_are_refused_with_what_they_are(database, tmp_path, name):
    """Saved as .csv, a report has neither its marker nor its sheet's name (a .csv's sheet
    is named after the file), and its title carries the city's name: the 扶持 report was
    read as 135 measures and 29 errors, the 拟推荐 list as recognitions (found by the
    new-officer pass). Its top line and layout still say what it is."""
    _demo(database, 120)
    path = _as_csv(_export(database, name, tmp_path / f"{name}.xlsx",
                           **_filters(database, name)))
    expected = f"这是 Tiers 导出的{NOT_LISTS[name]}，不是认定名单；如需交换数据请使用数据包"
    with pytest.raises(ImportRefused, match=expected):
        detect(open_source(path))


def test_the_roster_saved_as_csv_is_still_read_row_by_row(database, tmp_path):
    _demo(database)
    path = _as_csv(_export(database, "roster", tmp_path / "roster.xlsx"))
    detection = detect(open_source(path))
    assert detection.own_report == "roster"
    assert detection.metadata.batch_year is None  # not the 统计截止 year
    before = table_counts(database)
    plan, batch_id = import_file(database, path)
    assert plan.counts()["unchanged"] == plan.counts()["rows"] > 100, plan.counts()
    assert batch_id is None and table_counts(database) == before
