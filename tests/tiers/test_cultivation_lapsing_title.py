"""A 培育库 entry whose firm holds the target tier only until before the target year (allowed
by the 培育库 rule: the firm is prepared for its 复核) read 当前预审 已认定 until the title
lapsed. It now says when the title ends and that it needs its 复核, its 较上年 is judged (the
复核 asks the conditions again), and the view colours it as the roster's 即将到期. A title
renewed already, or one in force through the target year, is still 已认定. A firm whose 复核
(or a higher title) is 公示中 already needs no 复核 prepared: 复核公示中, in the 公示 purple,
not judged against last year (as any firm 公示中)."""

from __future__ import annotations

import datetime as dt
import json

from tests.conftest import entry_kept, good_zjtx
from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tests.tiers.test_assess_pending import OLD
from tests.tiers.test_cultivation_trend_held import NOT_JUDGED, WEAKER
from tiers import assess
from tiers.services import recognitions
from ui.cli.main import main
from ui.cultivation_rows import LAPSING_COLOUR, readiness_colour, with_assessment
from ui.roster_cells import PENDING_COLOUR

ENDS = dt.date(2026, 12, 27)  # a 2023年度 省级专精特新, final list of 2023-12-28
LAPSING = f"现称号 {ENDS.isoformat()} 到期，须复核"


def test_a_title_ending_before_the_target_year_needs_its_review(capsys, db_target, session,
                                                                enterprise_factory):
    def firm(name, target_year, renewed=False, recognized_on=dt.date(2023, 12, 28),
             listed=None):
        made = add_firm(session, enterprise_factory, name, this_year=WEAKER,
                        last_year=good_zjtx())
        recognitions.add(session, made.id, {"tier_code": "zjtx", "batch_year": 2023,
                                            "recognized_on": recognized_on})
        if renewed:
            recognitions.add(session, made.id, {"tier_code": "zjtx", "batch_year": 2026,
                                                "is_review": True,
                                                "recognized_on": dt.date(2026, 3, 1)})
        if listed:  # its 复核 (or a higher title) on a 2026 公示 list
            recognitions.add(session, made.id, {"tier_code": listed, "batch_year": 2026,
                                                "is_review": listed == "zjtx",
                                                "is_pending": True})
        entry_kept(session, made.id, {"target_tier": "zjtx", "target_year": target_year,
                                      "officer": "王丽"})
        return made

    firm("常州来年复核科技有限公司", 2027)
    firm("常州本年仍有效科技有限公司", 2026)
    firm("常州已提前复核科技有限公司", 2027, renewed=True)
    firm("常州复核公示中科技有限公司", 2027, listed="zjtx")
    firm("常州小巨人公示中科技有限公司", 2027, listed="little_giant")
    # the command line judges on the real day: a title ending 30 days after it
    real_end = dt.date.today() + dt.timedelta(days=30)
    real_end += dt.timedelta(days=(real_end.month, real_end.day) == (2, 29))
    firm("常州命令行复核科技有限公司", real_end.year + 1,
         recognized_on=real_end.replace(year=real_end.year - 3) + dt.timedelta(days=1))
    session.flush()
    by_name = {e.name: e for e in assess.cultivation_overview(
        session, today=TODAY, rule_set="2022暂行办法")}
    command_line = by_name.pop("常州命令行复核科技有限公司")
    assert {name: (e.conclusion, e.trend) for name, e in by_name.items()} == {
        "常州来年复核科技有限公司": (LAPSING, "退步"),  # the figures did fall
        "常州本年仍有效科技有限公司": ("已认定", NOT_JUDGED),
        "常州已提前复核科技有限公司": ("已认定", NOT_JUDGED),
        "常州复核公示中科技有限公司": (f"现称号 {ENDS.isoformat()} 到期，复核公示中", NOT_JUDGED),
        "常州小巨人公示中科技有限公司": (f"现称号 {ENDS.isoformat()} 到期，小巨人公示中",
                                   NOT_JUDGED)}
    lapsing = by_name["常州来年复核科技有限公司"]
    assert lapsing.lapses_on == ENDS and command_line.lapses_on == real_end
    row = with_assessment({"id": lapsing.entry_id}, lapsing, assessed=True)
    assert row["readiness"] == LAPSING and readiness_colour(row) == LAPSING_COLOUR
    held = with_assessment({}, by_name["常州本年仍有效科技有限公司"], assessed=True)
    assert readiness_colour(held) is None  # 已认定 plain, as before
    for name in ("常州复核公示中科技有限公司", "常州小巨人公示中科技有限公司"):
        listed = with_assessment({}, by_name[name], assessed=True)
        assert readiness_colour(listed) == PENDING_COLOUR.name(), name
    session.commit()
    status = main(["--db", str(db_target), "assess", "--cultivation", "--json", "--year",
                   str(Y), *OLD])
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert status == 0
    assert rows["常州命令行复核科技有限公司"]["conclusion"] == (
        f"现称号 {real_end.isoformat()} 到期，须复核")
    assert rows["常州已提前复核科技有限公司"]["conclusion"] == "已认定"
