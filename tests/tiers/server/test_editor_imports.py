"""An editor imports into his own county on a server under row-level security: the bulk
writer's path for such a login (COPY into a temporary table, then one INSERT … SELECT
checked by the policies), a large import that may not drop the owner's indexes, the undo,
and a file with other counties' firms, whose rows are left out (不导入) while his go in."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from importers.plan import OUTSIDE
from tests.conftest import make_code
from tests.importers.helpers import by_row, import_file, undo, write_xlsx
from tiers.model.orm import Change, Enterprise, Recognition
from tiers.storage.database import open_database
from ui.cli.main import main

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


def test_a_roster_with_another_countys_new_firm_imports_his_own(bureau, editor, tmp_path):
    """The 新北 row is left out (不导入, said on the row with the county), the 武进 one is
    written: the whole file failed on the policy with a line naming no row (tester25)."""
    path = write_xlsx(tmp_path / "名录.xlsx", {"S": [
        ["企业名称", "统一社会信用代码", "县区"],
        ["常州武进新建机械有限公司", make_code(300, "320412"), "武进区"],
        ["常州新北新建装备有限公司", make_code(301, "320411"), "新北区"],
    ]})
    wujin, xinbei = _count(editor, "320412"), _count(editor, "320411")
    plan, batch_id = import_file(editor, path, kind="roster")
    assert batch_id is not None
    rows = by_row(plan)
    assert rows[2].action == "create"
    assert rows[3].action == OUTSIDE and rows[3].action_label == "不导入"
    [problem] = rows[3].problems
    assert problem.message == "其他区县（新北区），不在您负责的范围（武进区），不导入"
    assert (problem.row, problem.column, problem.severity) == (3, "C", "warning")
    assert plan.counts()["outside"] == 1 and plan.counts()["created"] == 1
    assert (_count(editor, "320412"), _count(editor, "320411")) == (wujin + 1, xinbei)


PROVINCE_TITLE = "2025年度省级专精特新中小企业名单"


def test_a_province_list_writes_his_countys_rows_in_one_go(bureau, editor, tmp_path):
    """A province's list: his county's firms (new and known) get the recognition; another
    county's known firm, another county's new one and a firm whose county cannot be told
    are left out, each saying why; nothing fails at the end."""
    unknown = make_code(312, "320400")  # registered by the city: no county in the code
    path = write_xlsx(tmp_path / "省级专精特新.xlsx", {"名单": [
        [PROVINCE_TITLE],
        ["序号", "设区市", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "常州市", "武进区", "常州武进精密机械有限公司", make_code(1, "320412")],
        [2, "常州市", "新北区", "常州新北智能装备有限公司", make_code(2, "320411")],
        [3, "常州市", "武进区", "常州武进新认定机械有限公司", make_code(310, "320412")],
        [4, "常州市", "新北区", "常州新北新认定电子有限公司", make_code(311, "320411")],
        [5, "常州市", "", "常州市不知何处科技有限公司", unknown],
    ]})
    with editor.session() as session:
        before = session.scalar(select(func.count(Recognition.id)))
    plan, batch_id = import_file(editor, path)
    rows = by_row(plan)
    assert [rows[n].action for n in range(3, 8)] == [
        "update", OUTSIDE, "create", OUTSIDE, OUTSIDE]
    assert rows[4].problems[-1].message == ("其他区县（新北区），不在您负责的范围（武进区），"
                                            "不导入")
    assert rows[4].problems[-1].column == "C"
    assert rows[7].problems[-1].message.startswith("未填县（市、区），不导入（县（市、区）未填的企业")
    assert plan.counts()["outside"] == 3
    assert batch_id is not None
    with editor.session() as session:
        holders = set(session.scalars(select(Recognition.enterprise_id)))
        assert session.scalar(select(func.count(Recognition.id))) == before + 2
        codes = set(session.scalars(select(Enterprise.credit_code)))
    assert bureau.wujin_firm in holders and bureau.xinbei_firm not in holders
    assert make_code(310, "320412") in codes
    assert make_code(311, "320411") not in codes and unknown not in codes


def test_the_cli_says_which_rows_it_leaves_out(bureau, tmp_path, capsys):
    """``tiers import`` with an editor's login: the rows left out under the row and in the
    counts, the rest imported (rc 0); ``--json`` counts them as ``outside``."""
    path = write_xlsx(tmp_path / "省级专精特新.xlsx", {"名单": [
        [PROVINCE_TITLE],
        ["序号", "县（市、区）", "企业名称", "统一社会信用代码"],
        [1, "武进区", "常州武进精密机械有限公司", make_code(1, "320412")],
        [2, "新北区", "常州新北智能装备有限公司", make_code(2, "320411")],
    ]})
    url = bureau.url_of("editor")
    assert main(["--db", url, "import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "第4行 [不导入] 常州新北智能装备有限公司" in out
    assert "      其他区县（新北区），不在您负责的范围（武进区），不导入" in out
    assert "错误 0，不导入（不在您负责的区县）1" in out
    assert main(["--db", url, "import", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["updated"], summary["outside"]) == (1, 1)
    assert summary["batch_id"] is not None
    assert any(p["row"] == 4 and "新北区" in p["message"] for p in summary["problems"])
