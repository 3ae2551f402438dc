"""A 保存 of the firm window carries a token that its transaction stores: the same save sent
again (its first answer lost when the server's connection broke at the commit) finds it and
writes nothing, so a new 梯度认定, 扶持措施 or firm is not added a second time. The token is
stored with the save or not at all (on SQLite and, with --postgres, on PostgreSQL)."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import text

from tiers.queries import profiles
from tiers.services import enterprises
from tiers.services.errors import ValidationError
from tiers.services.profile import NEW, AlreadySaved, RecordEdit, load, save_profile, saved_firm

RECOGNITION = RecordEdit(NEW, values={"tier_code": "innovative", "batch_year": "2025",
                                      "document_number": "常工信〔2025〕7号"})
MEASURE = RecordEdit(NEW, values={"kind": "资金奖励", "name": "技改补助", "amount": "20",
                                  "year": "2025"})


@pytest.fixture
def firm(database, code) -> int:
    with database.session() as session:
        return enterprises.create(session, {"credit_code": code(1), "county": "武进区",
                                            "name": "常州令牌机械有限公司"}).id


def _save(database, firm_id, token, basic=None, **edits):
    with database.session() as session:
        base = load(session, firm_id) if firm_id is not None else None
        return save_profile(session, firm_id, basic or {}, base=base, user="officer",
                            token=token, **edits)


def _records(database, firm_id) -> tuple[int, int]:
    with database.session() as session:
        profile = profiles.profile(session, firm_id)
    return len(profile["recognitions"]), len(profile["support_measures"])


def _firms(database) -> int:
    with database.session() as session:
        return session.execute(text("SELECT count(*) FROM enterprise")).scalar()


def test_the_same_save_again_writes_nothing(database, firm):
    token = str(uuid.uuid4())
    _save(database, firm, token, {"main_product": "齿轮"}, recognition_edits=[RECOGNITION],
          measure_edits=[MEASURE])
    assert _records(database, firm) == (1, 1)
    with pytest.raises(AlreadySaved) as already:
        _save(database, firm, token, {"main_product": "齿轮"}, recognition_edits=[RECOGNITION],
              measure_edits=[MEASURE])
    assert already.value.enterprise_id == firm
    assert "已经写入" in str(already.value) and "没有再写入" in str(already.value)
    assert _records(database, firm) == (1, 1)
    # another save (another token) of the same edits is another save: written
    _save(database, firm, str(uuid.uuid4()), measure_edits=[MEASURE])
    assert _records(database, firm) == (1, 2)


def test_a_new_firm_saved_again_is_not_created_twice(database, code):
    token = str(uuid.uuid4())
    basic = {"credit_code": code(5), "name": "常州令牌新建有限公司", "county": "武进区"}
    saved = _save(database, None, token, basic, recognition_edits=[RECOGNITION])
    with pytest.raises(AlreadySaved) as already:
        _save(database, None, token, basic, recognition_edits=[RECOGNITION])
    assert already.value.enterprise_id == saved.enterprise_id
    assert _firms(database) == 1 and _records(database, saved.enterprise_id) == (1, 0)
    with database.session() as session:
        assert saved_firm(session, token) == saved.enterprise_id


def test_a_refused_save_stores_no_token(database, firm):
    """All or nothing: a save the services refuse leaves no token, and the same token then
    saves (the window keeps it until a save of its edits got in)."""
    token = str(uuid.uuid4())
    with pytest.raises(ValidationError):
        _save(database, firm, token, {"founded_on": "去年春天"}, measure_edits=[MEASURE])
    with database.session() as session:
        assert saved_firm(session, token) is None
    assert _records(database, firm) == (0, 0)
    _save(database, firm, token, measure_edits=[MEASURE])
    assert _records(database, firm) == (0, 1)


def test_the_token_goes_with_its_firm(database, firm):
    token = str(uuid.uuid4())
    _save(database, firm, token, measure_edits=[MEASURE])
    with database.session() as session:
        session.execute(text("DELETE FROM enterprise WHERE id = :id"), {"id": firm})
    with database.session() as session:
        assert saved_firm(session, token) is None


@pytest.mark.server_only
@pytest.mark.parametrize("new_firm", [False, True])
def test_the_same_save_still_running_on_the_server(database, firm, code, new_firm):
    """The first save's answer was lost while the server still ran it (a network cut, not a
    server gone): the save sent again waits for it (the firm's lock, or the token's key) and,
    once it committed, writes nothing."""
    token = str(uuid.uuid4())
    basic = ({"credit_code": code(6), "name": "常州令牌并发有限公司", "county": "武进区"}
             if new_firm else {"main_product": "轴承"})
    target = None if new_firm else firm
    first = database.sessions()
    first.begin()
    first_base = load(first, firm) if target else None
    save_profile(first, target, basic, base=first_base, token=token,
                 recognition_edits=[RECOGNITION])
    outcome: dict[str, object] = {}

    def again() -> None:
        try:
            _save(database, target, token, basic, recognition_edits=[RECOGNITION])
            outcome["saved"] = True
        except AlreadySaved as already:
            outcome["already"] = already

    second = threading.Thread(target=again)
    second.start()
    second.join(1.5)
    assert second.is_alive()  # waiting for the first
    first.commit()
    first.close()
    second.join(20)
    assert "already" in outcome, outcome
    with database.session() as session:
        firm_id = saved_firm(session, token)
    assert _records(database, firm_id) == (1, 0)
    assert _firms(database) == (2 if new_firm else 1)


def test_a_save_prunes_tokens_older_than_a_month_and_keeps_the_recent(database, firm, code):
    """profile_save grew by one row per 保存 for ever: a save drops its county's tokens
    older than 30 days. A recent one stays, so the same save sent again (its answer lost)
    still writes nothing; another county's old token is left to that county's saves."""
    import datetime as dt

    from tiers.model.orm import ProfileSave, utcnow

    with database.session() as session:
        neighbour = enterprises.create(session, {"credit_code": code(2), "county": "武进区",
                                                 "name": "常州令牌邻居有限公司"}).id
        elsewhere = enterprises.create(session, {"credit_code": code(3), "county": "新北区",
                                                 "name": "常州令牌新北有限公司"}).id
    now = utcnow()
    aged = {"old": (firm, 40), "neighbour": (neighbour, 31), "elsewhere": (elsewhere, 40),
            "recent": (firm, 29)}
    with database.session() as session:
        session.add_all(ProfileSave(token=token, enterprise_id=owner,
                                    at=now - dt.timedelta(days=days))
                        for token, (owner, days) in aged.items())
    _save(database, firm, "new", {"main_product": "齿轮"})
    with database.session() as session:
        left = set(session.execute(text("SELECT token FROM profile_save")).scalars())
    assert left == {"recent", "elsewhere", "new"}
    with pytest.raises(AlreadySaved):  # the 29-day-old save sent again: nothing written
        _save(database, firm, "recent", measure_edits=[MEASURE])
    assert _records(database, firm) == (0, 0)


def _tokens(database) -> set[str]:
    with database.session() as session:
        return set(session.execute(text("SELECT token FROM profile_save")).scalars())


@pytest.mark.parametrize("days", [40, -40])
def test_the_month_is_the_databases_not_this_computers(database, firm, days):
    """On a shared server several PCs save: one whose clock runs 40 days ahead took a
    colleague's fresh token for a month old and dropped it (a resend of that save would
    then write twice); one running 40 days late stamped its own tokens so that the next
    colleague's save dropped them. The tokens are stamped and pruned by the database's
    clock (on SQLite and, with --postgres, on PostgreSQL) (review26)."""
    import datetime as dt

    import time_machine

    _save(database, firm, "colleague", {"main_product": "齿轮"})
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=days), tick=True):
        _save(database, firm, "skewed", {"main_product": "链轮"})
    _save(database, firm, "colleague again", {"main_product": "齿轮"})
    assert _tokens(database) == {"colleague", "skewed", "colleague again"}
