"""``tiers export`` and ``tiers package export`` without --unit write the unit the desktop
client proposes for the database (tiers.exchange.status.proposed_unit: the bureau of its
firms' counties) and say which unit they wrote and why; --unit still wins. They wrote an
empty 填报单位 and the counties' names as 报送单位 (review of the twenty-second session).
The unit the client remembers per database is in its settings (Qt), which the CLI does
not read."""

from __future__ import annotations

import json
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import make_code
from tiers.services import enterprises
from ui.cli.main import main

BUREAU = "常州市武进区工业和信息化局"


def _firms(database, *counties: str) -> None:
    with database.session() as session:
        for serial, county in enumerate(counties, start=1):
            enterprises.create(session, {"credit_code": make_code(serial), "county": county,
                                         "name": f"常州单位{serial}有限公司"})


def _flat(path) -> list:
    return [v for row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            .to_python() for v in row]


def test_a_report_without_unit_is_signed_by_the_bureau(database, db_target, tmp_path, capsys):
    _firms(database, "武进区")
    target = tmp_path / "名单.xlsx"
    assert main(["--db", str(db_target), "export", "roster", str(target), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"填报单位：{BUREAU}（未给 --unit，按库中企业所在区县推定" in out
    assert f"填报单位（盖章）：{BUREAU}" in _flat(target)
    assert main(["--db", str(db_target), "export", "roster", str(target), "--quiet",
                 "--unit", "武进区工信局"]) == 0
    out = capsys.readouterr().out
    assert "填报单位：武进区工信局\n" in out and "推定" not in out
    assert "填报单位（盖章）：武进区工信局" in _flat(target)


def test_a_report_of_two_cities_says_no_unit_was_found(database, db_target, tmp_path,
                                                        capsys):
    _firms(database, "武进区", "玄武区")
    target = tmp_path / "名单.xlsx"
    assert main(["--db", str(db_target), "export", "roster", str(target), "--quiet"]) == 0
    assert "填报单位：（空）（未给 --unit，库中企业所在区县推定不出一个单位" in capsys.readouterr().out


def test_a_package_without_unit_is_sent_by_the_bureau(database, db_target, tmp_path, capsys):
    _firms(database, "武进区")
    target = tmp_path / "数据包.zip"
    assert main(["--db", str(db_target), "package", "export", str(target)]) == 0
    assert f"报送单位：{BUREAU}（未给 --unit，按库中企业所在区县推定" in capsys.readouterr().out
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("manifest.json"))["source_unit"] == BUREAU
    assert main(["--db", str(db_target), "package", "export", str(target),
                 "--unit", "武进区工信局"]) == 0
    out = capsys.readouterr().out
    assert "报送单位：武进区工信局\n" in out and "推定" not in out
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("manifest.json"))["source_unit"] == "武进区工信局"


def test_a_package_of_chosen_counties_is_sent_by_their_bureau(database, db_target, tmp_path,
                                                              capsys):
    """A database of two counties exporting one (--county): that county's bureau sends it,
    not the city's (the city's would claim 新北区's line of 报送情况 for 武进区's package)."""
    _firms(database, "武进区", "新北区")
    target = tmp_path / "数据包.zip"
    assert main(["--db", str(db_target), "package", "export", str(target),
                 "--county", "320412"]) == 0
    assert f"报送单位：{BUREAU}（" in capsys.readouterr().out
    # both: the city's bureau, when both are named (without --county it asks which, as it
    # is not known to be the city's database: tests/ui/cli/test_package_export_scope.py)
    # (to another file: 武进区's package, sent under 武进区's bureau, is not replaced by
    # one under the city's, which a received package's unit cannot be told from: review26)
    assert main(["--db", str(db_target), "package", "export", str(tmp_path / "两区.zip"),
                 "--county", "320412", "--county", "320411"]) == 0
    assert "报送单位：常州市工业和信息化局（" in capsys.readouterr().out


def _guide(path) -> str:
    book = CalamineWorkbook.from_path(str(path))
    guide = next(name for name in book.sheet_names if "说明" in name)
    return "\n".join(str(v) for row in book.get_sheet_by_name(guide).to_python() for v in row)


def test_a_collection_without_unit_is_sent_by_the_bureau(database, db_target, tmp_path,
                                                         capsys):
    """tiers export collection (采集表) proposes its 发出单位 as the reports and packages do,
    and says it: its 填表说明 read 本表由工业和信息化主管部门发出, whoever sent it."""
    _firms(database, "武进区")
    target = tmp_path / "采集表.xlsx"
    assert main(["--db", str(db_target), "export", "collection", str(target),
                 "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert f"发出单位：{BUREAU}（未给 --unit，按库中企业所在区县推定" in out
    assert f"本表由{BUREAU}发出" in _guide(target)
    assert main(["--db", str(db_target), "export", "collection", str(target),
                 "--year", "2025", "--unit", "武进区工信局"]) == 0
    out = capsys.readouterr().out
    assert "发出单位：武进区工信局\n" in out and "推定" not in out
    assert "本表由武进区工信局发出" in _guide(target)
    folder = tmp_path / "每家"
    assert main(["--db", str(db_target), "export", "collection", str(folder),
                 "--year", "2025", "--per", "firm"]) == 0
    assert f"发出单位：{BUREAU}（未给 --unit" in capsys.readouterr().out
    assert f"本表由{BUREAU}发出" in _guide(next(folder.iterdir()))


def test_a_collection_of_two_cities_says_no_unit_was_found(database, db_target, tmp_path,
                                                            capsys):
    _firms(database, "武进区", "玄武区")
    target = tmp_path / "采集表.xlsx"
    assert main(["--db", str(db_target), "export", "collection", str(target),
                 "--year", "2025"]) == 0
    assert "发出单位：（空）（未给 --unit，库中企业所在区县推定不出一个单位" in capsys.readouterr().out
    assert "本表由工业和信息化主管部门发出" in _guide(target)


LIYANG = "溧阳市工业和信息化局"  # a county-level city's bureau: without its city's name


@pytest.mark.parametrize(("report", "options"), [
    ("roster", []), ("summary", []), ("support", []), ("expiring", []),
    ("candidates", ["--tier", "小巨人"])])
def test_a_report_of_one_county_is_signed_by_that_countys_bureau(
        database, db_target, tmp_path, capsys, report, options):
    """A county's database holds the other counties' firms province lists bring in: a report
    filtered to 溧阳市 (by code or name) was signed 常州市工业和信息化局 under a 溧阳市… title
    (tester25)."""
    _firms(database, "溧阳市", "溧阳市", "武进区", "新北区")
    target = tmp_path / "报表.xlsx"
    for county in ("320481", "溧阳市"):
        assert main(["--db", str(db_target), "export", report, str(target), *options,
                     "--quiet", "--county", county]) == 0
        out = capsys.readouterr().out
        assert f"填报单位：{LIYANG}（未给 --unit，按所选县区（{county}）推定" in out
        assert f"填报单位（盖章）：{LIYANG}" in _flat(target)
    # the whole database is still the city's (several counties), as before
    assert main(["--db", str(db_target), "export", report, str(target), *options,
                 "--quiet"]) == 0
    assert "填报单位：常州市工业和信息化局（未给 --unit，按库中企业所在区县推定" in capsys.readouterr().out


def test_a_collection_of_one_county_is_sent_by_that_countys_bureau(database, db_target,
                                                                    tmp_path, capsys):
    _firms(database, "溧阳市", "武进区")
    target = tmp_path / "采集表.xlsx"
    assert main(["--db", str(db_target), "export", "collection", str(target),
                 "--year", "2025", "--county", "320481"]) == 0
    assert f"发出单位：{LIYANG}（未给 --unit，按所选县区（320481）推定" in capsys.readouterr().out
    guide = _guide(target)
    assert f"本表由{LIYANG}发出" in guide and "常州市工业和信息化局" not in guide
