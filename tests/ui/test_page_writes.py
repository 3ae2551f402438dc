"""The client's writes and files never freeze the window nor fail silently: a page's write
runs on the runner (the page disabled and saying 正在保存… meanwhile), a busy database is
told in its Chinese line, a read that meets a storage failure says so, a saved firm is never
reported 未保存, and the problem rows are written off the GUI thread."""

from __future__ import annotations

import pytest
from xlsxwriter.exceptions import FileCreateError

from tests.conftest import held_by_another_program
from tiers.model.orm import Enterprise
from tiers.queries import profiles
from tiers.queries import roster as queries
from tiers.queries.cultivation import cultivation_entries
from tiers.storage.locking import BUSY_MESSAGE, DatabaseBusy
from ui import assessment_view
from ui.assessment_view import AssessmentView
from ui.cultivation_view import CultivationView
from ui.enterprise_dialog import EnterpriseDialog
from ui.enterprise_table_model import EnterpriseTableModel
from ui.import_wizard import ImportWizard, jobs
from ui.roster_view import RosterView


def _firms(database) -> list[int]:
    with database.session() as session:
        return queries.roster_ids(session, queries.RosterFilter())


@pytest.mark.sqlite_only  # another program holding the SQLite file's lock
def test_a_delete_while_another_program_writes_says_so_and_deletes_nothing(
        qtbot, impatient_database, settings, runner, messages, code):
    from tiers.services import enterprises

    with impatient_database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "常州占用有限公司",
                                            "county": "武进区"}).id
    view = RosterView(impatient_database, settings, runner=runner)
    qtbot.addWidget(view)
    view.show()
    view.table.selectRow(0)
    announced = []
    runner.changed.connect(announced.append)
    with held_by_another_program(impatient_database.path), \
            qtbot.waitSignal(view.save_finished, timeout=10_000) as finished:
        view.delete_selected()  # returns at once: the wait for the lock is on the runner
        assert not view.isEnabled() and view.count_label.text() == "正在保存…"
    assert finished.args == [False] and view.isEnabled()
    assert messages == [("error", BUSY_MESSAGE)] and announced == []
    assert view.count_label.text() == "共 1 家"  # the count is back, not 正在保存…
    assert _firms(impatient_database) == [firm] == view.model.ids


def test_a_page_write_announces_only_what_it_changed(qtbot, database, settings, runner,
                                                     enterprise_factory, session, monkeypatch):
    from ui.enterprise_picker_dialog import EnterprisePickerDialog
    from ui.record_form_dialog import RecordFormDialog

    firm = enterprise_factory("常州培育宣告有限公司")
    session.commit()
    view = CultivationView(database, settings, runner=runner)
    qtbot.addWidget(view)
    monkeypatch.setattr(EnterprisePickerDialog, "pick", classmethod(lambda cls, *a, **k: firm.id))
    monkeypatch.setattr(RecordFormDialog, "edit", classmethod(
        lambda cls, *a: {"target_tier": "zjtx", "target_year": "2026", "officer": "王丽",
                         "status": "培育中", "note": ""}))
    announced = []
    runner.changed.connect(announced.append)
    with qtbot.waitSignal(view.save_finished, timeout=10_000):
        view.add()
    assert [changes.touched() for changes in announced] == [{"cultivation"}]
    with database.session() as check:
        assert [e["enterprise_id"] for e in cultivation_entries(check)] == [firm.id]


def test_the_roster_shows_a_storage_failure_in_its_chinese_line(database, monkeypatch):
    def busy(self):
        raise DatabaseBusy()

    monkeypatch.setattr(EnterpriseTableModel, "_query_ids", busy)
    model = EnterpriseTableModel(database)
    assert model.rowCount() == 0 and model.error == BUSY_MESSAGE


def test_the_assessment_shows_a_storage_failure(qtbot, database, enterprise_factory, session,
                                                monkeypatch):
    firm = enterprise_factory("常州预审忙碌有限公司")
    session.commit()

    def busy(_session, _enterprise_id, **_given):  # (figures=: the year decided once)
        raise DatabaseBusy()

    monkeypatch.setattr(assessment_view, "assess_enterprise_all", busy)
    view = AssessmentView(database, firm.id)
    qtbot.addWidget(view)
    view.refresh()
    assert view.verdict.text() == "无法预审：" + BUSY_MESSAGE


def test_a_new_firm_whose_read_back_fails_is_not_saved_and_not_created_twice(
        qtbot, database, settings, runner, code, save_and_wait, monkeypatch):
    """The read-back is in the saving transaction: if it fails, nothing was written and
    未保存 is the truth; the next save creates the firm once."""
    dialog = EnterpriseDialog(database, settings, runner=runner)
    qtbot.addWidget(dialog)
    dialog.set_field("credit_code", code(7))
    dialog.set_field("name", "常州读回失败科技有限公司")
    dialog.set_field("county", "武进区")
    real_profile = profiles.profile

    def busy(_session, _enterprise_id):
        raise DatabaseBusy()

    monkeypatch.setattr(profiles, "profile", busy)
    assert not save_and_wait(dialog)
    assert dialog.message.text() == "未保存：" + BUSY_MESSAGE and dialog.enterprise_id is None
    assert _firms(database) == []
    monkeypatch.setattr(profiles, "profile", real_profile)
    assert save_and_wait(dialog)
    assert dialog.enterprise_id is not None and dialog.message.text() == ""
    with database.session() as session:
        assert session.query(Enterprise).count() == 1


def test_the_problem_rows_are_written_on_the_runner(qtbot, database, settings, runner,
                                                    tmp_path, monkeypatch, messages):
    import threading

    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.plan = object()  # the writer is stood in for: only the thread it runs on matters
    threads = []

    def write(_plan, _path, **_options):
        threads.append(threading.current_thread())
        return 3

    monkeypatch.setattr(jobs, "write_error_report", write)
    with qtbot.waitSignal(wizard.problems_saved, timeout=10_000) as saved:
        wizard.save_problems(str(tmp_path / "问题行.xlsx"))
        assert wizard._busy() and not wizard.cancel_task_button.isVisible()
    assert saved.args == [3] and threads and threads[0] is not threading.main_thread()
    assert messages[-1][0] == "info" and "3 行" in messages[-1][1]


def test_a_problem_file_that_cannot_be_written_is_told_in_chinese(qtbot, database, settings,
                                                                  runner, tmp_path,
                                                                  monkeypatch, messages):
    wizard = ImportWizard(database, settings, runner)
    qtbot.addWidget(wizard)
    wizard.plan = object()

    def locked(_plan, _path, **_options):  # Excel holds the file open
        raise FileCreateError(PermissionError(13, "Permission denied"))

    monkeypatch.setattr(jobs, "write_error_report", locked)
    saved = []
    wizard.problems_saved.connect(saved.append)
    task = wizard.save_problems(str(tmp_path / "问题行.xlsx"))
    with qtbot.waitSignal(task.finished, timeout=10_000):
        pass
    assert saved == [] and messages[-1][0] == "error"
    assert "无法保存到" in messages[-1][1] and "没有权限（文件是否正在 Excel 中打开？）" in messages[-1][1]
    assert "Permission denied" not in messages[-1][1]  # the system's English (#17)
    assert "意外错误" not in messages[-1][1] and not wizard._busy()


@pytest.mark.sqlite_only  # another program holding the SQLite file's lock
def test_a_write_refused_by_a_busy_database_can_be_retried_at_once(
        qtbot, impatient_database, settings, runner, monkeypatch, code):
    """The busy message offers 重试; chosen once the other program is done, the write lands."""
    from tiers.services import enterprises
    from ui.ask import RetryDialog

    with impatient_database.session() as session:
        enterprises.create(session, {"credit_code": code(2), "name": "常州重试有限公司",
                                     "county": "武进区"})
    view = RosterView(impatient_database, settings, runner=runner)
    qtbot.addWidget(view)
    view.show()
    view.table.selectRow(0)
    asked, done = [], []
    view.save_finished.connect(done.append)
    lock = held_by_another_program(impatient_database.path)
    lock.__enter__()

    def retry(cls, parent, title, text):
        asked.append(text)
        lock.__exit__(None, None, None)  # the other program has finished meanwhile
        return True

    monkeypatch.setattr(RetryDialog, "ask", classmethod(retry))
    view.delete_selected()
    qtbot.waitUntil(lambda: done == [False, True], timeout=10_000)
    assert asked == [BUSY_MESSAGE]
    assert _firms(impatient_database) == [] and view.isEnabled()


def test_the_excel_hint_goes_through_the_translation(qtbot, database, settings, runner,
                                                     tmp_path, monkeypatch, messages):
    """“（文件是否正在 Excel 中打开？）” was built outside tr(): no translation could reach it."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    class Marked(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):
            return "«已译»" if source == "（文件是否正在 Excel 中打开？）" else ""

        def isEmpty(self):
            return False

    translator = Marked()
    QCoreApplication.installTranslator(translator)
    try:
        wizard = ImportWizard(database, settings, runner)
        qtbot.addWidget(wizard)
        wizard.plan = object()

        def locked(_plan, _path, **_options):
            raise FileCreateError(PermissionError(13, "Permission denied"))

        monkeypatch.setattr(jobs, "write_error_report", locked)
        task = wizard.save_problems(str(tmp_path / "问题行.xlsx"))
        with qtbot.waitSignal(task.finished, timeout=10_000):
            pass
    finally:
        QCoreApplication.removeTranslator(translator)
    assert messages[-1][0] == "error" and "没有权限«已译»" in messages[-1][1]
