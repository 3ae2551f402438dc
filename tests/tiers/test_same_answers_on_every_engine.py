"""The same order and the same search on SQLite and on PostgreSQL (issue #15).

SQLite is the reference: text sorts by code point (then the pinyin key orders Chinese
names), NULL is the smallest value, LIKE ignores the case of ASCII letters only. PostgreSQL
sorts by the database's collation, puts NULL last and its LIKE minds case; the queries
must not let that show.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.conftest import make_code
from tiers.queries import roster
from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database

TODAY = dt.date(2026, 11, 21)
# pinyin keys "chang zhou an da …" and "chang zhou （wu jin ）…": by code point "a" comes
# before "（"; a linguistic collation (zh, en) puts punctuation before letters
AN_DA = "常州安达机械有限公司"
WU_JIN = "常州（武进）机械有限公司"
ABC = "常州ABC精密有限公司"


def add_firms(session) -> dict[str, int]:
    ids = {}
    for serial, name in enumerate([WU_JIN, AN_DA, ABC], start=1):
        ids[name] = enterprises.create(session, {"credit_code": make_code(serial), "name": name,
                                                 "county": "武进区"}).id
    recognitions.add(session, ids[AN_DA], {"tier_code": "创新型", "batch_year": 2025,
                                           "recognized_on": dt.date(2025, 6, 1)})
    session.flush()
    return ids


def names_in_order(session, ids: dict[str, int], **options) -> list[str]:
    name_of = {firm_id: name for name, firm_id in ids.items()}
    found = roster.roster_ids(session, roster.RosterFilter(today=TODAY), **options)
    return [name_of[firm_id] for firm_id in found]


def test_a_firm_without_a_date_sorts_last_both_ways(session):
    """Blanks last whichever the direction (#19), the same on both engines."""
    ids = add_firms(session)
    assert names_in_order(session, ids, sort="valid_until")[0] == AN_DA
    assert names_in_order(session, ids, sort="valid_until", descending=True)[0] == AN_DA
    # the firms without a title keep the order of the names among themselves
    assert names_in_order(session, ids, sort="valid_until") == [AN_DA, ABC, WU_JIN]
    assert names_in_order(session, ids, sort="valid_until", descending=True) == [
        AN_DA, ABC, WU_JIN]


def test_the_town_filter_ignores_the_case_of_ascii_letters_as_sqlites_like(session):
    firm = enterprises.create(session, {"credit_code": make_code(9), "name": "常州乙有限公司",
                                        "county": "武进区", "town": "ABC科技园"})
    session.flush()
    assert roster.roster_ids(session, roster.RosterFilter(town="abc")) == [firm.id]


@pytest.fixture
def chinese_collated_database(server):
    """A server database whose collation sorts as Chinese readers do (ICU zh): what a
    bureau's server may well be set up with."""
    from tests.conftest import _admin, _database_url

    name = f"t_zh_{uuid.uuid4().hex[:8]}"
    with _admin(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                      "ICU_LOCALE 'zh' LOCALE 'C.UTF-8'")
    database = open_database(_database_url(server, name))
    yield database
    database.dispose()
    with _admin(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.server_only
def test_a_server_with_a_chinese_collation_sorts_as_sqlite(chinese_collated_database):
    with chinese_collated_database.session() as session:
        ids = add_firms(session)
        expected = [ABC, AN_DA, WU_JIN]  # pinyin keys "abcjing", "an da", "（wu jin"
        assert names_in_order(session, ids) == expected
        assert names_in_order(session, ids, descending=True) == expected[::-1]
        # one county: then by the names, code point by code point: "A" < "安" < "（"
        assert names_in_order(session, ids, sort="county") == [ABC, AN_DA, WU_JIN]
