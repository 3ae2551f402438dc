"""培育库's 较上年 does not judge progress toward a tier the firm already holds or is listed
for: its 当前预审 reads 已认定 / 已认定为… / 公示中（不再推荐）, so a red 退步 beside it
contradicted it. Such a firm's 较上年 is — (not judged), in the overview, the export's rows
and ``--cultivation --json``; a firm still on its way keeps its 退步."""

from __future__ import annotations

import json

from tests.conftest import entry_kept, good_zjtx
from tests.tiers.test_assess_county import TODAY, Y, add_firm
from tests.tiers.test_assess_pending import OLD, publicise
from tiers import assess
from ui.cli.main import main

NOT_JUDGED = "—"  # tiers.assess.cultivation.NOT_JUDGED
WEAKER = dict(revenue=1500, main_revenue=1300, rd_expense=20)  # this year, after a good one


def test_a_holder_or_listed_firm_is_not_judged_against_last_year(capsys, db_target, session,
                                                                 enterprise_factory):
    def firm(name, held=()):
        return add_firm(session, enterprise_factory, name, this_year=WEAKER,
                        last_year=good_zjtx(), held=held)

    holder = firm("常州已认定退步科技有限公司", held=("zjtx",))
    higher = firm("常州已是巨人退步科技有限公司", held=("little_giant",))
    listed = firm("常州公示退步科技有限公司", held=("innovative",))
    publicise(session, listed, "zjtx")
    on_its_way = firm("常州培育退步科技有限公司", held=("innovative",))
    for one in (holder, higher, listed, on_its_way):  # entered before the recognitions
        entry_kept(session, one.id, {"target_tier": "zjtx", "target_year": 2026,
                                          "officer": "王丽"})
    session.flush()
    by_name = {e.name: e for e in assess.cultivation_overview(
        session, today=TODAY, rule_set="2022暂行办法")}
    assert by_name["常州培育退步科技有限公司"].trend == "退步"  # the figures did fall
    assert {name: (e.conclusion, e.trend) for name, e in by_name.items()
            if name != "常州培育退步科技有限公司"} == {
        "常州已认定退步科技有限公司": ("已认定", NOT_JUDGED),
        "常州已是巨人退步科技有限公司": ("已认定为小巨人", NOT_JUDGED),
        "常州公示退步科技有限公司": ("公示中（不再推荐）", NOT_JUDGED)}
    session.commit()
    status = main(["--db", str(db_target), "assess", "--cultivation", "--json", "--year",
                   str(Y), *OLD])
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
    assert status == 0
    assert rows["常州已认定退步科技有限公司"]["trend"] == NOT_JUDGED
    assert rows["常州培育退步科技有限公司"]["trend"] == "退步"
