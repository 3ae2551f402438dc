"""缺数据 says each missing thing once: a firm without last year's figures read
“缺数据：缺少2025年度数据；缺少2025年度数据；缺少2025年度数据……” in its 对标预审 (found
walking the client with a firm imported from a 公示 list)."""

from __future__ import annotations

from tests.tiers.test_assess_evaluate import Y, firm, row, rules_for, run
from tiers.assess import DATA_MISSING
from tiers.assess.evaluate import assess
from tiers.assess.verdict import verdict


def test_a_missing_year_is_named_once():
    result = run("zjtx", {Y - 1: row(revenue=3000, main_revenue=2800)},
                 held={"innovative"})
    assert result.readiness == DATA_MISSING
    text = verdict(result)
    assert text.startswith("缺数据：")
    parts = text.removeprefix("缺数据：").split("，另差")[0].removesuffix("……").split("；")
    assert len(parts) == len(set(parts)), text
    assert f"缺少{Y}年度数据" in parts


def test_the_candidates_list_names_each_missing_thing_once():
    from tiers.assess.candidates import report_row

    result = run("zjtx", {Y - 1: row(revenue=3000, main_revenue=2800)}, held={"innovative"})
    missing = report_row(result, 1)["missing"].split("；")
    assert missing and "" not in missing and len(missing) == len(set(missing))


def test_a_year_missing_inside_another_leafs_years_is_named_once():
    """A firm with no figures at all, judged for 单项冠军 (the tester's 华锐): the 近3年平均
    leaf misses 2023, 2024 and 2025 in one detail, the 从事年限 leaves 2025 alone; the
    headline read “缺少2023年度数据；缺少2024年度数据；缺少2025年度数据；缺少2025年度数据”."""
    from tiers.assess.candidates import report_row

    result = assess(firm({}, {"little_giant"}), rules_for("single_champion", "单项冠军2023办法"), Y)
    assert result.readiness == DATA_MISSING
    text = verdict(result)
    parts = text.removeprefix("缺数据：").split("，另差")[0].removesuffix("……").split("；")
    assert parts == [f"缺少{Y - 2}年度数据", f"缺少{Y - 1}年度数据", f"缺少{Y}年度数据"], text
    missing = report_row(result, 1)["missing"].split("；")
    assert len(missing) == len(set(missing)), missing
