"""A file imported before, in the same state, plans from its batch's record (importers.plan
.replan) — and that plan is the full plan's, whatever happened between the two imports."""

from __future__ import annotations

import json
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from importers import apply_plan, build_plan, detect, drain, open_source
from importers.plan import replan
from tests.conftest import make_code
from tests.importers.helpers import undo, write_xlsx
from tiers.model.orm import Enterprise, ImportBatch
from tiers.services import enterprises
from tiers.storage.database import open_database

HEADER = ["企业名称", "统一社会信用代码", "镇街", "营业收入（万元）", "年度"]
TOWNS = ["湖塘镇", "牛塘镇", None]


def _plan(database, path, *, reuse: bool = True):
    detection = detect(open_source(path)).with_options(kind="roster")
    with database.session() as session:
        if reuse:
            return drain(build_plan(session, detection))
        with patch.object(replan, "reused_plan", return_value=None):
            return drain(build_plan(session, detection))


def _import(database, path) -> int | None:
    detection = detect(open_source(path)).with_options(kind="roster")
    with database.session() as session:
        plan = drain(build_plan(session, detection))
        return drain(apply_plan(session, plan)).batch_id


def _summary(plan) -> tuple:
    return (plan.counts(), [p.to_dict() for p in plan.all_problems()], plan.writes,
            [(r.row, r.action, r.name, r.credit_code, r.enterprise_id, r.matched_by)
             for r in plan.rows])


def _roster(count: int, *, towns=None, codes=None, revenues=None) -> list[list]:
    rows = [["企业名录"], HEADER]
    for i in range(count):
        code = make_code(500 + i) if codes is None else codes[i]
        rows.append([f"常州测试{i}号机械有限公司", code, (towns or ["湖塘镇"] * count)[i],
                     (revenues or [1000 + i] * count)[i], 2024])
    return rows


def _uses_record(database, path) -> bool:
    """Whether the plan of ``path`` now is the recorded one (and equals the full plan)."""
    found = []
    original = replan.reused_plan

    def spy(*args, **kwargs):
        result = original(*args, **kwargs)
        found.append(result is not None)
        return result

    with patch.object(replan, "reused_plan", spy):
        fast = _plan(database, path)
    assert _summary(fast) == _summary(_plan(database, path, reuse=False))
    return found == [True]


def test_unchanged_file_plans_from_its_batch(tmp_path, database):
    path = write_xlsx(tmp_path / "名录.xlsx", {"名录": _roster(6)})
    add = enterprises.create
    with database.session() as session:  # one firm known, with another town
        add(session, {"credit_code": make_code(501), "name": "常州测试1号机械有限公司",
                      "county": "武进区", "town": "牛塘镇"})
    batch_id = _import(database, path)
    with database.session() as session:
        counts = json.loads(session.scalar(select(ImportBatch.counts).where(
            ImportBatch.id == batch_id)))
    assert counts["replan"]["rows"] == [[3, 6]]  # Excel rows 3–8, one run
    assert _uses_record(database, path)
    plan = _plan(database, path)
    assert plan.counts()["unchanged"] == 6 and not plan.writes
    assert any("已于" in p.message and "导入过" in p.message for p in plan.problems)


def test_batches_list_leaves_the_record_out(tmp_path, database):
    from tiers.queries.imports import import_batches

    _import(database, write_xlsx(tmp_path / "名录.xlsx", {"名录": _roster(3)}))
    with database.session() as session:
        assert "replan" not in import_batches(session)[0]["counts"]


def test_any_write_since_plans_in_full(tmp_path, database):
    path = write_xlsx(tmp_path / "名录.xlsx", {"名录": _roster(4)})
    _import(database, path)
    with database.session() as session:
        firm = session.scalar(select(Enterprise.id).where(
            Enterprise.credit_code == make_code(502)))
        enterprises.update(session, firm, {"town": "牛塘镇"})
    assert not _uses_record(database, path)
    assert _plan(database, path).counts()["updated"] == 1


def test_a_row_with_a_problem_records_nothing(tmp_path, database):
    path = write_xlsx(tmp_path / "名录.xlsx", {"名录": _roster(
        3, codes=[make_code(500), "91320412XXXXXXXXX1", make_code(502)])})
    batch_id = _import(database, path)
    with database.session() as session:
        counts = json.loads(session.scalar(select(ImportBatch.counts).where(
            ImportBatch.id == batch_id)))
    assert "replan" not in counts
    assert not _uses_record(database, path)


_EDITS = st.sampled_from(["none", "db", "file", "both", "undo", "again", "delete", "new firm"])


@st.composite
def _files(draw):
    count = draw(st.integers(1, 6))
    towns = draw(st.lists(st.sampled_from(TOWNS), min_size=count, max_size=count))
    revenues = draw(st.lists(st.one_of(st.none(), st.integers(1, 5000)),
                             min_size=count, max_size=count))
    codes = draw(st.lists(st.sampled_from(["ok", "ok", "ok", "none", "bad"]),
                          min_size=count, max_size=count))
    made = [make_code(500 + i) if c == "ok" else None if c == "none" else "91320412BAD0000001"
            for i, c in enumerate(codes)]
    known = draw(st.lists(st.integers(0, count - 1), max_size=3, unique=True))
    return count, towns, revenues, made, known


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(file=_files(), edit=_EDITS, where=st.integers(0, 5))
def test_reused_plan_is_the_full_plan(tmp_path_factory, new_target, file, edit, where):
    """For random edits between two imports of a file (in the database, in the file, both,
    none, an undo, the same file again, a firm deleted or added): the plan the second
    import builds is the full plan, row by row and problem by problem."""
    count, towns, revenues, codes, known = file
    folder = tmp_path_factory.mktemp("r")
    database = open_database(new_target(f"{folder.name}.sqlite3"))  # a new one each example
    try:
        with database.session() as session:
            for i in known:  # firms the database has before: some rows update them
                if codes[i] is not None and codes[i][8:10] == "MA":
                    enterprises.create(session, {"credit_code": codes[i], "name":
                                                 f"常州测试{i}号机械有限公司",
                                                 "county": "武进区", "town": "牛塘镇"})
        path = write_xlsx(folder / "名录.xlsx", {"名录": _roster(
            count, towns=towns, revenues=revenues, codes=codes)})
        batch_id = _import(database, path)
        row = where % count
        if edit in ("db", "both", "delete"):
            with database.session() as session:
                firm = session.scalar(select(Enterprise.id).where(
                    Enterprise.name == f"常州测试{row}号机械有限公司"))
                if firm is not None and edit == "delete":
                    enterprises.soft_delete(session, firm)
                elif firm is not None:
                    enterprises.update(session, firm, {"town": "新桥街道"})
        if edit in ("file", "both"):
            towns = [*towns]
            towns[row] = "邹区镇"
            path = write_xlsx(folder / "名录2.xlsx", {"名录": _roster(
                count, towns=towns, revenues=revenues, codes=codes)})
        if edit == "undo" and batch_id is not None:
            undo(database, batch_id)
        if edit == "again":
            _import(database, path)
        if edit == "new firm":
            with database.session() as session:
                enterprises.create(session, {"credit_code": make_code(900),
                                             "name": f"常州测试{row}号机械有限公司",
                                             "county": "武进区"})
        _uses_record(database, path)  # asserts the two plans are one
    finally:
        database.dispose()
