"""批量操作 → 数据核查…, the desktop face of tiers check --fix (review27 #9: only the command
line could correct the misdated 复核 records): the records are read off the GUI thread and
listed with what they should be; 全部更正 corrects them through the same core call, off the
GUI thread with progress and 取消, as one batch that 撤销上次批量操作 takes back; a viewer sees
the list with 全部更正 greyed; a cancel writes nothing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from tests.conftest import make_code
from tiers.model.orm import ImportBatch, Recognition
from tiers.services import enterprises, recognitions
from tiers.services.review_check import BATCH_NAME
from tiers.storage.database import open_database
from ui.data_check import MisdatedReviewsDialog
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

    def ask(cls, parent, found, refusal):
        dialog = MisdatedReviewsDialog(found, refusal, parent)
        fix = dialog.buttons.button(QDialogButtonBox.Ok)
        shown.append(([(dialog.table.item(row, 4).text(), dialog.table.item(row, 5).text())
                       for row in range(dialog.table.rowCount())],
                      fix.isEnabled(), fix.toolTip()))
        dialog.deleteLater()
        return answer

    monkeypatch.setattr(MisdatedReviewsDialog, "ask", classmethod(ask))
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
    assert shown == [([("2020 年、有效期至 2023-12-31", "2023 年、有效期至 2026-12-31")] * 2,
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

    def ask(cls, parent, found, refusal):
        assert sorted(item.recognition_id for item in found) == sorted(ids)
        with database.session() as session:  # a colleague's write while the list is open
            firm = enterprises.create(session, {"credit_code": make_code(60),
                                                "name": "常州核查迟到有限公司",
                                                "county": "武进区"})
            late.append(recognitions.add(session, firm.id, {
                "tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
                "is_review": True, "review_of_batch": "第二批"}).id)
        window.data_check.database = lambda: other  # the window moved to another database
        return True

    monkeypatch.setattr(MisdatedReviewsDialog, "ask", classmethod(ask))
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
