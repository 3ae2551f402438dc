"""The one cut of a list named in a line (等 N 家), which the package dialog and
``tiers package import`` both use (review26: each wrote it), and the undo question, a bulk
result and the command line's 对应多家企业 too (mends27: each wrote it again, two of them
differently)."""

from __future__ import annotations

import inspect

from tiers.text.lists import names_cut


def test_the_names_shown_and_the_cut_said():
    assert names_cut(["常州甲公司", "常州乙公司"], 2) == "常州甲公司、常州乙公司"
    assert names_cut(["常州甲公司", "常州乙公司"], 1200) == "常州甲公司、常州乙公司 等 1,200 家"
    assert names_cut([], 0) == ""


def test_the_joiner_the_unit_and_a_count_said_before():
    assert names_cut(["甲：已删除", "乙：已删除"], 12, joiner="；") == "甲：已删除；乙：已删除 等 12 家"
    assert names_cut(["联系电话", "地址"], 3, unit="项") == "联系电话、地址 等 3 项"
    assert names_cut(["常州甲公司", "常州乙公司"], 4, counted=True) == "常州甲公司、常州乙公司 等"
    assert names_cut(["常州甲公司"], 1, counted=True) == "常州甲公司"


def test_both_faces_of_a_package_import_cut_with_it():
    from ui import package_import_dialog
    from ui.cli import package

    for face in (package_import_dialog, package):
        source = inspect.getsource(face)
        assert "names_cut(" in source and "等 %1 家" not in source and " 家\" if" not in source


def test_every_other_list_that_is_cut_cuts_with_it():
    from tiers.services import bulk
    from ui import candidate_summary, imports_view
    from ui.cli import common

    for face in (imports_view, bulk, common, candidate_summary):
        source = inspect.getsource(face)
        assert "names_cut(" in source, face.__name__
        assert "等 %1" not in source and "等 {" not in source and '" 等"' not in source, face.__name__


def test_a_citys_counties_in_the_candidates_hint_are_cut_the_same():
    from ui.candidate_summary import hint_text

    counties = ["天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市", "常州经开区"]
    hint = hint_text(lambda text: text, "", counties)
    assert "测算全市（天宁区、钟楼区、新北区、武进区、金坛区、溧阳市 等 7 个县区）企业" in hint, hint
    assert "测算全市（天宁区、钟楼区）企业" in hint_text(lambda text: text, "", counties[:2])
