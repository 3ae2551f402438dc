"""Rosters LibreOffice and WPS write (.ods), Excel's binary .xlsb and tab-separated .tsv:
the importer reads them all, but the import wizard's 浏览… offered only .xlsx/.xlsm/.xls/
.csv/.txt and a file dropped on the main window was ignored (the officer's walk: a roster
converted with LibreOffice to .ods did not show in the file dialog and did nothing when
dropped)."""

from __future__ import annotations

from pathlib import Path

from importers.read.sources import EXCEL_SUFFIXES, TEXT_SUFFIXES
from ui.import_wizard.file_page import FILE_FILTER
from ui.tool_windows import IMPORT_SUFFIXES

# templates and add-ins are no rosters; the importer takes them only by accident of format
NOT_ROSTERS = {".xltx", ".xltm", ".xla"}


def test_every_roster_the_importer_reads_can_be_dropped_on_the_window():
    assert (EXCEL_SUFFIXES | TEXT_SUFFIXES) - NOT_ROSTERS <= IMPORT_SUFFIXES


def test_the_file_dialog_shows_them_in_its_first_choice():
    first = FILE_FILTER.split(";;")[0]
    for suffix in (EXCEL_SUFFIXES | TEXT_SUFFIXES) - NOT_ROSTERS:
        assert f"*{suffix}" in first.split("(")[1], suffix


def test_an_ods_dropped_on_the_window_opens_the_wizard(qtbot, demo_database, settings,
                                                      runner, monkeypatch, tmp_path):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    opened = []
    monkeypatch.setattr(window, "open_import_wizard", opened.append)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(tmp_path / "名录.ods"))])
    enter = QDragEnterEvent(window.rect().center(), Qt.CopyAction, data,
                            Qt.LeftButton, Qt.NoModifier)
    enter.setAccepted(False)
    QApplication.sendEvent(window, enter)  # a drop follows only an accepted enter
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(window.rect().center()), Qt.CopyAction, data,
                      Qt.LeftButton, Qt.NoModifier)
    drop.setAccepted(False)
    QApplication.sendEvent(window, drop)
    assert opened == [str(Path(tmp_path / "名录.ods"))]
    window.close()
