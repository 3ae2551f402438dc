"""``tiers package export`` given a folder says so, naming the folder (the break campaign of
#17: “这是一个文件夹，不是文件：/…/.~coll-upsu08l9.part”, the hidden copy's name), and
leaves nothing in it or beside it."""

from __future__ import annotations

import pytest

from tests.tiers.exchange_helpers import WUJIN, county_database
from tiers.errors import InvalidInput
from tiers.exchange import export_package
from tiers.progress import drain


def test_a_folder_as_the_target_is_refused_by_its_name(new_target, tmp_path):
    folder = tmp_path / "报送"
    folder.mkdir()
    county = county_database(new_target("county.sqlite3"), enterprises=3)
    try:
        with county.session() as session, pytest.raises(InvalidInput) as refused:
            drain(export_package(session, folder, counties=[WUJIN]))
    finally:
        county.dispose()
    assert str(refused.value) == (f"“{folder}”是一个文件夹，请给出数据包的文件名，"
                                  f"如 {folder / '数据包.zip'}")
    assert list(folder.iterdir()) == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".~")]


@pytest.mark.parametrize("name", ["tiers.sqlite3", "武进区数据包", "名单.xlsx"])
def test_a_target_not_named_zip_is_refused_and_kept(new_target, tmp_path, name):
    """``tiers package export tiers.sqlite3`` replaced the database itself with the package:
    the next start said it was no Tiers database (the break campaign of #17)."""
    county = county_database(new_target("county.sqlite3"), enterprises=3)
    target = tmp_path / name
    target.write_bytes(b"the officer's own file")
    try:
        with county.session() as session, pytest.raises(InvalidInput) as refused:
            drain(export_package(session, target, counties=[WUJIN]))
    finally:
        county.dispose()
    assert str(refused.value) == f"数据包文件应以 .zip 结尾：{name}"
    assert target.read_bytes() == b"the officer's own file"
