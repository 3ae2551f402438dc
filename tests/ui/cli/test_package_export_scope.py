"""Which counties ``tiers package export`` (and a report without --county) is of on a
county's laptop that keeps the neighbours' firms the province's lists brought in (tester26:
金坛区's package of 溧阳's firms too, under 常州市工业和信息化局, reached the city first and had
溧阳's own package refused there): its own county; where its own counties are not one and it
is not the city's, it asks which (--county) instead of taking them all."""

from __future__ import annotations

import json

from tests.tiers.unit_helpers import (
    JINTAN,
    LIYANG,
    county_laptop,
    firms_in,
    manifest,
    record_a_received_package,
    two_own_counties,
    zone_firm,
)
from ui.cli.main import main


def test_a_county_laptop_exports_its_own_county_under_its_own_bureau(database, cli, tmp_path):
    county_laptop(database)
    target = tmp_path / "数据包.zip"
    status, out, _ = cli("package", "export", target)
    assert status == 0
    assert "区县：金坛区；企业 3" in out
    assert ("未导出本县（金坛区）以外的企业：溧阳市 2 家（只从上级名单导入）；"
            "如也要报送，请用 --county 写明各区县") in out
    assert "报送单位：常州市金坛区工业和信息化局（未给 --unit，按库中企业所在区县推定" in out
    sent = manifest(target)
    assert [c["code"] for c in sent["counties"]] == [JINTAN]
    assert sent["source_unit"] == "常州市金坛区工业和信息化局"
    # both, when asked for: still sent by 金坛's bureau, which sends it (review27: not the
    # city's, nor 溧阳's, whose own report it would then be at the city)
    status, out, _ = cli("package", "export", target, "--county", JINTAN, "--county", LIYANG)
    assert status == 0
    assert "区县：金坛区、溧阳市；企业 5" in out
    assert "报送单位：常州市金坛区工业和信息化局（" in out
    assert manifest(target)["source_unit"] == "常州市金坛区工业和信息化局"


def test_several_own_counties_and_not_the_citys_it_asks_which(database, cli, tmp_path):
    firms_in(database, JINTAN, JINTAN, LIYANG)
    target = tmp_path / "数据包.zip"
    status, _, err = cli("package", "export", target)
    assert status == 2
    assert "本库不是市级库" in err and "金坛区（320413）2 家、溧阳市（320481）1 家" in err
    assert "--county" in err
    assert not target.exists()


def test_the_citys_database_still_exports_every_county(database, cli, tmp_path):
    firms_in(database, JINTAN, LIYANG)
    with database.session() as session:
        record_a_received_package(session)
    status, out, _ = cli("package", "export", tmp_path / "数据包.zip")
    assert status == 0
    assert "区县：金坛区、溧阳市" in out
    assert "报送单位：常州市工业和信息化局（未给 --unit，本库导入过区县的数据包" in out


def test_a_county_laptops_roster_is_signed_by_its_bureau_and_names_the_neighbours(
        database, cli, tmp_path):
    county_laptop(database)
    status, out, _ = cli("export", "roster", tmp_path / "名单.xlsx", "--quiet")
    assert status == 0
    assert "填报单位：常州市金坛区工业和信息化局（未给 --unit，按库中企业所在区县推定" in out
    assert "表中含只从上级名单导入的外县企业（溧阳市 2 家）；只要本县的，请加 --county 320413" in out


def test_the_citys_unit_for_one_county_says_it_is_the_citys(database, cli, tmp_path):
    """At the city, a report of 溧阳市 is signed by the city's bureau because the database
    receives packages: said so, not “按所选县区（320481）推定” (tester26)."""
    firms_in(database, LIYANG, name="溧阳{serial}有限公司")
    with database.session() as session:
        record_a_received_package(session)
    status, out, _ = cli("export", "roster", tmp_path / "名单.xlsx", "--quiet",
                         "--county", LIYANG)
    assert status == 0
    assert "填报单位：常州市工业和信息化局（未给 --unit，本库导入过区县的数据包，按市级库推定为市工信局" in out
    assert "按所选县区" not in out


def test_the_recorded_unit_decides_the_package_and_its_bureau(database, cli, tmp_path):
    """With 本单位负责的区县 recorded (tiers unit), the package is of those counties and
    under their bureau, not asked for, and the line says where the unit came from."""
    two_own_counties(database)
    target = tmp_path / "数据包.zip"
    assert cli("package", "export", target)[0] == 2  # asks
    assert cli("unit", "--set", "溧阳市")[0] == 0
    status, out, _ = cli("package", "export", target)
    assert status == 0
    assert "区县：溧阳市；企业 2" in out
    assert "报送单位：溧阳市工业和信息化局（未给 --unit，按本单位负责的区县（tiers unit）推定" in out
    assert manifest(target)["source_unit"] == "溧阳市工业和信息化局"
    # a city's unit: all its counties, under the city's bureau
    assert cli("unit", "--set", "常州市")[0] == 0
    target.unlink()
    assert cli("package", "export", target)[0] == 0
    sent = manifest(target)
    assert sorted(c["code"] for c in sent["counties"]) == [JINTAN, LIYANG]
    assert sent["source_unit"] == "常州市工业和信息化局"


def test_a_report_without_county_is_under_the_recorded_unit(database, cli, tmp_path):
    two_own_counties(database)
    assert cli("unit", "--set", "金坛区")[0] == 0
    status, out, _ = cli("export", "roster", tmp_path / "名单.xlsx")
    assert status == 0
    assert "填报单位：常州市金坛区工业和信息化局（未给 --unit，按本单位负责的区县" in out


def test_a_county_laptop_sends_its_firms_without_a_county(database, cli, tmp_path, capsys):
    """The county's own 开发区 firm (no county code) goes with its package by default and
    reaches the city; --county none names such firms; they are not 本县以外 (review26 #4:
    the default dropped them, and ticking （未填区县） did nothing)."""
    county_laptop(database)
    zone_firm(database)
    target = tmp_path / "数据包.zip"
    status, out, _ = cli("package", "export", target)
    assert status == 0
    assert "区县：（未填区县）、金坛区；企业 4" in out
    assert "未导出本县（金坛区）以外的企业：溧阳市 2 家（只从上级名单导入）" in out
    assert "未填区县" not in out.split("企业 4")[1]  # not said as left out
    assert [c["code"] for c in manifest(target)["counties"]] == ["", JINTAN]
    city = tmp_path / "city.sqlite3"  # the city takes it in: the 开发区 firm too
    assert main(["--db", str(city), "package", "import", str(target), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"]["enterprises"] == 4
    status, out, _ = cli("package", "export", tmp_path / "未填.zip", "--county", "none")
    assert status == 0
    assert "区县：（未填区县）；企业 1" in out
    # named by county only: the firms without a county stay out, and the line says so
    left = tmp_path / "金坛.zip"
    assert cli("package", "export", left, "--county", JINTAN)[0] == 0
    assert [c["code"] for c in manifest(left)["counties"]] == [JINTAN]


def test_the_default_says_the_firms_without_a_county_it_left(database, cli, tmp_path):
    """A unit recorded as 金坛区 and firms of no county that are another place's: the line
    names them as 未填区县, with the option that sends them."""
    county_laptop(database)
    zone_firm(database)
    assert cli("unit", "--set", "金坛区")[0] == 0
    status, out, _ = cli("package", "export", tmp_path / "数据包.zip")
    assert status == 0
    assert "区县：（未填区县）、金坛区；企业 4" in out
    assert "未导出本单位负责的区县（金坛区）以外的企业：溧阳市 2 家" in out


def test_a_unit_whose_counties_have_no_firms_is_said_so(database, cli, tmp_path):
    """本单位负责的区县 recorded, none of them with firms: the ask says that, not 本库不是市级库
    (review26 #10)."""
    county_laptop(database)
    assert cli("unit", "--set", "武进区")[0] == 0
    status, _, err = cli("package", "export", tmp_path / "数据包.zip")
    assert status == 2
    assert "本单位负责的区县（武进区）在库中没有企业，不知道要报送哪个（或用 tiers unit" in err
    assert "本库不是市级库" not in err
