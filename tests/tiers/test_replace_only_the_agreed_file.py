"""The officer's 覆盖 covers the file he was asked about, as it was then (issue #16): the
desktop's report export, one-file 采集表 and 填写上级模板 replaced whatever was under the
name when the written file was moved into place. output.move_into_place now takes the
file's identity when he agreed (WorkFooter.replace_agreed, tiers.outputs.file_identity), as
the package export does: that file unchanged is replaced; another saved over it meanwhile
only when it is Tiers' own untouched output."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from tiers import outputs
from tiers.reports import output
from tiers.reports.output_folder import OneFile


def _officers_workbook(path: Path, text: str = "科室自己的台账") -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = text
    book.save(path)


def _written(target: Path) -> Path:
    temporary = output.temporary_beside(target)
    temporary.write_bytes(b"the export just written")
    return temporary


@pytest.fixture
def target(tmp_path) -> Path:
    path = tmp_path / "名单.xlsx"
    _officers_workbook(path)
    return path


def test_the_agreed_file_left_as_it_was_is_replaced(target):
    agreed = outputs.file_identity(target)
    output.move_into_place(_written(target), target, only_ours=True, agreed=agreed)
    assert target.read_bytes() == b"the export just written"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


@pytest.mark.parametrize("how", ["saved over it", "renamed over it"])
def test_another_file_under_the_name_is_kept_and_the_officer_told(target, how):
    agreed = outputs.file_identity(target)
    temporary = _written(target)
    if how == "saved over it":  # the same file, saved again (WPS, in place)
        _officers_workbook(target, "在 WPS 中改过")
    else:  # a colleague's return saved under the name (written beside, renamed over)
        other = target.with_name("同事的.xlsx")
        _officers_workbook(other, "同事交回的")
        other.replace(target)
    kept = target.read_bytes()
    with pytest.raises(output.TargetError) as refused:
        output.move_into_place(temporary, target, only_ours=True, agreed=agreed)
    assert target.read_bytes() == kept
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # the written file gone
    said = str(refused.value)
    assert said == outputs.refusal(target, agreed=agreed)
    assert str(target) in said and "同意覆盖之后" in said and "不会覆盖" in said


def test_tiers_own_untouched_output_saved_over_it_is_replaced(target):
    agreed = outputs.file_identity(target)
    temporary = _written(target)
    other = target.with_name("另一次导出.xlsx")
    book = xlsxwriter.Workbook(str(other))
    book.set_properties({"comments": f"{outputs.MARK} 1.0", "keywords": outputs.MARK})
    book.add_worksheet().write("A1", "名单")
    book.close()
    other.replace(target)
    assert outputs.file_identity(target) != agreed
    output.move_into_place(temporary, target, only_ours=True, agreed=agreed)
    assert target.read_bytes() == b"the export just written"


def test_the_one_file_collection_passes_the_agreed_file_on(target):
    agreed = outputs.file_identity(target)
    files = OneFile(target, replace_foreign=False, agreed=agreed)
    files.paths[0].write_bytes(b"the collection workbook")
    assert files.commit() == [target] and target.read_bytes() == b"the collection workbook"
    _officers_workbook(target, "企业交回的采集表")
    kept = target.read_bytes()
    files = OneFile(target, replace_foreign=False, agreed=agreed)  # agreed to the old one
    files.paths[0].write_bytes(b"the collection workbook")
    with pytest.raises(output.TargetError):
        files.commit()
    assert target.read_bytes() == kept
    assert [p.name for p in target.parent.iterdir()] == [target.name]
