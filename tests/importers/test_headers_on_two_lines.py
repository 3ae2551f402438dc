"""A header written on two lines (县\n（市、区）, 金额\n（万元）: Tiers's own reports put a
bracketed unit on a line of its own so that ） is not left alone) is shown and quoted on
one line: in the columns' table the wizard and ``tiers import`` list, and in the importer's
messages. The rule is the importers' (``columns.shown_header``), not each screen's."""

from __future__ import annotations

from importers import detect, open_source
from importers.columns import shown_header
from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, plan_file, write_xlsx
from ui.cli import main as cli

ROWS = [["企业名称", "统一社会信用代码", "县\n（市、区）", "营业收入\n（万元）", "利润总额\r\n（万元）"],
        ["甲科技有限公司", make_code(1), "武进区", 3000, 400]]


def test_shown_header_removes_line_breaks():
    assert shown_header("县\n（市、区）") == "县（市、区）"
    assert shown_header("金额\r\n（万元）") == "金额（万元）"
    assert shown_header(None) == ""
    assert shown_header("企业名称") == "企业名称"


def test_the_columns_table_shows_a_two_line_header_on_one_line(tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": ROWS})
    detection = detect(open_source(path))
    table = detection.column_table()
    assert [c["header"] for c in table] == [
        "企业名称", "统一社会信用代码", "县（市、区）", "营业收入（万元）", "利润总额（万元）"]
    assert table[2]["field"] == "county"
    # the header as read stays as it is (the saved columns are keyed on it)
    assert detection.headers[2] == "县\n（市、区）"


def test_the_messages_quote_a_two_line_header_on_one_line(database, tmp_path):
    add_enterprise(database, "甲科技有限公司", 1)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": ROWS})
    plan = plan_file(database, path, kind="recognitions", tier="little_giant")
    messages = [p.message for p in plan.problems]
    assert any(m.startswith("D 营业收入（万元）是年度数据，“")
               for m in messages), messages
    assert "E 列“利润总额（万元）”未导入：利润总额是税前利润，不是净利润" in messages, messages
    assert not any("\n" in m or "\r" in m for m in messages), messages


def test_tiers_import_lists_a_two_line_header_on_one_line(tmp_path, capsys):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": ROWS})
    assert cli.main(["--db", str(tmp_path / "t.sqlite3"), "import", str(path), "--kind",
                     "roster", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "  C 县（市、区） → " in out, out
    assert "E 利润总额（万元）" in out, out
