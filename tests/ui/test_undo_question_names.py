"""导入记录 → 撤销这次导入 asked “撤销导入批次 6（名录.xlsx）？将删除 企业 5 家” or “将还原字段
3 个” and named no firm nor field: the officer could not tell an old batch from another
before saying yes. It names the first few now, with 等 N 家 when there are more. And the
refusal under a newer 数据包 said the same twice: one sentence names the batch to undo
first."""

from __future__ import annotations

import datetime as dt

from tests.importers.helpers import import_file, write_xlsx
from tests.tiers.exchange_helpers import DAY, WUJIN, county_database, imported, sent
from ui.ask import ConfirmDialog
from ui.imports_view import ImportsView


def _asked(qtbot, view, batch_id, questions) -> str:
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    view.select_batch(batch_id)
    view.undo_selected()
    qtbot.waitUntil(lambda: bool(questions), timeout=15_000)
    qtbot.waitUntil(lambda: not view.undoing, timeout=15_000)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    return questions[0]


def _question(qtbot, database, settings, runner, monkeypatch, batch_id) -> str:
    """The question 撤销这次导入 asks of the batch (answered 否: nothing undone)."""
    questions: list[str] = []
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(
        lambda cls, parent, title, text, *a, **k: questions.append(text) or False))
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    return _asked(qtbot, view, batch_id, questions)


def test_the_question_names_the_firms_it_removes(qtbot, database, settings, runner, tmp_path,
                                                 code, monkeypatch):
    rows = [["武进区重点企业名录"], ["序号", "企业名称", "统一社会信用代码", "县区"],
            *[[n, f"常州名单{n}号科技有限公司", code(700 + n), "武进区"] for n in range(1, 6)]]
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名录.xlsx", {"武进区": rows}))
    question = _question(qtbot, database, settings, runner, monkeypatch, batch_id)
    assert "将删除 企业 5 家" in question, question
    assert question.splitlines()[-1] == ("涉及企业：常州名单1号科技有限公司、常州名单2号科技有限公司、"
                                         "常州名单3号科技有限公司 等 5 家"), question


def test_the_question_names_the_fields_it_puts_back(qtbot, database, settings, runner, tmp_path,
                                                    code, monkeypatch):
    header = ["序号", "企业名称", "统一社会信用代码", "县区", "联系电话", "地址"]
    first = [["名录"], header, [1, "常州字段1号科技有限公司", code(711), "武进区", "0519-1111", "湖塘镇1号"]]
    again = [["名录"], header, [1, "常州字段1号科技有限公司", code(711), "武进区", "0519-2222", "湖塘镇2号"]]
    import_file(database, write_xlsx(tmp_path / "名录一.xlsx", {"武进区": first}))
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名录二.xlsx", {"武进区": again}),
                                  fill_blanks_only=False)
    question = _question(qtbot, database, settings, runner, monkeypatch, batch_id)
    # in words (tester28a #1: 还原的字段：认定的公示中 said a label, not what happens)
    said = question.splitlines()[1]
    assert said.startswith("将 1 家企业的") and said.endswith("改回导入前的值。"), question
    assert sorted(said[8:-8].split("、")) == ["地址", "联系电话"], question
    assert question.splitlines()[-1] == "涉及企业：常州字段1号科技有限公司", question
    assert "还原的字段" not in question, question


def test_the_question_says_a_final_list_s_titles_go_back_to_pending(
        qtbot, database, settings, runner, tmp_path, code, monkeypatch):
    """shots/32_undo_confirm.png of tester28a: 还原的字段：认定的公示中."""
    header = ["序号", "企业名称", "统一社会信用代码"]
    firms = [[n, f"常州终名{n}号有限公司", code(760 + n)] for n in range(1, 4)]
    import_file(database, write_xlsx(tmp_path / "公示.xlsx", {"附件1": [
        ["2026年度江苏省专精特新中小企业拟认定名单公示"], header, *firms]}))
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名单.xlsx", {"名单": [
        ["2026年度江苏省专精特新中小企业名单"], header, *firms]}))
    question = _question(qtbot, database, settings, runner, monkeypatch, batch_id)
    assert question.splitlines()[1] == "将 3 项省专精特新认定由已认定改回公示中。", question
    assert "还原的字段" not in question and "还原字段" not in question, question


def test_the_question_names_the_firms_whose_former_names_it_removes(
        qtbot, database, settings, runner, tmp_path, code, monkeypatch):
    """A roster whose only news is a 曾用名 column: the undo removes those former names,
    and the question named no firm (涉及企业 left out)."""
    header = ["序号", "企业名称", "统一社会信用代码", "县区"]
    first = [["名录"], header, *[[n, f"常州曾名{n}号科技有限公司", code(730 + n), "武进区"]
                                 for n in range(1, 3)]]
    again = [["名录"], [*header, "曾用名"], *[[n, f"常州曾名{n}号科技有限公司", code(730 + n), "武进区",
                                              f"常州旧名{n}号厂"] for n in range(1, 3)]]
    import_file(database, write_xlsx(tmp_path / "名录一.xlsx", {"武进区": first}))
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名录二.xlsx", {"武进区": again}))
    question = _question(qtbot, database, settings, runner, monkeypatch, batch_id)
    assert "将删除 曾用名 2 个" in question, question
    assert question.splitlines()[-1] == "涉及企业：常州曾名1号科技有限公司、常州曾名2号科技有限公司", question


def test_the_refusal_under_a_newer_package_names_it_once(qtbot, database, settings, runner,
                                                         tmp_path, new_target, messages,
                                                         questions, monkeypatch):
    county = county_database(new_target("county.sqlite3"), enterprises=10)
    try:
        first = imported(database, sent(county, tmp_path / "wj1.zip", WUJIN, DAY)).batch_id
        newer = imported(database, sent(county, tmp_path / "wj2.zip", WUJIN,
                                        DAY + dt.timedelta(days=1))).batch_id
    finally:
        county.dispose()
    from ui.ask import MessageDialog

    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    busy_meanwhile = []
    told = MessageDialog.error.__func__
    monkeypatch.setattr(MessageDialog, "error", classmethod(
        lambda cls, parent, title, text: (busy_meanwhile.append(not view.progress.isHidden()),
                                          told(cls, parent, title, text))))
    view.select_batch(first)
    view.undo_selected()
    qtbot.waitUntil(lambda: bool(messages), timeout=15_000)
    # nothing runs while the refusal is read: no 正在统计撤销内容…… and busy bar beside it
    assert busy_meanwhile == [False]
    qtbot.waitUntil(lambda: not view.undoing and view.reading.task is None, timeout=15_000)
    assert not questions  # refused before asking
    [(kind, text)] = messages
    assert kind == "error"
    assert text.startswith(f"不能撤销导入批次 {first}：武进区之后又报送了数据包（批次 {newer}，"), text
    assert f"请先撤销批次 {newer}，再撤销批次 {first}。" in text
    assert "\n" not in text and text.count("之后又") == 1, text
