"""An editor imports into his own county on a server under row-level security: the bulk
writer's path for such a login (COPY into a temporary table, then one INSERT … SELECT
checked by the policies), a large import that may not drop the owner's indexes, the undo,
and a file with another county's firm that is refused whole."""

from __future__ import annotations

import csv

import pytest
from sqlalchemy import func, select

from tests.conftest import make_code
from tests.importers.helpers import import_file, undo, write_xlsx
from tiers.model.orm import Change, Enterprise
from tiers.storage.database import open_database
from tiers.storage.faults import DatabaseError

pytestmark = pytest.mark.server_only


@pytest.fixture
def editor(bureau):
    database = open_database(bureau.url_of("editor"))
    yield database
    database.dispose()


def _count(database, county: str) -> int:
    with database.session() as session:
        return session.scalar(select(func.count(Enterprise.id))
                              .where(Enterprise.county_code == county))


def test_an_editor_imports_and_undoes_in_his_county(bureau, editor, tmp_path):
    path = write_xlsx(tmp_path / "武进区名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区"],
        *[[f"常州武进{i}号机械有限公司", make_code(100 + i, "320412"), "武进区"]
          for i in range(20)],
    ]})
    before = _count(editor, "320412")
    _plan, batch_id = import_file(editor, path, kind="roster")
    assert _count(editor, "320412") == before + 20
    with editor.session() as session:  # the log names his login, written by the server
        users = set(session.scalars(select(Change.user)
                                    .where(Change.import_batch_id == batch_id)))
    assert users == {bureau.logins["editor"]}
    undo(editor, batch_id)
    assert _count(editor, "320412") == before


@pytest.mark.slow
def test_a_large_import_by_an_editor_keeps_the_owners_indexes(bureau, editor, tmp_path):
    """20,000 new firms would have the indexes dropped and rebuilt, which only the tables'
    owner may do: an editor's import keeps them instead of failing."""
    rows = [["企业名称", "统一社会信用代码", "县区"]]
    rows += [[f"常州武进批量{i}有限公司", make_code(1000 + i, "320412"), "武进区"]
             for i in range(20_000)]
    path = tmp_path / "大名录.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    before = _count(editor, "320412")
    import_file(editor, path, kind="roster")
    assert _count(editor, "320412") == before + 20_000


def test_a_file_with_another_countys_new_firm_is_refused_whole(bureau, editor, tmp_path):
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区"],
        ["常州武进新建机械有限公司", make_code(300, "320412"), "武进区"],
        ["常州新北新建装备有限公司", make_code(301, "320411"), "新北区"],
    ]})
    wujin, xinbei = _count(editor, "320412"), _count(editor, "320411")
    with pytest.raises(DatabaseError, match="没有修改"):
        import_file(editor, path, kind="roster")
    assert (_count(editor, "320412"), _count(editor, "320411")) == (wujin, xinbei)
