"""The search rule is written once (``search.needles``); the SQL condition and the in-memory
index built from it must find the same enterprises for any text."""

import pytest

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
