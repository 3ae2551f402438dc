"""报送情况 names the firms behind 冲突 N (tester24 #4: the window said only 213（冲突 1）
with no tooltip, ``tiers package list --json`` only "conflicts": 1, and the city could not
see which firm to check with the two counties without previewing a package again). The
import records their credit codes; tiers.queries.package_conflicts reads the firms as they
are now, so a conflict settled since (the firm binned, or its county's now) is not listed."""

from __future__ import annotations

import json

from sqlalchemy import select, update

from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported, moved_to_xinbei
from tiers.exchange import package_status
from tiers.model.orm import Enterprise, ImportBatch
from tiers.queries.package_conflicts import CONFLICT_CODES
from tiers.services import enterprises
from ui.cli.main import main

CITY = "320400"


def _target(database) -> str:
    return str(database.path) if database.path else database.engine.url.render_as_string(
        hide_password=False)


def _moved(county, city, tmp_path) -> tuple[str, str]:
    """A 武进 firm the city has from 武进's package moves to 新北, whose next package
    sends it: a conflict. Its (credit code, name)."""
    moved = moved_to_xinbei(county, city, tmp_path)
    assert len(imported(city, moved.package).conflicts) == 1
    return moved.code, moved.name


def _lines(city):
    with city.session() as session:
        return {line.code: line for line in package_status(session, city_code=CITY,
                                                           year=DAY.year)}


def test_the_firm_in_conflict_is_named_with_both_counties(county, city, tmp_path, capsys):
    code, name = _moved(county, city, tmp_path)
    line = _lines(city)[XINBEI]
    assert line.conflicts == 1
    [firm] = line.conflict_firms
    assert (firm.credit_code, firm.name) == (code, name)
    assert (firm.county_code, firm.county_name) == (XINBEI, "新北区")
    assert (firm.held_by_code, firm.held_by_name) == (WUJIN, "武进区")
    assert line.conflict_lines == [
        "新北区：两地都报送了、未合并的企业 1 家（可能已迁址，请与两地核实）：",
        f"{name}（{code}）：已由武进区的数据包报送，新北区的数据包也有"]
    assert _lines(city)[WUJIN].conflict_firms == []

    db = ["--db", _target(city), "package", "list", "--city", CITY, "--year", str(DAY.year)]
    assert main([*db, "--json"]) == 0
    listed = {line["code"]: line for line in json.loads(capsys.readouterr().out)}
    assert listed[XINBEI]["conflicts"] == 1
    assert listed[XINBEI]["conflict_firms"] == [
        {"credit_code": code, "name": name, "county_code": XINBEI, "county_name": "新北区",
         "held_by_code": WUJIN, "held_by_name": "武进区", "hidden": False}]
    assert listed[WUJIN]["conflict_firms"] == []
    assert main(db) == 0
    out = capsys.readouterr().out
    assert "新北区：两地都报送了、未合并的企业 1 家（可能已迁址，请与两地核实）：\n" in out
    assert f"  {name}（{code}）：已由武进区的数据包报送，新北区的数据包也有\n" in out


def test_a_conflict_settled_since_is_no_longer_named_nor_counted(county, city, tmp_path):
    code, _name = _moved(county, city, tmp_path)
    with city.session() as session:
        firm_id = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
    # the firm the county holding it no longer sends becomes the package's county's (what
    # its holder's next package does with it: tiers.exchange.plan)
    with city.session() as session:
        session.execute(update(Enterprise).where(Enterprise.id == firm_id)
                        .values(source_county=XINBEI))
    line = _lines(city)[XINBEI]
    assert (line.conflicts, line.conflict_firms, line.conflict_lines) == (0, [], [])
    assert line.firms_text == str(line.firms)
    with city.session() as session:  # held by 武进's package again, then binned here
        session.execute(update(Enterprise).where(Enterprise.id == firm_id)
                        .values(source_county=WUJIN))
    assert _lines(city)[XINBEI].conflicts == 1
    with city.session() as session:
        enterprises.soft_delete(session, firm_id)
    line = _lines(city)[XINBEI]
    assert (line.conflicts, line.conflict_firms) == (0, [])


def test_an_import_that_kept_only_the_number_says_where_to_see_the_firms(county, city,
                                                                         tmp_path):
    """A package imported before the codes were recorded: its count stands, and the lines
    say how to see which firms (a preview of the package)."""
    _moved(county, city, tmp_path)
    with city.session() as session:
        batch = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc())).first()
        counts = json.loads(batch.counts)
        del counts[CONFLICT_CODES]
        batch.counts = json.dumps(counts, ensure_ascii=False)
    line = _lines(city)[XINBEI]
    assert (line.conflicts, line.conflict_firms) == (1, None)
    assert line.conflict_lines == ["新北区：1 家企业冲突未合并。这次导入只记下了家数，未记下是哪些企业："
                                   "重新预览该区县的这个数据包即可看到（预览不写入）。"]
