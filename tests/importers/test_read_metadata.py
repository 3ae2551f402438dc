"""What a list says about itself in its title: tier, level, batch, year and 复核, and a
warning when one title announces both a new and a review list."""

from __future__ import annotations

import pytest

from importers.read.metadata import metadata_from_texts


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
