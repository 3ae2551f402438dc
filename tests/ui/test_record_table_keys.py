"""RecordTableModel's sort keys: made for the rows a column filter keeps, not for every row
(a filter keeping 3 of 13,650 entries keyed them all on the GUI thread at each sort), and
keys handed with the rows that do not match them (a row more or fewer) not trusted."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui import record_table_model
from ui.record_table_model import RecordColumn, RecordTableModel, sort_keys

COLUMNS = [RecordColumn("name", "企业名称"), RecordColumn("town", "镇街")]


def _rows(count: int) -> list[dict]:
    return [{"name": f"企业{number:04d}", "town": ("湖塘镇", "牛塘镇")[number % 2]}
            for number in range(count)]


def test_a_filtered_sort_keys_only_the_rows_kept(monkeypatch):
    keyed: list[int] = []
    real = record_table_model.column_keys

    def counting(values):
        values = list(values)
        keyed.append(len(values))
        return real(values)

    monkeypatch.setattr(record_table_model, "column_keys", counting)
    model = RecordTableModel(COLUMNS, _rows(1000))
    model.set_column_filter(0, "企业099")  # 0990 … 0999
    assert model.rowCount() == 10
    keyed.clear()
    model.sort(0, Qt.DescendingOrder)
    assert keyed == [10], keyed
    assert [model.record(row)["name"] for row in range(3)] == ["企业0999", "企业0998",
                                                               "企业0997"]
    model.set_column_filter(0, "")  # every row again: all keyed, in order
    assert model.rowCount() == 1000 and model.record(0)["name"] == "企业0999"


def test_keys_that_do_not_match_the_rows_are_made_again():
    rows = _rows(5)
    model = RecordTableModel(COLUMNS)
    model.sort(0, Qt.DescendingOrder)
    model.set_rows(rows, keys=sort_keys(COLUMNS, rows[:3]))  # made for fewer rows
    assert [r["name"] for r in model.rows] == [f"企业{n:04d}" for n in (4, 3, 2, 1, 0)]
    more = _rows(8)[::-1]  # keys for more rows, in another order
    model.set_rows(rows, keys=sort_keys(COLUMNS, more))
    assert [r["name"] for r in model.rows] == [f"企业{n:04d}" for n in (4, 3, 2, 1, 0)]
    model.set_rows(rows, keys=sort_keys(COLUMNS, rows))  # matching: used as given
    assert model.keys is not None
    assert [r["name"] for r in model.rows] == [f"企业{n:04d}" for n in (4, 3, 2, 1, 0)]
