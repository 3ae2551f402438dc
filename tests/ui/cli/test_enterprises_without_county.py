"""``tiers enterprises --county none``: the firms without a county code (a 开发区's, a blank
county), as ``tiers package export --county none`` sends them (tester27b #9: it listed
“共 0 家” of 15); ``tiers export`` names them so in its title; the 企业库's 县区 filter offers
（未填区县） for the same firms."""

from __future__ import annotations

import json

import openpyxl
import pytest

from tiers.model.orm import Enterprise
from tiers.queries import roster
from tiers.services import enterprises
from tiers.storage.database import open_database
from ui.cli import main as cli

CITY = "320400"


def _firms(database, code):
    with database.session() as session:
        for serial, name, county in [(1, "常州武进恒通阀门有限公司", "武进区"),
                                     (2, "常州经开区精工有限公司", "常州经开区"),
                                     (3, "常州空白县区企业有限公司", "")]:
            enterprises.create(session, {"credit_code": code(serial, CITY if serial > 1
                                                             else "320412"),
                                         "name": name, "county": county})
        # a county code stored as "" (an old import) is no county either
        session.query(Enterprise).filter_by(name="常州空白县区企业有限公司").update(
            {"county_code": ""})


def test_none_lists_the_firms_without_a_county(capsys, new_target, code):
    path = new_target("cli.sqlite3")
    database = open_database(path)
    _firms(database, code)
    database.dispose()
    for word in ("none", "NONE", "未填区县", "（未填区县）"):
        assert cli.main(["--db", str(path), "enterprises", "--county", word,
                         "--format", "json"]) == 0, word
        assert sorted(row["name"] for row in json.loads(capsys.readouterr().out)) == [
            "常州空白县区企业有限公司", "常州经开区精工有限公司"], word
    assert cli.main(["--db", str(path), "enterprises", "--county", "none"]) == 0
    assert "共 2 家" in capsys.readouterr().err
    assert cli.main(["--db", str(path), "enterprises", "--county", "武进区",
                     "--format", "json"]) == 0
    assert [row["name"] for row in json.loads(capsys.readouterr().out)] == [
        "常州武进恒通阀门有限公司"]
    with pytest.raises(SystemExit):
        cli.main(["enterprises", "--help"])
    assert "未填区县的企业（开发区企业等）写 none" in capsys.readouterr().out


def test_a_report_of_none_is_titled_so(capsys, new_target, code, tmp_path):
    path = new_target("cli.sqlite3")
    database = open_database(path)
    _firms(database, code)
    database.dispose()
    out = tmp_path / "名单.xlsx"
    assert cli.main(["--db", str(path), "export", "roster", str(out), "--county", "none",
                     "--status", "全部"]) == 0
    title = openpyxl.load_workbook(out).active["A1"].value
    assert "none" not in title and title.endswith("（未填区县）梯度培育企业名单"), title


def test_the_roster_filter_offers_no_county(qtbot, database, settings, code):
    from ui.roster_view import RosterView

    _firms(database, code)
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    combo = view.filters.county
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "（未填区县）" in texts
    view.filters.select(county="（未填区县）")
    assert sorted(view.model.row(r)["name"] for r in range(view.model.rowCount())) == [
        "常州空白县区企业有限公司", "常州经开区精工有限公司"]
    with database.session() as session:
        assert roster.count(session, roster.RosterFilter(county="none")) == 2
        session.query(Enterprise).filter(Enterprise.county_code.is_(None)
                                         | (Enterprise.county_code == "")).delete()
        session.commit()
    view.filters.refresh_choices()
    assert "（未填区县）" not in [combo.itemText(i) for i in range(combo.count())]
