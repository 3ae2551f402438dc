"""values.show: one formatter for every face, its differences as parameters."""

import datetime as dt
from decimal import Decimal

import pytest

from tiers.model import reference
from tiers.text.values import chain_name, show


@pytest.mark.parametrize("value", [None, ""])
def test_nothing_shows_as_empty_or_as_asked(value):
    assert show(value) == ""
    assert show(value, "amount", empty="—") == "—"
    assert show(value, empty="（空）") == "（空）"


def test_booleans_are_yes_and_no_whatever_the_kind():
    assert show(True) == "是"
    assert show(False, "text") == "否"


def test_amounts_as_stored_drop_trailing_zeros_and_never_use_exponents():
    assert show(Decimal("89372.9900")) == "89372.99"
    assert show(Decimal("1E+2")) == "100"
    assert show(Decimal("-0.0000")) == "0"
    assert show("12.5000", "amount") == "12.5"  # a number the audit's JSON holds as text
    assert show(0.5, "decimal") == "0.5"


def test_amounts_with_places_grouping_zero_and_unit():
    amount = Decimal("12345.675")
    assert show(amount, places=2) == "12345.68"  # the command line's tables and CSV
    assert show(amount, places=2, grouped=True) == "12,345.68"  # the desktop's tables
    assert show(Decimal(0), places=2, grouped=True, zero="—") == "—"
    assert show(Decimal(0), places=2) == "0.00"
    assert show(Decimal("1234.5"), "amount", places=2, grouped=True,
                unit="万元") == "1,234.50 万元"


def test_numbers_that_are_not_numbers_show_as_they_are():
    assert show("abc", "amount") == "abc"
    assert show(Decimal("NaN"), places=2) == "NaN"
    assert show(Decimal("Infinity")) == "Infinity"


def test_a_float_is_a_number_as_stored():
    assert show(85.0) == "85"  # a spreadsheet's cell, or a number from the audit's JSON
    assert show(85.25) == "85.25"
    assert show(1e20) == "100000000000000000000"


def test_dates_and_moments():
    assert show(dt.date(2024, 3, 8)) == "2024-03-08"
    assert show(dt.datetime(2024, 3, 8, 14, 5, 59)) == "2024-03-08 14:05"
    assert show("2024-03-08", "date") == "2024-03-08"
    assert show("2024-03-08T14:05:59.123", "date") == "2024-03-08 14:05"
    assert show("2024年3月", "date") == "2024年3月"  # not ISO: as it is


def test_tier_and_chain_codes_by_their_names():
    assert show("zjtx", "tier") == "省级专精特新中小企业"
    assert show("no-such-tier", "tier") == "no-such-tier"
    chain = reference.chains()[0]
    assert show(chain.code, "chain") == chain.name == chain_name(chain.code)
    assert chain_name("none") == "none"


def test_years_and_codes_are_text():
    assert show(2024, "year") == "2024"
    assert show("91320500MA1X", "code") == "91320500MA1X"


def test_the_import_preview_shows_values_the_same_way():
    """What importers' preview text shows (（空） for nothing, numbers as stored)."""
    preview = [show(v, empty="（空）") for v in (None, "", True, Decimal("89372.9900"), 1.0,
                                               dt.datetime(2024, 3, 8, 9, 0), dt.date(2024, 3, 8),
                                               "第五批")]
    assert preview == ["（空）", "（空）", "是", "89372.99", "1", "2024-03-08 09:00", "2024-03-08",
                       "第五批"]
