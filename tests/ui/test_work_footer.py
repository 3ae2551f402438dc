"""The foot every background dialog shares (ui/work_footer.py): the job's progress and
stage, 取消 while it runs, the dialog's buttons greyed out until it ends, what happened said
on the status line, and the job cancelled when the dialog closes."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QDialog, QPushButton

from tiers.errors import InvalidInput
from tiers.progress import Progress
from ui.work_footer import WorkFooter


def footer_of(qtbot, runner):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    action = QPushButton("导出")
    footer = WorkFooter(dialog, runner, "导出", [action], cancel_text="取消导出")
    dialog.show()
    return dialog, footer, action


def test_a_job_shows_its_progress_and_gives_the_buttons_back(qtbot, runner):
    dialog, footer, action = footer_of(qtbot, runner)
    release, done = threading.Event(), []

    def job(_task):
        yield Progress("正在写第 1 张表", 1, 4)
        release.wait(10)
        return "好了"

    footer.run(job, done.append, busy_text="正在导出……", disable=[action])
    assert not action.isEnabled() and footer.cancel_button.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: footer.status.text() == "正在写第 1 张表", timeout=10_000)
    assert footer.progress.maximum() == 4 and footer.progress.value() == 1
    with qtbot.waitSignal(footer.finished, timeout=10_000):
        release.set()
    assert done == ["好了"] and action.isEnabled()
    assert not footer.progress.isVisibleTo(dialog) and not footer.cancel_button.isVisibleTo(dialog)


def test_a_refusal_is_said_after_its_prefix(qtbot, runner):
    _dialog, footer, action = footer_of(qtbot, runner)

    def job(_task):
        raise InvalidInput("第 3 行没有企业名称")

    with qtbot.waitSignal(footer.finished, timeout=10_000):
        footer.run(job, lambda _: None, busy_text="正在导出……", disable=[action],
                   failure_prefix="导出失败：")
    assert footer.status.text() == "导出失败：第 3 行没有企业名称" and action.isEnabled()


def test_cancel_and_closing_the_dialog_stop_the_job(qtbot, runner):
    dialog, footer, action = footer_of(qtbot, runner)
    started = threading.Event()

    def job(_task):
        started.set()
        while True:
            yield Progress("正在导出", 0, 0)
            threading.Event().wait(0.01)

    footer.run(job, lambda _: None, busy_text="正在导出……", disable=[action])
    qtbot.waitUntil(started.is_set, timeout=10_000)
    assert footer.running()
    with qtbot.waitSignal(footer.finished, timeout=10_000):
        footer.cancel_button.click()
    assert footer.status.text() == "已取消，没有生成文件。" and action.isEnabled()
    footer.run(job, lambda _: None, busy_text="正在导出……", disable=[action])
    with qtbot.waitSignal(footer.finished, timeout=10_000):
        dialog.close()
    assert not footer.running()


def test_the_file_to_write_is_chosen_and_replaced_only_when_the_officer_agrees(
        qtbot, runner, tmp_path, monkeypatch):
    from ui.ask import ConfirmDialog

    _dialog, footer, _action = footer_of(qtbot, runner)
    assert footer.target("  ") is None and footer.status.text() == "请选择保存位置"
    there = tmp_path / "名单.xlsx"
    there.write_bytes(b"old")
    asked = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, **k: asked.append(text) or False))
    assert footer.target(f" {there} ") is None and "已存在，覆盖它吗" in asked[0]
    assert footer.target(str(there), ask_to_replace=False) == str(there) and len(asked) == 1
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    assert footer.target(str(there)) == str(there)
    assert footer.target(str(tmp_path / "新.xlsx")) == str(tmp_path / "新.xlsx")
