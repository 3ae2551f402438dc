"""Undoing a 公示 list's import keeps the recognitions edited by hand since (as every undo
does), but they stay 公示中 for a list that is gone, so their firms still count as 已在公示中:
the undo's result says which, and what to do — in the core's words, printed by the CLI and
shown by the client's undo message (tester23 finding 4)."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import make_code
from tests.importers.helpers import add_enterprise, import_file, undo
from tiers.model.orm import Recognition
from tiers.services import recognitions
from ui.cli.main import main
from ui.import_wizard.summary import undo_summary


def _publicity_list(database, tmp_path) -> tuple[int, list[int]]:
    firms = [add_enterprise(database, f"常州公示{i}科技有限公司", 300 + i) for i in range(3)]
    path = tmp_path / "2026年度省级专精特新中小企业公示名单.csv"
    rows = "".join(f"{i + 1},常州公示{i}科技有限公司,{make_code(300 + i)}\n" for i in range(3))
    path.write_bytes(("2026年度江苏省专精特新中小企业拟认定名单公示\n"
                      "序号,企业名称,统一社会信用代码\n" + rows).encode("gbk"))
    _, batch_id = import_file(database, path)
    with database.session() as session:
        pending = list(session.scalars(select(Recognition).where(Recognition.is_pending)
                                       .order_by(Recognition.id)))
        assert [r.enterprise_id for r in pending] == firms
        recognitions.edit(session, pending[0].id, {"note": "已电话核实"})  # by hand
    return batch_id, firms


def test_the_undo_names_the_kept_records_still_pending(database, tmp_path):
    batch_id, firms = _publicity_list(database, tmp_path)
    result = undo(database, batch_id)
    assert result.still_pending == ["企业“常州公示0科技有限公司”的省级专精特新中小企业认定（2026年度）"]
    assert result.still_pending_text.startswith(
        "1 条公示中的认定因导入后被修改而保留，仍为公示中")
    assert "如不需要，请在企业档案的“梯度认定”中选中该条后点“删除”" in result.still_pending_text
    with database.session() as session:  # kept as it was: the officer decides
        (kept,) = session.scalars(select(Recognition)).all()
        assert (kept.enterprise_id, kept.is_pending) == (firms[0], True)
    assert result.still_pending_text in undo_summary(result)  # the client's message


def test_the_cli_prints_it(database, db_target, tmp_path, capsys):
    batch_id, _ = _publicity_list(database, tmp_path)
    assert main(["--db", str(db_target), "undo-import", str(batch_id)]) == 0
    out = capsys.readouterr().out
    assert "1 条公示中的认定因导入后被修改而保留，仍为公示中" in out
    assert "常州公示0科技有限公司" in out.split("仍为公示中")[1]


def test_nothing_said_when_no_pending_record_is_kept(database, tmp_path):
    batch_id, _ = _publicity_list(database, tmp_path)
    with database.session() as session:  # the edited one was confirmed since
        (edited,) = [r for r in session.scalars(select(Recognition)) if r.note]
        recognitions.confirm(session, edited.id)
    result = undo(database, batch_id)
    assert (result.still_pending, result.still_pending_text) == ([], "")
    assert "公示中" not in undo_summary(result)
