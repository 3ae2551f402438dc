"""The search rule is written once (``search.needles``); the SQL condition and the in-memory
index built from it must find the same enterprises for any text."""

import sys
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tiers.queries import roster, search
from tiers.services import enterprises

CASES = ["机械", "液压", "jx", "JX", "cz", "czjx", "旧名", "(旧名)", "（旧名）", "9132",
         "3204", "ma", "MA0", "有限公司", "常州 液压", "hl yy", "xyz", "（", "%", "_", "\\",
         "科技_", "100%", "Ａ", "a", "新名字", "jsxmz", "常州（旧名）", "9 1", "-", "ＡＢＣ"]


@pytest.fixture
def firms(session, enterprise_factory, code):
    enterprise_factory("常州恒立液压科技有限公司")
    enterprise_factory("常州市武进机械制造有限公司", credit_code=code(2, "320411"))
    enterprise_factory("常州ABC精密科技_100%有限公司")
    enterprise_factory("江苏ＡＢＣ新材料有限公司")
    renamed = enterprise_factory("常州（旧名）机械有限公司", credit_code=code(555))
    enterprises.update(session, renamed.id, {"name": "江苏新名字智能装备有限公司"})
    session.flush()


@pytest.mark.parametrize("text", CASES)
def test_index_and_sql_agree(session, firms, text):
    index = search.SearchIndex.load(session)
    expected = set(roster.roster_ids(session, roster.RosterFilter(search=text)))
    assert index.matching(text) == expected


def test_needles_say_where_a_word_can_be_found():
    assert search.needles("机械") == search.WordNeedles(key="机械", name="机械", code=None,
                                                       pinyin=None)
    assert search.needles("CZjx") == search.WordNeedles(key="czjx", name="czjx", code="CZJX",
                                                        pinyin="czjx")
    assert search.needles("9132").pinyin is None and search.needles("9132").code == "9132"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="常州液压机械旧名（）()ABCabcjxczhlyMA0913-_% Ａ", max_size=6))
def test_index_and_sql_agree_on_any_text(session, firms, text):
    index = search.SearchIndex.load(session)
    expected = set(roster.roster_ids(session, roster.RosterFilter(search=text)))
    assert index.matching(text) == expected


def test_the_index_keeps_one_string_per_firm():
    """1,000,000 firms must fit in memory: one copy of each firm's search text."""
    entries = [(n, f"常州第{n}号精密机械有限公司\n常州老{n}厂", f"常州第{n}号精密机械有限公司",
                f"91320412MA{n:08d}", "czdhjmjxyxgs\nczlc") for n in range(3000)]
    joined = sum(sys.getsizeof("\x1f".join((keys, name, pinyin, code.lower())))
                 for _, keys, name, code, pinyin in entries)
    tracemalloc.start()
    try:
        index = search.SearchIndex(entries)
        held, _peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert index.matching("精密 czd") == set(range(3000))
    assert held < joined * 1.15 + 20 * len(entries)
