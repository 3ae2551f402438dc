"""导入记录 → 撤销 of a newer 数据包 asks with everything the undo will do, the records the
package deleted (put back) among them: the question left them out and the summary after
the undo named them, so the officer learnt only afterwards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from tiers.model.orm import Enterprise, Recognition
from tiers.services import recognitions
from ui.imports_view import ImportsView


def test_the_question_names_the_records_a_newer_package_deleted(
        qtbot, database, settings, runner, tmp_path, new_target, messages, monkeypatch, questions):
    county = county_database(new_target("county.sqlite3"), enterprises=40)
    try:
        def send(path, when):
            return imported(database, sent(county, path, WUJIN, when)).batch_id

        send(tmp_path / "wj1.zip", DAY)
        with county.session() as session:
            gone = session.scalars(select(Recognition.id).join(Enterprise).where(
                Enterprise.county_code == WUJIN).order_by(Recognition.id)).all()[:2]
            for recognition_id in gone:
                recognitions.delete(session, recognition_id)
        newer = send(tmp_path / "wj2.zip", DAY + dt.timedelta(days=1))
    finally:
        county.dispose()
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    view.select_batch(newer)
    view.undo_selected()
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _text in messages), timeout=15_000)
    # and the undo's end (it refreshes the list): after the test its database is gone
    qtbot.waitUntil(lambda: view.progress.isHidden(), timeout=15_000)
    assert questions and "放回被删除的记录 2 项" in questions[0], questions


def test_the_question_names_the_firm_coming_back_from_the_bin_and_nothing_runs_meanwhile(
        qtbot, database, settings, runner, tmp_path, new_target, messages, monkeypatch):
    """The question said “将还原字段 4 个” of a newer package that had binned a firm, and
    a wordless busy bar stood beside 查看企业 while it was asked (nothing was running)."""
    from tiers.services import enterprises
    from ui.ask import ConfirmDialog

    county = county_database(new_target("county.sqlite3"), enterprises=40)
    try:
        imported(database, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
        with county.session() as session:
            gone = session.scalars(select(Enterprise.id).where(
                Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
            enterprises.soft_delete(session, gone)
        newer = imported(database, sent(county, tmp_path / "wj2.zip",
                                        WUJIN, DAY + dt.timedelta(days=1))).batch_id
    finally:
        county.dispose()
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    asked: list[tuple[str, bool, bool]] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, *a, **k: asked.append(
            (text, view.progress.isHidden(), view.progress_label.isHidden())) or True))
    view.select_batch(newer)
    view.undo_selected()
    assert not view.progress.isHidden() and view.progress_label.text()  # said what it does
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _text in messages), timeout=15_000)
    qtbot.waitUntil(lambda: view.progress.isHidden(), timeout=15_000)
    text, bar_hidden, label_hidden = asked[0]
    assert "从回收站恢复企业 1 家" in text, text
    assert "还原字段" not in text, text  # the firm once, not also as its 回收站 field
    assert bar_hidden and label_hidden
    assert any("从回收站恢复企业 1 家" in message for _kind, message in messages), messages


def test_the_refusal_under_another_countys_conflict_is_the_cores(
        qtbot, database, settings, runner, tmp_path, new_target, messages, questions):
    """导入记录 → 撤销 of 武进's package that created a firm 新北's later package also sends
    (a conflict, undo29b): refused before asking, the core's message as it is, the firm
    still there."""
    from importers.undo import plan_undo
    from tests.tiers.exchange_helpers import moved_to_xinbei
    from tiers.progress import drain

    county = county_database(new_target("county.sqlite3"), enterprises=60)
    try:
        moved = moved_to_xinbei(county, database, tmp_path)  # 武进's: batch 1
        later = imported(database, moved.package).batch_id
    finally:
        county.dispose()
    with database.session() as session:
        core = str(drain(plan_undo(session, 1)).refusal())
    assert f"请先撤销批次 {later}，再撤销批次 1。" in core, core
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    view.select_batch(1)
    view.undo_selected()
    qtbot.waitUntil(lambda: bool(messages), timeout=15_000)
    qtbot.waitUntil(lambda: not view.undoing and view.reading.task is None, timeout=15_000)
    assert not questions  # refused before asking
    [(kind, text)] = messages
    assert (kind, text) == ("error", core)
    with database.session() as session:
        assert session.scalar(select(Enterprise.id).where(
            Enterprise.credit_code == moved.code)) is not None
