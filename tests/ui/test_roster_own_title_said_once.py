"""企业库 filtered by 即将到期: a firm whose only title about to expire is the one it holds
read 省专精特新（即将到期：省专精特新 2026-12-27）, the title twice in one cell. It reads
省专精特新（即将到期 2026-12-27）, as ``tiers enterprises`` writes it (vocabulary.tier_words)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.conftest import make_code
from tiers.model import ladder
from tiers.services import enterprises, recognitions
from ui.enterprise_table_model import COLUMNS
from ui.roster_view import RosterView


def test_the_own_title_about_to_expire_is_said_once(qtbot, database, settings):
    soon = dt.date.today() + dt.timedelta(days=21)
    later = dt.date.today() + dt.timedelta(days=15)
    with database.session() as session:
        own = enterprises.create(session, {"credit_code": make_code(1),
                                           "name": "常州合海环保设备科技有限公司"})
        recognitions.add(session, own.id, {"tier_code": "zjtx", "batch_year": soon.year - 3,
                                           "valid_until": soon})
        other = enterprises.create(session, {"credit_code": make_code(2),
                                             "name": "常州华美医疗科技有限公司"})
        recognitions.add(session, other.id, {"tier_code": "little_giant", "level": "国家级",
                                             "batch_year": soon.year - 1,
                                             "valid_until": soon + dt.timedelta(days=900)})
        recognitions.add(session, other.id, {"tier_code": "innovative",
                                             "batch_year": soon.year - 3,
                                             "valid_until": later})
    view = RosterView(database, settings)
    qtbot.addWidget(view)
    view.filters.select(status=ladder.EXPIRING)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    tier = [c.key for c in COLUMNS].index("tier")
    cells = {view.model.row(r)["name"]: view.model.index(r, tier) for r in range(2)}
    own_cell = cells["常州合海环保设备科技有限公司"]
    assert own_cell.data() == f"省专精特新（即将到期 {soon.isoformat()}）"
    assert own_cell.data(Qt.ToolTipRole) == f"省级专精特新中小企业（即将到期 {soon.isoformat()}）"
    # another title about to expire is still named
    assert cells["常州华美医疗科技有限公司"].data() == \
        f"小巨人（即将到期：创新型 {later.isoformat()}）"
