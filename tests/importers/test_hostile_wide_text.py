"""CSVs no roster is (the break campaign of #17): one line of 100,000 columns, and 1 MB with
no line break at all, each took 10–12 s to refuse, the header search matching every one of
their column labels against ~330 synonyms in turn. A line cut into more columns than an
Excel sheet has (16,384) is refused as it is read, saying which line, how many columns and
on which character; a wide sheet that is allowed is searched for its header at a few µs a
label, each label matched once."""

from __future__ import annotations

import random

import pytest

from importers import ImportRefused, columns, detect, open_source
from importers.read import header
from importers.read.detect import other_lists
from tests.importers.helpers import write_xlsx

MAX_COLUMNS = 16_384  # an Excel sheet's columns (XFD)


def _refusal(path) -> str:
    with pytest.raises(ImportRefused) as refused:
        open_source(path)
    return str(refused.value)


def test_a_line_of_100000_columns_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("企业名称,统一社会信用代码\n" + ",".join(f"列{i}" for i in range(99_999))
                    + "\n", encoding="utf-8")
    assert _refusal(path) == (
        "“名单.csv”第 2 行按逗号分成 99,999 列，超过 Excel 工作表最多的 16,384 列，不像名单："
        "可能不是名单文件，或分隔符不对。请用 Excel 或 WPS 打开核对，另存为 .xlsx 再导入。")


def test_a_megabyte_without_a_line_break_is_refused_saying_so(tmp_path):
    path = tmp_path / "导出.txt"
    random.seed(17)
    path.write_text("".join(random.choice("企业名称abc\t") for _ in range(350_000)),
                    encoding="utf-8")
    message = _refusal(path)
    assert message.startswith("“导出.txt”第 1 行按制表符分成 ")
    assert "（整个文件没有换行，全部内容都在这一行），超过 Excel 工作表最多的 16,384 列" in message


def test_quoted_cells_are_counted_as_csv_splits_them(tmp_path):
    """A line with quotes may hold delimiters inside its cells: it is split first, then
    counted (20,000 quoted cells, 40,000 commas are refused as 20,000 columns)."""
    path = tmp_path / "名单.csv"
    path.write_text(",".join('"a,b"' for _ in range(20_000)) + "\n", encoding="utf-8")
    assert "第 1 行按逗号分成 20,000 列，" in _refusal(path)
    path.write_text("企业名称,备注\n常州甲公司,\"" + "，、," * 10_000 + "\"\n", encoding="utf-8")
    assert open_source(path).sheet("名单").rows[1][0] == "常州甲公司"  # 2 columns, 30,000 commas


def test_as_wide_as_a_sheet_is_read(tmp_path):
    path = tmp_path / "名单.csv"
    filler = "," * (MAX_COLUMNS - 2)
    path.write_text(f"企业名称,统一社会信用代码{filler}\n常州甲公司,{filler}\n", encoding="utf-8")
    rows = open_source(path).sheet("名单").rows
    assert [len(row) for row in rows] == [MAX_COLUMNS, MAX_COLUMNS]
    path.write_text(f"企业名称,统一社会信用代码{filler},\n", encoding="utf-8")
    assert "分成 16,385 列" in _refusal(path)


def test_the_header_search_matches_each_label_once(tmp_path, monkeypatch):
    """Each of the 25 rows searched is read alone, as a pair's lower and as a pair's upper
    row: 16,000 columns × 25 rows took 29 s, matching each label ~5 times."""
    labels = [f"列{i}" for i in range(300)]
    rows = [["企业名称", "统一社会信用代码", *labels] for _ in range(3)]
    rows += [["常州甲公司", "", *labels] for _ in range(22)]
    path = write_xlsx(tmp_path / "名单.xlsx", {"名单": rows})
    matched: list[str] = []
    match = columns.match_header

    def counting(label):
        matched.append(label)
        return match(label)

    monkeypatch.setattr(columns, "match_header", counting)
    monkeypatch.setattr(header.columns, "match_header", counting)
    detection = detect(open_source(path))
    assert detection.header_rows == (0,)
    assert len(matched) == len(set(matched))


def test_the_synonym_found_within_a_label_is_the_one_tried_in_turn_found():
    """The longest synonym (the first of equals) of three characters or more that a label
    holds: the index finds what trying each in turn found."""
    _exact, by_length = columns._synonym_index()

    def in_turn(key):
        return next(((synonym, field) for synonym, field in by_length
                     if len(synonym) >= 3 and synonym in key), None)

    synonyms = [synonym for synonym, _ in by_length]
    letters = sorted(set("".join(synonyms)))
    random.seed(3)
    keys = [random.choice(synonyms)[random.randint(0, 2):] + random.choice(synonyms)
            for _ in range(3000)]
    keys += ["".join(random.choice(letters) for _ in range(random.randint(1, 24)))
             for _ in range(3000)]
    for key in keys:
        assert columns._longest_within(key) == in_turn(key), key


def test_a_header_of_more_columns_than_a_list_has_is_refused(tmp_path):
    """The import wizard builds a field chooser for each named column: over 16,000 it froze
    the window for 3½ minutes. A list has at most a few hundred; over 1,000 is refused."""
    path = tmp_path / "宽.csv"

    def write(named: int) -> None:
        labels = [f"列{i}" for i in range(named - 2)]
        path.write_text(",".join(["企业名称", "统一社会信用代码", *labels]) + "\n常州甲公司,"
                        + "," * len(labels) + "\n", encoding="utf-8")

    write(1_000)
    assert len(detect(open_source(path)).headers) == 1_000
    write(1_001)
    with pytest.raises(ImportRefused) as refused:
        detect(open_source(path))
    assert str(refused.value) == (
        "工作表“宽”的表头（第 1 行）有 1,001 列，名单不会有这么多列（最多 1,000 列）：可能不是名单，"
        "或选错了工作表。请只保留需要导入的列，另存为 .xlsx 再导入。")


def _list_beside_a_wide_sheet(tmp_path):
    """A workbook whose list sits beside one sheet of 1,001 named columns, whose header means
    more (more recognised columns) and so scored higher: the whole workbook was refused."""
    wide = ["企业名称", "统一社会信用代码", "所属区县", "所属行业", "注册资本",
            *[f"列{i}" for i in range(996)]]
    return write_xlsx(tmp_path / "名单.xlsx", {
        "宽表": [wide, ["常州宽公司", None, "武进区"]],
        "名单": [["企业名称", "统一社会信用代码"], ["常州甲有限公司", None]],
    })


def test_a_list_beside_a_too_wide_sheet_is_chosen(tmp_path):
    from importers.template.layout import read_layout

    path = _list_beside_a_wide_sheet(tmp_path)
    assert detect(open_source(path)).sheet == "名单"
    assert read_layout(path).sheet == "名单"
    with pytest.raises(ImportRefused, match="工作表“宽表”的表头（第 1 行）有 1,001 列"):
        detect(open_source(path), "宽表")  # named by the officer: refused, naming it


def test_a_workbook_of_only_too_wide_sheets_is_refused_naming_the_sheet(tmp_path):
    from importers.template.layout import read_layout

    path = write_xlsx(tmp_path / "宽.xlsx", {
        "说明": [["本表说明"]],
        "宽表": [["企业名称", "统一社会信用代码", *[f"列{i}" for i in range(999)]],
                 ["常州宽公司"]]})
    for read in (lambda: detect(open_source(path)), lambda: read_layout(path)):
        with pytest.raises(ImportRefused, match="工作表“宽表”的表头（第 1 行）有 1,001 列"):
            read()


def test_a_too_wide_sheet_is_not_mentioned_as_another_list(tmp_path):
    """tiers import (and the wizard) mention the other sheets that hold a list, to be
    imported with --sheet: a too wide sheet was mentioned, then refused when named. The one
    rule of list_header leaves it out there as in the choice of the sheet."""
    path = _list_beside_a_wide_sheet(tmp_path)
    source = open_source(path)
    assert detect(source).sheet == "名单"
    assert other_lists(source, "名单") == []
