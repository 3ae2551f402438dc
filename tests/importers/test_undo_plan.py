"""The undo plan: built and previewed without writing, then applied in one pass; an undo of
a batch that does not exist says so as a NotFound."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from importers.undo import BatchNotFound, UndoRefused, apply_undo, plan_undo, undo_batch
from importers.undo.plan import _kept_renames
from tests.conftest import make_code
from tests.importers.helpers import import_file, table_counts, write_xlsx
from tiers.errors import Kind, NotFound
from tiers.progress import drain
from tiers.services import enterprises

FIRMS = [("常州甲科技有限公司", 21), ("常州乙机械有限公司", 22)]


def _roster(tmp_path, name="名录.xlsx", phone="0519-1"):
    return write_xlsx(tmp_path / name, {"名录": [
        ["企业名称", "统一社会信用代码", "联系电话"],
        *[[firm, make_code(serial), f"{phone}{serial}"] for firm, serial in FIRMS]]})


def test_a_preview_writes_nothing_and_applying_it_undoes_the_batch(database, tmp_path):
    before = table_counts(database)
    _, batch = import_file(database, _roster(tmp_path), kind="roster")
    imported = table_counts(database)
    with database.session() as session:
        plan = drain(plan_undo(session, batch, user="预览"))
        assert plan.refusal() is None
        assert len(plan.enterprises) == 2 and plan.kept == [] and plan.blocked == []
        assert plan.result().removed["enterprise"] == 2
        session.rollback()
    assert table_counts(database) == imported  # the preview wrote nothing
    with database.session() as session:
        plan = drain(plan_undo(session, batch, user="测试"))
        apply_undo(session, plan)
    counts = table_counts(database)
    assert counts["enterprise"] == before["enterprise"]
    assert counts["change"] == imported["change"] + 2  # the undo's own log: two deletions


def test_a_preview_names_what_would_be_kept_and_why_an_undo_is_refused(database, tmp_path):
    _, first = import_file(database, _roster(tmp_path), kind="roster")
    _, second = import_file(database, _roster(tmp_path, "b.xlsx", phone="0519-9"),
                            kind="roster")
    with database.session() as session:
        plan = drain(plan_undo(session, first))
        refusal = plan.refusal()
        assert isinstance(refusal, UndoRefused) and refusal.later_batches == [second]
        with pytest.raises(UndoRefused):
            apply_undo(session, plan)
    # the later batch undone, someone edits one phone by hand: the first is undone, that
    # firm kept and named
    with database.session() as session:
        drain(undo_batch(session, second))
    with database.session() as session:
        firm = enterprises.by_code(session, make_code(21))
        enterprises.update(session, firm.id, {"contact_phone": "0519-0000"})
    with database.session() as session:
        plan = drain(plan_undo(session, first))
        assert plan.refusal() is None
        assert [item["name"] for item in plan.kept] == [FIRMS[0][0]]
        assert "予以保留" in plan.kept[0]["reason"]


def test_a_batch_that_does_not_exist_is_not_found(database):
    with database.session() as session, pytest.raises(BatchNotFound) as missing:
        drain(plan_undo(session, 999))
    assert isinstance(missing.value, NotFound) and missing.value.kind == Kind.NOT_FOUND
    assert str(missing.value) == "找不到导入批次 999"  # the command line adds its own hint


def test_the_command_line_adds_its_own_hint_to_a_batch_not_found(database, capsys, db_target):
    from ui.cli.main import main

    assert main(["--db", str(db_target), "undo-import", "999"]) == 2
    assert "找不到导入批次 999（可用 tiers imports 查看）" in capsys.readouterr().err


def test_a_large_undo_is_sized_by_rows_not_by_fields(database, tmp_path, monkeypatch):
    """The large-write settings (on a server: ANALYZE, up to 10 s under the undo's locks)
    are for an undo of many rows; one that puts back several fields of each of a few rows
    counts each row once."""
    import importers.undo as undo_module

    def roster(name, phone, person):
        return write_xlsx(tmp_path / name, {"名录": [
            ["企业名称", "统一社会信用代码", "联系电话", "联系人"],
            *[[firm, make_code(serial), f"{phone}{serial}", f"{person}{serial}"]
              for firm, serial in FIRMS]]})

    import_file(database, roster("a.xlsx", "0519-1", "张"), kind="roster")
    _, second = import_file(database, roster("b.xlsx", "0519-9", "李"), kind="roster")
    sized: list[int] = []
    original = undo_module.prepared_for_bulk

    def watching(session, *, rows):
        sized.append(rows)
        return original(session, rows=rows)

    monkeypatch.setattr(undo_module, "prepared_for_bulk", watching)
    with database.session() as session:
        result = drain(undo_batch(session, second))
    assert result.restored == 4  # two fields of each of two firms
    assert sized == [2]


def test_a_marker_line_on_the_name_is_no_rename(database):
    """A 数据包's marker line (old == new, tiers.exchange.merge) on a firm's name renamed
    nothing: the undo does not take it for a rename kept (which would keep a former name the
    batch added of that name), as _plan_fields skips such lines."""
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": make_code(31), "county": "武进区",
                                            "name": "常州丙科技有限公司"})
        marker = SimpleNamespace(entity="enterprise", entity_id=firm.id, field="name",
                                 action="update", old_value='"常州丙旧名有限公司"',
                                 new_value='"常州丙旧名有限公司"')
        assert _kept_renames(session, [marker], {("enterprise", firm.id, "name")}) == {}
