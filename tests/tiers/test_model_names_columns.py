"""clean_displays / keys_of_displays (a column of names at once) give what clean_display
and key_of_display give name by name, whatever the names hold."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tiers.model.names import (
    clean_display,
    clean_displays,
    key_of_display,
    keys_of_displays,
    name_key,
    name_keys,
)

name_chars = st.sampled_from(list("常州恒立机械有限公司ABCabc123（）()【】“”\"' \u3000\t\nΣσİﬁ①ＡＢ"))
names = st.lists(st.text(name_chars, max_size=12), max_size=6)


@settings(max_examples=300, deadline=None)
@given(names)
def test_a_column_is_cleaned_as_each_name_would_be(column):
    stripped = [name.strip() for name in column]
    assert clean_displays(stripped) == [clean_display(name) for name in stripped]


@settings(max_examples=300, deadline=None)
@given(names)
def test_a_column_is_keyed_as_each_name_would_be(column):
    shown = [clean_display(name) for name in column]
    assert keys_of_displays(shown) == [key_of_display(name) for name in shown]


@settings(max_examples=300, deadline=None)
@given(names)
def test_a_column_of_display_names_or_any_is_keyed_as_each_name_would_be(column):
    shown = [clean_display(name) for name in column]
    for names_given in (shown, column):
        assert name_keys(names_given) == [name_key(name) for name in names_given]


def test_display_names_take_the_quick_way():
    shown = ["常州恒立（集团）有限公司", "ABC精密“常州”有限公司"]
    assert name_keys(shown) == ["常州恒立(集团)有限公司", "abc精密常州有限公司"]
    assert name_keys([]) == []


def test_the_common_case_and_the_odd_one():
    plain = ["常州恒立机械有限公司", "ABC精密（常州）有限公司"]
    assert clean_displays(plain) == plain
    assert keys_of_displays(plain) == ["常州恒立机械有限公司", "abc精密(常州)有限公司"]
    assert clean_displays(["常州 恒立(集团)有限公司"]) == ["常州恒立（集团）有限公司"]
    assert keys_of_displays([]) == [] and clean_displays([]) == []
