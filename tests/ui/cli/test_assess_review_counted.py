"""``tiers assess --tier``: a firm judged as its 复核 (its 小巨人 run out inside its 复核 round)
is marked 复核：… in 预审结论 and counted on the line under the list (其中 1 家按复核规则（…）预审),
as in the client's 候选企业 (status23, finding 2); ``--json`` rows carry ``review``."""

from __future__ import annotations

import datetime as dt
import json

from tiers.services import enterprises, recognitions
from tiers.storage.database import open_database
from ui.cli import main as cli


def test_the_list_marks_and_counts_a_firm_in_its_复核(capsys, new_target, code):
    today = dt.date.today()  # the command judges on the real day
    path = new_target("cli.sqlite3")
    database = open_database(path)
    with database.session() as session:
        for serial, name in ((1, "常州复核轮次科技有限公司"), (2, "常州新申报科技有限公司")):
            firm = enterprises.create(session, {"credit_code": code(serial), "name": name,
                                                "county": "武进区", "town": "湖塘镇"})
            recognitions.add(session, firm.id, {"tier_code": "zjtx", "batch_year": today.year - 1,
                                                "valid_until": today + dt.timedelta(days=700)})
            if serial == 1:  # 小巨人 three batches back: its 复核 round is this year
                recognitions.add(session, firm.id, {
                    "tier_code": "little_giant", "batch_year": today.year - 3,
                    "valid_until": today - dt.timedelta(days=20)})
    database.dispose()
    assert cli.main(["--db", str(path), "assess", "--tier", "小巨人", "--all"]) == 0
    out, err = capsys.readouterr()
    [review_line] = [line for line in out.splitlines() if "常州复核轮次科技有限公司" in line]
    [new_line] = [line for line in out.splitlines() if "常州新申报科技有限公司" in line]
    # once: the core marks the row (report_row), the command adds nothing of its own
    assert review_line.count("复核：") == 1 and "复核：" not in new_line
    assert "其中 1 家按复核规则（" in err, err
    assert cli.main(["--db", str(path), "assess", "--tier", "小巨人", "--all", "--json"]) == 0
    rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)["candidates"]}
    assert rows["常州复核轮次科技有限公司"]["review"] and not rows["常州新申报科技有限公司"]["review"]
    assert rows["常州复核轮次科技有限公司"]["readiness_text"].startswith("复核：")
