"""本单位负责的区县 on a server after tiers server init: an admin sets it, an editor and a
viewer read it and are refused setting it (in Chinese, nothing changed); an editor's import
of a province's list then leaves out both the other counties' firms his login may not
write and, of the rest, those outside the unit's counties."""

from __future__ import annotations

import pytest

from tests.conftest import make_code
from tests.importers.helpers import by_row, plan_file, write_xlsx
from tiers.errors import Refused
from tiers.services import unit as unit_service
from tiers.storage.database import open_database
from tiers.storage.faults import DatabaseError

pytestmark = pytest.mark.server_only


def _open(bureau, who):
    return open_database(bureau.url_of(who))


def test_admin_sets_others_read_and_are_refused(bureau, tmp_path):
    admin, editor, viewer = (_open(bureau, who) for who in ("admin", "editor", "viewer"))
    try:
        with admin.session() as session:
            unit_service.set_unit_counties(session, ["常州市"])
        for database in (editor, viewer):
            with database.session() as session:
                assert unit_service.unit_counties(session).divisions == (("320400", "常州市"),)
            with pytest.raises(Refused, match="设置本单位负责的区县需要管理员账号|只读账号不能修改数据"), \
                    database.session() as session:
                unit_service.set_unit_counties(session, ["溧阳市"])
        # the server itself refuses what slipped past (its grants: read only)
        with pytest.raises(DatabaseError, match="没有这项操作的权限"), editor.session() as session:
            session.execute(unit_service.delete(unit_service.UnitCounty))
        with admin.session() as session:
            unit_service.set_unit_counties(session, ["武进区"])
        path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
            ["2025年度省级专精特新中小企业名单"], ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
            [1, "武进区", "常州武进新认定有限公司", make_code(11, "320412")],
            [2, "新北区", "常州新北新认定有限公司", make_code(12, "320411")],
        ]})
        rows = by_row(plan_file(editor, path))
        assert (rows[3].action, rows[4].action) == ("create", "outside")  # his login's rule first
        rows = by_row(plan_file(admin, path))
        assert (rows[3].action, rows[4].action) == ("create", "other_unit")
    finally:
        for database in (admin, editor, viewer):
            database.dispose()


def test_a_firm_an_editor_takes_in_is_the_units_for_his_next_list(bureau, tmp_path):
    """tester28a: the batch records the 开发区 firm the editor took in (一并导入这些行), and
    his next list reads it as the unit's, on the server as on a laptop."""
    from tests.importers.helpers import import_file

    admin, editor = _open(bureau, "admin"), _open(bureau, "editor")
    try:
        with admin.session() as session:
            unit_service.set_unit_counties(session, ["武进区"])
        rows = [["2026年度省级专精特新中小企业名单"], ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
                [1, "武进区", "常州武进本区有限公司", make_code(31, "320412")],
                [2, "", "常州园区未写县区有限公司", make_code(32, "320400")]]
        path = write_xlsx(tmp_path / "名单.xlsx", {"S": rows})
        assert by_row(plan_file(editor, path))[4].action == "other_unit"
        plan, batch = import_file(editor, path, take_other_counties=True)
        assert batch is not None and plan.taken_in_rows == {4}
        with editor.session() as session:
            assert len(unit_service.taken_in(session)) == 1
        later = write_xlsx(tmp_path / "名录.xlsx", {"S": [
            ["企业名称", "统一社会信用代码", "县区", "联系电话"],
            ["常州园区未写县区有限公司", make_code(32, "320400"), "常州某园区", "0519-1234567"]]})
        assert [row.action for row in plan_file(editor, later, kind="roster").rows] == ["update"]
    finally:
        admin.dispose()
        editor.dispose()


def test_an_upgrade_without_init_again_lets_an_editor_import(bureau, tmp_path):
    """A server upgraded from 0011 by its owner (the client or tiers server init's first
    step) before init is run again: the editor's import plan reads the new table."""
    import psycopg

    with psycopg.connect(bureau.url, autocommit=True) as owner:
        owner.execute("DROP TABLE unit_county")
        owner.execute("UPDATE alembic_version SET version_num = '0011'")
    open_database(bureau.url).dispose()  # the owner's open upgrades it
    editor = _open(bureau, "editor")
    try:
        with editor.session() as session:
            assert not unit_service.unit_counties(session).is_set
        path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
            ["企业名称", "统一社会信用代码", "县区"],
            ["常州武进升级后有限公司", make_code(21, "320412"), "武进区"]]})
        assert [row.action for row in plan_file(editor, path, kind="roster").rows] == ["create"]
    finally:
        editor.dispose()


def test_the_units_changes_are_in_tiers_user_log(bureau):
    """An admin's change of 本单位负责的区县 alters every editor's imports: tiers user log
    says who changed it, when, from what to what (review26 #13); a refused one logs
    nothing."""
    from tiers.storage.server.users import user_log

    admin, editor = _open(bureau, "admin"), _open(bureau, "editor")
    try:
        with admin.session() as session:
            unit_service.set_unit_counties(session, ["溧阳市"])
        with admin.session() as session:
            unit_service.set_unit_counties(session, ["常州市"])
        with pytest.raises(Refused), editor.session() as session:
            unit_service.set_unit_counties(session, ["武进区"])
    finally:
        admin.dispose()
        editor.dispose()
    lines = [(line.by, line.action_name, line.detail) for line in user_log(bureau.url)
             if line.action == "unit"]
    assert lines == [
        (bureau.logins["admin"], "设置本单位负责的区县", "本单位负责的区县：未设定 → 溧阳市"),
        (bureau.logins["admin"], "设置本单位负责的区县", "本单位负责的区县：溧阳市 → 常州市")]
