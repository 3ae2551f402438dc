"""候选企业 with 本单位负责的区县 recorded (cand28): a tester on 新北区's laptop saw 武进 and
溧阳 firms among the candidates, which other counties' lists imported earlier brought in.
The candidates follow the reports' rule (tiers.queries.unit_scope): by default the unit's
firms; （全部区县，含本单位以外） lists every firm, one county its own; no unit: every firm."""

from __future__ import annotations

from tests.conftest import make_code
from tiers import assess
from tiers.model.vocabulary import ALL_COUNTIES_CHOICE, NO_COUNTY_CHOICE
from tiers.progress import drain
from tiers.services import enterprises
from tiers.services.unit import set_unit_counties
from ui.cli.main import main

OURS, THEIRS, ZONE = "新北区材料有限公司", "溧阳市机械有限公司", "新北高新区电子有限公司"


def add_firms(session, *, unit: bool = True) -> None:
    """A 新北区 firm, a 溧阳市 firm and a no-county 开发区 firm of 新北区's; none holds a
    title, so each is a candidate (不符合 or 缺数据: listed with include_not_ready)."""
    enterprises.create(session, {"credit_code": make_code(1, "320411"), "name": OURS,
                                 "county_code": "320411"})
    enterprises.create(session, {"credit_code": make_code(2, "320481"), "name": THEIRS,
                                 "county_code": "320481"})
    enterprises.create(session, {"credit_code": make_code(3, "320400"), "name": ZONE,
                                 "county": "新北高新区"})
    if unit:
        set_unit_counties(session, ["新北区"])
    session.flush()


def names(session, county=None) -> set[str]:
    found = drain(assess.ranked_steps(session, "创新型", county=county,
                                      include_not_ready=True))
    return {item.name for item in found.ranked + found.flagged}


def test_the_default_lists_only_the_units_firms(session):
    add_firms(session)
    assert names(session) == {OURS, ZONE}


def test_the_choices_as_the_reports_read_them(session):
    add_firms(session)
    assert names(session, ALL_COUNTIES_CHOICE) == {OURS, THEIRS, ZONE}
    assert names(session, NO_COUNTY_CHOICE) == {ZONE}
    assert names(session, "溧阳市") == {THEIRS}
    assert names(session, "新北区") == {OURS, ZONE}  # the unit's one county: its zone too


def test_no_unit_lists_every_firm_as_before(session):
    add_firms(session, unit=False)
    assert names(session) == {OURS, THEIRS, ZONE}
    assert names(session, "溧阳市") == {THEIRS}


def test_tiers_assess_lists_the_units_and_says_what_it_leaves_out(database, db_target, capsys):
    with database.session() as session:
        add_firms(session)
    capsys.readouterr()
    assert main(["--db", str(db_target), "assess", "--tier", "创新型", "--all"]) == 0
    out, err = capsys.readouterr()
    assert OURS in out and ZONE in out and THEIRS not in out
    assert ("注意：本单位负责的区县为新北区：报表默认只含新北区的企业及按规则属于本单位的未填区县企业，"
            "未含溧阳市 1 家；要包含它们，请加 --county all（全部区县），或 --county 该县（市、区）"
            ) in err
    assert main(["--db", str(db_target), "assess", "--tier", "创新型", "--all",
                 "--county", "all"]) == 0
    out, err = capsys.readouterr()
    assert THEIRS in out and "注意" not in err
