"""导入记录 reads its batches on the background runner, as the other pages do: its refresh
read them (and every 数据包's sender) on the GUI thread, a freeze on a city's database of
thousands of batches. Meanwhile it says 正在读取; the rows come back in the order the officer
sorted them by, the batch selected still selected."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from tests.importers.helpers import import_file, write_xlsx
from tests.ui.wizard_helpers import roster_rows
from ui import imports_view
from ui.imports_view import ImportsView


def _batches(database, tmp_path, code, count: int) -> list[int]:
    ids = []
    for number in range(count):
        rows = roster_rows(code, serials=tuple(range(3 * number + 1, 3 * number + 4)))
        path = write_xlsx(tmp_path / f"名录{number}.xlsx", {"武进区": rows})
        ids.append(import_file(database, path)[1])
    return ids


def test_the_batches_are_read_on_the_runner_saying_so(qtbot, database, settings, runner,
                                                      tmp_path, code, monkeypatch):
    batch = _batches(database, tmp_path, code, 1)[0]
    release = threading.Event()
    threads: list[bool] = []
    real = imports_view.import_batches

    def slow(session):
        threads.append(threading.current_thread() is threading.main_thread())
        release.wait(5)  # (on the GUI thread, the window would hang here)
        return real(session)

    monkeypatch.setattr(imports_view, "import_batches", slow)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: bool(threads), timeout=5_000)
    assert threads == [False]  # not the GUI thread
    assert view.progress_label.isVisibleTo(view) and "正在读取" in view.progress_label.text()
    assert view.progress.isVisibleTo(view) and view.progress.maximum() == 0
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        release.set()
    assert [view.model.record(r)["id"] for r in range(view.model.rowCount())] == [batch]
    assert not view.progress_label.isVisibleTo(view) and not view.progress.isVisibleTo(view)


def test_the_sort_and_the_selection_stay_across_a_refresh(qtbot, database, settings, runner,
                                                          tmp_path, code):
    ids = _batches(database, tmp_path, code, 3)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    assert view.model.rowCount() == 3
    view.table.sortByColumn(0, Qt.AscendingOrder)  # 编号, oldest first
    assert [view.model.record(r)["id"] for r in range(3)] == sorted(ids)
    view.select_batch(ids[1])
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.refresh()
    assert [view.model.record(r)["id"] for r in range(3)] == sorted(ids)
    assert view.selected() is not None and view.selected()["id"] == ids[1]
    assert view.table.selectionModel().isRowSelected(1)


def test_a_batch_asked_for_while_reading_is_selected_when_the_rows_come(
        qtbot, database, settings, runner, tmp_path, code):
    ids = _batches(database, tmp_path, code, 2)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    view.select_batch(ids[0])  # (the page opened on a batch: the rows still being read)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    assert view.selected() is not None and view.selected()["id"] == ids[0]


def test_undo_is_offered_again_only_once_the_batch_shows_undone(
        qtbot, database, settings, runner, tmp_path, code, monkeypatch, messages, questions):
    """After an undo the list is read again on the runner: 撤销这次导入 came back at once,
    beside the batch still shown 有效, and offered it a second time; once read, the batch
    says 已撤销 and 撤销这次导入 stays greyed, saying why."""
    batch = _batches(database, tmp_path, code, 1)[0]
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    real = imports_view.import_batches

    def slow(session):  # the read after the undo takes a while
        reading.set()
        release.wait(5)
        return real(session)

    reading, release = threading.Event(), threading.Event()
    monkeypatch.setattr(imports_view, "import_batches", slow)
    view.select_batch(batch)
    with qtbot.waitSignal(view.undone, timeout=15_000):
        view.undo_selected()
    qtbot.waitUntil(reading.is_set, timeout=10_000)  # the list is being read again
    assert view.reading.task is not None
    assert not view.undo_button.isEnabled()  # the list still says 有效
    release.set()
    qtbot.waitUntil(lambda: view.reading.task is None and not view.undoing, timeout=10_000)
    assert view.selected()["id"] == batch and view.selected()["undone_at"] is not None
    assert not view.undo_button.isEnabled()  # undone: not offered a second time
    assert "已于" in view.undo_button.toolTip()
