"""Qt fixtures: an isolated QSettings, a runner that is always shut down, a demo database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.conftest import good_zjtx
from tiers.services import demo
from ui.app_settings import AppSettings
from ui.ask import ConfirmDialog, MessageDialog, OperatorDialog, RetryDialog
from ui.background_runner import BackgroundRunner


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """No test reads or writes the user's settings; no test can hang on a message box."""
    QSettings.setDefaultFormat(QSettings.IniFormat)
    for scope in (QSettings.UserScope, QSettings.SystemScope):
        QSettings.setPath(QSettings.IniFormat, scope, str(tmp_path / "settings"))
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(MessageDialog, "info", classmethod(
        lambda cls, parent, title, text: messages.append(("info", text))))
    monkeypatch.setattr(MessageDialog, "error", classmethod(
        lambda cls, parent, title, text: messages.append(("error", text))))
    monkeypatch.setattr(RetryDialog, "ask", classmethod(  # shown like an error, not retried
        lambda cls, parent, title, text: messages.append(("error", text)) and False))
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    monkeypatch.setattr(ConfirmDialog, "unsaved", classmethod(lambda cls, *a, **k: "discard"))
    monkeypatch.setattr(OperatorDialog, "ask", classmethod(lambda cls, *a, **k: None))
    return messages


@pytest.fixture(autouse=True)
def no_real_keyring():
    """No test reads or writes the user's credential store: by default there is none (as
    under Xvfb); tests that need one use tests.server_helpers.memory_keyring."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_keys_held():
    """QTest leaves Ctrl (or Shift) as the application's modifier state after a click with
    it; a later test's selectRow would then toggle instead of select, whichever file it is
    in. Let go of them after every test."""
    yield
    if QGuiApplication.instance() is None or \
            QGuiApplication.keyboardModifiers() == Qt.NoModifier:
        return
    widget = QWidget()
    for key in (Qt.Key_Control, Qt.Key_Shift, Qt.Key_Alt):
        QTest.keyRelease(widget, key)
    widget.deleteLater()
    assert QGuiApplication.keyboardModifiers() == Qt.NoModifier


@pytest.fixture
def messages(isolated_settings):
    return isolated_settings


@pytest.fixture
def questions(monkeypatch) -> list[str]:
    """The questions ConfirmDialog.ask put to the officer, each answered yes."""
    asked: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, *a, **k: asked.append(text) or True))
    return asked


@pytest.fixture
def settings(tmp_path):
    return AppSettings(QSettings(str(tmp_path / "tiers.ini"), QSettings.IniFormat))


@pytest.fixture
def runner(qtbot):
    runner = BackgroundRunner()
    yield runner
    assert runner.shutdown(10_000), "a background thread outlived its test"


@pytest.fixture
def demo_database(database):
    with database.session() as session:
        for _ in demo.generate(session, enterprises=120):
            pass
    return database


@pytest.fixture
def rules_before_2026(tmp_path, monkeypatch):
    """The rule folder as it was before the 2026 办法 and the 2023 单项冠军办法 were entered:
    these views' cases were worked under the 2022 rules, which today's date no longer picks."""
    import shutil

    from tiers.assess import rules

    folder = tmp_path / "rules_before_2026"
    folder.mkdir()
    for name in ("interim_2022.toml", "single_champion_2016.toml"):
        shutil.copy(rules.rules_folder() / name, folder / name)
    monkeypatch.setattr(rules, "rules_folder", lambda: folder)
    return folder


@pytest.fixture
def assess_county(session, enterprise_factory):
    """Firms holding 创新型, aimed at 专精特新: ready, one condition short, data missing,
    two short, nonsense figures, and one that already holds 专精特新. Judged on today's
    上年度, as the client does."""
    import datetime as dt

    from tiers.assess import default_year
    from tiers.services import figures, recognitions

    year = default_year()
    last = dict(revenue=1900, main_revenue=1700, rd_expense=90)

    def add(key, name, this_year, held=("innovative",)):
        firm = enterprise_factory(name)
        figures.set_year(session, firm.id, year, this_year)
        figures.set_year(session, firm.id, year - 1, last)
        figures.set_year(session, firm.id, year - 2, dict(revenue=1800, main_revenue=1600))
        for tier in held:
            recognitions.add(session, firm.id, {"tier_code": tier, "batch_year": year - 1,
                                                "recognized_on": dt.date(year - 1, 10, 1)})
        firms[key] = firm.id

    firms: dict[str, int] = {}
    add("ready", "常州甲科技有限公司", good_zjtx())
    add("one_short", "常州乙科技有限公司", good_zjtx(rd_expense=50))
    add("missing", "常州丙科技有限公司", good_zjtx(niche_years=None))
    add("far", "常州丁科技有限公司", good_zjtx(rd_expense=50, niche_years=1))
    add("nonsense", "常州辛科技有限公司", good_zjtx(rd_expense=5000))
    add("holder", "常州戊科技有限公司", good_zjtx(), held=("zjtx",))
    session.commit()
    firms["year"] = year
    return firms


@pytest.fixture
def firm_window(qtbot, database, settings, runner):
    """Opens the enterprise window of a firm (its id) over the test's database, with the
    test's settings and runner; deleted with the test."""
    from ui.enterprise_dialog import EnterpriseDialog

    def open_window(enterprise_id: int) -> EnterpriseDialog:
        dialog = EnterpriseDialog(database, settings, enterprise_id, runner=runner)
        qtbot.addWidget(dialog)
        return dialog

    return open_window


@pytest.fixture
def save_and_wait(qtbot):
    """Save an enterprise window and wait for its save on the runner to end: True when
    written, False when refused (by the form at once, or by the services)."""

    def save(dialog) -> bool:
        with qtbot.waitSignal(dialog.save_finished, timeout=10_000) as finished:
            dialog.save()
        return finished.args[0]

    return save


@pytest.fixture
def gui_statements(database):
    """The SQL statements run on the GUI thread while counting is on: (counted, counting),
    counting[0] set True around what is measured (the roster's reads off the GUI thread)."""
    import threading

    from sqlalchemy import event

    counted: list[str] = []
    counting = [False]

    def count(_connection, _cursor, statement, *_rest) -> None:
        if counting[0] and threading.current_thread() is threading.main_thread():
            counted.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    yield counted, counting
    event.remove(database.engine, "before_cursor_execute", count)
