"""Slow work never runs on the GUI thread: the roster's search index is rebuilt in the
background after a write, and closing the import wizard while it works does not wait."""

from __future__ import annotations

import threading

from tiers.queries import roster
from ui.enterprise_table_model import EnterpriseTableModel
from ui.import_wizard import ImportWizard
from ui.import_wizard import jobs as wizard_jobs


def test_the_search_index_is_rebuilt_in_the_background(qtbot, demo_database, runner):
    model = EnterpriseTableModel(demo_database)
    model.warm_search(runner)
    qtbot.waitUntil(lambda: model._search_index is not None, timeout=10_000)
    model.reload()  # a write somewhere: the index is stale
    assert model._search_index is None and model._warming is not None
    model.set_search("常州")  # answered by SQL meanwhile
    by_sql = list(model.ids)
    assert by_sql
    qtbot.waitUntil(lambda: model._search_index is not None, timeout=10_000)
    model.set_search("")
    model.set_search("常州")
    assert model.ids == by_sql


def test_closing_the_wizard_while_it_works_does_not_wait(qtbot, database, settings, runner,
                                                         tmp_path, monkeypatch):
    release, started = threading.Event(), threading.Event()
    closed = []

    class SlowSource:
        sheet_names = ["名单"]

        def is_visible(self, _name):
            return True

        def close(self):
            closed.append(True)

    def slow_open(path):
        started.set()
        release.wait(10)
        return SlowSource(), None

    monkeypatch.setattr(wizard_jobs, "open_and_guess", slow_open)
    wizard = ImportWizard(database, settings, runner, path=str(tmp_path / "名单.xlsx"))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next_button.click()
    qtbot.waitUntil(started.is_set, timeout=5_000)
    task = wizard.task
    assert wizard.close()  # at once, while the job still runs
    assert not wizard.isVisible() and task.cancel_requested
    with qtbot.waitSignal(task.finished, timeout=10_000):
        release.set()
    assert not wizard._busy() and closed == [True]  # the file it opened is closed
    assert wizard.current_step() == 0  # and nothing went on to the next step


def test_the_link_dialogs_firm_picker_builds_its_index_in_the_background(
        qtbot, demo_database, runner, monkeypatch, gui_statements):
    from PySide6.QtWidgets import QDialog

    from tiers.queries import search
    from ui import link_dialog

    built_on = []
    real_load = search.SearchIndex.load

    def recording_load(session):
        built_on.append(threading.current_thread() is threading.main_thread())
        return real_load(session)

    monkeypatch.setattr(search.SearchIndex, "load", staticmethod(recording_load))
    pickers = []

    class Picker(link_dialog.EnterprisePickerDialog):
        def exec(self):  # answered as a user would: type before the list is in, look, cancel
            pickers.append(self)
            self.search.setText("常州")
            self._search()  # read on the runner (it was SQL on the GUI thread), behind the list
            assert not self.model.ids
            qtbot.waitUntil(lambda: bool(self.model.ids), timeout=10_000)
            qtbot.waitUntil(lambda: self.model._search_index is not None, timeout=10_000)
            self.reject()
            return QDialog.Rejected

    monkeypatch.setattr(link_dialog, "EnterprisePickerDialog", Picker)
    row = type("Row", (), {"row": 3, "name": "常州某某有限公司"})()
    dialog = link_dialog.LinkDialog(demo_database, row, [], runner=runner)
    qtbot.addWidget(dialog)
    seen, counting = gui_statements
    counting[0] = True
    try:
        dialog.find_other()
    finally:
        counting[0] = False
    assert pickers and built_on == [False]  # built once, on the runner's thread
    assert seen == [], seen  # the listing, the index and the search: none on the GUI thread
    with demo_database.session() as session:  # the search's own matches, in the list's order
        expected = roster.roster_ids(session, roster.RosterFilter(search="常州"))
    assert pickers[0].model.ids == expected
