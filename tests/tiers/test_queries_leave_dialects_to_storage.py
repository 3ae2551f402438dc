"""Only tiers.storage knows which database it is (design.md): 报送情况's conflicts asked
the dialect itself whether firms could be hidden from the login (review26). Now the
storage function says it: a file hides none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tiers.queries
from tiers.storage.server.conflicts import held_elsewhere


@pytest.mark.sqlite_only
def test_a_file_hides_no_conflicting_firm(database):
    with database.session() as session:
        assert held_elsewhere(session, 1, "320412") == {}


def test_no_query_asks_which_database_it_is():
    folder = Path(tiers.queries.__file__).parent
    asking = [path.name for path in sorted(folder.rglob("*.py"))
              if re.search(r"dialect\.name", path.read_text(encoding="utf-8"))]
    assert asking == []
