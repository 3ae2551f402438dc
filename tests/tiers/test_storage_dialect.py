"""Whole tables read straight from the driver: dates come back as dates on every engine."""

import datetime as dt

from tests.conftest import make_code
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.storage.dialect import date_readers, raw_rows


def test_raw_rows_give_the_table_and_date_readers_turn_its_dates_back(database):
    table = Enterprise.__table__
    with database.session() as session:
        enterprises.create(session, {"name": "常州甲有限公司", "credit_code": make_code(1),
                                     "founded_on": dt.date(2015, 3, 8)})
        connection = session.connection()
        rows = raw_rows(connection, [table.c.name, table.c.founded_on, table.c.created_at])
        date_of, datetime_of = date_readers(connection)
    (name, founded, created), = rows
    assert name == "常州甲有限公司"
    assert date_of(founded) == dt.date(2015, 3, 8)
    assert isinstance(datetime_of(created), dt.datetime)


def test_beyond_scale_finds_exactly_the_numbers_a_column_does_not_keep():
    """Any number the 4-place column keeps (the nearest double to a 4-place decimal) passes,
    at every magnitude an amount has, and any other number is found: the column-wise
    verdicts read floats and trust this test to send the rest to the exact pass."""
    import random
    import sqlite3
    from decimal import Decimal

    from sqlalchemy import create_engine

    from tiers.storage.dialect import beyond_scale

    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        (test,) = beyond_scale(connection, [("x", 4)])
    rows = sqlite3.connect(":memory:")
    rows.execute("CREATE TABLE t (x REAL)")
    chance = random.Random(17)
    values = []
    for _ in range(20_000):
        magnitude = 10 ** chance.randint(-4, 10)
        kept = Decimal(chance.uniform(-1, 1) * magnitude).quantize(Decimal("0.0001"))
        values.append(float(kept))  # what Tiers itself stores
        values.append(chance.uniform(-1, 1) * magnitude)  # another program's float
    values += [0.0, -0.0, 1499.99996, 1500.00004, -0.00001, 0.00005, 99999999999.9999]
    rows.executemany("INSERT INTO t VALUES (?)", [(value,) for value in values])
    found = rows.execute(f"SELECT x, {test} FROM t").fetchall()
    for value, beyond in found:
        kept = float(Decimal(f"{value:.4f}")) == value
        assert bool(beyond) == (not kept), value
    # what else SQLite lets another program store there: an integer is kept, text is
    # never a number the column keeps, a missing value is no finding
    odd = [(1500,), (-7,), (2 ** 53 + 1,), ("abc",), ("1,234",), (None,)]
    rows.execute("DELETE FROM t")
    rows.executemany("INSERT INTO t VALUES (?)", odd)
    assert [beyond for _value, beyond in rows.execute(f"SELECT x, {test} FROM t")] == [
        0, 0, 1, 1, 1, None]


def test_beyond_scale_trusts_the_server_to_round_to_its_scale(session, on_postgres):
    from tiers.storage.dialect import beyond_scale

    assert (beyond_scale(session.connection(), [("revenue", 4)]) == []) == on_postgres
