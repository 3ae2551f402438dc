"""文件 → 导出采集表 (#17): the roster's list or selection, one file or per town, off the
GUI thread; the files it writes are recognised again by the importer."""

from __future__ import annotations

import openpyxl

from importers import detect, open_source
from ui.collection_dialog import CollectionDialog
from ui.main_window import MainWindow


def test_menu_opens_the_dialog_with_the_rosters_list_and_selection(qtbot, demo_database,
                                                                   settings, runner):
    window = MainWindow(demo_database, settings, runner)
    qtbot.addWidget(window)
    assert window.collection_action in window.menuBar().actions()[0].menu().actions()
    window.roster.table.selectRow(0)
    window.roster.table.selectRow(1)
    dialog = window.open_collection_dialog()
    qtbot.addWidget(dialog)
    assert dialog.listed == list(window.roster.model.ids) and len(dialog.listed) > 10
    assert dialog.selected == window.roster.selected_ids() and dialog.selected
    assert dialog.firms.currentData() == "selected"
    assert dialog.chosen_ids() == dialog.selected
    dialog.firms.setCurrentIndex(dialog.firms.findData("listed"))
    assert dialog.chosen_ids() == dialog.listed


def test_export_per_town_off_the_gui_thread(qtbot, demo_database, settings, runner, tmp_path):
    with demo_database.session() as session:
        from sqlalchemy import select

        from tiers.model.orm import Enterprise
        ids = list(session.scalars(select(Enterprise.id).order_by(Enterprise.id).limit(12)))
    dialog = CollectionDialog(demo_database, settings, runner, listed=ids)
    qtbot.addWidget(dialog)
    dialog.year.setValue(2025)
    dialog.split.setCurrentIndex(dialog.split.findData("town"))
    assert dialog.where_label.text() == "保存到文件夹(&C)"
    dialog.return_to.setText("wjgxj@example.cn")
    dialog.unit.setText("常州市武进区工业和信息化局")
    dialog.path.setText(str(tmp_path / "采集表"))
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as done:
        dialog.export_button.click()
    paths = done.args[0]
    assert len(paths) >= 2 and all(p.parent == tmp_path / "采集表" for p in paths)
    firms = sum(openpyxl.load_workbook(p)["采集表"].max_row - 4 for p in paths)
    assert firms == 12
    assert detect(open_source(paths[0])).collection_year == 2025
    assert settings.organisation_of(demo_database) == "常州市武进区工业和信息化局"
    again = CollectionDialog(demo_database, settings, runner, listed=ids)
    qtbot.addWidget(again)
    assert again.return_to.text() == "wjgxj@example.cn"


def test_nothing_to_export(qtbot, demo_database, settings, runner, tmp_path):
    dialog = CollectionDialog(demo_database, settings, runner, listed=[])
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "x.xlsx"))
    assert dialog.export() is None and "没有企业" in dialog.status.text()


def test_a_full_disk_is_said_in_chinese(qtbot, demo_database, settings, runner, tmp_path,
                                        monkeypatch):
    """The dialog said “导出失败：[Errno 28] No space left on device” (the break campaign of
    #17): an OSError's own text is English. Nothing is left in the folder's parent."""
    import errno
    import zipfile

    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", no_space)
    monkeypatch.setattr(zipfile.ZipFile, "write", no_space)
    out = tmp_path / "out"
    out.mkdir()
    dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2, 3])
    qtbot.addWidget(dialog)
    dialog.split.setCurrentIndex(dialog.split.findData("firm"))
    dialog.path.setText(str(out / "采集表"))
    # (the footer's finished signal, not running(): a task is done before its outcome is
    # delivered, and the status line then still says the last progress, 正在查询)
    with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
        dialog.export_button.click()
    assert dialog.status.text() == "导出失败：磁盘已满"
    assert list(out.iterdir()) == []


def test_every_field_has_its_own_alt_letter(qtbot, demo_database, settings, runner):
    """A keyboard-only officer (1366 × 768, the 采集表 walk) found no Alt letter in this
    dialog, while 导出报表 has one per field: Tab through nine fields to reach 发出单位."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QFormLayout

    from tests.ui.test_form_field_alt_letters import labelled_fields, letter, press_each

    dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    rows = labelled_fields(dialog.findChild(QFormLayout)) + [(dialog.where_label, dialog.path)]
    assert [field for _label, field in rows] == [
        dialog.firms, dialog.year, dialog.split, dialog.return_to, dialog.unit,
        dialog.officer, dialog.phone, dialog.path]
    letters = [letter(label) for label, _field in rows] + [letter(dialog.has_deadline)]
    assert len(set(letters)) == len(letters), letters
    press_each(qtbot, dialog, rows)
    dialog.has_deadline.setChecked(True)
    qtbot.keyClick(QApplication.focusWidget(), letter(dialog.has_deadline), Qt.AltModifier)
    # its letter clicks the box (Qt's animated click: a moment later)
    qtbot.waitUntil(lambda: not dialog.has_deadline.isChecked(), timeout=2_000)
    dialog.split.setCurrentIndex(dialog.split.findData("town"))  # 保存到文件夹: same letter
    assert letter(dialog.where_label) == letters[-2]


def test_the_dialog_opens_on_its_first_choice(qtbot, demo_database, settings, runner):
    """It opened with the focus on 导出 (QDialog's default button): Tab went to 关闭 and
    round, the arrow keys did nothing; now on 企业, as 导出报表 opens on 报表."""
    from PySide6.QtWidgets import QApplication

    dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2], selected=[1])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert QApplication.focusWidget() is dialog.firms


def test_the_firms_filled_in_returns_in_the_folder_are_kept(qtbot, demo_database, settings,
                                                            runner, tmp_path):
    """每家企业一个文件 into the folder the firms' 采集表 came back to (saved under the names
    they were sent with): the export replaced every return without asking (the break
    campaign of #26). It is refused on the status line, every file as it was; Tiers' own
    untouched files are replaced as before."""
    folder = tmp_path / "采集表"

    def export() -> None:
        dialog = CollectionDialog(demo_database, settings, runner, listed=[1, 2, 3])
        qtbot.addWidget(dialog)
        dialog.year.setValue(2025)
        dialog.split.setCurrentIndex(dialog.split.findData("firm"))
        dialog.path.setText(str(folder))
        with qtbot.waitSignal(dialog.footer.finished, timeout=30_000):
            dialog.export_button.click()
        return dialog

    export()
    sent = sorted(folder.iterdir())
    assert len(sent) == 3
    assert export().written  # again: its own files, untouched, are replaced
    book = openpyxl.load_workbook(sent[1])  # a firm fills its form in and saves it
    book["采集表"]["F5"] = 3000
    book.save(sent[1])
    _later(sent[1])
    before = {path: path.read_bytes() for path in folder.iterdir()}
    dialog = export()
    assert dialog.status.text().startswith("导出失败：") and sent[1].name in dialog.status.text()
    assert {path: path.read_bytes() for path in folder.iterdir()} == before


def _later(path) -> None:
    """The modified moment of a save minutes after the export, as Excel writes it (openpyxl
    writes the moment of its own save, a second after the export's)."""
    import datetime as dt
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    members["docProps/core.xml"] = re.sub(rb"(<dcterms:modified[^>]*>)[^<]+",
                                          rb"\g<1>" + later.encode(), members["docProps/core.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
