"""initials_of / sort_keys (a column of names with one translate over them all) give what
initials and sort_key give name by name, whatever the names hold: characters the pinyin
table knows and does not, letters with a lower case (Σ, İ), brackets, marks, line ends."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tiers.model.pinyin import initials, initials_of, sort_key, sort_keys

name_chars = st.sampled_from(list(
    "常州恒立机械有限公司长重行ABCabc123（）()【】《》“”\"'、·－ \u3000\t\n\rΣσİﬁ①ＡＢé〇𠀀\x00"))
names = st.lists(st.text(name_chars, max_size=12), max_size=8)


@settings(max_examples=400, deadline=None)
@given(names)
def test_a_column_gets_the_initials_each_name_would(column):
    assert initials_of(column) == [initials(name) for name in column]


@settings(max_examples=400, deadline=None)
@given(names)
def test_a_column_gets_the_sort_keys_each_name_would(column):
    assert sort_keys(column) == [sort_key(name) for name in column]


def test_firm_names_with_brackets_and_odd_ones():
    column = ["常州恒立（集团）有限公司", "ABC精密“常州”有限公司", "", "ΣΑΣ贸易", "第一\n行"]
    assert initials_of(column) == ["czhljtyxgs", "abcjmczyxgs", "", "my", "dyx"]
    assert sort_keys(column)[:2] == [
        "chang zhou heng li （ji tuan ）you xian gong si ",
        "abcjing mi “chang zhou ”you xian gong si "]
    assert sort_keys(column)[3] == sort_key("ΣΑΣ贸易") == "σασmao yi "
    assert initials_of([]) == [] and sort_keys([]) == []
