"""The automatic backups: once a day, the last 7 days and the last 4 weeks kept, nothing
else in the folder touched; the restore list shows each backup's date and firm count."""

from __future__ import annotations

import datetime as dt

import pytest

from tiers.storage import autobackup
from tiers.storage.autobackup import kept


def day(text: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(hour=hour)


def test_nothing_is_pruned_while_there_are_few():
    made = [day("2026-03-01"), day("2026-03-02")]
    assert kept(made) == set(made)


def test_the_last_seven_days_and_the_last_four_weeks_are_kept():
    # one backup a day for 60 days, ending on Sunday 2026-03-29
    made = [day("2026-03-29") - dt.timedelta(days=n) for n in range(60)]
    keep = kept(made)
    daily = {day("2026-03-29") - dt.timedelta(days=n) for n in range(7)}  # 23rd .. 29th
    assert daily <= keep
    # the newest of each of the last 4 ISO weeks: the weeks end on Sundays
    weekly = {day("2026-03-29"), day("2026-03-22"), day("2026-03-15"), day("2026-03-08")}
    assert keep == daily | weekly


def test_of_several_on_one_day_the_newest_counts():
    made = [day("2026-03-02", 8), day("2026-03-02", 17), day("2026-03-01", 9)]
    assert kept(made, days=7, weeks=0) == {day("2026-03-02", 17), day("2026-03-01", 9)}


def test_days_without_a_backup_do_not_count():
    """The client was not started for a month: the last 7 backups stay, not the last 7
    calendar days."""
    made = [day("2026-01-05"), day("2026-01-06"), day("2026-02-20"), day("2026-02-23")]
    assert kept(made, days=7, weeks=0) == set(made)


@pytest.mark.sqlite_only  # copies of the database file
def test_a_backup_a_day_when_the_client_starts(database):
    path = database.path
    first = autobackup.back_up_daily(path, now=day("2026-03-02", 8))
    assert first is not None and first.parent == path.parent / "backups"
    assert autobackup.back_up_daily(path, now=day("2026-03-02", 17)) is None  # same day
    second = autobackup.back_up_daily(path, now=day("2026-03-03", 8))
    assert second is not None and first.exists()


@pytest.mark.sqlite_only  # copies of the database file
def test_old_automatic_backups_go_and_other_files_stay(database):
    path = database.path
    for n in range(40):
        autobackup.back_up_daily(path, now=day("2026-01-01") + dt.timedelta(days=n))
    folder = path.parent / "backups"
    manual = folder / f"{path.stem}-20260101-090000-manual{path.suffix}"
    manual.write_bytes(b"")
    other = folder / "notes.txt"
    other.write_text("留着")
    autobackup.back_up_daily(path, now=day("2026-02-10"))
    assert len(autobackup.automatic_backups(path)) <= autobackup.DAYS_KEPT + autobackup.WEEKS_KEPT
    assert manual.exists() and other.exists()


@pytest.mark.sqlite_only  # copies of the database file
def test_the_restore_list_shows_date_kind_and_firms(database, enterprise_factory, session):
    enterprise_factory("常州甲公司")
    enterprise_factory("常州乙公司")
    session.commit()
    path = database.path
    autobackup.back_up_daily(path, now=day("2026-03-02", 8))
    database.backup(path.parent / "backups" / f"{path.stem}-20260303-101500-manual.sqlite3")
    (path.parent / "backups" / "broken.sqlite3").write_bytes(b"not a database")
    infos = autobackup.list_backups(path)
    assert [(info.made, info.reason, info.firms) for info in infos] == [
        (day("2026-03-03", 10).replace(minute=15), "手动备份", 2),
        (day("2026-03-02", 8), "自动备份", 2),
        (None, "备份", None)]
    assert "2026-03-02 08:00" in infos[1].label() and "2 家企业" in infos[1].label()
    assert not list((path.parent / "backups").glob("*-shm"))  # read without a trace


@pytest.mark.sqlite_only  # copies of the database file
def test_a_backup_made_with_the_clients_button_is_dated_and_listed_first(
        database, enterprise_factory, session):
    """立即备份 in the client suggests tiers-备份-20260304-1639.sqlite3; the restore list
    showed it as 日期未知 and put it last, below older automatic backups (the officer's walk:
    the backup just made was the one hardest to find)."""
    enterprise_factory("常州甲公司")
    session.commit()
    path = database.path
    autobackup.back_up_daily(path, now=day("2026-03-02", 8))
    made = day("2026-03-04", 16).replace(minute=39)
    database.backup(path.parent / "backups" / autobackup.client_backup_name(made, ".sqlite3"))
    infos = autobackup.list_backups(path)
    assert [(info.made, info.reason) for info in infos] == [
        (made, "手动备份"), (day("2026-03-02", 8), "自动备份")]
    assert infos[0].label().startswith("2026-03-04 16:39　手动备份　1 家企业")
