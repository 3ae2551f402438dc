"""On a city's database (several counties, 100,000 firms) the 县区 choices of 候选企业,
扶持措施 and the roster's filters are a DISTINCT scan of every firm: none of these pages
(nor 培育库, whose entries are many) reads the database on the GUI thread when it refreshes. The counties are read once on the
runner and kept for the database (ui.county_column), again after a write that touched firms,
and the choices still list the counties there are."""

from __future__ import annotations

import threading

from tiers.services import cultivation, measures
from ui.county_column import firms_changed, known_counties
from ui.cultivation_view import CultivationView
from ui.measures_view import MeasuresView
from ui.roster_view import RosterView


def firms_of(session, enterprise_factory, counties: list[tuple[str, str]]) -> None:
    for number, (county, town) in enumerate(counties):
        firm = enterprise_factory(f"常州{county}{number}科技有限公司", county=county, town=town)
        cultivation.add(session, firm.id, {"target_tier": "zjtx", "target_year": 2027})
        measures.add(session, firm.id, {"kind": "认定奖励", "amount": "10", "year": 2026})
    session.commit()


def pages(qtbot, database, settings, runner):
    cultivation_view = CultivationView(database, settings, runner=runner)
    measures_view = MeasuresView(database, settings=settings, runner=runner)
    roster_view = RosterView(database, settings, runner=runner)
    for page in (cultivation_view, measures_view, roster_view):
        qtbot.addWidget(page)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    return cultivation_view, measures_view, roster_view


def choices(combo) -> list[str]:
    return [combo.itemText(i) for i in range(1, combo.count())]  # after （全部）


def county_hidden(view) -> bool:
    column = [column.key for column in view.model.columns].index("county")
    return view.table.isColumnHidden(column)


def test_no_page_reads_the_counties_on_the_gui_thread(qtbot, database, settings, runner,
                                                     session, enterprise_factory,
                                                     gui_statements):
    firms_of(session, enterprise_factory, [("武进区", "湖塘镇"), ("新北区", "春江街道")])
    cultivation_view, measures_view, roster_view = pages(qtbot, database, settings, runner)
    seen, watching = gui_statements
    candidates = cultivation_view.candidates
    entries = cultivation_view.entries
    for known in (True, False):  # the counties kept, and to be read again after a write
        if not known:
            firms_changed(database)
        watching[0] = True
        candidates.refresh(entries)
        measures_view.refresh()
        roster_view.filters.refresh_choices()
        cultivation_view.refresh()  # and 培育库's entries (13,650 of a city: over 0.5 s)
        watching[0] = False
        assert seen == [], f"read on the GUI thread: {seen}"
        qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
        assert known_counties(database) == ["新北区", "武进区"]
        for combo in (candidates.county, measures_view.county, roster_view.filters.county):
            assert choices(combo) == ["新北区", "武进区"]
        assert not county_hidden(measures_view) and not county_hidden(cultivation_view)
    assert len(measures_view.model.rows) == 2 and cultivation_view.model.rowCount() == 2
    # a county chosen in the roster's filters lists that county's towns (read on the runner)
    filters = roster_view.filters
    with qtbot.waitSignal(filters.choices_filled, timeout=10_000):
        filters.county.setCurrentIndex(filters.county.findData("新北区"))
    assert choices(filters.town) == ["春江街道"]


def test_on_a_county_database_the_choices_hold_its_county_and_the_column_is_hidden(
        qtbot, database, settings, runner, session, enterprise_factory):
    firms_of(session, enterprise_factory, [("武进区", "湖塘镇"), ("武进区", "湖塘镇")])
    cultivation_view, measures_view, roster_view = pages(qtbot, database, settings, runner)
    for combo in (cultivation_view.candidates.county, measures_view.county,
                  roster_view.filters.county):
        assert choices(combo) == ["武进区"]
    assert county_hidden(measures_view) and county_hidden(cultivation_view)
    assert len(measures_view.model.rows) == 2


def test_the_chains_are_counted_off_the_gui_thread(qtbot, database, settings, runner, session,
                                                   enterprise_factory,
                                                   gui_statements):
    """产业链's counts are every firm's roles and 链主 titles (0.1 s at 100,000 firms): read
    on the runner when the page refreshes; the chain shown (a few rows) stays at once."""
    from tiers.services import chains
    from ui.chains_view import ChainsView

    firm = enterprise_factory("常州链上科技有限公司", county="武进区")
    chains.set_role(session, firm.id, "C14", "配套企业")
    session.commit()
    view = ChainsView(database, settings, runner=runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.items["C14"].text(1) == "1"
    seen, watching = gui_statements
    watching[0] = True
    view.refresh()
    watching[0] = False
    assert not [statement for statement in seen if "chain_role" in statement
                and "count" in statement.lower()], seen
    qtbot.waitUntil(lambda: runner.settled, timeout=10_000)
    assert view.items["C14"].text(1) == "1"


def test_choosing_another_report_reads_no_choices_again(qtbot, database, settings, runner,
                                                        session, enterprise_factory,
                                                        gui_statements,
                                                        monkeypatch):
    """导出报表 read the counties and towns (two scans of every firm) each time another
    report was chosen; they are read once for the dialog."""
    from ui.export_dialog import ExportDialog

    original = ExportDialog._choices_read
    firms_of(session, enterprise_factory, [("武进区", "湖塘镇"), ("新北区", "薛家镇")])
    reads = []
    monkeypatch.setattr(ExportDialog, "_choices_read", lambda self, found: (
        reads.append(found), original(self, found)))
    seen, watching = gui_statements
    watching[0] = True
    dialog = ExportDialog(database, settings, runner, report="roster")
    qtbot.addWidget(dialog)
    for index in range(1, min(dialog.report.count(), 4)):
        dialog.report.setCurrentIndex(index)
    watching[0] = False
    # nor when it opens: the choices are read on the runner and offered when read
    assert not [statement for statement in seen if "DISTINCT" in statement.upper()], seen
    qtbot.waitUntil(lambda: dialog.choices_task is not None and dialog.choices_task.done.is_set()
                    and runner.settled, timeout=10_000)
    assert len(reads) == 1  # once for the dialog
    county = dialog.filter_widgets.get("county")
    if county is not None:
        assert {county.itemText(i) for i in range(county.count())} >= {"武进区", "新北区"}


def test_closing_the_export_dialog_cancels_its_choices_read(qtbot, database, settings, runner):
    """Closed before its counties and towns are read (the database switched, the old one
    let go), the dialog's read is cancelled rather than left to open that file again
    (review of the sixteenth session)."""

    from ui.export_dialog import ExportDialog

    hold = threading.Event()
    runner.submit("占用", lambda _task: hold.wait(10))  # the runner busy: the read queued
    try:
        dialog = ExportDialog(database, settings, runner, report="roster")
        qtbot.addWidget(dialog)
        dialog.close()
        assert dialog.choices_task is not None and dialog.choices_task.cancel_requested
    finally:
        hold.set()
