"""Bad and hostile files: each refused with a Chinese message, nothing written."""

import json
import zipfile

import pytest

from importers import ImportRefused, detect, open_source
from importers.read import sources
from tests.conftest import make_code
from tests.importers.helpers import DATA, table_counts, write_xlsx
from ui.cli.main import main


def _valid(tmp_path):
    return write_xlsx(tmp_path / "ok.xlsx", {"S": [["企业名称", "统一社会信用代码"],
                                                  ["甲有限公司", make_code(1)]]})


def _zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    return path


def _truncated(tmp_path):
    data = _valid(tmp_path).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _corrupt_member(tmp_path):
    """A zip whose directory is fine but whose sheet XML is garbage."""
    source = _valid(tmp_path)
    path = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = b"<worksheet><sheetData><row><c r=" + b"\xff" * 50
            dst.writestr(item, data)
    return path


def _docx(tmp_path):
    path = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return path


def _plain_zip(tmp_path):
    path = tmp_path / "files.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return path


def _ole_garbage(tmp_path):
    path = tmp_path / "broken.xls"
    path.write_bytes(sources.OLE2_MAGIC + b"\x00" * 100)
    return path


CASES = {
    "empty": (lambda t: _write(t / "empty.xlsx", b""), "空文件"),
    "text named xlsx": (lambda t: _write(t / "text.xlsx", "企业名称,代码\n甲,1\n".encode()),
                        "不是 Excel 工作簿"),
    "truncated": (_truncated, "损坏或不完整"),
    "corrupt member": (_corrupt_member, "损坏"),
    "encrypted": (lambda t: DATA / "encrypted.xlsx", "密码"),
    "broken ole": (_ole_garbage, "损坏"),
    "html as xls": (lambda t: _write(t / "web.xls", b"<html><table><tr><td>1</td></tr></table>"),
                    "网页"),
    "wps et": (lambda t: _write(t / "roster.et", sources.OLE2_MAGIC + b"\0" * 600), "WPS"),
    "pdf": (lambda t: _write(t / "list.pdf", b"%PDF-1.7\n"), "PDF"),
    "pdf named xlsx": (lambda t: _write(t / "list.xlsx", b"%PDF-1.7\n"), "PDF"),
    "zip bomb": (lambda t: _zip_bomb(t / "bomb.xlsx"), "恶意"),
    "word": (_docx, "Word"),
    "plain zip": (_plain_zip, "不是 Excel"),
    "headers only": (lambda t: write_xlsx(t / "h.xlsx", {"S": [["企业名称", "统一社会信用代码"]]}),
                     "只有表头"),
    "meaningless headers": (lambda t: write_xlsx(t / "m.xlsx", {"S": [["甲", "乙", "丙"],
                                                                       [1, 2, 3]]}),
                            "未能识别表头"),
    "blank workbook": (lambda t: write_xlsx(t / "b.xlsx", {"S": []}), "没有任何内容"),
    "binary csv": (lambda t: _write(t / "x.csv", b"\x00\x01\x02abc"), "不是文本"),
    "unknown encoding": (lambda t: _write(t / "x.csv", "企业名称,代码\n".encode() + b"abc\x80def"), "编码"),
    "unknown suffix": (lambda t: _write(t / "x.docx", b"hello"), "不支持"),
}


def _write(path, data):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_with_chinese_message_and_nothing_written(case, tmp_path, database, capsys, db_target):
    build, fragment = CASES[case]
    path = build(tmp_path)
    with pytest.raises(ImportRefused) as caught:
        detect(open_source(path))
    assert fragment in str(caught.value)
    before = table_counts(database)
    status = main(["--db", str(db_target), "import", str(path)])
    assert status == 2
    assert fragment in capsys.readouterr().err
    assert table_counts(database) == before


def test_size_cap(tmp_path):
    path = _valid(tmp_path)
    with pytest.raises(ImportRefused, match="超过导入上限"):
        open_source(path, max_bytes=100)


def test_zip_declared_size_checked_before_parsing(tmp_path, monkeypatch):
    """The cap is read from the zip's directory: the parser is never called."""
    path = _valid(tmp_path)
    monkeypatch.setattr(sources, "MAX_UNCOMPRESSED_BYTES", 10)

    def explode(*args, **kwargs):
        raise AssertionError("parser reached")

    monkeypatch.setattr(sources.python_calamine.CalamineWorkbook, "from_path", explode)
    with pytest.raises(ImportRefused, match="解压后"):
        open_source(path)


def test_unknown_sheet_lists_the_sheets(tmp_path):
    path = _valid(tmp_path)
    with pytest.raises(ImportRefused, match="工作表有：S"):
        detect(open_source(path), sheet="名单")


def test_csv_named_csv_with_excel_content_is_read_as_excel(tmp_path):
    path = _valid(tmp_path)
    renamed = tmp_path / "roster.csv"
    renamed.write_bytes(path.read_bytes())
    assert detect(open_source(renamed)).sheet == "S"


def test_stale_plan_is_refused(database, tmp_path):
    from importers import apply_plan, build_plan, drain
    from tiers.services import enterprises

    path = _valid(tmp_path)
    detection = detect(open_source(path))
    with database.session() as session:
        plan = drain(build_plan(session, detection))
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(2), "name": "别人刚加的有限公司"})
    before = table_counts(database)
    with database.session() as session, pytest.raises(ImportRefused, match="重新生成预览"):
        drain(apply_plan(session, plan))
    assert table_counts(database) == before


def test_cancel_rolls_back(database, tmp_path):
    from importers import Cancelled, apply_plan, build_plan, drain

    rows = [["企业名称", "统一社会信用代码"]] + [[f"企业{i}有限公司", make_code(100 + i)]
                                             for i in range(12000)]
    path = write_xlsx(tmp_path / "big.xlsx", {"S": rows})
    detection = detect(open_source(path))
    before = table_counts(database)
    with database.session() as session:
        plan = drain(build_plan(session, detection))
        seen = []
        with pytest.raises(Cancelled):
            drain(apply_plan(session, plan), lambda p: seen.append(p) or len(seen) > 1)
    assert table_counts(database) == before


def test_a_list_without_a_tier_names_what_is_missing_and_the_cli_says_where(
        database, tmp_path, capsys, db_target):
    """The library's refusal names no option nor widget; the command line adds its own
    hint, so what it prints reads as it always did."""
    from importers import build_plan, drain
    from importers.errors import ChoiceMissing

    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [["企业名称", "统一社会信用代码"],
                                                    ["甲有限公司", make_code(1)]]})
    source = open_source(path)
    detection = detect(source).with_options(kind="recognitions")
    with database.session() as session, pytest.raises(ChoiceMissing) as refused:
        drain(build_plan(session, detection))
    source.close()
    assert refused.value.hint_field == "tier"
    assert "--" not in str(refused.value) and "导入向导" not in str(refused.value)
    assert main(["--db", str(db_target), "import", str(path), "--kind", "recognitions",
                 "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["refused"] == (
        "未能从标题、工作表名或文件名识别梯度层级（如 小巨人、省级专精特新），"
        "请指定（导入向导中的“梯度层级”，命令行用 --tier）。")


SHEET_HOLDS_NO_LIST = {"headers only", "meaningless headers", "blank workbook"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_only_a_sheet_holding_no_list_is_a_sheet_refusal(case, tmp_path):
    """SheetRefused (the wizard greys 下一步 on that sheet for good) only where reading the
    sheet again gives the same: no header, only a header, nothing; a file broken, locked or
    of another kind is a plain ImportRefused, worth a retry once put right."""
    from importers.errors import SheetRefused

    with pytest.raises(ImportRefused) as caught:
        detect(open_source(CASES[case][0](tmp_path)))
    assert isinstance(caught.value, SheetRefused) == (case in SHEET_HOLDS_NO_LIST)
