"""批量操作 → 数据核查…, the desktop face of tiers check --fix (review27 #9: only the command
line could correct the misdated 复核 records): the records are read off the GUI thread and
listed with what they should be; 全部更正 corrects them through the same core call, off the
GUI thread with progress and 取消, as one batch that 撤销上次批量操作 takes back; a viewer sees
the list with 全部更正 greyed; a cancel writes nothing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel
from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import ImportBatch, Recognition
from tiers.services import enterprises, recognitions
from tiers.services.review_check import BATCH_NAME
from tiers.storage.database import open_database
from ui.data_check import FindingsDialog
from ui.main_window import MainWindow


def _misdated(database, count: int = 2) -> list[int]:
    ids = []
    with database.session() as session:
        for number in range(count):
            firm = enterprises.create(session, {"credit_code": make_code(40 + number),
                                                "name": f"常州核查{number}有限公司",
                                                "county": "武进区"})
            ids.append(recognitions.add(session, firm.id, {
                "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
                "is_review": True, "review_of_batch": "第二批"}).id)
    return ids


def _years(database, ids) -> list[tuple[int, dt.date]]:
    with database.session() as session:
        return [session.execute(select(Recognition.batch_year, Recognition.valid_until)
                                .where(Recognition.id == i)).one() for i in ids]


def _window(qtbot, database, settings, runner):
    window = MainWindow(database, settings, runner)
    qtbot.addWidget(window)
    window.show()
    return window


def _listed(monkeypatch, answer: bool) -> list[tuple]:
    """What the list showed (built as the officer sees it); ``answer``: 全部更正 or not."""
    shown: list[tuple] = []

    def ask(cls, parent, found, refusal, open_firm=None):
        dialog = FindingsDialog(found, refusal, parent)
        fix = dialog.buttons.button(QDialogButtonBox.Ok)
        shown.append(([(dialog.table.item(row, 4).text(), dialog.table.item(row, 5).text())
                       for row in range(dialog.table.rowCount())],
                      fix.isEnabled(), fix.toolTip()))
        dialog.deleteLater()
        return answer

    monkeypatch.setattr(FindingsDialog, "ask", classmethod(ask))
    return shown


def test_the_menu_lists_them_corrects_them_as_one_batch_and_undo_takes_it_back(
        qtbot, database, settings, runner, monkeypatch, messages):
    ids = _misdated(database)
    shown = _listed(monkeypatch, True)
    window = _window(qtbot, database, settings, runner)
    assert "数据核查" in window.data_check_action.text()
    window.data_check_action.trigger()
    qtbot.waitUntil(lambda: _years(database, ids) == [(2023, dt.date(2026, 12, 31))] * 2,
                    timeout=10_000)
    qtbot.waitUntil(lambda: window.data_check.task.done.is_set(), timeout=10_000)
    assert shown == [([("记为 2020 年、有效期至 2023-12-31", "应为 2023 年、有效期至 2026-12-31")] * 2,
                      True, "")]
    qtbot.waitUntil(lambda: "已更正 2 条复核记录" in window.statusBar().currentMessage())
    assert any(kind == "info" and "已更正 2 条复核记录" in text for kind, text in messages)
    with database.session() as session:
        batches = session.scalars(select(ImportBatch.file_name)).all()
    assert batches == [BATCH_NAME]
    task = window.bulk.undo_last()  # 撤销上次批量操作: the correction, whole
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: _years(database, ids) == [(2020, dt.date(2023, 12, 31))] * 2,
                    timeout=10_000)


def test_nothing_found_is_said_and_closing_the_list_changes_nothing(
        qtbot, database, settings, runner, monkeypatch, messages):
    window = _window(qtbot, database, settings, runner)
    task = window.data_check.start()
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: any("未发现疑似记错的记录" in text for _, text in messages))
    ids = _misdated(database, 1)
    shown = _listed(monkeypatch, False)
    task = window.data_check.start()
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: bool(shown))
    assert window.data_check.task is task  # nothing submitted after 关闭
    assert _years(database, ids) == [(2020, dt.date(2023, 12, 31))]


def test_a_viewer_sees_the_list_with_the_correction_greyed(qtbot, database, settings, runner,
                                                           monkeypatch):
    from tiers.storage.write_rights import WriteRights

    ids = _misdated(database, 1)
    viewer = WriteRights(may_write=False, role="viewer")
    monkeypatch.setattr(database, "rights", viewer)
    shown = _listed(monkeypatch, False)
    window = _window(qtbot, database, settings, runner)
    task = window.data_check.start()
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: bool(shown))
    [(_rows, enabled, why)] = shown
    assert not enabled and why == viewer.refusal() and why
    assert _years(database, ids) == [(2020, dt.date(2023, 12, 31))]


def test_cancel_writes_nothing(qtbot, database, settings, runner, monkeypatch):
    """取消 while it corrects: the transaction is undone, no batch is left."""
    from tiers.services import review_check

    ids = _misdated(database, 3)
    monkeypatch.setattr(review_check, "PROGRESS_EVERY", 1)
    real = review_check.recognitions.correct_misdated_review
    window = _window(qtbot, database, settings, runner)

    def slow(session, recognition_id, **kwargs):
        if recognition_id == ids[1]:
            window.data_check.task.cancel()  # as 取消 does, between two records
        return real(session, recognition_id, **kwargs)

    monkeypatch.setattr(review_check.recognitions, "correct_misdated_review", slow)
    _listed(monkeypatch, True)
    window.data_check.start()
    qtbot.waitUntil(lambda: window.data_check.task is not None
                    and window.data_check.task.was_cancelled, timeout=10_000)
    qtbot.waitUntil(lambda: "已取消" in window.statusBar().currentMessage())
    assert window.data_check.progress is None
    assert _years(database, ids) == [(2020, dt.date(2023, 12, 31))] * 3
    with database.session() as session:
        assert session.scalars(select(ImportBatch.id)).all() == []


def test_the_correction_is_of_the_records_listed_in_the_database_listed(
        qtbot, database, settings, runner, monkeypatch, messages, new_target):
    """全部更正 corrects what the list showed, of the database it was read from (review27b
    #9): a record a colleague's import misdated while the list was open is left for the
    next 数据核查 (the result said 3 where the list said 2), and a database the window
    switched to meanwhile is not touched."""
    ids = _misdated(database)
    window = _window(qtbot, database, settings, runner)
    other = open_database(new_target("other.sqlite3"))
    other_ids = _misdated(other, 1)
    late: list[int] = []

    def ask(cls, parent, found, refusal, open_firm=None):
        assert sorted(item.record.recognition_id for item in found) == sorted(ids)
        with database.session() as session:  # a colleague's write while the list is open
            firm = enterprises.create(session, {"credit_code": make_code(60),
                                                "name": "常州核查迟到有限公司",
                                                "county": "武进区"})
            late.append(recognitions.add(session, firm.id, {
                "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
                "is_review": True, "review_of_batch": "第二批"}).id)
        window.data_check.database = lambda: other  # the window moved to another database
        return True

    monkeypatch.setattr(FindingsDialog, "ask", classmethod(ask))
    try:
        window.data_check.start()
        qtbot.waitUntil(lambda: bool(late) and window.data_check.task.done.is_set()
                        and "已更正" in window.statusBar().currentMessage(), timeout=10_000)
        assert "已更正 2 条复核记录" in window.statusBar().currentMessage()
        assert _years(database, ids) == [(2023, dt.date(2026, 12, 31))] * 2
        assert _years(database, late) == [(2020, dt.date(2023, 12, 31))]
        assert _years(other, other_ids) == [(2020, dt.date(2023, 12, 31))]
    finally:
        other.dispose()


def test_firms_with_a_code_no_longer_valid_are_listed_and_opened_to_be_corrected(
        qtbot, database, settings, runner, monkeypatch):
    """Both kinds in one list (check29): a firm kept under a code the stricter check
    refuses is listed with why and 在企业档案中改正信用代码; 全部更正 corrects the 复核
    records only; a double click on the firm's row closes the list and opens its window."""
    from tests.tiers.test_data_check_findings import BAD, FIX, firms_with_a_bad_code

    bad, good = firms_with_a_bad_code(database)
    shown: list[tuple] = []

    def ask(cls, parent, found, refusal, open_firm=None):
        dialog = FindingsDialog(found, refusal, parent)
        rows = [tuple(dialog.table.item(row, column).text() for column in (0, 1, 3, 5))
                for row in range(dialog.table.rowCount())]
        fix = dialog.buttons.button(QDialogButtonBox.Ok)
        summary = dialog.findChild(QLabel).text()
        shown.append((rows, fix.isEnabled(), summary, dialog.table.item(1, 4).text()))
        dialog.table.cellDoubleClicked.emit(1, 0)  # the firm with the code
        assert dialog.chosen == bad and dialog.result() == QDialog.Rejected
        open_firm(dialog.chosen)
        dialog.deleteLater()
        return False

    monkeypatch.setattr(FindingsDialog, "ask", classmethod(ask))
    window = _window(qtbot, database, settings, runner)
    task = window.data_check.start()
    qtbot.waitUntil(task.done.is_set, timeout=10_000)
    qtbot.waitUntil(lambda: bool(shown))
    [(rows, enabled, summary, why)] = shown
    assert rows == [("好码有限公司", make_code(2), "小巨人 第二批（复核）",
                     "应为 2023 年、有效期至 2026-12-31"),
                    ("坏码有限公司", BAD, "统一社会信用代码", FIX)]
    assert enabled and "第2位" in why
    assert "复核记录年度疑似记错 1 条" in summary and "统一社会信用代码不合规 1 条" in summary
    assert "统一社会信用代码不合规 1 条" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bad in window.enterprise_dialogs, timeout=10_000)
    assert window.enterprise_dialogs[bad].isVisible()
    window.enterprise_dialogs[bad].close()


def test_only_codes_found_offers_no_correction(qtbot, database, settings, runner):
    """Nothing listed that 全部更正 could correct: no such button, only 关闭."""
    from tests.tiers.test_data_check_findings import BAD, stored_under
    from tiers.queries.data_check import findings

    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(70), "name": "坏码有限公司"}).id
    stored_under(database, firm, BAD)
    with database.session() as session:
        found = findings(session)
    dialog = FindingsDialog(found, "")
    qtbot.addWidget(dialog)
    fix = dialog.buttons.button(QDialogButtonBox.Ok)
    assert not fix.isVisibleTo(dialog) and not fix.isEnabled()
    assert dialog.table.rowCount() == 1 and "双击" in dialog.findChild(QLabel).text()


def test_enter_on_the_current_row_opens_its_firm_as_a_double_click_does(qtbot, database):
    """Keyboard users (fixt29b #2): Enter, and the keypad's Enter, on the current row close
    the list with that firm chosen, as a double click does; it is not 全部更正."""
    from PySide6.QtCore import Qt

    from tests.tiers.test_data_check_findings import firms_with_a_bad_code
    from tiers.queries.data_check import findings

    bad, _good = firms_with_a_bad_code(database)
    with database.session() as session:
        found = findings(session)
    assert found[1].enterprise_id == bad
    for key in (Qt.Key_Return, Qt.Key_Enter):
        dialog = FindingsDialog(found, "")
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.table.setFocus()
        dialog.table.setCurrentCell(1, 2)
        qtbot.keyClick(dialog.table, key)
        assert dialog.chosen == found[1].enterprise_id, key
        assert dialog.result() == QDialog.Rejected and not dialog.isVisible()
