"""`tiers import … --errors OUT.xlsx` checks where the report goes before the batch is
written (it used to commit the batch, then fail on the report with a traceback)."""

from __future__ import annotations

import os

import pytest

from importers import ImportRefused
from tests.conftest import make_code
from tests.importers.helpers import table_counts, write_xlsx
from ui.cli.main import main


def _roster(tmp_path):
    return write_xlsx(tmp_path / "名单.xlsx", {"Sheet1": [
        ["2023年度省级专精特新中小企业名单"],
        ["企业名称", "统一社会信用代码", "认定日期"],
        ["甲有限公司", make_code(1), "2023-12-01"],
        ["乙有限公司", "91320412MA00000X9Z", "2023-12-01"],
    ]})


def _targets(tmp_path):
    folder = tmp_path / "只读"
    folder.mkdir()
    os.chmod(folder, 0o555)
    plain_file = tmp_path / "文件"
    plain_file.write_text("x")
    return {
        "a folder": (tmp_path, "是一个文件夹"),
        "a read-only folder": (folder / "问题行.xlsx", "不可写入"),
        "under a file": (plain_file / "问题行.xlsx", "不是文件夹"),
    }


@pytest.mark.parametrize("case", ["a folder", "a read-only folder", "under a file"])
def test_an_unwritable_errors_target_is_refused_before_anything_is_written(
        tmp_path, database, capsys, case, db_target):
    if case == "a read-only folder" and os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    target, said = _targets(tmp_path)[case]
    before = table_counts(database)
    status = main(["--db", str(db_target), "import", str(_roster(tmp_path)),
                   "--errors", str(target)])
    error = capsys.readouterr().err
    assert status != 0
    assert said in error and "Traceback" not in error and "Error" not in error
    assert table_counts(database) == before


def test_a_missing_folder_is_still_made(tmp_path, database, capsys, db_target):
    target = tmp_path / "新" / "问题行.xlsx"
    status = main(["--db", str(db_target), "import", str(_roster(tmp_path)),
                   "--errors", str(target)])
    assert status == 0 and target.is_file()


def test_a_folder_without_write_permission_is_refused(tmp_path, monkeypatch):
    """What a read-only folder does for a user who is not root (root writes anyway)."""
    import importers.report as report

    real_access = os.access
    monkeypatch.setattr(report.os, "access", lambda path, mode: (
        False if os.fspath(path) == os.fspath(tmp_path) else real_access(path, mode)))
    with pytest.raises(ImportRefused, match="不可写入"):
        report.check_report_target(tmp_path / "问题行.xlsx")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_list_being_imported_is_never_the_problem_file(tmp_path, database, capsys,
                                                           db_target, suffix):
    """``--errors 名单.xlsx`` while importing 名单.xlsx wrote the problem rows over the list,
    even with --dry-run (the break campaign of #17); a .csv got a workbook's bytes."""
    if suffix == ".xlsx":
        roster = _roster(tmp_path)
    else:
        roster = tmp_path / "名单.csv"
        roster.write_text("企业名称,统一社会信用代码\n常州乙公司,913204001234\n",
                          encoding="utf-8")
    before = roster.read_bytes()
    status = main(["--db", str(db_target), "import", str(roster), "--dry-run",
                   "--errors", str(roster)])
    assert status != 0
    assert f"问题行文件不能保存为正在导入的文件“{roster.name}”本身" in capsys.readouterr().err
    assert roster.read_bytes() == before


def test_a_problem_file_not_named_xlsx_is_refused(tmp_path, database, capsys, db_target):
    status = main(["--db", str(db_target), "import", str(_roster(tmp_path)),
                   "--errors", str(tmp_path / "问题行.csv")])
    assert status != 0 and "问题行文件应以 .xlsx 结尾" in capsys.readouterr().err
    assert not (tmp_path / "问题行.csv").exists()


def test_the_wizards_problem_file_is_never_the_list_either(tmp_path, database):
    """The import wizard saves through write_error_report alone: the list's own bytes
    (its digest, kept in the plan) are refused there too."""
    from importers.report import write_error_report
    from tests.importers.helpers import plan_file

    roster = _roster(tmp_path)
    copy = tmp_path / "名单（副本）.xlsx"
    copy.write_bytes(roster.read_bytes())
    plan = plan_file(database, roster)
    for target in (roster, copy):
        with pytest.raises(ImportRefused, match="不能保存为正在导入的文件"):
            write_error_report(plan, target)
    assert roster.read_bytes() == copy.read_bytes()


def test_the_list_edited_since_the_plan_is_refused_by_its_path(tmp_path, database):
    """A list saved again in Excel after the preview has another digest: the path given as
    ``source`` still refuses it (review of round 14)."""
    from importers.report import write_error_report
    from tests.importers.helpers import plan_file

    roster = _roster(tmp_path)
    plan = plan_file(database, roster)
    roster.write_bytes(roster.read_bytes() + b"\0")  # edited since
    edited = roster.read_bytes()
    with pytest.raises(ImportRefused, match="不能保存为正在导入的文件"):
        write_error_report(plan, roster, source=roster)
    assert roster.read_bytes() == edited


def test_a_missing_list_beside_an_existing_problem_file_is_no_system_error(tmp_path):
    """``tiers import 不存在.xlsx --errors 已有.xlsx``: the target check compares the two
    without the operating system's error for the missing list (the list's own refusal,
    找不到文件, follows)."""
    from importers.report import check_report_target

    existing = tmp_path / "已有.xlsx"
    existing.write_bytes(b"")
    check_report_target(existing, source=tmp_path / "不存在.xlsx")  # raises nothing
