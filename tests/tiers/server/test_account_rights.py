"""What a client knows of its login's rights when it connects (Database.rights), read from
the server's own roles and counties: the client greys out what the login may not do and
says why, before the officer does the work (the server still refuses it)."""

from __future__ import annotations

import pytest

from tiers.storage.database import open_database
from tiers.storage.server.users import change_user


@pytest.fixture
def rights_of(bureau):
    opened = []

    def read(who: str):
        database = open_database(bureau.url_of(who))
        opened.append(database)
        return database.rights

    yield read
    for database in opened:
        database.dispose()


@pytest.mark.server_only
def test_each_role_is_known_at_connection(bureau, rights_of):
    admin = rights_of("admin")
    assert (admin.role, admin.is_admin, admin.refusal()) == ("admin", True, "")
    assert admin.admin_refusal("导入数据包") == ""

    editor = rights_of("editor")
    assert (editor.role, editor.is_admin, editor.may_write) == ("editor", False, True)
    assert editor.counties == {"320412"} and editor.county_names == ("武进区",)
    assert editor.refusal_for("320412", "武进区") == ""
    assert editor.refusal_for("320411", "新北区") == (
        "这家企业属于新北区，您的账号只能修改武进区的企业（如需修改，请该区县的同事或管理员修改）")
    assert editor.admin_refusal("导入数据包").startswith("导入数据包需要管理员账号")

    viewer = rights_of("viewer")
    assert (viewer.role, viewer.may_write, viewer.reads) == ("viewer", False, None)
    assert viewer.refusal() == "只读账号不能修改数据"
    assert viewer.refusal_for("320412", "武进区") == "只读账号不能修改数据"
    assert viewer.admin_refusal("备份") == "只读账号不能修改数据"

    county_viewer = rights_of("xinbei_viewer")
    assert (county_viewer.role, county_viewer.reads) == ("viewer", {"320411"})


@pytest.mark.server_only
def test_rights_changed_by_the_owner_are_read_at_the_next_connection(bureau, rights_of):
    change_user(bureau.url, bureau.logins["viewer"], role="editor", counties=["320411"])
    moved = rights_of("viewer")
    assert (moved.role, moved.counties, moved.county_names) == ("editor", {"320411"}, ("新北区",))


def test_a_file_allows_everything(tmp_path):
    database = open_database(tmp_path / "tiers.sqlite3")
    try:
        assert database.rights.is_admin and database.rights.role == ""
        assert database.rights.refusal_for("320411", "新北区") == ""
    finally:
        database.dispose()
