"""tiers confirm-batch without --tier lists the batches still 公示中: a batch label that
names its year is shown once (2026年度, not 2026年度（2026年）: tester28b), a 第五批 with its
year, as the rosters write them (batch_text)."""

from __future__ import annotations

from tests.conftest import make_code
from tests.importers.helpers import import_file, write_xlsx


def _gongshi(tmp_path, title, name):
    return write_xlsx(tmp_path / name, {"公示名单": [
        [title], ["序号", "企业名称", "统一社会信用代码"],
        [1, "常州海纳智能装备有限公司", make_code(1)]]})


def test_pending_batches_name_their_year_once(cli, database, tmp_path):
    import_file(database, _gongshi(tmp_path, "2026年度江苏省专精特新中小企业拟认定名单（公示）",
                                   "省.xlsx"))
    import_file(database, _gongshi(tmp_path, "关于江苏省第五批专精特新“小巨人”企业名单的公示",
                                   "小巨人.xlsx"))
    status, out, _err = cli("confirm-batch")
    assert status == 0
    assert "2026年度（2026年）" not in out
    lines = [line.strip() for line in out.splitlines()]
    assert any(line.startswith("省级专精特新") and "  2026年度  1 家" in line for line in lines), out
    assert any("第五批（2023年）  1 家" in line for line in lines), out


def test_a_复核_batch_is_listed_apart_and_marked(cli, database):
    """A 复核 pass and a new batch with the same label and year were merged into one line,
    unmarked (fixc28 #2): listed apart, the 复核 one marked as the rosters mark it."""
    import datetime as dt

    from tiers.services import enterprises, recognitions

    with database.session() as session:
        for serial, review in ((1, False), (2, True), (3, True)):
            firm = enterprises.create(session, {"credit_code": make_code(serial),
                                                "name": f"常州公示{serial}科技有限公司"})
            recognitions.add(session, firm.id, {
                "tier_code": "zjtx", "batch_label": "2026年度", "batch_year": 2026,
                "is_review": review, "is_pending": True,
                "valid_until": dt.date(2029, 12, 31)})
    status, out, _err = cli("confirm-batch")
    assert status == 0
    lines = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert lines == ["省级专精特新中小企业  2026年度  1 家",
                     "省级专精特新中小企业  2026年度（复核）  2 家"], out
    status, out, _err = cli("confirm-batch", "--json")
    batches = __import__("json").loads(out)["pending_batches"]
    assert [(b["is_review"], b["count"]) for b in batches] == [(False, 1), (True, 2)]
