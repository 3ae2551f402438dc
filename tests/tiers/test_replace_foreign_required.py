"""Replacing files not Tiers' own is never the default (review26 #11): ``replace_foreign``
defaulted to True in FolderFiles and the 采集表 export, so a new caller that forgot it
replaced the firms' filled-in returns in a folder. Now it must be said; said False, a
foreign file in the folder is refused and kept."""

from __future__ import annotations

import inspect

import openpyxl
import pytest

from tiers.reports import collection
from tiers.reports.base import ReportError
from tiers.reports.output_folder import FolderFiles


@pytest.mark.parametrize("function", [FolderFiles.__init__, collection.export_steps])
def test_replace_foreign_has_no_default(function):
    parameter = inspect.signature(function).parameters["replace_foreign"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    assert parameter.default is inspect.Parameter.empty


def test_a_folder_export_that_does_not_say_is_refused_before_touching_anything(tmp_path):
    returned = tmp_path / "常州恒立液压科技有限公司.xlsx"
    book = openpyxl.Workbook()
    book.active["F5"] = 5200.5  # a firm's return
    book.save(returned)
    before = returned.read_bytes()
    with pytest.raises(TypeError):
        FolderFiles(tmp_path, [returned.name])  # pylint: disable=missing-kwoa
    with pytest.raises(ReportError):
        FolderFiles(tmp_path, [returned.name], replace_foreign=False)
    assert returned.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [returned.name]
