"""培育库 sorts by a header without working out a key per row on the GUI thread: a city's
13,650 entries stalled the window at each click (a pinyin key for every name, a value for
every cell). The keys are made on the runner when the rows arrive (and again when their
对标预审 does); a click is a key sort over them, in the same order as the shared rule
(blanks last either way, text by pinyin)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt

from tests.conftest import entry_kept
from tiers.queries import roster
from tiers.queries.cultivation import cultivation_entries
from tiers.text import sorting
from ui.cultivation_view import CultivationView
from ui.record_table_model import cell_value


def test_a_header_click_is_a_key_sort_in_the_shared_order(qtbot, demo_database, settings,
                                                          runner, monkeypatch):
    with demo_database.session() as session:  # the demo's entries, and some of our own
        held = {row["enterprise_id"] for row in cultivation_entries(session)}
        firms = [firm for firm in roster.roster(session, roster.RosterFilter())
                 if firm["id"] not in held][:40]
        for number, firm in enumerate(firms):
            # (some hold their target since: written as kept, the service refuses that)
            entry_kept(session, firm["id"], {
                "target_tier": ("zjtx", "little_giant")[number % 2],
                "target_year": 2026 + number % 3,
                "officer": ("王丽", "孙敏", "", "周建华")[number % 4],
                "note": "" if number % 3 else f"第{number}家"})
        session.commit()
    with demo_database.session() as session:
        entries = len(cultivation_entries(session))
    view = CultivationView(demo_database, settings, runner=runner, load=False)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.refresh()
    qtbot.waitUntil(lambda: view.overview_ready and view.overview_task is None,
                    timeout=30_000)
    assert view.model.rowCount() == entries > 40

    _sorts_by_kept_keys(view, monkeypatch)

    # a column filter narrows the rows; the sort over the kept keys still holds
    model, columns = view.model, view.model.columns
    officer = [c.key for c in columns].index("officer")
    with _keys_made_on_the_gui_thread(monkeypatch) as on_gui_thread:
        model.set_column_filter(officer, "王丽")
        view.table.sortByColumn(0, Qt.DescendingOrder)
    assert on_gui_thread == []
    names = [model.record(row)["name"] for row in range(model.rowCount())]
    kept = [r for r in model.all_rows if "王丽" in (r["officer"] or "")]
    assert len(names) == len(kept) >= 10
    assert names == [r["name"] for r in sorting.sorted_rows(kept, lambda r: r["name"],
                                                            descending=True)]


def test_rows_set_again_without_keys_sort_by_their_values_now():
    """A short list (or rows changed in place, as 候选企业's details) sorts by its cells'
    values at the click, as before: kept keys are never stale."""
    from ui.record_table_model import RecordColumn, RecordTableModel, sort_keys

    columns = [RecordColumn("name", "名称"), RecordColumn("year", "年度")]
    rows = [{"name": "乙", "year": 2024}, {"name": "甲", "year": None},
            {"name": "丙", "year": 2022}]
    model = RecordTableModel(columns, [])
    model.set_rows(rows, keys=sort_keys(columns, rows))
    model.sort(1, Qt.AscendingOrder)
    assert [r["name"] for r in model.rows] == ["丙", "乙", "甲"]  # the blank last
    rows[1]["year"] = 2020  # changed in place, set again: sorted by the value now
    model.set_rows(rows)
    assert [r["name"] for r in model.rows] == ["甲", "丙", "乙"]
    model.sort(0, Qt.DescendingOrder)  # pinyin: zhang (丙 bing < 甲 jia < 乙 yi)
    assert [r["name"] for r in model.rows] == ["乙", "甲", "丙"]


@contextmanager
def _keys_made_on_the_gui_thread(monkeypatch) -> Iterator[list]:
    """The values given a sort key on the GUI thread inside the block."""
    on_gui_thread: list = []
    real_key = sorting.value_key

    def counted(value):
        if threading.current_thread() is threading.main_thread():
            on_gui_thread.append(value)
        return real_key(value)

    monkeypatch.setattr(sorting, "value_key", counted)
    try:
        yield on_gui_thread
    finally:
        monkeypatch.setattr(sorting, "value_key", real_key)


def _sorts_by_kept_keys(view, monkeypatch) -> None:
    """Every column, both ways: no key made on the GUI thread, the shared rule's order."""
    model, columns = view.model, view.model.columns
    assert model.rowCount() > 5
    for column in range(len(columns)):
        for order in (Qt.AscendingOrder, Qt.DescendingOrder):
            with _keys_made_on_the_gui_thread(monkeypatch) as on_gui_thread:
                view.table.sortByColumn(column, order)
            assert on_gui_thread == [], (columns[column].key, len(on_gui_thread))
            expected = sorting.sorted_rows(
                model.all_rows, lambda record, c=column: cell_value(columns, record, c),
                descending=order == Qt.DescendingOrder)
            assert [id(model.record(row)) for row in range(model.rowCount())] == \
                [id(r) for r in expected], columns[column].key


def test_measures_and_chain_members_sort_by_keys_made_on_the_runner(
        qtbot, demo_database, settings, runner, monkeypatch):
    """扶持措施 (5,000 rows shown on a city's database) and 产业链 (5,191 firms on C32) read
    on the runner as 培育库 does: their keys come with their rows."""
    from ui.chains_view import ChainsView
    from ui.measures_view import MeasuresView

    measures_view = MeasuresView(demo_database, settings=settings, runner=runner)
    qtbot.addWidget(measures_view)
    qtbot.waitUntil(lambda: runner.settled and measures_view.model.rowCount() > 0,
                    timeout=20_000)
    _sorts_by_kept_keys(measures_view, monkeypatch)

    chains_view = ChainsView(demo_database, settings, runner=runner)
    qtbot.addWidget(chains_view)
    qtbot.waitUntil(lambda: runner.settled, timeout=20_000)
    busiest = max(chains_view.items, key=lambda code: int(chains_view.items[code].text(1) or 0))
    with qtbot.waitSignal(chains_view.loaded, timeout=20_000):
        chains_view.select_chain(busiest)
    _sorts_by_kept_keys(chains_view, monkeypatch)


def test_the_long_lists_fit_and_key_their_rows_through_one_helper(
        qtbot, demo_database, settings, runner, monkeypatch):
    """培育库, 扶持措施 and 产业链 make their widest texts and sort keys on the runner by the
    one helper (the pair was written out three times, free to drift apart)."""
    from ui import chains_view, cultivation_rows, measures_view, record_table_model

    used: list[str] = []

    def spy(name):
        def fitted_and_keyed(columns, rows, widths):
            used.append(name)
            return record_table_model.fitted_and_keyed(columns, rows, widths)
        return fitted_and_keyed

    for module in (chains_view, cultivation_rows, measures_view):
        monkeypatch.setattr(module, "fitted_and_keyed", spy(module.__name__))
    found = measures_view.load_measures(demo_database, {})
    assert len(found["keys"]) == len(measures_view.COLUMNS) and found["widest"] is not None
    columns = [record_table_model.RecordColumn("name", "企业名称")]
    rows, widest, keys = cultivation_rows.shown_rows(
        columns, [{"id": 1, "name": "常州甲有限公司"}], {}, assessed=False, widths=None)
    assert [r["name"] for r in rows] == ["常州甲有限公司"] and len(keys) == 1
    view = chains_view.ChainsView(demo_database, settings, runner=runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: runner.settled, timeout=20_000)
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.select_chain(next(iter(view.items)))
    assert used.count("ui.measures_view") == 1 and used.count("ui.cultivation_rows") == 1
    assert "ui.chains_view" in used
