"""候选企业's 现有梯度 column is not blank for a firm whose only titles are local (市级专精特新,
隐形冠军) or 链主: it shows them in the roster's words, at once (before any firm's detail)
and after the detail is filled."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import good_zjtx
from tests.ui.candidates_helpers import candidates_page, list_candidates
from tiers.assess import default_year
from tiers.services import figures, recognitions

pytestmark = pytest.mark.usefixtures("rules_before_2026")


@pytest.fixture
def local_county(session, enterprise_factory):
    year = default_year()
    found = {}
    for name, titles in (("常州市级科技有限公司", [("city_zjtx", {})]),
                         ("常州隐冠科技有限公司", [("hidden_champion", {}),
                                              ("chain_leader", {"chain_code": "C07"})]),
                         ("常州链主科技有限公司", [("chain_leader", {"chain_code": "C07"})])):
        firm = enterprise_factory(name)
        figures.set_year(session, firm.id, year, good_zjtx())
        figures.set_year(session, firm.id, year - 1, dict(revenue=1900, main_revenue=1700,
                                                          rd_expense=90))
        for tier, more in titles:
            recognitions.add(session, firm.id, {"tier_code": tier, "level": "市级",
                                                "batch_year": year - 1,
                                                "recognized_on": dt.date(year - 1, 10, 1),
                                                **more})
        found[name] = firm.id
    session.commit()
    return found


def test_local_titles_shown_in_the_current_tier_column(qtbot, database, settings, runner,
                                                       local_county):
    candidates = candidates_page(qtbot, database, settings, runner).candidates
    list_candidates(qtbot, candidates, "zjtx")
    shown = {candidates.model.record(r)["name"]: candidates.model.record(r)["current_tier"]
             for r in range(candidates.model.rowCount())}
    assert shown == {"常州市级科技有限公司": "市级专精特新中小企业",
                     "常州隐冠科技有限公司": "隐形冠军企业、链主企业",
                     "常州链主科技有限公司": "链主企业"}
    column = [c.key for c in candidates.model.columns].index("current_tier")
    assert candidates.model.index(0, column).data() in shown.values()
