"""What a viewer limited to one county reads of 导入记录 and 报送情况 (README: a viewer
reads his counties): the import batches that changed his county's firms and the packages'
lines of his county, through the server's row rules, as for the firms themselves; a city
viewer (no county), an editor and an admin read every county's."""

from __future__ import annotations

import psycopg
import pytest

from tiers.exchange.status import package_status
from tiers.queries.imports import import_batches
from tiers.storage.database import open_database

pytestmark = pytest.mark.server_only


def _submitted(owner: psycopg.Connection, firm: int, county: str, name: str) -> int:
    """A county's package as applied here: its batch, a change of its firm, its lines."""
    batch = owner.execute(
        "INSERT INTO import_batch (file_name, sha256, sheet, kind, mapping, counts, created_at,"
        " \"user\", undone_by) VALUES (%s, repeat('0', 64), '', 'package', '{}', '{}', now(),"
        " '', '') RETURNING id", (f"{name}数据包.zip",)).fetchone()[0]
    owner.execute("INSERT INTO change (entity, entity_id, enterprise_id, action, field, at,"
                  " \"user\", import_batch_id) VALUES ('enterprise', %s, %s, 'update', 'notes',"
                  " now(), '', %s)", (firm, firm, batch))
    package = owner.execute(
        "INSERT INTO exchange_package (import_batch_id, file_name, sha256, source_unit,"
        " package_date, tiers_version, counts) VALUES (%s, %s, repeat('0', 64), %s, now(),"
        " '1', '{}') RETURNING id", (batch, f"{name}数据包.zip", f"常州市{name}工业和信息化局")
    ).fetchone()[0]
    owner.execute("INSERT INTO exchange_package_county (package_id, county_code, county_name,"
                  " firms) VALUES (%s, %s, %s, 1)", (package, county, name))
    return batch


@pytest.fixture
def submitted(bureau):
    with psycopg.connect(bureau.url) as owner:
        wujin = _submitted(owner, bureau.wujin_firm, "320412", "武进区")
        xinbei = _submitted(owner, bureau.xinbei_firm, "320411", "新北区")
        # the city's own import, of a 武进区 firm
        own = owner.execute(
            "INSERT INTO import_batch (file_name, sha256, sheet, kind, mapping, counts,"
            " created_at, \"user\", undone_by) VALUES ('市里名单.xlsx', repeat('1', 64), 'S',"
            " 'roster', '{}', '{}', now(), '', '') RETURNING id").fetchone()[0]
        owner.execute("INSERT INTO change (entity, entity_id, enterprise_id, action, field, at,"
                      " \"user\", import_batch_id) VALUES ('enterprise', %s, %s, 'update',"
                      " 'notes', now(), '', %s)", (bureau.wujin_firm, bureau.wujin_firm, own))
        # data that logs no changes (the demo's): its firms carry the batch that made them
        made = owner.execute(
            "INSERT INTO import_batch (file_name, sha256, sheet, kind, mapping, counts,"
            " created_at, \"user\", undone_by) VALUES ('演示数据', '', '', 'demo', '{}', '{}',"
            " now(), '', '') RETURNING id").fetchone()[0]
        owner.execute("UPDATE enterprise SET import_batch_id = %s WHERE id = %s",
                      (made, bureau.xinbei_firm))
    return {"武进区": wujin, "新北区": xinbei, "市里": own, "演示": made}


def _seen(bureau, who: str):
    database = open_database(bureau.url_of(who))
    try:
        with database.session() as session:
            batches = {row["id"] for row in import_batches(session)}
            lines = {line.name: line.sent for line in package_status(session, city_code="320400")}
    finally:
        database.dispose()
    return batches, lines


def test_a_county_viewer_reads_his_countys_imports_and_submissions(bureau, submitted):
    batches, lines = _seen(bureau, "xinbei_viewer")
    assert batches == {submitted["新北区"], submitted["演示"]}
    assert lines == {"新北区": True}  # not 武进区 as sent, nor the others as not sent


@pytest.mark.parametrize("who", ["viewer", "editor", "admin"])
def test_the_city_an_editor_and_an_admin_read_every_countys(bureau, submitted, who):
    batches, lines = _seen(bureau, who)
    assert batches == set(submitted.values())
    assert lines["武进区"] is True and lines["新北区"] is True and lines["天宁区"] is False


def test_plain_sql_of_a_county_viewer_is_limited_too(bureau, submitted):
    with bureau.connect_as("xinbei_viewer") as crafted:
        assert crafted.execute("SELECT county_code FROM exchange_package_county").fetchall() == [
            ("320411",)]
        assert crafted.execute("SELECT count(*) FROM exchange_package").fetchone()[0] == 1
        assert crafted.execute("SELECT id FROM import_batch ORDER BY id").fetchall() == [
            (submitted["新北区"],), (submitted["演示"],)]


def test_an_editor_still_records_and_undoes_his_imports(bureau, submitted):
    """import_batch is under row rules now: an editor's import still writes its batch."""
    with bureau.connect_as("editor") as editor:
        batch = editor.execute(
            "INSERT INTO import_batch (file_name, sha256, sheet, kind, mapping, counts,"
            " created_at, \"user\", undone_by) VALUES ('武进区名单.xlsx', repeat('2', 64), 'S',"
            " 'roster', '{}', '{}', now(), '', '') RETURNING id").fetchone()[0]
        editor.execute("UPDATE import_batch SET counts = '{\"created\": 1}' WHERE id = %s",
                       (batch,))
        editor.execute("UPDATE import_batch SET undone_at = now() WHERE id = %s",
                       (submitted["武进区"],))
