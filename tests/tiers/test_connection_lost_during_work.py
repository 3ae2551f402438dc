"""A server connection that breaks in the middle of a unit of work: the session says so as
ConnectionLost, and whether it broke before the commit (the server dropped the unfinished
transaction: nothing written) or at the commit (it may have been written). The faces tell
the officer which (the package import, the import wizard)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.conftest import make_code
from tests.server_helpers import admin
from tiers.services import enterprises
from tiers.storage.connection_faults import CONNECTION_LOST
from tiers.storage.faults import ConnectionLost, DatabaseError

pytestmark = pytest.mark.server_only


def _drop_my_connection(db_target, session) -> None:
    """As a server restarting under a running import: this session's backend ends."""
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
    with admin(db_target) as connection:
        connection.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _firms(database) -> int:
    with database.session() as session:
        return session.execute(text("SELECT count(*) FROM enterprise")).scalar()


def test_lost_while_writing_is_said_and_nothing_is_written(database, db_target):
    with pytest.raises(ConnectionLost) as lost, database.session() as session:
        enterprises.create(session, {"credit_code": make_code(41), "county": "武进区",
                                     "name": "常州断线前写入有限公司"})
        session.flush()
        _drop_my_connection(db_target, session)
        enterprises.create(session, {"credit_code": make_code(42), "county": "武进区",
                                     "name": "常州断线后写入有限公司"})
        session.flush()
    assert str(lost.value) == CONNECTION_LOST and not lost.value.at_commit
    assert isinstance(lost.value, DatabaseError)  # (every face knows it as a storage error)
    assert _firms(database) == 0  # the next unit of work just works, and finds nothing


def test_lost_at_the_commit_is_told_apart(database, db_target):
    """The block's work was done; the connection broke when the commit was asked for."""
    with pytest.raises(ConnectionLost) as lost, database.session() as session:
        enterprises.create(session, {"credit_code": make_code(43), "county": "武进区",
                                     "name": "常州提交时断线有限公司"})
        session.flush()
        _drop_my_connection(db_target, session)
    assert lost.value.at_commit
    assert _firms(database) == 0  # (here the server had ended it before the commit came)
