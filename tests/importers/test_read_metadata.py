"""What a list says about itself in its title: tier, level, batch, year and 复核, and a
warning when one title announces both a new and a review list."""

from __future__ import annotations

import pytest

from importers import detect, open_source
from importers.read.metadata import metadata_from_texts
from tests.importers.helpers import write_xlsx


@pytest.mark.parametrize("title,expected", [
    ("第五批专精特新“小巨人”企业名单", ("little_giant", "国家级", "第五批", None, None)),
    ("2022年度省级专精特新中小企业名单", ("zjtx", "省级", "2022年度", 2022, None)),
    ("关于2023年度创新型中小企业名单的公示", ("innovative", "省级", "2023年度", 2023, None)),
    ("第二批专精特新“小巨人”复核通过企业名单", ("little_giant", "国家级", "第二批", None, True)),
    ("第8批制造业单项冠军企业", ("single_champion", "国家级", "第八批", None, None)),
])
def test_metadata_from_titles(title, expected):
    meta, _ = metadata_from_texts([title])
    assert (meta.tier, meta.level, meta.batch_label, meta.batch_year, meta.is_review) == expected


def test_title_with_new_and_review_lists_warns():
    meta, warnings = metadata_from_texts(
        ["关于江苏省第五批专精特新“小巨人”企业和第二批专精特新“小巨人”复核通过企业名单的公示"])
    assert (meta.tier, meta.batch_label, meta.is_review) == ("little_giant", "第五批", False)
    assert warnings and "复核" in warnings[0]


BOTH = "江苏省第五批专精特新“小巨人”企业和第二批专精特新“小巨人”复核通过企业名单"


@pytest.mark.parametrize("second,expected", [
    # the annex's own title, in the second title row, says which list this is
    ("附件2：第二批专精特新“小巨人”复核通过企业名单", ("第二批", True, "第二批")),
    ("附件1：第五批专精特新“小巨人”企业名单", ("第五批", False, None)),
])
def test_an_annex_title_under_a_title_of_both_lists_decides(second, expected):
    meta, warnings = metadata_from_texts([BOTH, second, "Sheet1", "名单"])
    assert (meta.batch_label, meta.is_review, meta.review_of_batch) == expected
    assert meta.tier == "little_giant" and warnings == []


def test_the_warning_of_both_lists_goes_when_the_officer_takes_a_review_list(tmp_path):
    path = write_xlsx(tmp_path / "名单.xlsx", {"名单": [
        [BOTH], ["序号", "企业名称", "所在地区"], [1, "常州某某有限公司", "武进区"]]})
    detection = detect(open_source(path))
    assert detection.metadata.batch_label == "第五批" and not detection.metadata.is_review
    assert any("按新认定导入" in p.message for p in detection.problems)
    taken = detection.with_options(batch_label="第二批", is_review=True)
    assert not any("按新认定导入" in p.message for p in taken.problems)
    # taken as the new list, as the title reads: the warning stays
    kept = detection.with_options(batch_label="第五批", is_review=False)
    assert any("按新认定导入" in p.message for p in kept.problems)
