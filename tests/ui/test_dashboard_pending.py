"""工作台 after a 公示 list (the city officer's walk): the cards count only recognitions in
force, and nothing said that 8 firms were 公示中 — the officer wondered whether the list had
been imported at all. The dashboard now says how many wait, of the city or of one county,
and leads to them (企业库 filtered by 公示中)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.importers.helpers import import_file, write_xlsx
from tiers.progress import drain
from tiers.queries import dashboard
from tiers.services import demo, recognitions
from ui.dashboard_view import DashboardView

HEADER = ["序号", "企业名称", "统一社会信用代码", "县区"]


def test_the_dashboard_says_how_many_firms_are_in_publicity(qtbot, database, runner,
                                                            tmp_path, code):
    rows = [[1, "常州公示1号科技有限公司", code(901), "武进区"],
            [2, "常州公示2号科技有限公司", code(902), "武进区"],
            [3, "常州公示3号科技有限公司", code(903), "新北区"]]
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["关于2026年第八批专精特新“小巨人”企业名单的公示"], HEADER, *rows]}))
    with database.session() as session:
        assert dashboard.pending_firms(session) == 3
        assert dashboard.pending_firms(session, county="新北区") == 1
        assert dashboard.tier_totals(session)["little_giant"] == 0  # not held yet
    view = DashboardView(database, runner)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert view.pending.isVisible()
    assert view.pending.text() == "另有 3 家公示中（未计入）"
    with qtbot.waitSignal(view.filter_requested) as asked:
        QTest.mouseClick(view.pending, Qt.LeftButton)
    assert asked.args == [{"status": "公示中"}]

    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.county.setCurrentIndex(view.county.findText("新北区"))
    assert view.pending.text() == "另有 1 家公示中（未计入）"
    with qtbot.waitSignal(view.filter_requested) as asked:
        view.pending.setFocus()
        QTest.keyClick(view.pending, Qt.Key_Space)  # by keyboard too
    assert asked.args == [{"status": "公示中", "county": "新北区"}]


def test_nothing_is_said_without_a_publicity_list(qtbot, database, runner):
    with database.session() as session:  # the demo county's 公示 of the year, over
        # in December, when the provincial batch is 公示中 (any other day: none is)
        drain(demo.generate(session, enterprises=120,
                            today=dt.date(dt.date.today().year, 12, 4)))
        assert dashboard.pending_firms(session) > 0
        for batch in recognitions.pending_batches(session):
            recognitions.confirm_batch(session, tier=batch["tier_code"],
                                       batch_label=batch["batch_label"],
                                       batch_year=batch["batch_year"],
                                       is_review=batch["is_review"])
        session.commit()
    view = DashboardView(database, runner)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert not view.pending.isVisible()
