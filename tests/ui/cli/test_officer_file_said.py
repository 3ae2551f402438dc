"""An officer.json the command line cannot read (broken, another program's file named by
TIERS_OFFICER_FILE) was read silently as empty: the import recorded the system account and
nobody knew why (review of session 28, #1). It is said once on stderr, with the path."""

from __future__ import annotations

import getpass

from sqlalchemy import select

from tests.importers.helpers import write_xlsx
from tiers.model.orm import ImportBatch
from tiers.storage.database import open_database


def test_an_unreadable_officer_file_is_said_once(cli, db_target, tmp_path, code, monkeypatch):
    broken = tmp_path / "其他程序.json"
    broken.write_text('{"name": "王科员", ', encoding="utf-8")
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(broken))
    path = write_xlsx(tmp_path / "名录.xlsx", {"武进区": [
        ["名录"], ["序号", "企业名称", "统一社会信用代码", "县区"],
        [1, "常州操作2号科技有限公司", code(791), "武进区"]]})
    status, _out, err = cli("import", path)
    assert status == 0, err
    said = [line for line in err.splitlines() if str(broken) in line]
    assert len(said) == 1 and "不是有效的设置文件" in said[0] and "操作人按系统用户记" in said[0], err
    database = open_database(db_target)
    try:
        with database.session() as session:
            assert session.scalars(select(ImportBatch.user)).all() == [getpass.getuser()]
    finally:
        database.dispose()
    assert broken.read_text(encoding="utf-8") == '{"name": "王科员", '


def test_a_readable_one_is_not_mentioned(cli, tmp_path, monkeypatch):
    good = tmp_path / "officer.json"
    good.write_text('{"name": "王科员"}', encoding="utf-8-sig")
    monkeypatch.setenv("TIERS_OFFICER_FILE", str(good))
    _status, _out, err = cli("info")
    assert "officer" not in err and "设置文件" not in err, err
