"""What a revocation starts, asked before it is made (the revoke dialog's note): the same
rule the assessment reads the bars in force by (tiers.assess.bar)."""

from __future__ import annotations

import datetime as dt

from tiers.assess.bar import bar_of, revocation_bar

ON = dt.date(2026, 11, 21)


def test_false_data_on_a_ladder_title_starts_three_years():
    found = revocation_bar("little_giant", ON, " 申报材料弄虚作假 ")
    assert found is not None
    assert (found.revoked_on, found.last_day, found.reason) == (
        ON, dt.date(2029, 11, 20), "申报材料弄虚作假")
    # the assessment, on any day inside, reads the very bar the revocation started
    assert bar_of("little_giant", ON, " 申报材料弄虚作假 ", dt.date(2029, 11, 20)) == found


def test_other_reasons_negations_and_local_titles_start_none():
    assert revocation_bar("zjtx", ON, "企业自愿放弃") is None
    assert revocation_bar("zjtx", ON, "经核查不存在数据造假") is None
    assert revocation_bar("zjtx", ON, "") is None
    # a title off the ladder (a city's own) is not what the assessment judges
    assert revocation_bar("city_zjtx", ON, "数据造假") is None
    assert bar_of("city_zjtx", ON, "数据造假", ON) is None
