"""Who crossed the officer's save: the conflict dialog said 另一位用户 even when a
colleague's import batch had changed the firm; it names the account and, for an import,
the batch, from the change log (tiers.queries.history.changed_by_since). 导入记录's 状态
says who undid a batch, not only when (tester22)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from importers import apply_plan, build_plan, detect, drain, open_source, undo_batch
from tests.importers.helpers import write_xlsx
from tiers.services import enterprises
from tiers.services.profile import ProfileConflict, load, save_profile
from ui.conflict_dialog import ConflictDialog
from ui.imports_view import ImportsView


def _firm(database, code) -> int:
    with database.session() as session:
        return enterprises.create(session, {"credit_code": code(1), "name": "常州甲有限公司",
                                            "county": "武进区", "address": "湖塘路1号"}).id


def import_file(database, path, *, kind: str, user: str) -> tuple[None, int]:
    """The file imported by ``user`` (a colleague's batch); (None, its batch id)."""
    detection = detect(open_source(path)).with_options(kind=kind)
    with database.session() as session:
        plan = drain(build_plan(session, detection))
        return None, drain(apply_plan(session, plan, user=user)).batch_id


def _roster(tmp_path, code, address: str):
    return write_xlsx(tmp_path / f"{address}.xlsx", {"企业名录": [
        ["企业名称", "统一社会信用代码", "地址"], ["常州甲有限公司", code(1), address]]})


def test_the_conflict_names_the_colleague_and_the_import_batch(database, tmp_path, code):
    firm = _firm(database, code)
    with database.session() as session:
        base = load(session, firm)
    _plan, batch_id = import_file(database, _roster(tmp_path, code, "湖塘路8号"),
                                  kind="roster", user="wujin02")
    with database.session() as session:
        try:
            save_profile(session, firm, {"address": "湖塘路9号"}, base=base, user="wujin01")
        except ProfileConflict as conflict:
            refused = conflict
    assert refused.by == (f"wujin02（导入批次 {batch_id}）",)
    assert str(refused).startswith(f"保存前，wujin02（导入批次 {batch_id}）已修改了这家企业")
    with database.session() as session:  # a plain save: the account alone
        base = load(session, firm)
        enterprises.update(session, firm, {"address": "湖塘路10号"}, user="zhangsan")
    with database.session() as session:
        try:
            save_profile(session, firm, {"address": "湖塘路11号"}, base=base, user="wujin01")
        except ProfileConflict as conflict:
            refused = conflict
    assert refused.by == ("zhangsan",)


def test_the_window_passes_who_to_the_dialog_which_says_it(
        qtbot, firm_window, database, settings, runner, tmp_path, code, save_and_wait, monkeypatch):
    firm = _firm(database, code)
    window = firm_window(firm)
    _plan, batch_id = import_file(database, _roster(tmp_path, code, "湖塘路8号"),
                                  kind="roster", user="wujin02")
    asked = []
    monkeypatch.setattr(ConflictDialog, "ask", classmethod(
        lambda cls, parent, conflicts, **kw: asked.append(kw["by"])))
    window.set_field("address", "湖塘路9号")
    assert save_and_wait(window) is False  # 返回编辑
    assert asked == [(f"wujin02（导入批次 {batch_id}）",)]
    dialog = ConflictDialog([], firm="常州甲有限公司", by=asked[0])
    qtbot.addWidget(dialog)
    intro = dialog.layout().itemAt(0).widget().text()
    assert intro.startswith(f"您打开这家企业后，wujin02（导入批次 {batch_id}）保存了修改。")
    plain = ConflictDialog([], firm="甲")
    qtbot.addWidget(plain)
    assert plain.layout().itemAt(0).widget().text().startswith("您打开这家企业后，另一位用户保存了修改。")


def test_the_imports_page_says_who_undid_a_batch(qtbot, database, settings, runner, tmp_path,
                                                 code):
    _firm(database, code)
    _plan, batch_id = import_file(database, _roster(tmp_path, code, "湖塘路8号"),
                                  kind="roster", user="wujin02")
    with database.session() as session:
        drain(undo_batch(session, batch_id, user="zhangsan"))
    view = ImportsView(database, settings, runner)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.reading.task is None and view.model.rowCount() == 1,
                    timeout=10_000)
    column = [c.key for c in view.model.columns].index("undone_at")
    text = view.model.data(view.model.index(0, column), Qt.ToolTipRole)  # (the cell: 已撤销)
    assert text.startswith("已撤销 ") and text.endswith("（zhangsan）")
