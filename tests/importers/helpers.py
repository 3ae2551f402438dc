"""Building rosters in code and running the pipeline in tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import func, select

from importers import apply_plan, build_plan, detect, drain, open_source, undo_batch
from tests.conftest import make_code
from tiers.model.orm import (
    AnnualFigures,
    Change,
    Enterprise,
    FormerName,
    ImportBatch,
    Recognition,
    SupportMeasure,
)
from tiers.services import enterprises

DATA = Path(__file__).resolve().parent.parent / "data"


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], *,
               merges: dict[str, list[tuple[str, Any]]] | None = None,
               formulas: dict[str, list[tuple[str, str, Any]]] | None = None,
               hidden_columns: dict[str, list[int]] | None = None) -> Path:
    """Sheets of rows (None = empty cell); merges as ("A1:C1", value); formulas as
    (cell, formula, cached value)."""
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_numbers": False,
                                               "strings_to_urls": False,
                                               "nan_inf_to_errors": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (dt.date, dt.datetime)):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write(r, c, value)
        for cell_range, value in (merges or {}).get(name, []):
            sheet.merge_range(cell_range, value)
        for cell, formula, cached in (formulas or {}).get(name, []):
            sheet.write_formula(cell, formula, None, cached)
        for column in (hidden_columns or {}).get(name, []):
            sheet.set_column(column, column, None, None, {"hidden": True})
    workbook.close()
    return path


def plan_file(database, path, *, sheet=None, links=None, fill_blanks_only=None,
              take_other_counties=False, take_rows=(), **options):
    source = open_source(path)
    detection = detect(source, sheet=sheet)
    if options:
        detection = detection.with_options(**options)
    with database.session() as session:
        return drain(build_plan(session, detection, links=links,
                                fill_blanks_only=fill_blanks_only,
                                take_other_counties=take_other_counties,
                                take_rows=take_rows))


def import_file(database, path, *, sheet=None, links=None, fill_blanks_only=None,
                take_other_counties=False, take_rows=(), **options):
    """Plan and apply in one session; returns (plan, batch_id)."""
    source = open_source(path)
    detection = detect(source, sheet=sheet)
    if options:
        detection = detection.with_options(**options)
    with database.session() as session:
        plan = drain(build_plan(session, detection, links=links,
                                fill_blanks_only=fill_blanks_only,
                                take_other_counties=take_other_counties,
                                take_rows=take_rows))
        result = drain(apply_plan(session, plan))
    return plan, result.batch_id


def undo(database, batch_id):
    with database.session() as session:
        return drain(undo_batch(session, batch_id))


def table_counts(database) -> dict[str, int]:
    with database.session() as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (Enterprise, FormerName, Recognition, AnnualFigures,
                              SupportMeasure, ImportBatch, Change)}


def by_row(plan) -> dict[int, Any]:
    return {row.row: row for row in plan.rows}


def add_enterprise(database, name: str, serial: int, **values) -> int:
    """A firm of 武进区 with the ``serial``-th test credit code; returns its id."""
    with database.session() as session:
        data = {"credit_code": make_code(serial), "name": name, "county": "武进区", **values}
        return enterprises.create(session, data).id
