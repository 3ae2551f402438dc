"""A 数据包 brings a county's 培育库 entries as they are (the city's own never touched): a
county whose older database kept two entries of one firm and target sends both, and the
city's 培育库 shows the pair marked （重复） with what to do, nothing refused or dropped."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.conftest import entry_kept, make_code
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tests.ui.test_cultivation_refusals_shown import _view
from tiers.services import enterprises
from tiers.storage.database import open_database

THIS_YEAR = dt.date.today().year


def test_a_countys_pair_comes_in_as_it_is_and_is_marked(qtbot, tmp_path, database, settings,
                                                        runner):
    county = open_database(tmp_path / "county.sqlite3")
    try:
        with county.session() as session:
            firm = enterprises.create(session, {"credit_code": make_code(1), "county": "武进区",
                                                "name": "常州区县重复培育有限公司"})
            for year in (THIS_YEAR + 1, THIS_YEAR + 2):
                entry_kept(session, firm.id, {"target_tier": "zjtx", "target_year": year})
        package = sent(county, tmp_path / "武进区.zip", WUJIN, DAY)
    finally:
        county.dispose()
    imported(database, package)
    view = _view(qtbot, database, settings, runner)
    column = [c.key for c in view.model.columns].index("target_tier_name")
    cells = sorted((view.model.index(r, column).data(),
                    view.model.index(r, column).data(Qt.ToolTipRole))
                   for r in range(view.model.rowCount()))
    assert [text for text, _tip in cells] == ["省专精特新（重复）"] * 2
    assert cells[0][1].startswith("省级专精特新中小企业\n同一企业同一目标梯度另有 1 条")
    assert view.count.text().startswith("共 2 条，1 家")
