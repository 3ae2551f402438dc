"""Undoing a batch that moved firms to the 回收站: 导入记录's question (and the summary after,
and the command line) counted the 回收站 field among the 还原字段 as well as saying 从回收站恢复
企业 N 家, so each firm was told twice (“将还原字段 2 个；从回收站恢复企业 2 家” of two firms).
The firms are said once, in their own words; only other fields are 还原字段."""

from __future__ import annotations

from importers.undo.plan import plan_undo
from tiers.progress import drain
from tiers.services import bulk
from ui.imports_view import ImportsView


def _binned(database, enterprise_factory, session, count: int = 2) -> int:
    firms = [enterprise_factory(f"常州回收{i}号有限公司").id for i in range(count)]
    session.commit()
    with database.session() as writing:
        batch = bulk.apply(writing, "trash", firms, {}, user="张三").batch_id
        writing.commit()
    return batch


def test_the_plan_counts_the_firms_out_of_the_bin_not_as_fields(database, enterprise_factory,
                                                                session):
    batch = _binned(database, enterprise_factory, session)
    with database.session() as reading:
        plan = drain(plan_undo(reading, batch))
    assert plan.refusal() is None  # still something to undo
    result = plan.result()
    assert (result.unbinned, result.restored) == (2, 0)


def test_the_question_and_the_summary_say_the_firms_once(qtbot, database, settings, runner,
                                                        enterprise_factory, session, messages,
                                                        questions):
    batch = _binned(database, enterprise_factory, session)
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)  # read on the runner
    view.select_batch(batch)
    view.undo_selected()
    qtbot.waitUntil(lambda: any(kind == "info" for kind, _text in messages), timeout=15_000)
    qtbot.waitUntil(lambda: view.progress.isHidden(), timeout=15_000)
    assert questions and "将从回收站恢复企业 2 家。" in questions[0], questions
    assert "还原字段" not in questions[0], questions
    summary = next(text for kind, text in messages if kind == "info")
    assert "从回收站恢复企业 2 家" in summary and "还原字段" not in summary, summary
