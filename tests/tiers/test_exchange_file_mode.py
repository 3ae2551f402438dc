"""A package is a file for the city: it gets the mode every other new file gets here
(0o666 less the umask), as the reports do, not mkstemp's private 0o600 that left it
unreadable to a colleague collecting the counties' packages in a shared folder."""

from __future__ import annotations

import os
import stat

import pytest

from tests.tiers.exchange_helpers import WUJIN, county_database
from tiers.exchange import export_package
from tiers.progress import drain


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_a_package_is_readable_as_any_new_file(new_target, tmp_path):
    county = county_database(new_target("county.sqlite3"), enterprises=5)
    try:
        target = tmp_path / "武进区数据包.zip"
        with county.session() as session:
            drain(export_package(session, target, counties=[WUJIN]))
    finally:
        county.dispose()
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
