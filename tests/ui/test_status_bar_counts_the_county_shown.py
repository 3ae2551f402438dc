"""工作台 with one county chosen: the status bar counts that county too, and says so (it
kept the whole city's 企业 120 家 and 180天内到期 under a page counting one county); on the
other pages, and back at 全部区县, it counts the whole database again."""

from __future__ import annotations

from tiers.queries import dashboard
from ui.main_window import MainWindow


def _choose(qtbot, view, county):
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.county.setCurrentIndex(view.county.findData(county))


def test_the_status_bar_counts_the_county_the_dashboard_shows(qtbot, demo_database, settings,
                                                              runner):
    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.show_page(0)
    assert window.count_label.text().startswith("企业 120 家")
    with demo_database.session() as session:
        city = dashboard.overview(session)
        county = dashboard.overview(session, county="新北区")
    assert 0 < county["enterprises"] < city["enterprises"]

    _choose(qtbot, window.dashboard, "新北区")
    text = window.count_label.text()
    assert text.startswith(f"新北区：企业 {county['enterprises']:,} 家"), text
    # the same 180天内到期 as the list beside it on the page (which lists the titles 待复核
    # too: run out, days_left below 0)
    expiring = [row for row in window.dashboard.data["expiring"] if row["days_left"] >= 0]
    assert f"180天内到期 {len(expiring):,} 项" in text, text
    assert f"：{len(expiring):,} 项" in window.dashboard.expiring_title.text()
    assert f"有效认定 {county['recognitions']:,} 项" in text, text
    assert "新北区" in window.count_label.toolTip()

    window.show_page(1)  # the roster lists the whole database: so does the status bar
    assert window.count_label.text().startswith("企业 120 家")
    assert window.count_label.toolTip() == ""
    window.show_page(0)
    assert window.count_label.text().startswith("新北区：")

    _choose(qtbot, window.dashboard, None)
    text = window.count_label.text()
    assert text.startswith("企业 120 家"), text
    assert f"180天内到期 {city['expiring']:,} 项" in text
    window.close()


def test_a_countys_overview_counts_only_its_firms(demo_database):
    with demo_database.session() as session:
        city = dashboard.overview(session)
        parts = [dashboard.overview(session, county=name)
                 for name in ("天宁区", "新北区", "武进区")]
    for key in ("enterprises", "deleted", "recognitions", "expiring"):
        assert sum(part[key] for part in parts) == city[key], key


def test_a_county_that_vanished_is_no_longer_counted(qtbot, demo_database, settings, runner):
    """Every 新北区 firm moved to the 回收站 while 工作台 counts 新北区: the choice falls
    back to 全部区县, and the cards and the status bar count the whole database again (the
    status bar kept 新北区：企业 0 家 under a title for all the counties)."""
    from sqlalchemy import select

    from tiers.model.orm import Enterprise
    from tiers.services import enterprises

    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.show_page(0)
    _choose(qtbot, window.dashboard, "新北区")
    assert window.count_label.text().startswith("新北区：")

    with demo_database.session() as session:
        ids = session.scalars(select(Enterprise.id).where(
            Enterprise.county_name == "新北区", Enterprise.deleted_at.is_(None))).all()
        assert ids
        for enterprise_id in ids:
            enterprises.soft_delete(session, enterprise_id)
    with demo_database.session() as session:
        city = dashboard.overview(session)

    def counted_again():
        view = window.dashboard
        assert view.county.currentData() is None
        assert view.data.get("county") is None, view.data.get("county")
        assert view.county_counts() is None

    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.data_changed()
    qtbot.waitUntil(counted_again, timeout=20_000)
    text = window.count_label.text()
    assert text.startswith(f"企业 {city['enterprises']:,} 家"), text
    assert "新北区" not in text and window.count_label.toolTip() == ""
    assert "新北区" not in window.dashboard.title.text()
    assert window.dashboard.data["tiers"] and sum(window.dashboard.data["tiers"].values()) > 0
    assert window.dashboard.expiring_model.rowCount() == len(window.dashboard.data["expiring"])
    window.close()


def test_the_county_line_is_one_whole_string_to_translate(qtbot, demo_database, settings,
                                                          runner, monkeypatch):
    """A translator sees the county's status line whole (“%7：企业 %1 家 · …”), not a
    string of placeholders and a colon to be glued in front of another."""
    import re

    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
        window.show_page(0)
    _choose(qtbot, window.dashboard, "新北区")
    asked: list[str] = []
    real = window.tr

    def recording(source, *args):
        asked.append(source)
        return real(source, *args)

    monkeypatch.setattr(window, "tr", recording)
    window.update_counts(requery=False)
    assert window.count_label.text().startswith("新北区：企业 ")
    assert asked and all(re.search(r"[\u4e00-\u9fff]", source) for source in asked), asked
    assert any(source.startswith("%7：企业 %1 家") for source in asked), asked
    window.close()
