"""``tiers assess --cultivation`` keeps ``--county`` (it ignored it: every county's entries
came out, as no other assess mode does), and counts 家 of firms; ``tiers assess --tier …
--json`` is an object whose figures year and note are there with no candidates too (an
empty list printed ``[]``, the year and its note lost)."""

from __future__ import annotations

import datetime as dt
import json

from tests.tiers.test_figures_year_counties import LOOKED
from tests.ui.test_cultivation_year_note import looked, two_paces  # noqa: F401 - fixtures
from tiers.services import cultivation
from ui.cli.main import main


def test_cultivation_keeps_the_county(two_paces, db_target, capsys, looked):  # noqa: F811
    two_paces.dispose()
    db = ["--db", str(db_target)]
    assert main([*db, "assess", "--cultivation", "--county", "武进区", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 2  # 武进区's two, not 新北区's
    assert main([*db, "assess", "--cultivation", "--county", "320411", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1  # 新北区, by its code
    assert main([*db, "assess", "--cultivation", "--county", "武进区"]) == 0
    captured = capsys.readouterr()
    assert "培育库（县区：武进区） 2 家" in captured.err
    assert captured.out.count("目标：") == 2
    assert main([*db, "assess", "--cultivation"]) == 0
    assert "培育库 3 家" in capsys.readouterr().err


def test_cultivation_counts_firms_beside_entries(db_target, capsys, session,
                                                 enterprise_factory):
    firm = enterprise_factory("常州两目标科技有限公司")
    cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2027})
    cultivation.add(session, firm.id, {"target_tier": "little_giant", "target_year": 2029})
    session.commit()
    assert main(["--db", str(db_target), "assess", "--cultivation"]) == 0
    assert "培育库 2 条，1 家" in capsys.readouterr().err


def test_an_empty_candidate_list_keeps_its_year_and_note(two_paces, db_target,  # noqa: F811
                                                          capsys, looked):  # noqa: F811
    two_paces.dispose()
    db = ["--db", str(db_target)]
    # 武进区 has its 2026 figures, 新北区 not: each list says its own year and note
    assert main([*db, "assess", "--tier", "创新型", "--county", "新北区", "--json"]) == 0
    behind = json.loads(capsys.readouterr().out)
    assert behind["candidates"] and behind["figures_year"] == 2025
    assert behind["figures_year_note"]
    # --limit: of the list's rows; the year and note are the list's, kept with none shown
    assert main([*db, "assess", "--tier", "创新型", "--county", "新北区", "--limit", "1",
                 "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["candidates"]) == 1
    # a county with no firms in the database: no candidates, its year and note said
    assert main([*db, "assess", "--tier", "单项冠军", "--county", "溧阳市", "--json"]) == 0
    empty = json.loads(capsys.readouterr().out)
    assert empty["candidates"] == []
    assert main([*db, "assess", "--tier", "单项冠军", "--county", "溧阳市"]) == 0
    said = capsys.readouterr().err
    assert f"数据年度：{empty['figures_year']}年度" in said
    assert empty["figures_year_note"] in said
    assert set(empty) == set(behind) >= {"tier", "rule_set", "rule_reason", "已持有", "公示中",
                                         "公示中企业"}
    assert empty["tier"] == "制造业单项冠军企业"


def test_an_empty_database_says_last_year(db_target, capsys, session):
    session.commit()
    assert main(["--db", str(db_target), "assess", "--tier", "专精特新", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["candidates"] == [] and found["已持有"] == 0
    assert (found["figures_year"], found["figures_year_note"]) == (
        dt.date.today().year - 1, "")


assert LOOKED.year == 2027  # (the fixtures look on 2027-01-10: 上年度 2026)
