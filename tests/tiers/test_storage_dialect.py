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
