"""A firm 公示中 seen where an officer looks: the firm's own 对标预审 for the next tier up
says its prerequisite is 公示中, not missing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ui.test_candidates_pending import _publicised
from tiers.services import cultivation
from ui.enterprise_dialog import EnterpriseDialog

NEXT_YEAR = dt.date.today().year + 1

pytestmark = pytest.mark.usefixtures("rules_before_2026")


@pytest.fixture
def publicised(database, assess_county):
    with database.session() as session:
        firm_id = _publicised(session, assess_county["year"])
        for enterprise_id in (firm_id, assess_county["ready"]):
            cultivation.add(session, enterprise_id, {"target_tier": "zjtx",
                                                     "target_year": NEXT_YEAR,
                                                     "officer": "王丽"})
        session.commit()
    return firm_id


def test_the_next_tier_says_the_prerequisite_is_publicised(qtbot, database, settings, runner,
                                                           publicised, assess_county):
    dialog = EnterpriseDialog(database, settings, publicised, runner=runner)
    qtbot.addWidget(dialog)
    tab = dialog.assessment_tab
    dialog.tabs.setCurrentWidget(tab)
    tab.select_tier("little_giant")
    model = tab.model
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    gaps = {index.data(): model.index(index.row(), 3).data() for index in rows}
    year = assess_county["year"] + 1
    assert gaps["须先取得省级专精特新中小企业称号"] == (
        f"已在省级专精特新中小企业{year}年度公示名单中，正式名单公布后方可申报")
