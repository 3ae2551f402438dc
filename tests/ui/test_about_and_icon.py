"""关于 names the program, its version and where its data is; the window carries the
staircase icon at every size a desktop asks for (window, taskbar, Alt+Tab)."""

from __future__ import annotations

from tiers import __version__
from ui.about import ICON_SIZES, AboutDialog, application_icon
from ui.app import make_application


def test_about_shows_the_version_and_the_database(qtbot, tmp_path):
    dialog = AboutDialog(None, tmp_path / "tiers.sqlite3")
    qtbot.addWidget(dialog)
    assert __version__ in dialog.version.text()
    assert str(tmp_path / "tiers.sqlite3") in dialog.details.text()
    assert "日志" in dialog.details.text()


def test_about_from_the_help_menu(qtbot, demo_database, settings, monkeypatch):
    from ui.main_window import MainWindow

    shown = []
    monkeypatch.setattr(AboutDialog, "show_for", classmethod(
        lambda cls, parent, path: shown.append(path)))
    window = MainWindow(demo_database, settings)
    qtbot.addWidget(window)
    help_menu = window.menuBar().actions()[-1].menu()
    next(action for action in help_menu.actions() if action.iconText() == "关于").trigger()
    assert shown == [demo_database.path]
    window.runner.shutdown()


def test_the_application_icon_has_every_size(qtbot):
    icon = application_icon()
    assert not icon.isNull()
    assert {size.width() for size in icon.availableSizes()} == set(ICON_SIZES)
    assert not make_application().windowIcon().isNull()
