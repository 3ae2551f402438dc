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
