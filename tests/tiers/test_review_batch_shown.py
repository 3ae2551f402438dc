"""A 复核 pass is named as one wherever a recognition is listed: its batch reads 第二批（复核）
(ladder.batch_shown), in the firm window, its questions, tiers show and the change log —
tester27b #8 saw a corrected 复核 read “第二批 2023”, like a 2023 title of 第二批."""

from __future__ import annotations

from tiers.model import ladder
from tiers.text.changes import recognition_subject, subject_of


def test_the_batch_of_a_review_says_so():
    assert ladder.batch_shown("第二批", is_review=True) == "第二批（复核）"
    assert ladder.batch_shown("2025年度", is_review=True) == "2025年度（复核）"
    assert ladder.batch_shown("", is_review=True) == "复核"
    assert ladder.batch_shown("第二批", is_review=False) == "第二批"
    assert ladder.batch_shown("", is_review=False) == ""


def test_a_reviews_subject_names_it_and_can_leave_the_year_out():
    review = {"tier_code": "little_giant", "batch_label": "第二批", "batch_year": 2020,
              "is_review": True}
    assert recognition_subject(review) == "专精特新“小巨人”企业 2020年度 第二批（复核）"
    assert recognition_subject(review, with_year=False) == "专精特新“小巨人”企业 第二批（复核）"
    assert subject_of("recognition", review) == "专精特新“小巨人”企业 2020年度 第二批（复核）"
    title = {**review, "is_review": False}
    assert recognition_subject(title) == "专精特新“小巨人”企业 2020年度 第二批"
    # a 复核 known by its year alone
    assert recognition_subject({"tier_code": "zjtx", "batch_year": 2025, "is_review": True}) \
        == "省级专精特新中小企业 2025年度（复核）"
