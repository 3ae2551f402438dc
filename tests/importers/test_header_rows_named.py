"""A row merged across every column above the data, in the header's words, makes the data
row a second header row: the refusal named only the first ("只有表头（第 1 行）") while the
officer could see the data in row 2 (the break campaign of #16). It names both rows."""

from __future__ import annotations

import pytest

from importers import ImportRefused
from tests.conftest import make_code
from tests.importers.helpers import plan_file, write_xlsx


def test_a_two_row_header_without_data_names_both_rows(database, tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", {"S": [
        [None] * 5, ["常州甲机械有限公司", make_code(1), "武进区", "创新型中小企业", "2025"]]},
        merges={"S": [("A1:E1", "企业名称")]})
    with pytest.raises(ImportRefused, match=r"只有表头（第 1–2 行），没有数据行"):
        plan_file(database, path)
