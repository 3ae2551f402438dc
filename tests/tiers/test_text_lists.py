"""The one cut of a list of firms named in a line (等 N 家), which the package dialog and
``tiers package import`` both use (review26: each wrote it)."""

from __future__ import annotations

import inspect

from tiers.text.lists import names_cut


def test_the_names_shown_and_the_cut_said():
    assert names_cut(["常州甲公司", "常州乙公司"], 2) == "常州甲公司、常州乙公司"
    assert names_cut(["常州甲公司", "常州乙公司"], 1200) == "常州甲公司、常州乙公司 等 1,200 家"
    assert names_cut([], 0) == ""


def test_both_faces_of_a_package_import_cut_with_it():
    from ui import package_import_dialog
    from ui.cli import package

    for face in (package_import_dialog, package):
        source = inspect.getsource(face)
        assert "names_cut(" in source and "等 %1 家" not in source and " 家\" if" not in source
