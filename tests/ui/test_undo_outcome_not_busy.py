"""导入记录 → 撤销这次导入: the box telling how the undo ended (已撤销…, or 不能撤销 when a
later import landed between the question and the undo) opened beside 正在撤销…… and its
busy bar, as if something still ran while the officer read it."""

from __future__ import annotations

from tests.importers.helpers import import_file, write_xlsx
from ui.ask import ConfirmDialog, MessageDialog
from ui.imports_view import ImportsView

HEADER = ["序号", "企业名称", "统一社会信用代码", "县区", "联系电话"]


def _undo_and_watch(qtbot, database, settings, runner, monkeypatch, batch_id, kind):
    """Undo the batch (answering 是) and note whether the busy line shows as the ``kind``
    box ("info" or "error") opens."""
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    view.show()
    seen: list[tuple[bool, bool, str]] = []
    monkeypatch.setattr(MessageDialog, kind, classmethod(
        lambda cls, parent, title, text: seen.append(
            (not view.progress_label.isHidden(), not view.progress.isHidden(), text))))
    qtbot.waitUntil(lambda: view.reading.task is None, timeout=10_000)
    view.select_batch(batch_id)
    view.undo_selected()
    qtbot.waitUntil(lambda: bool(seen), timeout=15_000)
    qtbot.waitUntil(lambda: not view.undoing and view.reading.task is None, timeout=15_000)
    return seen


def test_no_busy_line_beside_the_undone_box(qtbot, database, settings, runner, tmp_path, code,
                                            monkeypatch):
    rows = [["名录"], HEADER, *[[n, f"常州完成{n}号科技有限公司", code(940 + n), "武进区", ""]
                                for n in range(1, 3)]]
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名录.xlsx", {"武进区": rows}))
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(lambda cls, *a, **k: True))
    seen = _undo_and_watch(qtbot, database, settings, runner, monkeypatch, batch_id, "info")
    [(label, bar, text)] = seen
    assert text.startswith(f"已撤销导入批次 {batch_id}"), text
    assert (label, bar) == (False, False)


def test_no_busy_line_beside_a_refusal_at_undo_time(qtbot, database, settings, runner, tmp_path,
                                                    code, monkeypatch):
    """Another import lands while the question is open: the undo itself is refused."""
    rows = [["名录"], HEADER, [1, "常州迟到科技有限公司", code(951), "武进区", "0519-1111"]]
    _plan, batch_id = import_file(database, write_xlsx(tmp_path / "名录.xlsx", {"武进区": rows}))
    later = [["名录"], HEADER, [1, "常州迟到科技有限公司", code(951), "武进区", "0519-2222"]]

    def meanwhile(cls, *_a, **_k) -> bool:
        import_file(database, write_xlsx(tmp_path / "名录二.xlsx", {"武进区": later}),
                    fill_blanks_only=False)
        return True

    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(meanwhile))
    seen = _undo_and_watch(qtbot, database, settings, runner, monkeypatch, batch_id, "error")
    [(label, bar, text)] = seen
    assert text.startswith(f"不能撤销导入批次 {batch_id}"), text
    assert (label, bar) == (False, False)
