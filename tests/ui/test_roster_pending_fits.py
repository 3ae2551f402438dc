"""企业库 filtered by 公示中 at 1366×768 (the officer's walk): a firm holding 省级专精特新中小企业
and named on a 小巨人 公示 list showed “省级专精特新中小企业…” in 当前梯度, the 公示中 part cut
off in the very list filtered by it. With a 公示 pending the held tier is said short
(省专精特新（公示中：小巨人）) and the column's first width holds it; the tooltip has it whole."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.importers.helpers import import_file, write_xlsx
from tests.ui.roster_helpers import roster_at
from tiers.services import recognitions
from ui.enterprise_table_model import COLUMNS

HEADER = ["序号", "企业名称", "统一社会信用代码"]


def test_the_pending_title_is_not_cut_off(qtbot, database, settings, tmp_path, code,
                                          session, enterprise_factory):
    firm = enterprise_factory("常州公示1号科技有限公司", credit_code=code(901))
    recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": 2025,
                                        "recognized_on": dt.date(2025, 10, 1)})
    session.commit()
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于2026年第八批专精特新“小巨人”企业名单的公示"], HEADER,
        [1, "常州公示1号科技有限公司", code(901)]]}))
    view = roster_at(qtbot, database, settings, (1230, 600))
    tier = [c.key for c in COLUMNS].index("tier")
    cell = view.model.index(0, tier)
    assert cell.data() == "省专精特新（公示中：小巨人）"
    assert cell.data(Qt.ToolTipRole) == "省级专精特新中小企业（公示中：小巨人）"
    room = view.table.columnWidth(tier) - 12  # the cell's margins
    assert view.table.fontMetrics().horizontalAdvance(cell.data()) <= room
