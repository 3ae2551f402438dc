"""The import wizard's 保存问题行 says why a file could not be written in Chinese, and asks
whether Excel holds it only when the system refused the file (the break campaign of #17:
“无法保存到 …：No space left on device（文件是否正在 Excel 中打开？）”)."""

from __future__ import annotations

import errno
import zipfile

import pytest

from tests.importers.helpers import plan_file
from tiers.errors import Refused
from ui.import_wizard import jobs


@pytest.fixture
def plan(database, tmp_path):
    roster = tmp_path / "名录.csv"
    roster.write_text("企业名称,统一社会信用代码\n常州乙公司,913204001234\n", encoding="utf-8")
    return plan_file(database, roster, kind="roster")


@pytest.mark.parametrize(("error", "said"), [
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘已满"),
    (PermissionError(errno.EACCES, "Permission denied"), "没有权限（文件是否正在 Excel 中打开？）")])
def test_the_reason_is_chinese(plan, tmp_path, monkeypatch, error, said):
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(zipfile.ZipFile, "writestr", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "write", refuse)
    target = tmp_path / "问题行.xlsx"
    with pytest.raises(Refused) as refused:
        jobs.save_problem_rows(plan, str(target))
    assert str(refused.value) == f"无法保存到 {target}：{said}"
