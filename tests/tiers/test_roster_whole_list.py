"""The whole filtered roster (``tiers enterprises``) is read as plain columns in a few
queries; the desktop's blocks of rows by ids. Both must give the same rows in the same
order, whatever the filters and the sort."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from tiers.model.orm import Enterprise
from tiers.model.vocabulary import ROSTER_SORT_KEYS
from tiers.queries import roster
from tiers.services import demo

TODAY = dt.date(2026, 11, 21)


@pytest.fixture
def demo_county(database):
    with database.session() as session:
        for _ in demo.generate(session, enterprises=120, today=TODAY, seed=5):
            pass
    return database


filters = st.builds(
    roster.RosterFilter,
    search=st.sampled_from(["", "液压", "常州", "czh", "9132", "有限"]),
    tier=st.sampled_from([None, "小巨人", "创新型", "省级专精特新"]),
    status=st.sampled_from([None, "有效", "即将到期", "已到期", "全部"]),
    town=st.sampled_from([None, "湖塘"]),
    today=st.just(TODAY))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=filters, sort=st.sampled_from(ROSTER_SORT_KEYS), descending=st.booleans(),
       few_ids=st.booleans())
def test_the_whole_list_is_the_rows_of_its_ids(demo_county, monkeypatch, filters, sort,
                                              descending, few_ids):
    # few_ids: details of every firm, as for a list of most of 100,000 firms
    monkeypatch.setattr(roster, "_MOST_IDS", 3 if few_ids else 20_000)
    with demo_county.session() as session:
        whole = roster.roster(session, filters, sort=sort, descending=descending)
        ids = roster.roster_ids(session, filters, sort=sort, descending=descending)
        assert whole == roster.roster_rows(session, ids, filters=filters)


def test_the_whole_list_builds_no_orm_objects(demo_county):
    loaded = []
    with demo_county.session() as session:
        event.listen(session, "loaded_as_persistent",
                     lambda _session, item: loaded.append(item))
        rows = roster.roster(session, roster.RosterFilter(today=TODAY))
    assert len(rows) == 120
    assert not [item for item in loaded if isinstance(item, Enterprise)]


def test_an_unknown_sort_is_refused(demo_county):
    with demo_county.session() as session, pytest.raises(roster.QueryError):
        roster.roster(session, roster.RosterFilter(), sort="nonsense")
