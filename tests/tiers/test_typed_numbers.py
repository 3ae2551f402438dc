"""A figure typed with a Chinese input method in full-width mode (２０．５, 1，200) is the
number it reads as, in every form of the enterprise window, as an import already reads it;
it was refused as “金额（万元）应为数字：２０．５”, which looks like a number to the officer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tiers.services import figures, measures
from tiers.services.errors import ValidationError


@pytest.mark.parametrize(("typed", "number"), [
    ("２０．５", Decimal("20.5")), ("1，200", Decimal("1200")), ("１,２００.５", Decimal("1200.5")),
    (" 30 ", Decimal("30")),
])
def test_full_width_digits_and_separators_are_numbers(typed, number):
    assert measures.clean({"kind": "认定奖励", "amount": typed, "year": 2024})["amount"] == number
    assert figures.clean({"revenue": typed})["revenue"] == number


def test_words_are_still_refused_with_what_was_typed():
    with pytest.raises(ValidationError) as refused:
        measures.clean({"kind": "认定奖励", "amount": "二十万", "year": 2024})
    assert refused.value.fields["amount"] == "金额（万元）应为数字：二十万"


@pytest.mark.parametrize("typed", ["2024年", "2024年度", "２０２４年度", " 2024 "])
def test_a_year_written_with_its_word_is_the_year(typed):
    """The officer found 年度 refusing “2024年” (年度应为数字), as the lists write years."""
    assert measures.clean({"kind": "认定奖励", "year": typed})["year"] == 2024


def test_a_year_that_is_no_year_is_refused_as_typed():
    with pytest.raises(ValidationError) as refused:
        measures.clean({"kind": "认定奖励", "year": "去年"})
    assert "去年" in refused.value.fields["year"]


@pytest.mark.parametrize("typed", ["10²", "①", "１０²"])
def test_superscripts_and_circled_digits_are_not_read_as_other_numbers(typed):
    """NFKC read 10² as 102 and ① as 1: a number nobody wrote, stored silently (review)."""
    with pytest.raises(ValidationError):
        measures.clean({"kind": "认定奖励", "amount": typed, "year": 2024})
