"""报送情况's 冲突 N for a viewer of one county (review of session 24): the conflicts are
read as the firms are now, and under the server's row rules a viewer of 新北区 does not
see the firm the city holds from 武进区's package, so his line said 0 conflicts where the
import recorded 1. He keeps the count and the credit code his own county's package sent,
with the county holding the firm; the other county's firm itself (its name) stays hidden."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select

from tests.tiers.exchange_helpers import DAY, WUJIN, XINBEI, imported, moved_to_xinbei
from tiers.exchange import package_status
from tiers.model.orm import Enterprise
from tiers.services import enterprises
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only

CITY = "320400"


def _moved(county, city, tmp_path) -> tuple[str, str]:
    """A 武进 firm the city has from 武进's package moves to 新北, whose next package sends
    it: a conflict on 新北's line, the firm held by 武进 (and so hidden from 新北's viewer)."""
    moved = moved_to_xinbei(county, city, tmp_path)
    assert len(imported(city, moved.package).conflicts) == 1
    return moved.code, moved.name


def _lines(target: str):
    database = open_database(target)
    try:
        with database.session() as session:
            return {line.code: line for line in package_status(session, city_code=CITY,
                                                               year=DAY.year)}
    finally:
        database.dispose()


@pytest.fixture
def conflict(bureau, county, tmp_path):
    city = open_database(bureau.url)
    try:
        code, name = _moved(county, city, tmp_path)
    finally:
        city.dispose()
    return code, name


def test_a_county_viewer_keeps_his_conflict_and_not_the_other_countys_firm(bureau, conflict):
    code, name = conflict
    line = _lines(bureau.url_of("xinbei_viewer"))[XINBEI]
    assert line.conflicts == 1
    assert line.firms_text.endswith("（冲突 1）")
    [firm] = line.conflict_firms
    assert (firm.credit_code, firm.name, firm.hidden) == (code, "", True)
    assert (firm.held_by_code, firm.held_by_name) == (WUJIN, "武进区")
    assert line.conflict_lines[1] == (f"信用代码 {code}（企业在武进区，您的账号看不到它的名称与详情）："
                                      "已由武进区的数据包报送，新北区的数据包也有")
    assert name not in "".join(line.conflict_lines)

    # the city's viewer (no county) and the admin see the firm itself, as before
    for who in ("viewer", "admin"):
        [seen] = _lines(bureau.url_of(who))[XINBEI].conflict_firms
        assert (seen.name, seen.hidden) == (name, False)


def test_a_conflict_settled_since_leaves_the_county_viewers_count_too(bureau, conflict):
    code, _name = conflict
    city = open_database(bureau.url)
    try:
        with city.session() as session:
            enterprises.soft_delete(session, session.scalar(
                select(Enterprise.id).where(Enterprise.credit_code == code)))
    finally:
        city.dispose()
    line = _lines(bureau.url_of("xinbei_viewer"))[XINBEI]
    assert (line.conflicts, line.conflict_firms) == (0, [])


def test_the_servers_answer_is_only_of_a_county_he_reads(bureau, conflict):
    """The function reads past the row rules: it answers for a package of the caller's
    own counties only, so no viewer finds another county's firms by asking."""
    code, _name = conflict
    batch = _lines(bureau.url)[XINBEI].batch_id
    wujin_batch = _lines(bureau.url)[WUJIN].batch_id
    bureau.add("wujin_viewer", "viewer", [WUJIN])
    ask = "SELECT code, holder FROM public.tiers_package_conflicts(%s, %s)"
    with bureau.connect_as("xinbei_viewer") as viewer:
        assert viewer.execute(ask, (batch, XINBEI)).fetchall() == [(code, WUJIN)]
        assert viewer.execute(ask, (wujin_batch, XINBEI)).fetchall() == []  # not its package
    with bureau.connect_as("wujin_viewer") as other:
        assert other.execute(ask, (batch, XINBEI)).fetchall() == []
    with bureau.connect_as("viewer") as city_viewer:
        assert city_viewer.execute(ask, (batch, XINBEI)).fetchall() == [(code, WUJIN)]


def test_a_server_not_set_up_again_still_counts_the_hidden_conflict(bureau, conflict):
    """A server whose ``tiers server init`` predates the function cannot say whether the
    hidden firm's conflict is settled: the viewer's count stands, saying so."""
    code, _name = conflict
    with psycopg.connect(bureau.url, autocommit=True) as owner:
        owner.execute("DROP FUNCTION public.tiers_package_conflicts(bigint, text)")
    line = _lines(bureau.url_of("xinbei_viewer"))[XINBEI]
    assert line.conflicts == 1
    [firm] = line.conflict_firms
    assert (firm.credit_code, firm.hidden, firm.held_by_code) == (code, True, "")
    assert line.conflict_lines[1] == (f"信用代码 {code}（您的账号看不到这家企业，也无法判断冲突是否已了结）："
                                      "已由其他区县的数据包报送，新北区的数据包也有")
    # one who sees every firm still reads a firm not found as gone
    [seen] = _lines(bureau.url_of("viewer"))[XINBEI].conflict_firms
    assert seen.hidden is False
