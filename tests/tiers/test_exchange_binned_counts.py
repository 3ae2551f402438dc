"""A newer package that sends a firm to the recycle bin: the preview's columns of each
table add up to its rows in the package and in the database (the firm's records go to the
bin with it: counted as such), and undoing the import says the firm comes back out."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from importers.undo import undo_batch
from importers.undo.plan import plan_undo
from tests.tiers.exchange_helpers import DAY, WUJIN, imported, sent
from tiers.exchange import preview_package
from tiers.exchange.format import RECORD_TABLES
from tiers.model.orm import Enterprise, Recognition
from tiers.progress import drain
from tiers.services import enterprises
from ui.import_wizard.summary import undo_summary


def _rows(database, spec) -> int:
    """The table's rows of the live firms of 武进区 in the database."""
    table = spec.model.__table__
    with database.session() as session:
        firms = select(Enterprise.id).where(Enterprise.county_code == WUJIN,
                                            Enterprise.deleted_at.is_(None))
        return session.scalar(select(func.count()).select_from(table).where(
            table.c.enterprise_id.in_(firms)))


def _binned_firm(county, city, tmp_path):
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        gone = session.scalars(select(Enterprise).join(Recognition).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        enterprises.soft_delete(session, gone.id)
    return sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))


def test_the_records_of_a_binned_firm_are_counted_as_going_with_it(county, city, tmp_path):
    newer = _binned_firm(county, city, tmp_path)
    with city.session() as session:
        preview = preview_package(session, newer)
    assert preview.deleted["enterprises"] == 1
    assert preview.binned["recognitions"] >= 1
    for spec in RECORD_TABLES:
        name = spec.name
        in_package = newer.table(spec).count
        in_database = _rows(city, spec)
        assert (preview.created[name] + preview.updated[name] + preview.unchanged[name]
                == in_package), name
        assert (preview.updated[name] + preview.deleted[name] + preview.unchanged[name]
                + preview.binned[name] == in_database), name
    assert json.loads(json.dumps(preview.as_json(), default=str))["binned"] == preview.binned


def test_undoing_it_says_the_firm_comes_back_from_the_bin(county, city, tmp_path):
    result = imported(city, _binned_firm(county, city, tmp_path))
    with city.session() as session:
        plan = drain(plan_undo(session, result.batch_id, user="市局"))
    assert plan.result().unbinned == 1
    with city.session() as session:
        undone = drain(undo_batch(session, result.batch_id, user="市局"))
    assert "从回收站恢复企业 1 家" in undo_summary(undone)


def test_the_dry_run_text_counts_them_too(county, city, tmp_path, capsys):
    from ui.cli.package import _print_result

    newer = _binned_firm(county, city, tmp_path)
    with city.session() as session:
        preview = preview_package(session, newer)
    _print_result(preview, dry_run=True)
    out = capsys.readouterr().out
    assert "随企业移入回收站的记录（不删除，恢复企业即一并恢复）：认定 " in out, out


def test_undo_import_on_the_command_line_says_it_too(county, city, tmp_path, capsys):
    from ui.cli.main import main

    result = imported(city, _binned_firm(county, city, tmp_path))
    target = str(city.path or city.engine.url.render_as_string(False))
    city.dispose()
    assert main(["--db", target, "undo-import", str(result.batch_id)]) == 0
    assert "从回收站恢复企业 1 家" in capsys.readouterr().out
