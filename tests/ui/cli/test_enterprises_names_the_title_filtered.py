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
