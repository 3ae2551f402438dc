"""The command line lists a title about to expire only while it needs a 复核: one whose 复核
is recorded already (``tiers enterprises --status 即将到期``, ``--expiring``, the 复核到期提醒表
of ``tiers export expiring``) is not."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from python_calamine import CalamineWorkbook

from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from ui.cli import main as cli


@pytest.fixture
def db_path(new_target, code):
    """Two firms whose 省级专精特新 ends in 30 days (the CLI judges on today): one with its
    复核 recorded already, one still to be reviewed."""
    today = dt.date.today()
    ends = today + dt.timedelta(days=30)
    path = new_target("cli.sqlite3")
    database = open_database(path)
    with database.session() as session:
        made = []
        for serial, name in ((1, "常州提前复核有限公司"), (2, "常州尚未复核有限公司")):
            firm = enterprises.create(session, {"credit_code": code(serial), "name": name,
                                                "county": "武进区", "town": "湖塘镇"})
            made.append(firm.id)
            recognitions.add(session, firm.id, {"tier_code": "zjtx",
                                                "batch_year": ends.year - 3,
                                                "valid_until": ends})
        recognitions.add(session, made[0], {
            "tier_code": "zjtx", "batch_year": today.year, "is_review": True,
            "recognized_on": today - dt.timedelta(days=10),
            "valid_until": ends + dt.timedelta(days=3 * 365)})
    database.dispose()
    return path


def listed(capsys, db_path, *args: str) -> list[str]:
    assert cli.main(["--db", str(db_path), "enterprises", "--format", "json", *args]) == 0
    return [row["name"] for row in json.loads(capsys.readouterr().out)]


def test_enterprises_about_to_expire_leave_a_renewed_title_out(capsys, db_path):
    assert listed(capsys, db_path, "--status", "即将到期") == ["常州尚未复核有限公司"]
    assert listed(capsys, db_path, "--expiring", "180") == ["常州尚未复核有限公司"]


def test_the_expiring_report_leaves_a_renewed_title_out(capsys, db_path, tmp_path):
    target = tmp_path / "expiring.xlsx"
    assert cli.main(["--db", str(db_path), "export", "expiring", str(target), "--quiet"]) == 0
    rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    text = [str(cell) for row in rows for cell in row]
    assert "常州尚未复核有限公司" in text and "常州提前复核有限公司" not in text
