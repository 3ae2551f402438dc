"""Tiers's own exports that an officer may feed back to 导入 are taken as what they are.
The list `tiers enterprises --format csv` writes (one row per firm, with 认定年度 and a
扶持金额 column) was guessed as 扶持措施 by `tiers import` and the wizard alike (both go
through importers.detect): 5,999 rows 未匹配 (tester22)."""

from __future__ import annotations

import json

import pytest

from importers import detect, open_source
from importers.errors import ImportRefused
from tiers.reports.current_list import ListColumn, write_current_list
from ui.cli.main import main
from ui.roster_cells import COLUMNS as ROSTER_TABLE_COLUMNS


@pytest.fixture
def db(db_target, database, capsys):
    args = ["--db", str(db_target)]
    assert main([*args, "demo", "--enterprises", "25", "--seed", "7"]) == 0
    capsys.readouterr()
    return args


def _dry_run(db, path, capsys) -> dict:
    assert main([*db, "import", str(path), "--dry-run", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_enterprises_csv_is_read_back_as_a_roster_of_the_same_firms(db, tmp_path, capsys):
    assert main([*db, "enterprises", "--format", "csv"]) == 0
    path = tmp_path / "企业.csv"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    assert "扶持金额" in path.read_text(encoding="utf-8").splitlines()[0]
    result = _dry_run(db, path, capsys)
    assert result["kind"] == "roster"
    assert (result["rows"], result["unmatched"], result["errors"]) == (25, 0, 0)
    assert result["unchanged"] == 25


def test_the_roster_tables_current_list_is_a_roster_whichever_columns_are_shown(tmp_path):
    """The 企业库's 导出当前列表 writes the columns in view, titled as the table shows them,
    under a title and a line of filters: still a roster, whichever columns are hidden."""
    shown = [c for c in ROSTER_TABLE_COLUMNS
             if c.key in ("name", "credit_code", "town", "year", "support_total")]
    values = {"name": "常州甲科技有限公司", "credit_code": "91320412MA1MCHK84W",
              "town": "湖塘镇", "year": "2024", "support_total": 12.5}
    path = write_current_list(
        tmp_path / "企业库.xlsx", title="企业库", description="筛选：全部",
        columns=[ListColumn(c.title, money=c.key == "support_total") for c in shown],
        rows=[[values[c.key] for c in shown]])
    assert detect(open_source(path)).kind == "roster"


def test_a_list_of_support_measures_with_amounts_stays_a_support_list(tmp_path):
    """The 扶持措施 page's 导出当前列表: one row per measure, a support list."""
    path = write_current_list(
        tmp_path / "扶持措施.xlsx", title="扶持措施", description="筛选：全部",
        columns=[ListColumn("年度"), ListColumn("企业名称"), ListColumn("县区"),
                 ListColumn("镇街"), ListColumn("措施类别"), ListColumn("项目名称"),
                 ListColumn("金额（万元）", money=True), ListColumn("兑现日期")],
        rows=[["2025", "常州甲科技有限公司", "武进区", "湖塘镇", "资金奖补", "首台套", 30,
               "2025-06-01"]])
    assert detect(open_source(path)).kind == "support"


def test_the_roster_report_is_a_recognition_list_and_other_reports_are_refused(
        db, tmp_path, capsys):
    roster = tmp_path / "名单.xlsx"
    assert main([*db, "export", "roster", str(roster), "--quiet"]) == 0
    support = tmp_path / "扶持.xlsx"
    assert main([*db, "export", "support", str(support), "--quiet"]) == 0
    capsys.readouterr()
    assert _dry_run(db, roster, capsys)["kind"] == "recognitions"
    with pytest.raises(ImportRefused, match="扶持措施兑现情况表"):
        detect(open_source(support))
