"""``tiers assess`` without --tier (the tier summary) and ``--cultivation`` read their firms
as the candidates list does (tiers.queries.unit_scope, fixd28): ``--county all`` — every
firm (it filtered county_name == 'all': 0 firms, silently), ``--county none`` — the firms
without a county, and with 本单位负责的区县 recorded the unit's firms by default, saying what
that leaves out (the summary counted the whole database while --tier listed the unit's)."""

from __future__ import annotations

import json

from tests.tiers.test_candidates_unit_scope import OURS, THEIRS, ZONE, add_firms
from tiers.model.orm import Enterprise
from tiers.services import cultivation
from ui.cli.main import main

NOTE = "注意：本单位负责的区县为新北区：报表默认只含新北区的企业及按规则属于本单位的未填区县企业"


def _firms(database, *, unit: bool = True) -> None:
    """The three firms of test_candidates_unit_scope, each in the 培育库."""
    with database.session() as session:
        add_firms(session, unit=unit)
        for firm in session.query(Enterprise).all():
            cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2027})


def _counted(db_target, capsys, *county: str) -> int:
    capsys.readouterr()
    assert main(["--db", str(db_target), "assess", "--json", *county]) == 0
    out = capsys.readouterr().out
    [row] = [row for row in json.loads(out) if row["tier"].startswith("创新型")]
    return row["已持有"] + sum(row[key] for key in row if key not in (
        "tier", "rule_set", "已持有", "公示中", "公示中企业", "figures_year",
        "figures_year_note"))


def _cultivated(db_target, capsys, *county: str) -> tuple[set[str], str]:
    capsys.readouterr()
    assert main(["--db", str(db_target), "assess", "--cultivation", *county]) == 0
    out, err = capsys.readouterr()
    return {name for name in (OURS, THEIRS, ZONE) if name in out}, err


def test_the_summary_counts_the_units_firms_and_reads_all_and_none(database, db_target,
                                                                   capsys):
    _firms(database)
    assert _counted(db_target, capsys, "--county", "all") == 3
    assert _counted(db_target, capsys, "--county", "none") == 1
    assert _counted(db_target, capsys, "--county", "溧阳市") == 1
    assert _counted(db_target, capsys) == 2  # 新北区's firm and its 开发区's
    assert main(["--db", str(db_target), "assess"]) == 0
    err = capsys.readouterr().err
    assert NOTE in err and "未含溧阳市 1 家" in err


def test_the_summary_without_a_unit_counts_every_firm(database, db_target, capsys):
    _firms(database, unit=False)
    assert _counted(db_target, capsys) == 3
    assert _counted(db_target, capsys, "--county", "all") == 3
    assert _counted(db_target, capsys, "--county", "none") == 1
    assert main(["--db", str(db_target), "assess"]) == 0
    assert "注意" not in capsys.readouterr().err


def test_cultivation_lists_the_units_entries_and_reads_all_and_none(database, db_target,
                                                                    capsys):
    _firms(database)
    assert _cultivated(db_target, capsys, "--county", "all")[0] == {OURS, THEIRS, ZONE}
    assert _cultivated(db_target, capsys, "--county", "none")[0] == {ZONE}
    assert _cultivated(db_target, capsys, "--county", "溧阳市")[0] == {THEIRS}
    listed, err = _cultivated(db_target, capsys)
    assert listed == {OURS, ZONE}
    assert NOTE in err and "未含溧阳市 1 家" in err
    capsys.readouterr()
    assert main(["--db", str(db_target), "assess", "--cultivation", "--json"]) == 0
    out, err = capsys.readouterr()
    assert {row["name"] for row in json.loads(out)} == {OURS, ZONE} and NOTE in err


def test_cultivation_without_a_unit_lists_every_entry(database, db_target, capsys):
    _firms(database, unit=False)
    listed, err = _cultivated(db_target, capsys)
    assert listed == {OURS, THEIRS, ZONE} and "注意" not in err
    assert _cultivated(db_target, capsys, "--county", "all")[0] == {OURS, THEIRS, ZONE}
    assert _cultivated(db_target, capsys, "--county", "none")[0] == {ZONE}


def test_cultivation_names_all_and_none_in_chinese(database, db_target, capsys):
    _firms(database)
    assert "培育库（县区：全部区县） 3 家" in _cultivated(db_target, capsys, "--county", "all")[1]
    assert "培育库（县区：未填区县） 1 家" in _cultivated(db_target, capsys, "--county", "none")[1]
