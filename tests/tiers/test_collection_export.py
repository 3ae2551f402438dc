"""The 采集表 (#17): the workbook sent to firms for their yearly figures, read back with
openpyxl as a firm's spreadsheet program would see it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from tiers.progress import drain
from tiers.queries.roster import RosterFilter
from tiers.reports import collection
from tiers.reports.base import ReportError
from tiers.reports.collection_book import Letter
from tiers.services import figures

LETTER = Letter(year=2025, unit="常州市武进区工业和信息化局", officer="王丽", phone="0519-86310000",
                return_to="wjgxj@example.cn", deadline=dt.date(2026, 3, 31), area="武进区")


@pytest.fixture
def firms(session, enterprise_factory):
    made = [enterprise_factory("常州恒立液压科技有限公司", town="湖塘镇"),
            enterprise_factory("常州天合精密机械有限公司", town="牛塘镇"),
            enterprise_factory("常州/新北:机械*有限公司", town="牛塘镇")]
    figures.set_year(session, made[0].id, 2024, {"revenue": Decimal("5200.5"), "employees": 310,
                                                 "market_share": Decimal("12.5")})
    figures.set_year(session, made[0].id, 2023, {"revenue": Decimal("4000")})
    return made


def export(session, target, **options):
    request = collection.CollectionRequest(letter=LETTER, **options)
    return drain(collection.export_steps(session, request, target, replace_foreign=False))


def header_index(sheet, text):
    return next(cell.column for cell in sheet[4] if cell.value == text)


def test_one_workbook_prefills_firms_and_greys_last_years_figures(session, firms, tmp_path):
    [path] = export(session, tmp_path / "采集表.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["填表说明", "采集表", "TiersCollection"]
    assert book["TiersCollection"].sheet_state == "hidden"
    sheet = book["采集表"]
    assert sheet["A1"].value == "武进区2025年度企业数据采集表"
    names = [sheet.cell(row, 4).value for row in range(5, 8)]
    assert "常州恒立液压科技有限公司" in names and sheet["E5"].value
    row = 5 + names.index("常州恒立液压科技有限公司")
    inputs = header_index(sheet, "营业收入\n（万元）")
    reference = max(c.column for c in sheet[4] if c.value == "营业收入\n（万元）")
    assert sheet[3][inputs - 1].value == "2025 年度数据（请填写）"
    assert sheet.cell(row, inputs).value is None  # this year: empty, to be filled
    assert sheet.cell(row, reference).value == 5200.5  # last year (2024), not 2023
    assert sheet.cell(row, inputs).protection.locked is False
    assert sheet.cell(row, reference).protection.locked is True
    assert sheet.cell(row, 4).protection.locked is True
    assert sheet.protection.sheet is True and not sheet.protection.password
    assert sheet.freeze_panes == "F5"
    headers = [c.value for c in sheet[4]]
    for label in ("专精特新发展评价得分", "国内细分市场排名", "主导产品收入占比\n（%）",
                  "国家级研发机构\n（个）", "新增股权融资\n（万元）", "从业人员\n（人）"):
        assert headers.count(label) == 2, label  # to fill, and for reference


def test_input_cells_validate_what_is_typed_and_say_so(session, firms, tmp_path):
    [path] = export(session, tmp_path / "采集表.xlsx")
    sheet = openpyxl.load_workbook(path)["采集表"]
    rules = {str(rule.sqref).split(":")[0]: rule for rule in sheet.data_validations.dataValidation}
    letter = {text: openpyxl.utils.get_column_letter(header_index(sheet, text))
              for text in ("营业收入\n（万元）", "净利润\n（万元）", "从业人员\n（人）",
                           "细分市场占有率\n（%）", "国内细分市场排名")}
    revenue = rules[letter["营业收入\n（万元）"] + "5"]
    assert (revenue.type, revenue.operator, float(revenue.formula1)) == ("decimal",
                                                                          "greaterThanOrEqual", 0)
    assert revenue.promptTitle == "营业收入" and "万元" in revenue.prompt
    assert revenue.errorStyle in (None, "stop") and revenue.showErrorMessage
    column = letter["营业收入\n（万元）"]
    assert str(revenue.sqref) == f"{column}5:{column}7"
    assert float(rules[letter["净利润\n（万元）"] + "5"].formula1) < 0  # a loss may be typed
    assert rules[letter["从业人员\n（人）"] + "5"].type == "whole"
    share = rules[letter["细分市场占有率\n（%）"] + "5"]
    assert share.operator in (None, "between")  # (between is the default, left unwritten)
    assert (share.type, float(share.formula1), float(share.formula2)) == ("decimal", 0, 100)
    assert float(rules[letter["国内细分市场排名"] + "5"].formula1) == 1  # a place: 1 = first


def test_instructions_say_units_deadline_and_where_to_send(session, firms, tmp_path):
    [path] = export(session, tmp_path / "采集表.xlsx")
    guide = openpyxl.load_workbook(path)["填表说明"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "2026年3月31日" in text and "wjgxj@example.cn" in text and "王丽" in text
    assert "万元" in text and "0519-86310000" in text
    assert "主导产品收入占比（%）" in text and "0–100" in text


def test_one_file_per_firm_or_town_named_safely(session, firms, tmp_path):
    paths = export(session, tmp_path / "各企业", split=collection.PER_FIRM)
    assert len(paths) == 3 and all(p.parent == tmp_path / "各企业" for p in paths)
    assert {p.name for p in paths} >= {"2025年度数据采集表_常州_新北_机械_有限公司.xlsx"}
    one = openpyxl.load_workbook(paths[0])["采集表"]
    assert one["D5"].value and one["D6"].value is None
    towns = export(session, tmp_path / "各镇", split=collection.PER_TOWN)
    assert sorted(p.name for p in towns) == ["2025年度数据采集表_武进区湖塘镇.xlsx",
                                             "2025年度数据采集表_武进区牛塘镇.xlsx"]
    assert openpyxl.load_workbook(towns[0])["采集表"]["A1"].value.startswith("武进区")


def test_safe_names():
    assert collection.safe_name('a<b>c:"d"/e\\f|g?h*') == "a_b_c_d_e_f_g_h_"
    assert collection.safe_name("CON") == "_CON"
    assert collection.safe_name("  名称. ") == "名称"
    assert len(collection.safe_name("长" * 300)) == collection.MAX_NAME


def test_chosen_firms_and_filters(session, firms, tmp_path):
    [path] = export(session, tmp_path / "选中.xlsx", ids=(firms[1].id,))
    sheet = openpyxl.load_workbook(path)["采集表"]
    assert sheet["D5"].value == "常州天合精密机械有限公司" and sheet["D6"].value is None
    [path] = export(session, tmp_path / "牛塘.xlsx", filters=RosterFilter(town="牛塘"))
    sheet = openpyxl.load_workbook(path)["采集表"]
    assert {sheet["D5"].value, sheet["D6"].value} == {"常州天合精密机械有限公司",
                                                      "常州/新北:机械*有限公司"}
    with pytest.raises(ReportError, match="没有符合条件的企业"):
        export(session, tmp_path / "无.xlsx", filters=RosterFilter(town="雪堰"))


def test_cancelling_leaves_no_file(session, firms, tmp_path):
    """Nor the folder it would have made (a new folder is built hidden, renamed at the end);
    in a folder that was there, nothing but what was there."""
    folder = tmp_path / "各企业"
    request = collection.CollectionRequest(letter=LETTER, split=collection.PER_FIRM)
    steps = collection.export_steps(session, request, folder, replace_foreign=False)
    next(steps)
    next(steps)  # the first file is written, not yet in place
    steps.close()
    assert not folder.exists()
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("test.sqlite3")] == []
    folder.mkdir()
    (folder / "说明.txt").write_text("已有的文件", encoding="utf-8")
    steps = collection.export_steps(session, request, folder, replace_foreign=False)
    next(steps)
    next(steps)
    steps.close()
    assert [p.name for p in folder.iterdir()] == ["说明.txt"]


def test_a_folder_is_needed_for_several_files(session, firms, tmp_path):
    with pytest.raises(ReportError, match="文件夹"):
        export(session, tmp_path / "x.xlsx", split=collection.PER_TOWN)


def test_a_workbook_given_up_leaves_no_temporary_folder(session, firms, tmp_path,
                                                         monkeypatch):
    """A firm's workbook that fails while it is written (or one written) leaves nothing in
    the temporary folder: each workbook keeps its temporary files in a folder of its own."""
    import tempfile

    from tiers.reports.collection_book import CollectionBook

    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    export(session, tmp_path / "全部.xlsx")
    assert list(temporary.iterdir()) == []

    def failing(self, group):
        raise RuntimeError("写到一半")

    monkeypatch.setattr(CollectionBook, "write", failing)
    with pytest.raises(RuntimeError):
        export(session, tmp_path / "又一份.xlsx")
    assert list(temporary.iterdir()) == []


def test_a_workbook_per_firm_makes_no_temporary_files(session, firms, tmp_path, monkeypatch):
    """Per firm, XlsxWriter's 13 temporary parts (and a folder for them) were made and
    removed for every workbook: on a server's 3,000 firms that was most of the export's
    time. A small workbook is now assembled in memory; a large one still uses the files."""
    import tempfile

    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    made: list[str] = []
    for name in ("mkstemp", "mkdtemp"):
        real = getattr(tempfile, name)

        def making(*args, _real=real, **kwargs):
            result = _real(*args, **kwargs)
            made.append(result if isinstance(result, str) else result[1])
            return result

        monkeypatch.setattr(tempfile, name, making)
    paths = export(session, tmp_path / "各企业", split=collection.PER_FIRM)
    assert len(paths) == 3
    assert [path for path in made if path.startswith(str(temporary))] == []
    monkeypatch.setattr(collection, "IN_MEMORY_FIRMS", 2)  # three firms in one file: large
    export(session, tmp_path / "全部.xlsx")
    assert [path for path in made if path.startswith(str(temporary))]
    assert list(temporary.iterdir()) == []
