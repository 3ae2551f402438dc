"""The manual's 对标预审 section says the figures year as the README and the windows do: 上年度
by default, a county whose 上年度 figures are not yet in judged on its latest full year
(each county at its own pace), said where it is used — not "按上年度数据测算全县企业" flatly,
which is wrong for a county from January until its figures arrive."""

from __future__ import annotations

import re

from tiers.model.reference import resource_path


def test_the_manual_says_the_per_county_fallback():
    text = (resource_path("help") / "manual.html").read_text(encoding="utf-8")
    section = text.split('name="assess"')[1].split('name="report"')[0]
    plain = re.sub(r"<[^>]+>", "", section)
    assert "按上年度数据测算全县企业" not in plain
    assert "各县按各自的进度" in plain
    assert "该区按 2025 年度数据预审" in plain
