"""缺数据 says each missing thing once: a firm without last year's figures read
“缺数据：缺少2025年度数据；缺少2025年度数据；缺少2025年度数据……” in its 对标预审 (found
walking the client with a firm imported from a 公示 list)."""

from __future__ import annotations

from tests.tiers.test_assess_evaluate import Y, row, run
from tiers.assess import DATA_MISSING
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
