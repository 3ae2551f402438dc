"""Two changes of one login at once (two windows of the owner, a script run twice): each
is one after the other, never a mix. Each ``tiers user set --county`` replaces the
login's counties: run together, the login kept both sets (an editor of two counties that
nobody gave him, the log saying one each). Two ``add`` of one name: one is added, the
other told in Chinese that it exists, not the server's unique-index error."""

from __future__ import annotations

import threading
import time
import uuid

import psycopg
import pytest

from tests.tiers.server.conftest import PASSWORD, WUJIN, XINBEI
from tiers.errors import Refused
from tiers.storage.server.users import add_user, change_user, list_users, user_log

pytestmark = pytest.mark.server_only

TIANNING = "320402"


def _waiting(url: str, count: int) -> None:
    """Until ``count`` other sessions of the database wait on a lock."""
    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(500):
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'").fetchone()[0]
            if waiting >= count:
                return
            time.sleep(0.01)
    raise AssertionError(f"{count} sessions never waited")


def _run(target, *args, **kwargs) -> tuple[threading.Thread, list]:
    outcome: list = []

    def work():
        try:
            outcome.append(target(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            outcome.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def test_two_county_changes_of_one_login_at_once_are_one_after_the_other(bureau):
    name = f"moved_{uuid.uuid4().hex[:8]}"
    add_user(bureau.url, name, "editor", [TIANNING], PASSWORD)
    bureau.logins["moved"] = name
    # a third session holds the login's rows, so that both changes have read his counties
    # before either writes: the moment two owners press 确定 together
    with psycopg.connect(bureau.url) as blocker:
        blocker.execute("SELECT * FROM tiers_user_county WHERE login = %s FOR UPDATE", (name,))
        first = _run(change_user, bureau.url, name, counties=[WUJIN])
        _waiting(bureau.url, 1)
        second = _run(change_user, bureau.url, name, counties=[XINBEI])
        _waiting(bureau.url, 2)
        blocker.rollback()
    for thread, _ in (first, second):
        thread.join(30)
    outcomes = [first[1][0], second[1][0]]
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    user = next(u for u in list_users(bureau.url) if u.name == name)
    assert user.counties in (("武进区",), ("新北区",))
    # the log tells the changes in the order they were made, ending with what he has
    changes = [line.detail for line in user_log(bureau.url, name) if line.action == "set"]
    assert len(changes) == 2
    assert changes[-1].endswith(f"→ {user.counties[0]}")
    assert changes[0].startswith("区县：天宁区 →")
    assert changes[1].startswith(f"区县：{changes[0].rpartition('→ ')[2]} →")


def test_a_login_added_meanwhile_is_told_in_chinese(bureau):
    """The name is free when ``add`` looks, and taken when it creates the role (another
    database of the server added it meanwhile: roles are the server's)."""
    name = f"twice_{uuid.uuid4().hex[:8]}"
    bureau.logins["twice"] = name
    with psycopg.connect(bureau.url) as other:
        other.execute(f'CREATE ROLE "{name}" LOGIN')
        thread, outcome = _run(add_user, bureau.url, name, "viewer", [], PASSWORD)
        _waiting(bureau.url, 1)
        other.commit()
    thread.join(30)
    assert isinstance(outcome[0], Refused), outcome
    assert f"用户 {name} 已存在" in str(outcome[0])
    assert not [line for line in user_log(bureau.url, name)]


def test_two_adds_of_one_name_add_it_once(bureau):
    name = f"same_{uuid.uuid4().hex[:8]}"
    bureau.logins["same"] = name
    with psycopg.connect(bureau.url) as blocker:  # both pass the check before either adds
        blocker.execute("LOCK TABLE tiers_user_county IN EXCLUSIVE MODE")
        runs = [_run(add_user, bureau.url, name, "editor", [WUJIN], PASSWORD)]
        _waiting(bureau.url, 1)
        runs.append(_run(add_user, bureau.url, name, "editor", [XINBEI], PASSWORD))
        _waiting(bureau.url, 2)
        blocker.rollback()
    for thread, _ in runs:
        thread.join(30)
    outcomes = [outcome[0] for _, outcome in runs]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], Refused), outcomes
    assert "已存在" in str(refused[0])
    added = next(o for o in outcomes if not isinstance(o, Exception))
    user = next(u for u in list_users(bureau.url) if u.name == name)
    assert user.counties == added.counties
    assert [line.action for line in user_log(bureau.url, name)] == ["add"]
