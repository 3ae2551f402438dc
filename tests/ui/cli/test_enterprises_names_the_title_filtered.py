"""``tiers enterprises --status 即将到期``: the row of a firm whose 小巨人 runs to years ahead
names the title about to expire and its date in 当前梯度 (专精特新“小巨人”企业（即将到期：创新型
…）), and ``--format json`` rows carry ``matched`` — the row said only the 小巨人, which
does not expire (a tester: 华美医疗 of the demo data, status23 follow-up item 2)."""

from __future__ import annotations

import datetime as dt
import json

from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from ui.cli import main as cli


def test_the_row_names_the_title_about_to_expire(capsys, new_target, code):
    today = dt.date.today()  # the command judges on the real day
    soon = today + dt.timedelta(days=10)
    path = new_target("cli.sqlite3")
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "常州华美医疗有限公司",
                                            "county": "武进区", "town": "湖塘镇"})
        recognitions.add(session, firm.id, {"tier_code": "little_giant", "level": "国家级",
                                            "batch_year": today.year - 1,
                                            "valid_until": today + dt.timedelta(days=900)})
        recognitions.add(session, firm.id, {"tier_code": "innovative",
                                            "batch_year": today.year - 3, "valid_until": soon})
    database.dispose()
    assert cli.main(["--db", str(path), "enterprises", "--status", "即将到期"]) == 0
    out = capsys.readouterr().out
    assert f"专精特新“小巨人”企业（即将到期：创新型 {soon.isoformat()}）" in out
    assert cli.main(["--db", str(path), "enterprises", "--status", "即将到期",
                     "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["matched"] == f"即将到期：创新型 {soon.isoformat()}"
    assert cli.main(["--db", str(path), "enterprises", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["matched"] == ""


def _one_firm(new_target, code, *titles):
    path = new_target("cli.sqlite3")
    database = open_database(path)
    with database.session() as session:
        firm = enterprises.create(session, {"credit_code": code(1), "name": "常州合海环保有限公司",
                                            "county": "武进区", "town": "牛塘镇"})
        for values in titles:
            recognitions.add(session, firm.id, values)
    database.dispose()
    return path


def test_the_rows_own_title_is_said_once(capsys, new_target, code):
    """Its only title about to expire is the one it holds: 省级专精特新中小企业（即将到期 …）,
    not …（即将到期：省专精特新 …）; ``matched`` in JSON still names the title."""
    soon = dt.date.today() + dt.timedelta(days=20)
    path = _one_firm(new_target, code, {"tier_code": "zjtx", "batch_year": soon.year - 3,
                                        "valid_until": soon})
    assert cli.main(["--db", str(path), "enterprises", "--status", "即将到期"]) == 0
    out = capsys.readouterr().out
    assert f"省级专精特新中小企业（即将到期 {soon.isoformat()}）" in out
    assert "即将到期：" not in out
    assert cli.main(["--db", str(path), "enterprises", "--status", "即将到期",
                     "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["matched"] == f"即将到期：省专精特新 {soon.isoformat()}"


def test_expiring_days_name_the_title_and_its_date(capsys, new_target, code):
    """``--expiring N`` found the firm by its 创新型 ending within N days but named nothing
    (the row said only the 小巨人 held for years); now as the status filters do."""
    today = dt.date.today()
    soon = today + dt.timedelta(days=10)
    path = _one_firm(
        new_target, code,
        {"tier_code": "little_giant", "level": "国家级", "batch_year": today.year - 1,
         "valid_until": today + dt.timedelta(days=900)},
        {"tier_code": "innovative", "batch_year": today.year - 3, "valid_until": soon})
    assert cli.main(["--db", str(path), "enterprises", "--expiring", "30"]) == 0
    assert f"专精特新“小巨人”企业（即将到期：创新型 {soon.isoformat()}）" in capsys.readouterr().out
    assert cli.main(["--db", str(path), "enterprises", "--expiring", "30",
                     "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["matched"] == f"即将到期：创新型 {soon.isoformat()}"
    assert cli.main(["--db", str(path), "enterprises", "--expiring", "30",
                     "--format", "csv"]) == 0
    assert f"（即将到期：创新型 {soon.isoformat()}）" in capsys.readouterr().out
