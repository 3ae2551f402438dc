from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QSettings
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from tiers.model import ladder
from tiers.queries import dashboard
from ui.app import install_translations, is_empty
from ui.app_settings import AppSettings
from ui.main_window import MainWindow


def make_window(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    return window


def test_window_title_counts_and_navigation(qtbot, demo_database, settings, runner):
    window = make_window(qtbot, demo_database, settings, runner)
    # the file, or that it is a server's
    assert str(demo_database.path or "服务器") in window.windowTitle()
    # the app name once, at the end, where Qt would otherwise append it a second time
    name = QApplication.applicationDisplayName() or "梯度培育企业库"
    assert window.windowTitle().endswith(name)
    assert window.windowTitle().count(name) == 1
    qtbot.waitUntil(lambda: window.counting is None and window.overview is not None, timeout=10_000)
    assert "企业 120 家" in window.count_label.text()
    assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == [
        "工作台", "企业库", "培育库", "扶持措施", "产业链", "导入记录"]
    with qtbot.waitSignal(window.dashboard.loaded, timeout=10_000):
        window.show_page(0)
    with demo_database.session() as session:
        totals = dashboard.tier_totals(session)
    assert window.dashboard.steps["little_giant"].count.text() == str(totals["little_giant"])
    assert window.dashboard.area_chart.chart().series()
    assert window.dashboard.expiring_model.rowCount() > 0
    for number in range(2, 6):
        window.show_page(number)
        assert window.stack.currentIndex() == number
    window.close()


def test_dashboard_ladder_click_filters_roster(qtbot, demo_database, settings, runner):
    window = make_window(qtbot, demo_database, settings, runner)
    with qtbot.waitSignal(window.dashboard.loaded, timeout=10_000):
        window.show_page(0)
    expected = window.dashboard.data["tiers"]["zjtx"]
    window.dashboard.steps["zjtx"].clicked.emit("zjtx")
    assert window.stack.currentIndex() == 1
    # the filtered firms are read on the runner (ui.roster_view._filters_changed)
    qtbot.waitUntil(lambda: runner.settled and not window.roster.model.listing_pending,
                    timeout=10_000)
    assert window.roster.model.rowCount() == expected
    assert window.roster.filters.status.currentData() == ladder.VALID
    window.close()


def test_expiring_opens_enterprise(qtbot, demo_database, settings, runner):
    window = make_window(qtbot, demo_database, settings, runner)
    with qtbot.waitSignal(window.dashboard.loaded, timeout=10_000):
        window.show_page(0)
    first = window.dashboard.expiring_model.record(0)
    window.dashboard.expiring.activated.emit(window.dashboard.expiring_model.index(0, 0))
    dialog = window.enterprise_dialogs[first["enterprise_id"]]
    assert dialog.isVisible() and dialog.profile["name"] == first["name"]
    window.close()


def test_open_profile_from_roster_and_save_refreshes(qtbot, demo_database, settings, runner):
    window = make_window(qtbot, demo_database, settings, runner)
    roster = window.roster
    roster.search.setText(roster.model.row(0)["name"])
    roster.apply_filters()
    enterprise_id = roster.model.ids[0]
    roster.table.activated.emit(roster.model.index(0, 0))
    dialog = window.enterprise_dialogs[enterprise_id]
    assert dialog.tabs.count() == 7
    assert [dialog.tabs.tabText(i) for i in range(7)] == [
        "基本信息", "梯度认定", "年度数据", "扶持措施", "产业链", "对标预审", "变更记录"]
    dialog.set_field("name", "常州改名以后有限公司")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):  # saved on the runner, then closed
        dialog.buttons.button(QDialogButtonBox.Save).click()
    assert not dialog.isVisible()
    # the roster reads the new listing on the runner (the old rows meanwhile)
    qtbot.waitUntil(lambda: window.runner.settled, timeout=10_000)
    assert roster.model.rowCount() == 1  # found by its former name now
    assert roster.model.row(0)["name"] == "常州改名以后有限公司"
    window.close()


def test_geometry_is_remembered(qtbot, database, tmp_path, runner):
    settings = AppSettings(QSettings(str(tmp_path / "g.ini"), QSettings.IniFormat))
    window = make_window(qtbot, database, settings, runner)
    window.resize(777, 555)
    window.close()
    assert settings.geometry("main") is not None
    again = MainWindow(database, settings)
    qtbot.addWidget(again)
    assert (again.size().width(), again.size().height()) == (777, 555)
    again.close()


def test_close_stops_the_runner(qtbot, demo_database, settings):
    window = MainWindow(demo_database, settings)
    qtbot.addWidget(window)
    window.show_page(0)  # starts a background job
    window.close()
    assert window.runner.pool.activeThreadCount() == 0


def test_qt_chinese_translations_loaded(qapp):
    translators = install_translations(qapp)
    folder = Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath))
    assert (folder / "qtbase_zh_CN.qm").exists()
    assert translators
    assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_empty_database_detected(database, demo_database):
    assert not is_empty(demo_database)


def test_empty_database(db_target):
    from tiers.storage.database import open_database

    fresh = open_database(db_target)
    assert is_empty(fresh)
    fresh.dispose()


def test_void_qt_calls_do_not_crash(qtbot):
    """PySide6 6.12 on Python 3.11 aborted with none_dealloc after ~5,000 void calls."""
    label = QLabel()
    qtbot.addWidget(label)
    for number in range(20_000):
        label.setText(str(number))
    assert label.text() == "19999"


def test_database_location_precedence(settings, monkeypatch, tmp_path):
    from ui.app import database_location

    settings.database_path = str(tmp_path / "chosen.sqlite3")
    monkeypatch.setenv("TIERS_DB", str(tmp_path / "env.sqlite3"))
    assert database_location(str(tmp_path / "arg.sqlite3"), settings).name == "arg.sqlite3"
    assert database_location(None, settings).name == "env.sqlite3"
    monkeypatch.delenv("TIERS_DB")
    assert database_location(None, settings).name == "chosen.sqlite3"


def test_run_offers_demo_on_empty_database(qtbot, tmp_path, monkeypatch):
    """`tiers` on a new database asks, fills the demo, and opens the window."""
    from PySide6.QtWidgets import QApplication

    from tiers.queries import roster
    from tiers.storage.database import open_database
    from ui import app as app_module

    shown = []
    monkeypatch.setattr(QApplication, "exec", lambda self=None: shown.append(
        [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)
         and w.isVisible()]) or 0)
    path = tmp_path / "new.sqlite3"
    assert app_module.run(str(path)) == 0
    assert shown and shown[0]
    for window in shown[0]:
        window.close()
        window.deleteLater()
    database = open_database(path)
    with database.session() as session:
        assert roster.count(session, roster.RosterFilter()) == app_module.DEMO_ENTERPRISES
    database.dispose()


def test_switching_database_closes_import_and_export_windows(qtbot, demo_database, settings,
                                                            runner, new_target):
    from tiers.storage.database import open_database

    window = make_window(qtbot, demo_database, settings, runner)
    wizard = window.open_import_wizard()
    export = window.open_export_dialog()
    assert wizard.isVisible() and export.isVisible()
    other = open_database(new_target("other.sqlite3"))
    window.switch_database(other)
    assert not wizard.isVisible() and not export.isVisible()
    assert window.tool_windows == []
    assert window.database is other


def test_quitting_with_an_edit_saved_first_closes_after_the_save(
        qtbot, demo_database, settings, runner, monkeypatch):
    from tiers.queries import profiles
    from ui.ask import ConfirmDialog

    window = make_window(qtbot, demo_database, settings, runner)
    enterprise_id = window.roster.model.ids[0]
    dialog = window.open_enterprise(enterprise_id)
    dialog.set_field("address", "常州市武进区湖塘镇人民路 9 号")
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(lambda cls, *a, **k: "save"))
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        assert not window.close()  # the save runs on the runner first
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    with demo_database.session() as session:
        assert profiles.profile(session, enterprise_id)["address"] == "常州市武进区湖塘镇人民路 9 号"


def test_the_first_window_fits_a_small_screen(monkeypatch):
    """On a 1366 × 768 screen the window's first size leaves the status bar on screen."""
    from PySide6.QtCore import QRect

    from ui.main_window import MainWindow

    class Screen:
        def availableGeometry(self):
            return QRect(0, 0, 1366, 728)  # 768 less a 40-pixel task bar

    monkeypatch.setattr(QApplication, "primaryScreen", staticmethod(lambda: Screen()))
    size = MainWindow.first_size()
    assert size.width() == 1320 and size.height() <= 728 - 60
    monkeypatch.setattr(QApplication, "primaryScreen", staticmethod(lambda: None))
    assert (MainWindow.first_size().width(), MainWindow.first_size().height()) == (1320, 820)


def test_a_roster_file_dropped_on_the_window_opens_the_import_wizard(
        qtbot, demo_database, settings, runner, monkeypatch, tmp_path):
    """Drag and drop reaches the window's handlers (they live in a mixin, ui/tool_windows.py);
    a file the importer cannot take is refused."""
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    window = make_window(qtbot, demo_database, settings, runner)
    opened = []
    monkeypatch.setattr(window, "open_import_wizard", opened.append)

    def dropped(name: str) -> tuple[bool, bool]:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(tmp_path / name))])
        enter = QDragEnterEvent(window.rect().center(), Qt.CopyAction, data,
                                Qt.LeftButton, Qt.NoModifier)
        enter.setAccepted(False)
        QApplication.sendEvent(window, enter)
        drop = QDropEvent(QPointF(window.rect().center()), Qt.CopyAction, data,
                          Qt.LeftButton, Qt.NoModifier)
        drop.setAccepted(False)
        QApplication.sendEvent(window, drop)
        return enter.isAccepted(), drop.isAccepted()

    assert dropped("名单.pdf") == (False, False)
    assert opened == []
    assert dropped("名单.xlsx") == (True, True)
    assert opened == [str(tmp_path / "名单.xlsx")]
    window.close()
