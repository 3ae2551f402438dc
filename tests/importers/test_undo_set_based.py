"""Undo writes by batch: one DELETE per table and one INSERT … SELECT for the log of the
removed firms, however many firms there are (it deleted by 900-id chunks and built a JSON
row per firm in Python), and what it writes is what the row-by-row undo wrote."""

from __future__ import annotations

import json

from sqlalchemy import event, select

from tests.conftest import make_code
from tests.importers.helpers import import_file, table_counts, undo, write_xlsx
from tiers.model.orm import Change, Enterprise, ImportBatch
from tiers.services import enterprises
from tiers.services.audit import to_json

FIRMS = 1_000  # more than one chunk of 900 ids


def _roster(tmp_path, firms: int):
    return write_xlsx(tmp_path / "名录.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码", "营业收入（万元）", "年度"],
        *[[f"常州批量{i}号机械有限公司", make_code(5000 + i), 100 + i, 2024]
          for i in range(firms)]]})


def _statements(database):
    """The data-changing SQL run while the context is open, by its first word and table."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args) -> None:
        words = statement.split()
        if words[0] in ("DELETE", "INSERT"):
            seen.append(" ".join(words[:3]).replace('"', ""))

    return seen, listen


def test_undo_of_a_large_batch_deletes_by_batch_in_one_statement_per_table(database, tmp_path):
    before = table_counts(database)
    _, batch = import_file(database, _roster(tmp_path, FIRMS), kind="roster")
    seen, listen = _statements(database)
    event.listen(database.engine, "before_cursor_execute", listen)
    try:
        result = undo(database, batch)
    finally:
        event.remove(database.engine, "before_cursor_execute", listen)
    assert result.removed["enterprise"] == FIRMS and result.removed["annual_figures"] == FIRMS
    assert seen.count("DELETE FROM enterprise") == 1
    assert seen.count("DELETE FROM annual_figures") == 1
    assert seen.count("INSERT INTO change") == 1
    counts = table_counts(database)
    assert counts["enterprise"] == before["enterprise"]
    assert counts["annual_figures"] == before["annual_figures"]


def test_the_log_of_a_removed_firm_is_the_json_the_row_by_row_undo_wrote(database, tmp_path):
    """Written by the database from the firm's row: the same text as audit.to_json gives
    the dict, quotes and backslashes in the name escaped."""
    name = '常州"精工"\\机械有限公司'
    path = write_xlsx(tmp_path / "名录.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码"], [name, make_code(71)]]})
    _, batch = import_file(database, path, kind="roster")
    with database.session() as session:
        stored = session.execute(select(Enterprise.id, Enterprise.name)).one()
    undo(database, batch)
    with database.session() as session:
        row = session.execute(select(Change).where(Change.entity == "enterprise",
                                                   Change.action == "delete")).scalar_one()
    expected = {"name": stored.name, "credit_code": make_code(71), "undo_of_batch": batch}
    assert json.loads(row.old_value) == expected
    assert row.old_value == to_json(expected)
    assert (row.entity_id, row.enterprise_id, row.field, row.new_value,
            row.import_batch_id) == (stored.id, stored.id, "", None, None)


def test_what_stays_stays_and_only_the_rest_goes(database, tmp_path):
    """A firm edited by hand since stays; every other firm goes with its record, and the
    record the batch added to the firm that stays goes too, logged in full."""
    _, batch = import_file(database, _roster(tmp_path, 5), kind="roster")
    with database.session() as session:
        kept = enterprises.by_code(session, make_code(5001))
        enterprises.update(session, kept.id, {"contact_phone": "0519-1"})
    result = undo(database, batch)
    assert result.removed == {"enterprise": 4, "annual_figures": 5, "recognition": 0,
                              "support_measure": 0, "chain_role": 0, "former_name": 0}
    with database.session() as session:
        left = session.scalars(select(Enterprise.credit_code)).all()
        logged = session.scalars(select(Change.enterprise_id).where(
            Change.action == "delete")).all()
        figures = session.scalars(select(Change.old_value).where(
            Change.entity == "annual_figures", Change.action == "delete")).all()
        # the undo's rows, by the table and by the writer, at the time the batch was undone
        # (so that an undo of an older batch tells them from edits by hand)
        times = set(session.scalars(select(Change.at).where(Change.action == "delete")))
        undone_at = session.get(ImportBatch, batch).undone_at
    assert left == [make_code(5001)]
    assert len(logged) == 5 and logged.count(kept.id) == 1
    assert [json.loads(old)["revenue"] for old in figures] == ["101"]
    assert times == {undone_at}
