"""What the break campaign of #16 found in the package import (benchmarks/break_writes.py
drives the blows; these are the findings kept as tests), on both engines."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

import importers.undo
import tiers.exchange.apply
from importers.undo import undo_batch
from tests.tiers.exchange_helpers import (
    DAY,
    WUJIN,
    county_database,
    imported,
    sent,
)
from tiers.errors import InvalidInput, TiersError
from tiers.exchange import export_package, import_package, read_package
from tiers.model.orm import (
    AnnualFigures,
    ChainRole,
    CultivationEntry,
    Enterprise,
    Recognition,
    SupportMeasure,
)
from tiers.progress import drain
from tiers.services import enterprises, measures, profile
from tiers.storage.database import open_database

RECORDS = (Recognition, AnnualFigures, SupportMeasure, ChainRole, CultivationEntry)


def _records_of(database, code: str) -> dict[str, int]:
    with database.session() as session:
        firm_id = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
        return {model.__tablename__: session.scalar(
            select(func.count()).select_from(model).where(model.enterprise_id == firm_id))
            for model in RECORDS}


def test_a_newer_package_imported_twice_keeps_the_records_of_the_firms_it_binned(
        county, city, tmp_path):
    """The county deleted a firm: the newer package moves it to the recycle bin with its
    records (restorable). Imported a second time it must change nothing; it used to take
    the firm, already in the bin, for one whose records the county had deleted."""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        gone = session.scalars(select(Enterprise).join(Recognition).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id)).first()
        code = gone.credit_code
        enterprises.soft_delete(session, gone.id)
    held = _records_of(city, code)
    assert held["recognition"] > 0
    newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))

    first = imported(city, newer)
    assert first.deleted["enterprises"] == 1
    assert _records_of(city, code) == held

    again = imported(city, newer)
    assert not any(again.deleted.values()), again.deleted
    assert again.batch_id is None
    assert _records_of(city, code) == held  # restoring the firm brings them back


def test_an_export_into_a_missing_folder_names_that_folder(county, tmp_path):
    """It used to write the whole package into the system's temporary folder, then fail to
    move it and name that hidden file ("/tmp/.tiers-package-….zip") instead."""
    missing = tmp_path / "报送"
    with pytest.raises(InvalidInput, match="文件夹不存在") as refused, county.session() as session:
        drain(export_package(session, missing / "武进区.zip", counties=[WUJIN]))
    assert str(missing) in str(refused.value)


# a county officer's export killed (power cut, kill -9) while it writes its third member
KILLED_EXPORT = """
import os, signal, sys, zipfile
from tiers.exchange import export_package
from tiers.progress import drain
from tiers.storage.database import open_database
written = zipfile.ZipFile.writestr
def writestr(archive, *args, **kwargs):
    if archive.namelist()[2:]:
        os.kill(os.getpid(), signal.SIGKILL)
    return written(archive, *args, **kwargs)
zipfile.ZipFile.writestr = writestr
with open_database(sys.argv[1]).session() as session:
    drain(export_package(session, sys.argv[2], counties=["320412"]))
"""


@pytest.mark.sqlite_only
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL and file modes are POSIX")
def test_a_killed_exports_hidden_copy_is_swept_and_a_package_is_readable_by_others(tmp_path):
    county_database(tmp_path / "county.sqlite3", enterprises=60).dispose()
    folder = tmp_path / "报送"
    folder.mkdir()
    target = folder / "武进区.zip"
    root = Path(__file__).resolve().parents[2]
    killed = subprocess.run([sys.executable, "-c", KILLED_EXPORT, str(tmp_path / "county.sqlite3"),
                             str(target)], cwd=root, env={**os.environ, "PYTHONPATH": str(root)},
                            capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    leftovers = list(folder.iterdir())
    assert leftovers and not target.exists()  # never a half package under the name
    an_hour_ago = time.time() - 3700
    for path in leftovers:
        os.utime(path, (an_hour_ago, an_hour_ago))

    database = open_database(tmp_path / "county.sqlite3")
    with database.session() as session:
        drain(export_package(session, target, counties=[WUJIN]))
    database.dispose()
    assert list(folder.iterdir()) == [target]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's private 0o600
    assert read_package(target).county_codes


def _officer_saving(city, firm_id, base, refused: list[Exception]) -> threading.Thread:
    """Another client (its own connection) saving the firm's address as 市局改的地址 from
    ``base``, once started; a refusal lands in ``refused``."""

    def officer_saves() -> None:
        try:
            with city.session() as officer:
                profile.save_profile(officer, firm_id, {"address": "市局改的地址"}, base=base,
                                     user="科员")
        except TiersError as error:
            refused.append(error)

    return threading.Thread(target=officer_saves)


def _between_plan_and_writes(monkeypatch, officer: threading.Thread) -> None:
    """The package import starts ``officer`` (another client) once it has planned, and
    writes when the officer is done, or after 3 s if the officer waits for the import."""
    planned_and_written = tiers.exchange.apply._write

    def an_officer_meanwhile(session, plan, **options):
        officer.start()
        officer.join(timeout=3)
        return (yield from planned_and_written(session, plan, **options))

    monkeypatch.setattr(tiers.exchange.apply, "_write", an_officer_meanwhile)


@pytest.mark.server_only
def test_an_edit_saved_while_an_undo_plans_is_neither_lost_nor_undone(county, city, tmp_path,
                                                                       monkeypatch):
    """On a server an officer's save does not wait for the county locks an undo holds: one
    committed between the undo's plan and its writes was deleted with the firm the batch
    had created, though the undo promises to keep what was edited since. Now the save
    waits for the undo and is then refused in Chinese (the firm is gone), or lands first
    and is kept."""
    batch = imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY)).batch_id
    with city.session() as session:
        firm_id = session.scalar(select(func.min(Enterprise.id)))
        base = profile.load(session, firm_id)
    refused: list[Exception] = []
    officer = _officer_saving(city, firm_id, base, refused)
    planned_and_applied = importers.undo.apply_undo

    def an_officer_saves_meanwhile(session, plan):
        officer.start()
        officer.join(timeout=3)  # done unless it waits for the undo
        planned_and_applied(session, plan)

    monkeypatch.setattr(importers.undo, "apply_undo", an_officer_saves_meanwhile)
    with city.session() as session:
        drain(undo_batch(session, batch, user="市局"))
    officer.join(timeout=60)
    with city.session() as session:
        firm = session.get(Enterprise, firm_id)
        if firm is None:
            assert refused and "找不到企业" in str(refused[0])
        else:
            assert firm.address == "市局改的地址" and not refused


@pytest.mark.server_only
def test_an_edit_saved_while_a_package_is_planned_comes_back_when_it_is_undone(
        county, city, tmp_path, monkeypatch):
    """A newer package corrects a firm's address while an officer at the city saves their
    own correction of it. The package's value wins either way; but the change log must hold
    the officer's value as the one replaced, so that undoing the package brings it back.
    Saved between the package's plan and its writes, the officer's value used to be lost:
    the log held the value the plan had read, and the undo put that back."""
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        code = session.scalar(select(Enterprise.credit_code).where(
            Enterprise.county_code == WUJIN).order_by(Enterprise.id))
        enterprises.update(session, enterprises.by_code(session, code).id,
                           {"address": "区里改的地址"})
    newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    with city.session() as session:
        firm_id = enterprises.by_code(session, code).id
        base = profile.load(session, firm_id)
    refused: list[Exception] = []
    officer = _officer_saving(city, firm_id, base, refused)
    _between_plan_and_writes(monkeypatch, officer)
    batch = imported(city, newer).batch_id
    officer.join(timeout=60)
    monkeypatch.undo()
    with city.session() as session:
        drain(undo_batch(session, batch, user="市局"))
    with city.session() as session:
        address = session.get(Enterprise, firm_id).address
    assert address == "市局改的地址" or refused, address


@pytest.mark.server_only
def test_a_firm_entered_here_under_another_county_is_held_too(county, city, tmp_path,
                                                              monkeypatch):
    """The county locks hold a county's firms; a firm the city entered itself under another
    county, which the county's package matches by its credit code, was not held. The
    county corrects a measure of it while an officer at the city edits the same measure:
    the officer's amount must come back when the package is undone (it used to be lost,
    the change log holding the amount the plan had read)."""
    with county.session() as session:
        firm = session.scalars(select(Enterprise).where(Enterprise.county_code == WUJIN)
                               .order_by(Enterprise.id)).first()
        code, name = firm.credit_code, firm.name
        measure = measures.add(session, firm.id, {"kind": "奖补资金", "name": "技改补助",
                                                  "year": 2025, "amount": "10"})
        session.flush()
        measure_id = measure.id
    with city.session() as session:  # entered at the city, under 新北区
        enterprises.create(session, {"credit_code": code, "name": name, "county": "新北区"})
    imported(city, sent(county, tmp_path / "wj1.zip", WUJIN, DAY))
    with county.session() as session:
        measures.edit(session, measure_id, {"amount": "20"})
    newer = sent(county, tmp_path / "wj2.zip", WUJIN, DAY + dt.timedelta(days=1))
    with city.session() as session:
        here = session.scalar(select(SupportMeasure.id).join(Enterprise).where(
            Enterprise.credit_code == code, SupportMeasure.name == "技改补助"))
    refused: list[Exception] = []

    def officer_edits() -> None:
        try:
            with city.session() as officer:
                measures.edit(officer, here, {"amount": "15"}, user="科员")
        except TiersError as error:
            refused.append(error)

    officer = threading.Thread(target=officer_edits)
    _between_plan_and_writes(monkeypatch, officer)
    result = imported(city, newer)
    officer.join(timeout=60)
    monkeypatch.undo()
    assert result.updated["support_measures"] == 1 and not refused
    with city.session() as session:
        drain(undo_batch(session, result.batch_id, user="市局"))
    with city.session() as session:
        assert session.get(SupportMeasure, here).amount == 15


@pytest.mark.server_only
def test_two_writers_waiting_for_each_others_firms_are_told_in_chinese(county):
    """Two transactions that each hold a firm the other wants (a package import locking a
    county's firms while a 确认公示 takes them in another order): the server ends one. Its
    officer reads one Chinese line that says nothing was written, never the driver's
    English (deadlock detected)."""
    from sqlalchemy import text

    from tiers.storage.locking import MET_ON_SERVER, DatabaseBusy

    with county.session() as session:
        first, second = session.scalars(select(Enterprise.id).order_by(Enterprise.id)
                                        .limit(2)).all()
    holding = threading.Barrier(2)
    outcomes: list[BaseException | None] = []

    def writer(mine: int, theirs: int) -> None:
        try:
            with county.session() as session:
                lock = "SELECT id FROM enterprise WHERE id = :id FOR NO KEY UPDATE"
                session.execute(text(lock), {"id": mine})
                holding.wait(10)
                session.execute(text(lock), {"id": theirs})
            outcomes.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcomes.append(exc)

    threads = [threading.Thread(target=writer, args=pair)
               for pair in ((first, second), (second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(map(type, outcomes), key=str) == sorted([DatabaseBusy, type(None)], key=str)
    refused = next(outcome for outcome in outcomes if outcome is not None)
    assert str(refused) == MET_ON_SERVER


@pytest.mark.server_only
def test_a_package_holds_only_the_firms_of_the_counties_it_replaces(new_target, tmp_path):
    """A county office's whole database lists its neighbours' firms too; the neighbour
    reports its own. While such a package is imported, the neighbour's firms stay free for
    their officers' saves (only the counties the package replaces are held)."""
    import psycopg

    from tests.tiers.exchange_helpers import XINBEI

    xinbei_office = county_database(new_target("xb.sqlite3"), enterprises=40, seed=7)
    wujin_office = county_database(new_target("wj.sqlite3"), enterprises=40, seed=8)
    city = open_database(new_target("city.sqlite3"))
    try:
        with xinbei_office.session() as session:
            drain(export_package(session, tmp_path / "xb.zip", counties=[XINBEI], now=DAY))
        imported(city, read_package(tmp_path / "xb.zip"))
        with wujin_office.session() as session:
            drain(export_package(session, tmp_path / "wj.zip",
                                 now=DAY + dt.timedelta(hours=1)))
        everything = read_package(tmp_path / "wj.zip")
        assert {XINBEI, WUJIN} <= everything.county_codes
        driver_url = city.engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False)
        free = []

        def neighbours_officer(progress):
            if progress.stage == "比对数据包" and not free:
                with psycopg.connect(driver_url) as other:
                    row = other.execute(
                        "SELECT id FROM enterprise WHERE county_code = %s ORDER BY id LIMIT 1 "
                        "FOR NO KEY UPDATE NOWAIT", (XINBEI,)).fetchone()
                    free.append(row is not None)
                    other.rollback()

        with city.session() as session:
            drain(import_package(session, everything, user="市局"), neighbours_officer)
        assert free == [True]
    finally:
        for database in (xinbei_office, wujin_office, city):
            database.dispose()


def test_a_plan_that_keeps_writing_other_firms_is_given_up_in_chinese(monkeypatch):
    """Each new plan under the lock writes yet other firms (colleagues changing them right
    now): after a few rounds the import stops with the server's Chinese line instead of
    writing firms it holds no lock on (review)."""
    from types import SimpleNamespace

    from tiers.services import versions
    from tiers.storage.locking import MET_ON_SERVER, DatabaseBusy

    others = iter(range(1, 100))
    plan = SimpleNamespace(firms_written=lambda: {0}, scope={WUJIN})
    monkeypatch.setattr(versions, "hold_beyond_counties", lambda *_: {next(others)})
    monkeypatch.setattr(tiers.exchange.apply, "plan_package", lambda *_: plan)
    with pytest.raises(DatabaseBusy, match=MET_ON_SERVER[:10]):
        tiers.exchange.apply._planned_holding(None, None, plan)
