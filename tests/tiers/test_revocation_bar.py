"""What a revocation starts, asked before it is made (the revoke dialog's note): the same
rule the assessment reads the bars in force by (tiers.assess.bar)."""

from __future__ import annotations

import datetime as dt

from tiers.assess.bar import bar_of, revocation_bar

ON = dt.date(2026, 11, 21)
HELD = {"is_pending": False, "recognized_on": dt.date(2024, 8, 1)}  # a title in force


def test_false_data_on_a_ladder_title_starts_three_years():
    found = revocation_bar("little_giant", ON, " 申报材料弄虚作假 ", **HELD)
    assert found is not None
    assert (found.revoked_on, found.last_day, found.reason) == (
        ON, dt.date(2029, 11, 20), "申报材料弄虚作假")
    # the assessment, on any day inside, reads the very bar the revocation started
    assert bar_of("little_giant", ON, " 申报材料弄虚作假 ", dt.date(2029, 11, 20), **HELD) == found


def test_other_reasons_negations_and_local_titles_start_none():
    assert revocation_bar("zjtx", ON, "企业自愿放弃", **HELD) is None
    assert revocation_bar("zjtx", ON, "经核查不存在数据造假", **HELD) is None
    assert revocation_bar("zjtx", ON, "", **HELD) is None
    # a title off the ladder (a city's own) is not what the assessment judges
    assert revocation_bar("city_zjtx", ON, "数据造假", **HELD) is None
    assert bar_of("city_zjtx", ON, "数据造假", ON, **HELD) is None


def test_a_title_not_in_force_when_revoked_starts_none():
    """Only a title withdrawn bars (domain.md §2.5): one 公示中 (the list not final) or one
    not started on the day revoked (entered early) starts nothing — the dialog's note and
    the assessment's loaders ask this one rule (a 公示中 title revoked for 造假 was warned
    of three years the assessment never applied: review of the twenty-second session)."""
    assert revocation_bar("zjtx", ON, "数据造假", is_pending=True, recognized_on=None) is None
    assert revocation_bar("zjtx", ON, "数据造假", is_pending=True,
                          recognized_on=dt.date(2024, 8, 1)) is None
    assert revocation_bar("zjtx", ON, "数据造假", is_pending=False,
                          recognized_on=ON + dt.timedelta(days=1)) is None
    # started that very day, or no 认定日期 known: a title in force
    assert revocation_bar("zjtx", ON, "数据造假", is_pending=False, recognized_on=ON) is not None
    assert revocation_bar("zjtx", ON, "数据造假", is_pending=False,
                          recognized_on=None) is not None
    # and the assessment reads none from it on any later day, the title started or not
    later = dt.date(2027, 6, 1)
    assert bar_of("zjtx", ON, "数据造假", later, is_pending=False,
                  recognized_on=ON + dt.timedelta(days=1)) is None
    assert bar_of("zjtx", ON, "数据造假", later, is_pending=True, recognized_on=None) is None
