"""An import or its undo that changes a firm raises the firm's version, so that an
enterprise window opened before it cannot save its older reading over what the import (or
the undo) wrote: the save meets a conflict instead (tiers.services.versions)."""

from __future__ import annotations

import pytest

from tests.conftest import make_code
from tests.importers.helpers import import_file, undo, write_xlsx
from tiers.services import enterprises, versions
from tiers.services.profile import ProfileConflict, load, save_profile


@pytest.fixture
def firm(database) -> int:
    with database.session() as session:
        return enterprises.create(session, {
            "credit_code": make_code(1), "name": "常州甲机械有限公司", "county": "武进区",
            "address": "湖塘路1号"}).id


def _version(database, firm_id) -> int:
    with database.session() as session:
        return versions.current(session, firm_id)


def test_an_import_that_changes_a_firm_raises_its_version_and_its_undo_too(database, firm,
                                                                         tmp_path):
    untouched = _version(database, firm)
    with database.session() as session:
        other = enterprises.create(session, {"credit_code": make_code(2),
                                             "name": "常州乙机械有限公司", "county": "武进区"}).id
    before_other = _version(database, other)
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "地址"],
        ["常州甲机械有限公司", make_code(1), "湖塘路99号"],
        ["常州丙机械有限公司", make_code(3), "常武路1号"],
    ]})
    _plan, batch_id = import_file(database, path, kind="roster")
    assert _version(database, firm) > untouched
    assert _version(database, other) == before_other  # not in the file: not raised
    after_import = _version(database, firm)
    undo(database, batch_id)
    assert _version(database, firm) > after_import


def test_a_window_opened_before_an_import_cannot_overwrite_it(database, firm, tmp_path):
    with database.session() as session:
        opened = load(session, firm)  # the officer opens the firm …
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "地址"],
        ["常州甲机械有限公司", make_code(1), "湖塘路99号"],
    ]})
    import_file(database, path, kind="roster")  # … a colleague imports
    with pytest.raises(ProfileConflict) as raised, database.session() as session:
        save_profile(session, firm, {"address": "湖塘路2号"}, base=opened, user="officer")
    [item] = raised.value.conflicts
    assert (item.theirs, item.mine) == ("湖塘路99号", "湖塘路2号")
    with database.session() as session:
        assert enterprises.get(session, firm).address == "湖塘路99号"
