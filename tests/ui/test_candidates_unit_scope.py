"""候选企业 on 新北区's laptop (cand28): the tester saw 武进 and 溧阳 firms listed by default.
With 本单位负责的区县 recorded the page offers the export dialog's choices — 本单位（新北区）
first, then the counties, （未填区县） and （全部区县，含本单位以外） — lists the unit's firms by
default and says what that leaves out (tiers.queries.unit_scope)."""

from __future__ import annotations

from tests.tiers.test_candidates_unit_scope import OURS, THEIRS, ZONE, add_firms
from tests.ui.candidates_helpers import candidates_page, list_candidates
from tiers.model.vocabulary import ALL_COUNTIES_CHOICE, NO_COUNTY_CHOICE


def listed(candidates) -> set[str]:
    return {row["name"] for row in candidates.model.all_rows}


def test_the_page_lists_the_units_firms_by_default(qtbot, database, settings, runner):
    with database.session() as session:
        add_firms(session)
    candidates = candidates_page(qtbot, database, settings, runner).candidates
    candidates.refresh()
    qtbot.waitUntil(lambda: candidates.county.itemText(0) == "本单位（新北区）", timeout=10_000)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    offered = [candidates.county.itemText(n) for n in range(candidates.county.count())]
    assert offered[-2:] == [NO_COUNTY_CHOICE, ALL_COUNTIES_CHOICE] and "溧阳市" in offered
    assert candidates.county.currentIndex() == 0
    assert candidates.county.shown_text() == "本单位（新北区）"  # whole, not “本单位（新”
    assert not candidates.scope_note.isHidden()
    assert candidates.scope_note.text() == (
        "注意：本单位负责的区县为新北区：报表默认只含新北区的企业及按规则属于本单位的未填区县企业，"
        f"未含溧阳市 1 家；要包含它们，请在“县区”中选“{ALL_COUNTIES_CHOICE}”或该县（市、区）。")
    assert "本单位（新北区）" in candidates.summary.text()
    candidates.include_not_ready.setChecked(True)
    list_candidates(qtbot, candidates, "innovative")
    assert listed(candidates) == {OURS, ZONE}
    candidates.county.setCurrentIndex(candidates.county.count() - 1)
    assert candidates.scope_note.isHidden()
    list_candidates(qtbot, candidates, "innovative")
    assert listed(candidates) == {OURS, THEIRS, ZONE}


def test_no_unit_the_page_is_as_before(qtbot, database, settings, runner):
    with database.session() as session:
        add_firms(session, unit=False)
    candidates = candidates_page(qtbot, database, settings, runner).candidates
    candidates.refresh()
    qtbot.waitUntil(lambda: candidates.county.findData("溧阳市") >= 0, timeout=10_000)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    offered = [candidates.county.itemText(n) for n in range(candidates.county.count())]
    assert offered[0] == "全部县区" and NO_COUNTY_CHOICE not in offered
    assert candidates.scope_note.isHidden()
    candidates.include_not_ready.setChecked(True)
    list_candidates(qtbot, candidates, "innovative")
    assert listed(candidates) == {OURS, THEIRS, ZONE}
