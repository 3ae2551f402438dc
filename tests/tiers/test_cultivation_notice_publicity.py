"""加入培育库's warning "公示中，待正式认定" only while the 公示 is open: once the batch's final
list is in (a firm of it held by the final list's import), a firm left 公示中 was most likely
left out and is no longer 公示中 for the 培育库 either, as the 对标预审 says (held_by)."""

from __future__ import annotations

import datetime as dt

from tests.tiers.test_assess_pending_lapse import listed
from tiers.services import cultivation_rule

THIS_YEAR = dt.date.today().year


def test_the_warning_follows_only_an_open_publicity(session, enterprise_factory):
    confirmed = enterprise_factory("常州入选培育科技有限公司")
    dropped = enterprise_factory("常州落选培育科技有限公司")
    waiting = enterprise_factory("常州待定培育科技有限公司")
    listed(session, confirmed, "zjtx", THIS_YEAR, pending=False, final_list=True,
           recognized_on=dt.date(THIS_YEAR, 1, 1))
    listed(session, dropped, "zjtx", THIS_YEAR)
    listed(session, waiting, "little_giant", THIS_YEAR, label="第七批")
    session.flush()
    found = cultivation_rule.standings(session, [confirmed.id, dropped.id, waiting.id])
    assert cultivation_rule.notice(found[dropped.id], "zjtx") == ""
    assert found[dropped.id].pending == ()
    assert cultivation_rule.notice(found[waiting.id], "little_giant").startswith(
        "该企业已在专精特新“小巨人”企业")
    assert cultivation_rule.notice(found[confirmed.id], "zjtx") == ""  # held: refused instead
    assert cultivation_rule.refusal(found[confirmed.id], "zjtx").endswith("无需加入培育库")
