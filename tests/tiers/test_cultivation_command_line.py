"""``tiers assess --cultivation`` in plain text says the conclusion the 培育库 view shows
(已认定 / 公示中（不再推荐）), and ``--tier`` keeps the entries aimed at that tier (it was
ignored: every entry came out), in text and in JSON; an unknown tier is refused in Chinese."""

from __future__ import annotations

import json

from tests.conftest import entry_kept, good_zjtx
from tests.tiers.test_assess_county import Y, add_firm
from tests.tiers.test_assess_pending import LAST, OLD
from tiers.services import cultivation
from ui.cli.main import main


def _entries(session, enterprise_factory):
    holder = add_firm(session, enterprise_factory, "常州已认定命令科技有限公司",
                      this_year=good_zjtx(), last_year=LAST, held=("zjtx",))
    aiming = add_firm(session, enterprise_factory, "常州巨人目标科技有限公司",
                      this_year=good_zjtx(), last_year=LAST, held=("zjtx",))
    entry_kept(session, holder.id, {"target_tier": "zjtx", "target_year": 2026})  # before
    cultivation.add(session, aiming.id, {"target_tier": "little_giant", "target_year": 2026})
    session.commit()


def test_the_plain_text_says_the_conclusion(capsys, db_target, session, enterprise_factory):
    _entries(session, enterprise_factory)
    status = main(["--db", str(db_target), "assess", "--cultivation", "--year", str(Y), *OLD])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    [header] = [n for n, line in enumerate(lines) if line.startswith("常州已认定命令科技有限公司")]
    assert lines[header + 1] == "  当前预审：已认定"  # as the 培育库 view's 当前预审


def test_tier_keeps_the_entries_aimed_at_it(capsys, db_target, session, enterprise_factory):
    _entries(session, enterprise_factory)
    status = main(["--db", str(db_target), "assess", "--cultivation", "--tier", "省级专精特新",
                   "--year", str(Y), *OLD])
    captured = capsys.readouterr()
    assert status == 0
    assert "常州已认定命令科技有限公司" in captured.out
    assert "常州巨人目标科技有限公司" not in captured.out
    assert "培育库（目标梯度：省级专精特新中小企业） 1 家" in captured.err
    status = main(["--db", str(db_target), "assess", "--cultivation", "--tier", "小巨人",
                   "--json", "--year", str(Y), *OLD])
    rows = json.loads(capsys.readouterr().out)
    assert status == 0
    assert [row["name"] for row in rows] == ["常州巨人目标科技有限公司"]


def test_an_unknown_tier_is_refused_in_chinese(capsys, db_target, session, enterprise_factory):
    _entries(session, enterprise_factory)
    status = main(["--db", str(db_target), "assess", "--cultivation", "--tier", "金牌企业"])
    captured = capsys.readouterr()
    assert status != 0 and captured.out == ""
    assert "未知的梯度：金牌企业" in captured.err and "Traceback" not in captured.err
