"""An officer file the client cannot read (review fixd28 #2): its warning was a status-bar
message that the automatic backup's message replaced seconds later, and 设置 saved the
name and phone into the client's own settings without a word that the file did not get
them. The warning is a permanent status-bar item (the reason and the way out in its
tooltip) until the file is put right; 设置 says what was not written, and where."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QMainWindow

from tiers.storage import officer
from ui import app
from ui.settings_dialog import SettingsDialog


@pytest.fixture
def broken(tmp_path, monkeypatch):
    path = tmp_path / "officer.json"
    path.write_text("[1, 2]", encoding="utf-8")
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(path))
    return path


def test_the_warning_outlives_other_messages_until_the_file_is_fixed(broken, qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.statusBar()  # built before it is shown, as MainWindow's
    window.show()
    app.say_officer_problem(window)
    window.statusBar().showMessage("今日自动备份已完成")  # the backup's, seconds later
    label = window.officer_problem_label
    assert label.isVisible() and "填报人设置文件" in label.text()
    assert str(broken) in label.toolTip() and "不是有效的设置文件" in label.toolTip()
    assert "客户端设置" in label.toolTip()  # where the values are meanwhile
    broken.unlink()  # put right
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2_000)  # (no 5 s poll: watched)


def _shown(broken, qtbot) -> QLabel:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.statusBar()
    window.show()
    app.say_officer_problem(window)
    label = window.officer_problem_label
    assert label.isVisible()
    return label


def test_a_file_replaced_by_a_good_one_clears_the_warning(broken, qtbot):
    """As 设置 and editors save: a new file moved over the old one (the watch of the file
    itself ends with it; the folder's sees the new one)."""
    label = _shown(broken, qtbot)
    good = broken.with_name("new.json")
    good.write_text('{"name": "王科员"}', encoding="utf-8")
    os.replace(good, broken)
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2_000)


def test_a_file_replaced_by_another_bad_one_is_still_watched(broken, qtbot):
    """Replaced by another unreadable file, the warning stays (with the new reason); fixed
    later in place (a write into the same file, which no folder change tells), it goes."""
    label = _shown(broken, qtbot)
    other = broken.with_name("new.json")
    other.write_text("{", encoding="utf-8")
    os.replace(other, broken)
    qtbot.waitUntil(lambda: "第 1 行不是有效的 JSON" in label.toolTip(), timeout=2_000)
    assert label.isVisible()
    qtbot.wait(100)
    broken.write_text('{"name": "王科员"}', encoding="utf-8")  # in place
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2_000)


def test_a_file_made_readable_in_place_clears_the_warning(broken, qtbot):
    label = _shown(broken, qtbot)
    broken.write_text('{"phone": "0519-8512 3456"}', encoding="utf-8")
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2_000)


def test_nothing_is_read_on_a_timer_while_the_file_stays_broken(broken, qtbot):
    """The warning used to re-read the file on the GUI thread every 5 s for as long as it
    was shown; now only a change of the file or its folder has it looked at again."""
    label = _shown(broken, qtbot)
    assert not [timer for timer in label.findChildren(QTimer) if timer.isActive()]


def test_no_warning_for_a_readable_file(tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(tmp_path / "officer.json"))
    window = QMainWindow()
    qtbot.addWidget(window)
    window.statusBar()  # built before it is shown, as MainWindow's
    window.show()
    app.say_officer_problem(window)
    label = getattr(window, "officer_problem_label", None)
    assert label is None or not label.isVisible()


def test_settings_says_the_file_did_not_get_the_values(broken, qtbot, database, settings,
                                                       runner, messages):
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.unit_counties.isEnabled(), timeout=10_000)
    dialog.officer.setText("王科员")
    dialog.phone.setText("0519-8512 3456")
    dialog.save()
    told = [text for _kind, text in messages]
    assert len(told) == 1, messages
    assert str(broken) in told[0] and "不是有效的设置文件" in told[0], told
    assert "填报人和联系电话" in told[0] and "客户端设置" in told[0], told
    assert broken.read_text(encoding="utf-8") == "[1, 2]"  # not written over
    assert (settings.officer, settings.phone) == ("王科员", "0519-8512 3456")  # kept


def test_settings_says_nothing_when_the_file_took_them(tmp_path, monkeypatch, qtbot, database,
                                                       settings, runner, messages):
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(tmp_path / "officer.json"))
    dialog = SettingsDialog(database, settings, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.unit_counties.isEnabled(), timeout=10_000)
    dialog.officer.setText("王科员")
    dialog.save()
    assert messages == [] and officer.read().name == "王科员"


def test_other_files_of_its_folder_are_ignored_without_reading_it(broken, qtbot, monkeypatch):
    """The folder may hold the SQLite database: its journal, come and gone on every write,
    changes the folder. The file's stat, unchanged, says it is not the officer file's
    change: it is not read again (nor the watch rebuilt); the warning stays, and goes when
    the file itself is put right."""
    label = _shown(broken, qtbot)
    reads = []
    real = officer.problem
    monkeypatch.setattr(officer, "problem", lambda: reads.append(1) or real())
    journal = broken.with_name("tiers.sqlite3-journal")
    for _ in range(3):  # three writes of the database beside it
        journal.write_bytes(b"x")
        qtbot.wait(30)
        journal.unlink()
        qtbot.wait(30)
    qtbot.wait(200)
    assert reads == [] and label.isVisible()
    good = broken.with_name("new.json")
    good.write_text('{"name": "王科员"}', encoding="utf-8")
    os.replace(good, broken)
    qtbot.waitUntil(lambda: not label.isVisible(), timeout=2_000)
    assert reads
