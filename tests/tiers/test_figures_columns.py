"""figures.clean_column: an import's column checked at once gives what clean() gives
value by value, the refusals with clean()'s messages."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tiers.services import figures
from tiers.services.errors import ValidationError


def _one_by_one(key, values):
    out, refused = [], {}
    for position, value in enumerate(values):
        try:
            out.append(figures.clean({key: value}).get(key))
        except ValidationError as exc:
            out.append(None)
            refused[position] = exc.fields[key]
    return out, refused


numbers = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True, places=None),
    st.decimals(min_value=-1000, max_value=100_000, places=6),
    st.integers(min_value=-5, max_value=10**9),
    st.none(),
    st.sampled_from(["", "12", "abc", "1,234.5"]),
)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(figures.LABELS.keys() - {"year", "note"})),
       values=st.lists(numbers, max_size=8))
def test_a_column_is_cleaned_as_each_value_would_be(key, values):
    cleaned, refused = figures.clean_column(key, values)
    expected, expected_refused = _one_by_one(key, values)
    assert refused == expected_refused
    assert [str(v) for v in cleaned] == [str(v) for v in expected]


@pytest.mark.parametrize(("key", "values", "refused"), [
    ("revenue", [Decimal("12.5"), Decimal("-1"), Decimal("3")], {1: "营业收入不能小于 0：-1"}),
    ("net_profit", [Decimal("-20"), Decimal("5")], {}),
    ("employees", [12, -3], {1: "从业人员不能小于 0：-3"}),
    ("market_share", [Decimal("12.5"), Decimal("150")], {1: "细分市场占有率（%）不能大于 100：150"}),
])
def test_bounds_are_the_services(key, values, refused):
    cleaned, found = figures.clean_column(key, values)
    assert found == refused
    for position in refused:
        assert cleaned[position] is None


def test_the_fast_path_gives_the_stored_scale():
    cleaned, refused = figures.clean_column("revenue", [Decimal("1234.5"), Decimal("7")])
    assert refused == {}
    assert [str(v) for v in cleaned] == ["1234.5000", "7.0000"]


@pytest.mark.parametrize(("key", "digits"), [("employees", 22), ("revenue", 30)])
def test_a_number_too_long_to_round_is_refused_not_raised(key, digits):
    """Found by hypothesis: 10^22 at six places has more digits than Decimal's context, and
    quantize raised InvalidOperation through the import instead of a message."""
    cleaned, refused = figures.clean_column(key, [Decimal(10) ** digits])
    assert cleaned == [None]
    assert "数值过大" in refused[0]
