"""``tiers … --format json`` writes lists of flat records (100,000 roster rows) with its own
fast writer; the text must be exactly json.dumps's, whatever the values."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ui.cli.common import _flat_records, dump_json, json_default

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.dates(), st.datetimes())
records = st.lists(st.dictionaries(st.text(), scalars, max_size=6), max_size=5)
anything = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(), inner, max_size=3)), max_leaves=8)


def general(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default)


@given(records)
def test_flat_records_are_written_as_json_dumps_writes_them(data):
    assert dump_json(data) == general(data)


@given(st.lists(anything, max_size=4))
def test_anything_else_goes_the_general_way(data):
    assert dump_json(data) == general(data)


def test_roster_rows_take_the_fast_way():
    row = {"name": "常州恒立液压\u202e有限公司\"\\", "year": 2024, "support_total": Decimal("12.5"),
           "valid_until": dt.date(2027, 1, 1), "tier": None, "is_demo": False}
    assert _flat_records([row, row]) == general([row, row])
