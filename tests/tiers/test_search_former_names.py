"""Why a search listed a firm: the former names that found it where its present name does
not say (the officer typed the old name and saw another). ``search.former_name_matches``
follows the one search rule, on both engines."""

from __future__ import annotations

import pytest

from tests.tiers.test_search import CASES
from tiers.queries import roster, search
from tiers.services import enterprises


@pytest.fixture
def renamed(session, enterprise_factory, code):
    enterprise_factory("常州恒立液压科技有限公司")
    firm = enterprise_factory("常州（旧名）机械有限公司", credit_code=code(555))
    enterprises.update(session, firm.id, {"name": "常州新名字智能装备有限公司"})
    enterprises.update(session, firm.id, {"name": "江苏新名字智能装备有限公司"})
    session.flush()
    return firm.id


def test_a_firm_found_by_its_former_name_names_it(session, renamed):
    assert search.former_name_matches(session, [renamed], "旧名") == {
        renamed: ["常州（旧名）机械有限公司"]}
    # both former names hold 常州, the present one does not
    assert search.former_name_matches(session, [renamed], "常州 智能") == {
        renamed: ["常州（旧名）机械有限公司", "常州新名字智能装备有限公司"]}
    # pinyin initials of the old name (常州旧名机械: czjmjx)
    assert search.former_name_matches(session, [renamed], "czjm") == {
        renamed: ["常州（旧名）机械有限公司"]}


def test_nothing_when_the_present_name_or_code_explains_it(session, renamed, code):
    for text in ("新名字", "江苏", "jsxmz", code(555)[-6:], "有限公司"):
        assert search.former_name_matches(session, [renamed], text) == {}, text
    assert search.former_name_matches(session, [], "旧名") == {}
    assert search.former_name_matches(session, [renamed], "  ") == {}


@pytest.mark.parametrize("text", CASES)
def test_a_hint_exactly_where_the_present_name_does_not_explain_the_match(session, renamed,
                                                                         text):
    listed = roster.roster_ids(session, roster.RosterFilter(search=text))
    hints = search.former_name_matches(session, listed, text)
    words = [search.needles(word) for word in text.split()]
    index = search.SearchIndex.load(session)
    for enterprise_id in listed:
        # the index entry's first line of each field is the present name's
        keys, name, pinyins, code = index.everything[index.ids.index(enterprise_id)].split(
            "\x1f")
        present = (keys.split("\n")[0], name, pinyins.split("\n")[0], code.upper())
        by_present = all(search._found_in(word, *present) for word in words)
        assert (enterprise_id in hints) == (not by_present), (text, enterprise_id)
