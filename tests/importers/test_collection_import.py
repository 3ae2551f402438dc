"""Filled 采集表 come back (#17): recognised by their hidden marker as annual figures with no
mapping step, several files at once, after a LibreOffice re-save too; a bad value is a
Chinese problem at its sheet, row and column and writes nothing for that firm."""

from __future__ import annotations

import shutil
import signal
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from importers import ImportRefused, detect, open_source
from tests.importers.helpers import add_enterprise, import_file
from tiers.model.orm import AnnualFigures, Enterprise
from tiers.progress import drain
from tiers.reports import collection
from tiers.reports.collection_book import Letter
from tiers.services import figures


@pytest.fixture
def sent(database, tmp_path):
    """Three firms (one with 2024 figures) and one 2025 采集表 per firm."""
    ids = [add_enterprise(database, name, serial, town="湖塘镇") for serial, name in
           enumerate(("甲精密机械有限公司", "乙电子科技有限公司", "丙新材料有限公司"), start=1)]
    with database.session() as session:
        figures.set_year(session, ids[0], 2024, {"revenue": Decimal(900)})
        request = collection.CollectionRequest(letter=Letter(year=2025),
                                               split=collection.PER_FIRM)
        paths = drain(collection.export_steps(session, request, tmp_path / "发出",
                                                     replace_foreign=False))
    return {path.stem.split("_")[-1]: path for path in paths}


def column_of(sheet, header: str, *, last: bool = False) -> str:
    columns = [c.column_letter for c in sheet[4] if c.value == header]
    return columns[-1] if last else columns[0]


def fill(path, values: dict[str, object], *, reference: dict[str, object] | None = None):
    """As a firm would: type into row 5 and save (openpyxl, like any other program)."""
    book = openpyxl.load_workbook(path)
    sheet = book["采集表"]
    for header, value in values.items():
        sheet[f"{column_of(sheet, header)}5"] = value
    for header, value in (reference or {}).items():
        sheet[f"{column_of(sheet, header, last=True)}5"] = value
    book.save(path)
    return path


def stored(database) -> dict[str, dict]:
    with database.session() as session:
        rows = session.execute(select(Enterprise.name, AnnualFigures)
                               .join(AnnualFigures, AnnualFigures.enterprise_id == Enterprise.id)
                               .where(AnnualFigures.year == 2025)).all()
    return {name: row for name, row in rows}


def test_filled_workbooks_import_as_figures_without_mapping(database, sent):
    first = fill(sent["甲精密机械有限公司"], {
        "营业收入\n（万元）": "1,234.5", "从业人员\n（人）": 120, "主导产品收入占比\n（%）": "62.5%",
        "专精特新发展评价得分": 71.5, "国内细分市场排名": 3},
        reference={"营业收入\n（万元）": 1})  # last year's column: never imported
    second = fill(sent["乙电子科技有限公司"], {"研发费用\n（万元）": 88})
    detection = detect(open_source(first))
    assert (detection.kind, detection.collection_year, detection.sheet) == ("figures", 2025, "采集表")
    for path in (first, second, sent["丙新材料有限公司"]):  # the third came back unfilled
        plan, _ = import_file(database, path)
        # (the 1 typed over last year's 900 is said, not imported: see the test below)
        assert all("参考列" in p.message for p in plan.all_problems())
        assert bool(plan.all_problems()) == (path == first)
    rows = stored(database)
    assert set(rows) == {"甲精密机械有限公司", "乙电子科技有限公司"}
    first_row = rows["甲精密机械有限公司"]
    assert first_row.revenue == Decimal("1234.5") and first_row.employees == 120
    assert first_row.lead_product_ratio == Decimal("62.5")
    assert (first_row.development_score, first_row.domestic_rank) == (Decimal("71.5"), 3)
    assert rows["乙电子科技有限公司"].rd_expense == Decimal(88)
    with database.session() as session:  # last year's figures untouched by the reference column
        assert session.scalar(select(AnnualFigures.revenue).where(AnnualFigures.year == 2024)) \
            == Decimal(900)


def test_a_bad_value_is_a_problem_at_its_cell_and_writes_nothing_for_that_firm(database, sent):
    path = fill(sent["甲精密机械有限公司"], {"营业收入\n（万元）": "约一千万", "从业人员\n（人）": 50})
    plan, _ = import_file(database, path)
    [problem] = [p for p in plan.all_problems() if p.severity == "error"]
    column = column_of(openpyxl.load_workbook(path)["采集表"], "营业收入\n（万元）")
    assert (problem.sheet, problem.row, problem.column) == ("采集表", 5, column)
    assert "约一千万" in problem.message
    assert stored(database) == {}


def test_recognised_after_a_libreoffice_resave(database, sent, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    path = fill(sent["乙电子科技有限公司"], {"营业收入\n（万元）": 456.7})
    out = tmp_path / "re-saved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    detection = detect(open_source(out / path.name))
    assert detection.collection_year == 2025
    import_file(database, out / path.name)
    assert stored(database)["乙电子科技有限公司"].revenue == Decimal("456.7")


def test_a_table_whose_columns_were_moved_is_refused(database, sent):
    path = sent["甲精密机械有限公司"]
    book = openpyxl.load_workbook(path)
    book["采集表"].insert_cols(6)
    book.save(path)
    with pytest.raises(ImportRefused, match="表头应为“营业收入（万元）”"):
        detect(open_source(path))


def test_a_marker_of_a_newer_layout_is_refused(sent):
    path = sent["甲精密机械有限公司"]
    book = openpyxl.load_workbook(path)
    book["TiersCollection"]["B1"] = 99
    book.save(path)
    with pytest.raises(ImportRefused, match="更新版本的 Tiers"):
        detect(open_source(path))


@pytest.mark.parametrize(("cell", "value", "where"), [
    ("A6", 10**9, "A6（列号）"), ("A6", "1e18", "A6（列号）"),  # a column far beyond Excel's
    # last (XFD): the reader made a list of a billion headers and never answered (the break
    # campaign of #26)
    ("B4", 10**9, "B4（表头行）"), ("B4", "1e300", "B4（表头行）"),  # beyond Excel's last row
    ("B2", 99999, "B2（年度）"), ("B2", -5, "B2（年度）"), ("B2", 0, "B2（年度）"),
    ("B2", "1e300", "B2（年度）"),  # no year of a 采集表
    ("B3", None, "B3（工作表名）"), ("C7", "whatever", "C7（用途）"),
])
def test_a_forged_marker_is_refused_at_once_in_chinese(sent, cell, value, where):
    """Refused, saying where: the hidden sheet and its cell (review27 #15: it named
    neither, and the officer could not tell what had been changed)."""
    path = sent["甲精密机械有限公司"]
    book = openpyxl.load_workbook(path)
    book["TiersCollection"][cell] = value
    book.save(path)

    def too_long(_signum, _frame):
        raise TimeoutError("the forged marker was not refused within 20 s")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(20)
    try:
        with pytest.raises(ImportRefused, match="隐藏标记") as refused:
            detect(open_source(path))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert f"隐藏工作表“TiersCollection”的 {where}" in str(refused.value)


def test_the_data_sheet_asked_for_by_name_is_recognised_too(sent):
    detection = detect(open_source(sent["甲精密机械有限公司"]), sheet="采集表")
    assert detection.collection_year == 2025 and detection.mapping[4] == "credit_code"


def test_main_revenue_above_revenue_is_warned_at_its_cell_and_imported(database, sent):
    """The tester's 南渡轴承: 营业收入 3000, 主营业务收入 5000 came in without a word, to show
    up as 数据存疑 only in 对标预审, long after the firm had handed the form in. The preview
    warns at the cell (the same rule as 预审's: tiers.assess.firm.row_doubts), naming the
    other column; the figures are imported (a warning: the form is the firm's)."""
    path = fill(sent["甲精密机械有限公司"], {"营业收入\n（万元）": 3000,
                                        "主营业务收入\n（万元）": 5000})
    plan, _ = import_file(database, path)
    sheet = openpyxl.load_workbook(path)["采集表"]
    main, revenue = (column_of(sheet, "主营业务收入\n（万元）"),
                     column_of(sheet, "营业收入\n（万元）"))
    [warned] = [p for p in plan.all_problems() if "高于营业收入" in p.message]
    assert (warned.sheet, warned.row, warned.column, warned.severity) == (
        "采集表", 5, main, "warning")
    assert f"营业收入见 {revenue} 列" in warned.message and "5000" in warned.message, warned.message
    assert stored(database)["甲精密机械有限公司"].main_revenue == Decimal(5000)


def test_a_figure_above_the_recorded_revenue_is_warned_too(database, sent):
    """The rule reads the year as it will be stored: 研发费用 alone on the form, above the
    营业收入 already recorded for 2025 (an earlier form), is the same doubt."""
    import_file(database, fill(sent["甲精密机械有限公司"], {"营业收入\n（万元）": 300}))
    again = fill(sent["甲精密机械有限公司"], {"营业收入\n（万元）": None,
                                          "研发费用\n（万元）": 400})
    plan, _ = import_file(database, again)
    warned = [p for p in plan.all_problems() if "研发费用高于营业收入" in p.message]
    assert len(warned) == 1 and warned[0].row == 5, [p.message for p in plan.all_problems()]


def test_figures_typed_into_last_years_reference_columns_are_said_not_dropped(database, sent):
    """tester27's finding 3: a firm that lifted the protection and typed its 2025 figures
    into the grey 2024 columns was read as 无变化, its form lost without a word. Each such
    row is a warning naming the columns, what they hold, what the database holds and the
    column each figure belongs in, and the file says how many firms did it; nothing of
    them is imported (2025 or 2024), the firm is asked."""
    path = fill(sent["甲精密机械有限公司"], {}, reference={
        "营业收入\n（万元）": 12000, "研发费用\n（万元）": "350.5"})
    sheet = openpyxl.load_workbook(path)["采集表"]
    revenue_ref = column_of(sheet, "营业收入\n（万元）", last=True)
    revenue_in = column_of(sheet, "营业收入\n（万元）")
    rd_ref = column_of(sheet, "研发费用\n（万元）", last=True)
    rd_in = column_of(sheet, "研发费用\n（万元）")
    plan, _ = import_file(database, path)
    [row] = plan.rows
    assert row.action == "unchanged"
    [warned] = row.problems
    assert (warned.sheet, warned.row, warned.column, warned.severity) == (
        "采集表", 5, revenue_ref, "warning")
    assert warned.message == (
        "灰色的 2024 年度参考列中填了与发出时不同的数，未导入："
        f"{revenue_ref} 列 营业收入 12000（发出时为 900，2025 年度的应填在 {revenue_in} 列）；"
        f"{rd_ref} 列 研发费用 350.5（发出时为空，2025 年度的应填在 {rd_in} 列）；"
        "这一行 2025 年度各项都未填，可能整行填错了列。"
        "请退回企业核实，改填在白色的 2025 年度列中后再导入")
    [whole] = plan.problems
    assert (whole.row, whole.severity) == (None, "warning")
    assert whole.message.startswith("有 1 家企业在灰色的 2024 年度参考列（不需填写，不导入）中"
                                    "填了与发出时不同的数（第 5 行），这些数没有导入")
    assert stored(database) == {}
    with database.session() as session:
        assert session.execute(select(AnnualFigures.revenue, AnnualFigures.rd_expense)
                               .where(AnnualFigures.year == 2024)).all() == [(Decimal(900), None)]


def test_a_reference_column_as_sent_or_emptied_says_nothing(database, sent):
    """Last year's figure left as written (900, read back as a float), or deleted by the
    firm, is no figure typed in: no warning beside this year's figures."""
    path = fill(sent["甲精密机械有限公司"], {"营业收入\n（万元）": 1000},
                reference={"研发费用\n（万元）": None})
    plan, _ = import_file(database, path)
    assert not plan.all_problems()
    emptied = fill(sent["甲精密机械有限公司"], {"营业收入\n（万元）": 1100},
                   reference={"营业收入\n（万元）": None})
    plan, _ = import_file(database, emptied)
    assert not plan.all_problems()
    assert stored(database)["甲精密机械有限公司"].revenue == Decimal(1100)


def test_reference_columns_after_a_libreoffice_resave(database, sent, tmp_path):
    """Saved again by LibreOffice (as a firm without Excel does), the 900 sent stays quiet
    and the figure typed over it is still said."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    kept = fill(sent["甲精密机械有限公司"], {"营业收入\n（万元）": 950})
    typed = fill(sent["乙电子科技有限公司"], {}, reference={"营业收入\n（万元）": 456.7})
    out = tmp_path / "re-saved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "xlsx", "--outdir", str(out), str(kept), str(typed)],
                   check=True, capture_output=True, timeout=180)
    plan, _ = import_file(database, out / kept.name)
    assert not plan.all_problems()
    plan, _ = import_file(database, out / typed.name)
    [warned] = [p for p in plan.all_problems() if p.row == 5]
    assert "营业收入 456.7（发出时为空" in warned.message  # the printed values kept too
    assert stored(database)["甲精密机械有限公司"].revenue == Decimal(950)


# --- the reference columns compared with what the form printed (#16's follow-up) ---------

def set_last_year(database, name: str, values: dict) -> None:
    """The city (or the county) corrects a firm's 2024 figures after the forms were sent."""
    with database.session() as session:
        firm = session.scalar(select(Enterprise).where(Enterprise.name == name))
        figures.set_year(session, firm.id, 2024, values)


def test_a_last_year_figure_corrected_after_sending_does_not_warn_an_untouched_form(
        database, sent):
    """The review finding of #16: the grey 2024 columns were compared with the database
    as it is at the import, so every form sent before a correction of 2024 came back with
    “填了与库中不同的数” though the firm had typed nothing there. They are compared with
    what the form printed (kept in its hidden marker)."""
    set_last_year(database, "甲精密机械有限公司", {"revenue": Decimal(950),
                                             "rd_expense": Decimal(40)})
    set_last_year(database, "乙电子科技有限公司", {"revenue": Decimal(500)})  # printed blank
    for name, revenue in (("甲精密机械有限公司", 1000), ("乙电子科技有限公司", 600)):
        plan, _ = import_file(database, fill(sent[name], {"营业收入\n（万元）": revenue}))
        assert not plan.all_problems(), [p.message for p in plan.all_problems()]
    assert stored(database)["甲精密机械有限公司"].revenue == Decimal(1000)


def test_a_figure_typed_into_a_grey_cell_names_what_was_printed_and_what_was_typed(
        database, sent):
    set_last_year(database, "甲精密机械有限公司", {"revenue": Decimal(950)})
    path = fill(sent["甲精密机械有限公司"], {"研发费用\n（万元）": 30},
                reference={"营业收入\n（万元）": 12000, "研发费用\n（万元）": 35})
    sheet = openpyxl.load_workbook(path)["采集表"]
    revenue_ref, revenue_in, rd_ref, rd_in = (
        column_of(sheet, "营业收入\n（万元）", last=True), column_of(sheet, "营业收入\n（万元）"),
        column_of(sheet, "研发费用\n（万元）", last=True), column_of(sheet, "研发费用\n（万元）"))
    plan, _ = import_file(database, path)
    [warned] = plan.rows[0].problems
    assert (warned.row, warned.column, warned.severity) == (5, revenue_ref, "warning")
    assert warned.message == (
        "灰色的 2024 年度参考列中填了与发出时不同的数，未导入："
        f"{revenue_ref} 列 营业收入 12000（发出时为 900，库中现为 950，"
        f"2025 年度的应填在 {revenue_in} 列）；"
        f"{rd_ref} 列 研发费用 35（发出时为空，2025 年度的应填在 {rd_in} 列）。"
        "请退回企业核实，改填在白色的 2025 年度列中后再导入")
    [whole] = plan.problems
    assert whole.message.startswith("有 1 家企业在灰色的 2024 年度参考列（不需填写，不导入）中"
                                    "填了与发出时不同的数（第 5 行）")


def test_a_grey_cell_set_to_the_corrected_figure_is_still_typing(database, sent):
    """950 is what the database holds now, but the form printed 900: the firm typed it."""
    set_last_year(database, "甲精密机械有限公司", {"revenue": Decimal(950)})
    plan, _ = import_file(database, fill(sent["甲精密机械有限公司"], {},
                                         reference={"营业收入\n（万元）": 950}))
    [warned] = plan.rows[0].problems
    assert "营业收入 950（发出时为 900，库中现为 950" in warned.message


def swap_firm_rows(path, first: int, second: int) -> None:
    """As a firm re-sorting the table would (the values of the two rows exchanged)."""
    book = openpyxl.load_workbook(path)
    sheet = book["采集表"]
    for column in range(1, sheet.max_column + 1):
        one, two = sheet.cell(first, column), sheet.cell(second, column)
        one.value, two.value = two.value, one.value
    book.save(path)


def test_rows_are_matched_to_what_was_printed_by_credit_code_not_position(database, tmp_path):
    """A town's form of two firms, re-sorted by the firm: each row is compared with what
    was printed for its own credit code, wherever the row now is."""
    ids = [add_enterprise(database, name, serial, town="湖塘镇") for serial, name in
           enumerate(("甲精密机械有限公司", "乙电子科技有限公司"), start=1)]
    with database.session() as session:
        figures.set_year(session, ids[0], 2024, {"revenue": Decimal(900)})
        figures.set_year(session, ids[1], 2024, {"revenue": Decimal(300)})
        request = collection.CollectionRequest(letter=Letter(year=2025),
                                               split=collection.PER_TOWN)
        [path] = drain(collection.export_steps(session, request, tmp_path / "发出",
                                               replace_foreign=False))
    sheet = openpyxl.load_workbook(path)["采集表"]
    assert [sheet.cell(row, 4).value for row in (5, 6)] == ["甲精密机械有限公司", "乙电子科技有限公司"]
    swap_firm_rows(path, 5, 6)
    set_last_year(database, "甲精密机械有限公司", {"revenue": Decimal(950)})
    plan, _ = import_file(database, path)
    assert not plan.all_problems(), [p.message for p in plan.all_problems()]
    book = openpyxl.load_workbook(path)
    revenue_ref = column_of(book["采集表"], "营业收入\n（万元）", last=True)
    book["采集表"][f"{revenue_ref}6"] = 777  # 甲's row, now the second
    book.save(path)
    plan, _ = import_file(database, path)
    [warned] = [p for p in plan.all_problems() if p.row is not None]
    assert warned.row == 6 and "营业收入 777（发出时为 900，库中现为 950" in warned.message


def clear_printed(path) -> None:
    """The form as Tiers wrote it before the printed values were kept: the marker's
    columns A–D only."""
    book = openpyxl.load_workbook(path)
    marker = book["TiersCollection"]
    assert marker["F5"].value == "printed"
    marker.delete_cols(5, marker.max_column)
    book.save(path)


def test_a_form_of_the_old_layout_still_compares_with_the_database(database, sent):
    """Forms written before the marker kept the printed values are out with firms: their
    grey columns are compared with the database, as before."""
    path = sent["甲精密机械有限公司"]
    clear_printed(path)
    set_last_year(database, "甲精密机械有限公司", {"revenue": Decimal(950)})
    plan, _ = import_file(database, fill(path, {"营业收入\n（万元）": 1000}))
    [warned] = plan.rows[0].problems
    assert warned.message.startswith("灰色的 2024 年度参考列中填了与库中不同的数，未导入：")
    assert "营业收入 900（库中为 950，" in warned.message


@pytest.mark.parametrize(("cell", "value", "where"), [
    ("G6", "九百", "G6（印出的数）"), ("G6", "1e300", "G6（印出的数）"),
    ("G6", "nan", "G6（印出的数）"), ("G5", "whatever", "G5（字段）"), ("H5", None, "H5（字段）"),
    ("H5", "revenue", "H5（字段）"),  # the same field twice
    ("F6", None, "F6（信用代码）"),
])
def test_forged_printed_values_are_refused_in_chinese(sent, cell, value, where):
    path = sent["甲精密机械有限公司"]
    book = openpyxl.load_workbook(path)
    book["TiersCollection"][cell] = value
    book.save(path)
    with pytest.raises(ImportRefused, match="隐藏标记") as refused:
        detect(open_source(path))
    assert f"隐藏工作表“TiersCollection”的 {where}" in str(refused.value)


def test_a_credit_code_printed_twice_is_refused(sent):
    path = sent["甲精密机械有限公司"]
    book = openpyxl.load_workbook(path)
    marker = book["TiersCollection"]
    for column in range(6, marker.max_column + 1):
        marker.cell(7, column).value = marker.cell(6, column).value
    book.save(path)
    with pytest.raises(ImportRefused, match="F7（信用代码）"):
        detect(open_source(path))


def test_the_printed_values_keep_the_marker_readable_by_the_first_layouts_rules(sent, tmp_path):
    """Layout 1 still: Tiers of today reads columns A–D of the marker (the column lines,
    skipping a line whose A–C are blank) and refuses a layout above 1. The printed values
    are a table of their own from F5 on, so a form sent now is still read by it."""
    book = openpyxl.load_workbook(sent["甲精密机械有限公司"])
    marker = book["TiersCollection"]
    assert marker["B1"].value == 1 and marker["F5"].value == "printed"
    lines = [[cell.value for cell in row[:4]] for row in marker.iter_rows(min_row=6)]
    columns = [line for line in lines if any(value is not None for value in line[:3])]
    assert len(columns) == book["采集表"].max_column  # one line per column, nothing more
    assert all(value is None for row in marker.iter_rows(min_row=6) for value in
               [cell.value for cell in row[4:5]])  # E: the gap between the two tables
