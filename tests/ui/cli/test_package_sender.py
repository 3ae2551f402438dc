"""``tiers package export`` proposes whoever sends the package, not the bureau of the
counties it carries (review27 #2): on 武进's laptop (unit 武进区), ``--county 320411`` proposed
常州市新北区工业和信息化局, and at the city that package then counted as 新北's own report,
replacing its data. Now 武进's bureau sends it, the city keeps 新北's own data (a carrier does
not replace it), and an existing package file of 新北's is not taken for this database's."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

from tests.ui.cli.test_package_export_scope import JINTAN, LIYANG, county_laptop
from tiers.exchange import export_package
from tiers.progress import drain
from ui.cli.main import main

WUJIN, XINBEI = "320412", "320411"
WUJIN_BUREAU, XINBEI_BUREAU = "常州市武进区工业和信息化局", "常州市新北区工业和信息化局"


def _manifest(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _wujin_laptop(database, db_target) -> None:
    """武进's laptop: its own firms, and 新北's that a province list brought in."""
    county_laptop(database, own=WUJIN, from_lists=XINBEI)
    assert main(["--db", str(db_target), "unit", "--set", "武进区"]) == 0


def test_a_neighbour_chosen_goes_under_the_senders_bureau_and_replaces_nothing_at_the_city(
        database, db_target, tmp_path, capsys):
    _wujin_laptop(database, db_target)
    # 新北's own package, as the city has it (written from 新北's own firms of this laptop's
    # copy: who wrote it does not matter here, its unit does)
    own = tmp_path / "新北区自己的.zip"
    with database.session() as session:
        drain(export_package(session, own, counties=[XINBEI], source_unit=XINBEI_BUREAU,
                             now=dt.datetime(2026, 12, 1, 9, 0)))
    city = tmp_path / "city.sqlite3"
    assert main(["--db", str(city), "package", "import", str(own)]) == 0
    capsys.readouterr()

    carried = tmp_path / "带上新北.zip"
    assert main(["--db", str(db_target), "package", "export", str(carried),
                 "--county", XINBEI]) == 0
    out = capsys.readouterr().out
    assert f"报送单位：{WUJIN_BUREAU}（未给 --unit，按本单位负责的区县（tiers unit）推定" in out
    assert ("注意：新北区不是本单位负责的区县（武进区）：数据包以本单位的名义带上，市里记为“他单位带来”，"
            "不替换新北区自己报送的数据") in out
    assert _manifest(carried)["source_unit"] == WUJIN_BUREAU
    assert main(["--db", str(city), "package", "import", str(carried), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["deleted"].get("enterprises", 0) == 0
    assert any("新北区的数据由“常州市新北区工业和信息化局”" in problem and "不替换它" in problem
               for problem in result["problems"])
    assert main(["--db", str(city), "package", "list", "--city", "320400", "--json"]) == 0
    [line] = [line for line in json.loads(capsys.readouterr().out) if line["code"] == XINBEI]
    assert line["source_unit"] == XINBEI_BUREAU and not line["by_other_unit"]


def test_a_package_received_from_the_neighbour_is_not_taken_for_ours(
        database, db_target, tmp_path, capsys):
    """The file 新北.zip received from 新北 (under 新北's bureau): exporting 新北's firms to it
    from 武进's laptop took it for its own (the unit proposed for 新北 was 新北's bureau)."""
    _wujin_laptop(database, db_target)
    received = tmp_path / "新北.zip"
    with database.session() as session:
        drain(export_package(session, received, counties=[XINBEI], source_unit=XINBEI_BUREAU))
    before = received.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(db_target), "package", "export", str(received),
                 "--county", XINBEI]) == 2
    assert "不会覆盖" in capsys.readouterr().err
    assert received.read_bytes() == before
    # its own package of 新北's firms, under its own bureau, is replaced as before
    mine = tmp_path / "带上新北.zip"
    for _ in range(2):
        assert main(["--db", str(db_target), "package", "export", str(mine),
                     "--county", XINBEI]) == 0


def test_a_laptop_without_a_unit_sends_under_its_own_countys_bureau(
        database, db_target, tmp_path, capsys):
    """No unit recorded: the bureau of the database's own county (金坛), whichever is chosen."""
    county_laptop(database)
    target = tmp_path / "溧阳.zip"
    assert main(["--db", str(db_target), "package", "export", str(target),
                 "--county", LIYANG]) == 0
    assert "报送单位：常州市金坛区工业和信息化局（未给 --unit，按库中企业所在区县推定" \
        in capsys.readouterr().out
    assert _manifest(target)["source_unit"] == "常州市金坛区工业和信息化局"


def test_no_sender_known_it_asks_for_the_unit(database, db_target, tmp_path, capsys):
    """Several own counties and only a county from lists named: no bureau is guessed (and
    not the county's name either, which the city reads as the county's own): --unit."""
    from tests.conftest import make_code
    from tiers.services import enterprises

    county_laptop(database, own=JINTAN, from_lists=WUJIN)
    with database.session() as session:
        enterprises.create(session, {"credit_code": make_code(31, LIYANG),
                                     "county_code": LIYANG, "name": "溧阳31有限公司"})
    target = tmp_path / "武进.zip"
    assert main(["--db", str(db_target), "package", "export", str(target),
                 "--county", WUJIN]) == 2
    err = capsys.readouterr().err
    assert "推定不出报送单位" in err and "请用 --unit 写明本单位" in err
    assert not target.exists()
    assert main(["--db", str(db_target), "package", "export", str(target),
                 "--county", WUJIN, "--unit", "常州市金坛区工业和信息化局"]) == 0
    # one of its own chosen: that one's bureau
    assert main(["--db", str(db_target), "package", "export", str(tmp_path / "金坛.zip"),
                 "--county", JINTAN, "--county", WUJIN]) == 0
    assert "报送单位：常州市金坛区工业和信息化局（未给 --unit，按所选县区" in capsys.readouterr().out
