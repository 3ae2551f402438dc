"""报送情况 open beside 导入数据包 (tester24): after the window's own import it showed the
county's old batch and time until 刷新 was pressed (#3); its 冲突 1 named no firm, and
had no tooltip (#4); and the status bar said 数据已被其他程序修改，已刷新 after the window's
own import (#5)."""

from __future__ import annotations

import pytest

from tests.tiers.exchange_helpers import (
    county_database,
    moved_to_xinbei,
)
from tiers.storage.database import open_database
from tiers.storage.file_changes import FileChangeListener
from ui import server_changes
from ui.main_window import MainWindow
from ui.operations import Changes
from ui.package_status_dialog import FIRMS_COLUMN
from ui.server_changes import ServerChanges


@pytest.fixture
def city_and_move(tmp_path, new_target):
    """The city holding 武进's and 新北's packages, and 新北's next package, which also
    sends a firm the city has from 武进 (it moved): (city, that package, the firm's name)."""
    county = county_database(tmp_path / "county.sqlite3", enterprises=30)
    city = open_database(new_target("city.sqlite3"))
    moved = moved_to_xinbei(county, city, tmp_path)
    county.dispose()
    yield city, moved.path, moved.name
    city.dispose()


def _row(status, county: str) -> int:
    return next(row for row in range(status.table.rowCount())
                if status.table.item(row, 1).text() == county)


def _import(qtbot, window, path):
    dialog = window.open_package_import()
    dialog.path.setText(str(path))
    dialog.make_preview()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=30_000)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        dialog.import_button.click()
    return dialog, done.args[0]


def test_the_status_follows_the_windows_import_and_names_the_conflict(
        qtbot, settings, runner, city_and_move):
    city, path, name = city_and_move
    window = MainWindow(city, settings, runner)
    qtbot.addWidget(window)
    status = window.open_package_status()
    qtbot.waitUntil(lambda: status.table.rowCount() > 0 and status.reads.task is None,
                    timeout=10_000)
    before = status.table.item(_row(status, "新北区"), 6).text()
    assert not status.conflicts.isVisibleTo(status)

    _dialog, batch = _import(qtbot, window, path)
    # read again by itself (on the runner), not when 刷新 is pressed
    qtbot.waitUntil(lambda: status.table.item(_row(status, "新北区"), 6).text() == str(batch),
                    timeout=10_000)
    assert before != str(batch)
    firms = status.table.item(_row(status, "新北区"), FIRMS_COLUMN)
    assert firms.text().endswith("（冲突 1）")
    tip = firms.toolTip()
    assert tip.startswith("新北区：两地都报送了、未合并的企业 1 家（可能已迁址，请与两地核实）：")
    assert f"{name}（" in tip and "已由武进区的数据包报送，新北区的数据包也有" in tip
    assert status.conflicts.isVisibleTo(status)
    assert f"{name}（" in status.conflicts.text()
    assert not status.table.item(_row(status, "武进区"), FIRMS_COLUMN).toolTip()


def test_a_write_while_the_status_is_hidden_is_read_when_it_shows_again(
        qtbot, settings, runner, city_and_move):
    city, _path, _name = city_and_move
    window = MainWindow(city, settings, runner)
    qtbot.addWidget(window)
    status = window.open_package_status()
    qtbot.waitUntil(lambda: status.table.rowCount() > 0 and status.reads.task is None,
                    timeout=10_000)
    status.close()
    window.data_changed(Changes(measures=True))  # not what it shows: nothing to read
    assert not status.stale
    window.data_changed(Changes(imports=True))
    assert status.stale and status.reads.task is None  # (not read while hidden)
    status.show()
    assert status.reads.task is not None  # on the runner
    qtbot.waitUntil(lambda: status.reads.task is None, timeout=10_000)
    assert not status.stale


@pytest.mark.sqlite_only  # the file's listener (a server's notifications: notify)
def test_the_windows_own_import_is_not_said_to_be_another_programs(
        qtbot, settings, runner, city_and_move, monkeypatch):
    city, path, _name = city_and_move
    monkeypatch.setattr(server_changes, "QUIET_MS", 100)
    monkeypatch.setattr(FileChangeListener, "POLL_SECONDS", 0.05)
    window = MainWindow(city, settings, runner)
    qtbot.addWidget(window)
    watcher = ServerChanges.attach(window)
    try:
        assert watcher.listener.listening.wait(5)
        refreshed: list[str] = []
        watcher.refreshed.connect(lambda: refreshed.append(
            window.statusBar().currentMessage()))
        _import(qtbot, window, path)
        qtbot.wait(1_000)  # the listener's looks, and the quiet spell after one
        assert refreshed == []
    finally:
        watcher.stop()
